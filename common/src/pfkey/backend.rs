//! [`PfkeyKernel`]: the [`Kernel`] trait over an AF_KEY socket.
//!
//! Requests go out on one socket and their replies are matched by `sadb_msg_seq` and
//! `sadb_msg_pid`; everything else that arrives there (Linux broadcasts every SA and
//! policy change to every PF_KEY socket) is dropped. Events come on a second socket,
//! opened by [`PfkeyKernel::subscribe_with`], so that waiting for a reply never
//! swallows an ACQUIRE and reading events never swallows a reply.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::consts::{msg, satype as satypes};
use super::error::{DecodeError, OpenError};
use super::ext::{AlgDesc, Extension};
use super::message::{Header, Message};
use super::reply::{
    dumped, event_from_message, is_per_socket_policy_id, policy_from_message, sa_from_message,
};
use super::request::{self, SpiRequest};
use super::socket::KeySocket;
use crate::kernel::{Backend, Event, Kernel, KernelError, Op};
use crate::policy::Policy;
use crate::sa::{Dumped, Mode, Sa, SaId, SaType};

/// Requests sent before their replies are read. The kernel queues each reply while the
/// request is being sent and drops replies that overflow the receive buffer, so this
/// bounds what can pile up there.
const WINDOW: usize = 64;

/// How long to wait for a reply (or the next chunk of a dump) before giving up on it.
/// Generous: a loaded machine or a slow VM may take seconds. REGISTER never times out.
const DEFAULT_REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// Sequence numbers, unique in the process so that two sockets never share one.
static NEXT_SEQ: AtomicU32 = AtomicU32::new(1);

fn next_seq() -> u32 {
    loop {
        let seq = NEXT_SEQ.fetch_add(1, Ordering::Relaxed);
        if seq != 0 {
            return seq;
        }
    }
}

/// The fields of a message's header needed to match it, read without decoding the rest.
fn peek_header(bytes: &[u8]) -> Option<Header> {
    let b = bytes.get(..16)?;
    Some(Header {
        msg_type: b[1],
        errno: b[2],
        satype: b[3],
        reserved: u16::from_ne_bytes([b[6], b[7]]),
        seq: u32::from_ne_bytes([b[8], b[9], b[10], b[11]]),
        pid: u32::from_ne_bytes([b[12], b[13], b[14], b[15]]),
    })
}

/// How [`PfkeyKernel::subscribe_with`] listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscription {
    /// SADB_REGISTER for AH, ESP and IPComp, as racoon does: ACQUIRE, EXPIRE and
    /// NAT-T mappings, plus the changes Linux broadcasts to every socket.
    Register,
    /// SADB_X_PROMISC, as `setkey -x` does: a copy of every PF_KEY message, requests
    /// of other programs included (some arrive twice, as Linux sends them).
    Promisc,
}

/// One message from the event socket: the bytes as received (for `setkey -x` and its
/// hex dump), the decoded message, and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    pub bytes: Vec<u8>,
    pub message: Result<Message, DecodeError>,
    pub event: Event,
}

struct EventSocket {
    sock: KeySocket,
    /// Messages that arrived while a subscription request waited for its reply.
    queue: VecDeque<Vec<u8>>,
    /// Our own REGISTER / PROMISC requests, whose echoes are not events.
    own_seqs: Vec<u32>,
}

/// The PF_KEY v2 backend.
pub struct PfkeyKernel {
    sock: KeySocket,
    events: Option<EventSocket>,
    pid: u32,
    buf: Vec<u8>,
    reply_timeout: Duration,
    supported_auth: Vec<AlgDesc>,
    supported_encrypt: Vec<AlgDesc>,
    trace: Option<Trace>,
}

/// A callback that sees every message sent to or received from the kernel on the
/// request socket, as raw bytes (`setkey -v`).
pub type Trace = Box<dyn FnMut(&[u8]) + Send>;

impl std::fmt::Debug for PfkeyKernel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PfkeyKernel")
            .field("pid", &self.pid)
            .finish_non_exhaustive()
    }
}

impl PfkeyKernel {
    /// Opens the AF_KEY socket; [`OpenError::Unavailable`] on a kernel without AF_KEY.
    pub fn open() -> Result<PfkeyKernel, OpenError> {
        Ok(PfkeyKernel {
            sock: KeySocket::open()?,
            events: None,
            pid: std::process::id(),
            buf: vec![0; 64 * 1024],
            reply_timeout: DEFAULT_REPLY_TIMEOUT,
            supported_auth: Vec::new(),
            supported_encrypt: Vec::new(),
            trace: None,
        })
    }

    /// Calls `trace` with every message sent on the request socket, and every message
    /// received there, in order (`setkey -v` prints them as the original does); `None`
    /// stops it.
    pub fn set_trace(&mut self, trace: Option<Trace>) {
        self.trace = trace;
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), KernelError> {
        if let Some(t) = self.trace.as_mut() {
            t(bytes);
        }
        self.sock.send(bytes)
    }

    /// The `sadb_msg_pid` this backend writes (the process id, as KAME tools do).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// How long to wait for each reply (default 30 s).
    pub fn set_reply_timeout(&mut self, timeout: Duration) {
        self.reply_timeout = timeout;
    }

    /// Algorithms the kernel listed in its REGISTER replies (empty before
    /// [`Subscription::Register`]).
    pub fn supported_algorithms(&self) -> (&[AlgDesc], &[AlgDesc]) {
        (&self.supported_auth, &self.supported_encrypt)
    }

    fn recv(&mut self, timeout: Option<Duration>) -> Result<Option<Vec<u8>>, KernelError> {
        let got = self.sock.recv(&mut self.buf, timeout)?;
        if let (Some(bytes), Some(t)) = (&got, self.trace.as_mut()) {
            t(bytes);
        }
        Ok(got)
    }

    /// Sends one request and returns its reply (errno turned into an error).
    fn transact(&mut self, m: Message) -> Result<Message, KernelError> {
        let seq = m.header.seq;
        let msg_type = m.header.msg_type;
        let bytes = m.encode().map_err(super::error::MapError::from)?;
        self.send(&bytes)?;
        loop {
            let Some(reply) = self.recv(Some(self.reply_timeout))? else {
                return Err(KernelError::new(libc::ETIMEDOUT));
            };
            let Some(h) = peek_header(&reply) else {
                continue;
            };
            if h.pid != self.pid || h.seq != seq || h.msg_type != msg_type {
                continue;
            }
            if h.errno != 0 {
                return Err(KernelError::new(i32::from(h.errno)));
            }
            return Message::decode(&reply).map_err(|_| KernelError::new(libc::EBADMSG));
        }
    }

    /// Reserves an SPI, echoing `seq` (an ACQUIRE's sequence number) so that Linux
    /// completes the larval SA the ACQUIRE created; `None` picks a fresh number.
    pub fn get_spi_for(&mut self, req: &SpiRequest, seq: Option<u32>) -> Result<u32, KernelError> {
        let m = request::get_spi(req, seq.unwrap_or_else(next_seq), self.pid)?;
        let reply = self.transact(m)?;
        reply
            .sa()
            .map(|sa| sa.spi)
            .ok_or(KernelError::new(libc::EBADMSG))
    }

    /// Every message of a DUMP (`msg::DUMP`, with an SA type or all) or SPDDUMP
    /// (`msg::X_SPDDUMP`), undecoded entries skipped. An empty table is an empty list
    /// (Linux answers ENOENT).
    pub fn dump_messages(
        &mut self,
        msg_type: u8,
        satype: Option<SaType>,
    ) -> Result<Vec<Message>, KernelError> {
        let seq = next_seq();
        let m = request::bare(msg_type, satype, seq, self.pid)?;
        let bytes = m.encode().map_err(super::error::MapError::from)?;
        self.send(&bytes)?;
        let mut out = Vec::new();
        loop {
            let Some(reply) = self.recv(Some(self.reply_timeout))? else {
                return Err(KernelError::new(libc::ETIMEDOUT));
            };
            let Some(h) = peek_header(&reply) else {
                continue;
            };
            if h.pid != self.pid || h.msg_type != msg_type {
                continue;
            }
            if h.errno != 0 {
                // Linux's empty dump is an ENOENT error message.
                return match i32::from(h.errno) {
                    libc::ENOENT => Ok(out),
                    e => Err(KernelError::new(e)),
                };
            }
            if let Ok(m) = Message::decode(&reply) {
                out.push(m);
            }
            // Linux numbers a dump's messages 1, 2, ... and the last one 0.
            if h.seq == 0 {
                return Ok(out);
            }
        }
    }

    /// Starts listening for events on a socket of their own.
    pub fn subscribe_with(&mut self, how: Subscription) -> Result<(), KernelError> {
        if self.events.is_none() {
            self.events = Some(EventSocket {
                sock: KeySocket::open()?,
                queue: VecDeque::new(),
                own_seqs: Vec::new(),
            });
        }
        let requests: Vec<Message> = match how {
            Subscription::Register => [satypes::AH, satypes::ESP, satypes::IPCOMP]
                .into_iter()
                .map(|t| Message::new(Header::new(msg::REGISTER, t, next_seq(), self.pid)))
                .collect(),
            Subscription::Promisc => vec![request::promisc(true, next_seq(), self.pid)],
        };
        for m in requests {
            let reply = self.event_transact(&m)?;
            for e in reply.iter().flat_map(|r| &r.extensions) {
                match e {
                    Extension::SupportedAuth(a) => merge(&mut self.supported_auth, a),
                    Extension::SupportedEncrypt(a) => merge(&mut self.supported_encrypt, a),
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Sends a subscription request on the event socket and waits for its reply with no
    /// time limit: the first REGISTER makes Linux probe every crypto algorithm, which
    /// can take many seconds. What arrives meanwhile is kept for `next_event`.
    /// `Ok(None)`: already registered for that type (EEXIST).
    fn event_transact(&mut self, m: &Message) -> Result<Option<Message>, KernelError> {
        let pid = self.pid;
        let Some(ev) = self.events.as_mut() else {
            return Err(KernelError::new(libc::EBADF));
        };
        ev.own_seqs.push(m.header.seq);
        let bytes = m.encode().map_err(super::error::MapError::from)?;
        ev.sock.send(&bytes)?;
        loop {
            let Some(reply) = ev.sock.recv(&mut self.buf, None)? else {
                continue;
            };
            let Some(h) = peek_header(&reply) else {
                continue;
            };
            if h.pid == pid && h.seq == m.header.seq && h.msg_type == m.header.msg_type {
                return match i32::from(h.errno) {
                    0 => Ok(Message::decode(&reply).ok()),
                    libc::EEXIST => Ok(None),
                    e => Err(KernelError::new(e)),
                };
            }
            ev.queue.push_back(reply);
        }
    }

    /// The next message on the event socket with its raw bytes, waiting at most
    /// `timeout` (forever if `None`). What `setkey -x` prints.
    pub fn next_raw_event(
        &mut self,
        timeout: Option<Duration>,
    ) -> Result<Option<RawEvent>, KernelError> {
        let pid = self.pid;
        let Some(ev) = self.events.as_mut() else {
            return Err(KernelError::new(libc::EINVAL));
        };
        loop {
            let bytes = match ev.queue.pop_front() {
                Some(b) => b,
                None => match ev.sock.recv(&mut self.buf, timeout)? {
                    Some(b) => b,
                    None => return Ok(None),
                },
            };
            if let Some(h) = peek_header(&bytes) {
                let own = h.pid == pid
                    && ev.own_seqs.contains(&h.seq)
                    && matches!(h.msg_type, msg::REGISTER | msg::X_PROMISC);
                if own {
                    continue;
                }
            }
            let message = Message::decode(&bytes);
            let event = match &message {
                Ok(m) => event_from_message(m),
                Err(e) => Event::Other {
                    kind: format!("undecodable: {e}"),
                },
            };
            return Ok(Some(RawEvent {
                bytes,
                message,
                event,
            }));
        }
    }
}

fn merge(into: &mut Vec<AlgDesc>, new: &[AlgDesc]) {
    for a in new {
        if !into.iter().any(|b| b.id == a.id) {
            into.push(*a);
        }
    }
}

impl Kernel for PfkeyKernel {
    fn backend(&self) -> Backend {
        Backend::Pfkey
    }

    fn event_fd(&self) -> Option<std::os::fd::RawFd> {
        use std::os::fd::AsRawFd;
        self.events.as_ref().map(|e| e.sock.as_raw_fd())
    }

    /// Pipelined: up to [`WINDOW`] requests are sent before their replies are read.
    fn apply(&mut self, ops: &[Op]) -> Vec<Result<(), KernelError>> {
        let mut results: Vec<Option<Result<(), KernelError>>> = vec![None; ops.len()];
        let mut in_flight: HashMap<u32, (usize, u8)> = HashMap::new();
        let mut next = 0;
        while next < ops.len() || !in_flight.is_empty() {
            while next < ops.len() && in_flight.len() < WINDOW {
                let i = next;
                next += 1;
                let seq = next_seq();
                let sent = request::op_message(&ops[i], seq, self.pid)
                    .and_then(|m| Ok((m.header.msg_type, m.encode()?)))
                    .map_err(KernelError::from)
                    .and_then(|(t, bytes)| self.send(&bytes).map(|()| t));
                match sent {
                    Ok(t) => {
                        in_flight.insert(seq, (i, t));
                    }
                    Err(e) => results[i] = Some(Err(e)),
                }
            }
            if in_flight.is_empty() {
                continue;
            }
            let reply = match self.recv(Some(self.reply_timeout)) {
                Ok(Some(r)) => r,
                Ok(None) | Err(_) => {
                    let e = KernelError::new(libc::ETIMEDOUT);
                    for (_, (i, _)) in in_flight.drain() {
                        results[i] = Some(Err(e));
                    }
                    continue;
                }
            };
            let Some(h) = peek_header(&reply) else {
                continue;
            };
            if h.pid != self.pid {
                continue;
            }
            if let Some(&(i, t)) = in_flight.get(&h.seq) {
                if t == h.msg_type {
                    in_flight.remove(&h.seq);
                    results[i] = Some(match h.errno {
                        0 => Ok(()),
                        e => Err(KernelError::new(i32::from(e))),
                    });
                }
            }
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or(Err(KernelError::new(libc::EIO))))
            .collect()
    }

    fn get_spi(
        &mut self,
        src: IpAddr,
        dst: IpAddr,
        satype: SaType,
        reqid: u32,
        min: u32,
        max: u32,
    ) -> Result<u32, KernelError> {
        let req = SpiRequest {
            src,
            dst,
            satype,
            mode: Mode::Any,
            reqid,
            min,
            max,
        };
        self.get_spi_for(&req, None)
    }

    fn reserve_spi(&mut self, req: &SpiRequest) -> Result<u32, KernelError> {
        self.get_spi_for(req, None)
    }

    fn get_sa(&mut self, id: &SaId) -> Result<Dumped<Sa>, KernelError> {
        let m = request::sa_by_id(msg::GET, id, next_seq(), self.pid)?;
        let reply = self.transact(m)?;
        let sa = sa_from_message(&reply)?;
        Ok(dumped(&reply, sa))
    }

    /// Entries the model cannot hold (an algorithm the table does not know) are left
    /// out; [`PfkeyKernel::dump_messages`] has them all.
    fn dump_sa(&mut self, satype: Option<SaType>) -> Result<Vec<Dumped<Sa>>, KernelError> {
        let messages = self.dump_messages(msg::DUMP, satype)?;
        Ok(messages
            .iter()
            .filter_map(|m| sa_from_message(m).ok().map(|sa| dumped(m, sa)))
            .collect())
    }

    fn dump_policy(&mut self, per_socket: bool) -> Result<Vec<Dumped<Policy>>, KernelError> {
        let messages = self.dump_messages(msg::X_SPDDUMP, None)?;
        Ok(messages
            .iter()
            .filter_map(|m| policy_from_message(m).ok().map(|p| dumped(m, p)))
            .filter(|d| per_socket || !is_per_socket_policy_id(d.entry.id))
            .collect())
    }

    /// [`Subscription::Register`].
    fn subscribe(&mut self) -> Result<(), KernelError> {
        self.subscribe_with(Subscription::Register)
    }

    fn next_event(&mut self, timeout: Option<Duration>) -> Result<Option<Event>, KernelError> {
        Ok(self.next_raw_event(timeout)?.map(|r| r.event))
    }
}
