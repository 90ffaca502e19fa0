//! [`XfrmKernel`]: the [`Kernel`] trait over a NETLINK_XFRM socket.

use super::attr::Attr;
use super::consts::*;
use super::error::{DecodeError, EncodeError};
use super::event::decode_event;
use super::map_policy::{decode_policy, encode_policy, encode_policy_id};
use super::map_sa::{decode_sa, encode_sa, encode_sa_id, pair_family, xfrm_mode, xfrm_proto};
use super::message::{split, Body, Message};
use super::selector::{addr_to_raw, XfrmId};
use super::socket::NlSocket;
use super::state::{UserSaInfo, UserSpiInfo};
use crate::kernel::{Backend, EachEntry, Event, Kernel, KernelError, Op, SpiRequest};
use crate::policy::{Level, Policy};
use crate::sa::{Dumped, Mode, Sa, SaId, SaType};
use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::net::IpAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The largest reqid setkey's `unique:N` may set by hand on Linux; af_key generates
/// reqids above it for a bare `unique` (`gen_reqid`), and so do we.
const IPSEC_MANUAL_REQID_MAX: u32 = 0x3fff;

/// `refcnt` as af_key reports an idle policy in a dump: one reference held by the
/// policy lists (a second one is held only while a timer or a cached route holds it,
/// which XFRM cannot tell us).
const POLICY_REFCNT: u32 = 1;

/// The XFRM backend. One socket for requests; a second one, opened by
/// [`Kernel::subscribe`], for the kernel's notifications, so replies and events never
/// interleave.
#[derive(Debug)]
pub struct XfrmKernel {
    sock: NlSocket,
    events: Option<NlSocket>,
    pending: VecDeque<Event>,
    /// Last reqid handed out for a bare `unique` level.
    last_reqid: u32,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn io_err(e: io::Error) -> KernelError {
    KernelError::from(e)
}

/// A kernel message we could not parse: a protocol error, not the kernel refusing.
fn proto_err(_: DecodeError) -> KernelError {
    KernelError::new(libc::EPROTO)
}

/// Hands dump entries on numbered as af_key numbers them: 1, 2, ... and 0 for the last
/// (af_key sends each entry only once it has the next, and marks the one left at the
/// end). So each entry waits here until the next arrives, or the dump ends.
struct Numbering<'e, T> {
    each: EachEntry<'e, T>,
    held: Option<Dumped<T>>,
    count: u32,
    pid: u32,
}

impl<'e, T> Numbering<'e, T> {
    fn new(each: EachEntry<'e, T>) -> Numbering<'e, T> {
        Numbering {
            each,
            held: None,
            count: 0,
            pid: std::process::id(),
        }
    }

    fn push(&mut self, entry: T, refcnt: u32) -> Result<(), KernelError> {
        self.count = self.count.saturating_add(1);
        let next = Dumped {
            entry,
            seq: self.count,
            pid: self.pid,
            refcnt,
        };
        match self.held.replace(next) {
            Some(previous) => (self.each)(previous),
            None => Ok(()),
        }
    }

    fn finish(mut self) -> Result<(), KernelError> {
        match self.held.take() {
            Some(mut last) => {
                last.seq = 0;
                (self.each)(last)
            }
            None => Ok(()),
        }
    }
}

impl XfrmKernel {
    /// Opens the request socket. Fails with the socket's errno (EPROTONOSUPPORT on a
    /// kernel without XFRM netlink).
    pub fn open() -> Result<XfrmKernel, KernelError> {
        Ok(XfrmKernel {
            sock: NlSocket::open(&[]).map_err(io_err)?,
            events: None,
            pending: VecDeque::new(),
            last_reqid: IPSEC_MANUAL_REQID_MAX,
        })
    }

    /// One op as a message with sequence number `seq`, appended to `out`.
    fn encode_op(&self, op: &Op, seq: u32, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let flags = NLM_F_REQUEST | NLM_F_ACK;
        let msg = match op {
            Op::AddSa(sa) | Op::UpdateSa(sa) => {
                let (info, attrs) = encode_sa(sa)?;
                let kind = if matches!(op, Op::AddSa(_)) {
                    XFRM_MSG_NEWSA
                } else {
                    XFRM_MSG_UPDSA
                };
                Message::new(kind, flags, seq, Body::Sa { info, attrs })
            }
            Op::DeleteSa(id) => {
                let (id, attrs) = encode_sa_id(id)?;
                Message::new(XFRM_MSG_DELSA, flags, seq, Body::SaId { id, attrs })
            }
            Op::FlushSa(satype) => {
                let proto = satype.map_or(Ok(IPSEC_PROTO_ANY), xfrm_proto)?;
                Message::new(XFRM_MSG_FLUSHSA, flags, seq, Body::FlushSa { proto })
            }
            Op::AddPolicy(p) | Op::UpdatePolicy(p) => {
                let (info, attrs) = encode_policy(p)?;
                let kind = if matches!(op, Op::AddPolicy(_)) {
                    XFRM_MSG_NEWPOLICY
                } else {
                    XFRM_MSG_UPDPOLICY
                };
                Message::new(kind, flags, seq, Body::Policy { info, attrs })
            }
            Op::DeletePolicy(id) => {
                let id = encode_policy_id(id)?;
                Message::new(
                    XFRM_MSG_DELPOLICY,
                    flags,
                    seq,
                    Body::PolicyId { id, attrs: vec![] },
                )
            }
            Op::FlushPolicy => Message::new(
                XFRM_MSG_FLUSHPOLICY,
                flags,
                seq,
                Body::FlushPolicy { attrs: vec![] },
            ),
        };
        msg.encode(out);
        Ok(())
    }

    /// Gives every bare `unique` request (reqid 0) a reqid no installed policy uses, as
    /// af_key's `gen_reqid` does; XFRM itself would leave it 0, which means "any SA".
    fn assign_reqids(&mut self, ops: &[Op]) -> Result<Vec<Op>, KernelError> {
        let needs = |p: &Policy| {
            p.requests
                .iter()
                .any(|r| r.level == Level::Unique && r.reqid == 0)
        };
        let mut used: HashSet<u32> = self
            .dump_policy(true)?
            .into_iter()
            .flat_map(|d| d.entry.requests.into_iter().map(|r| r.reqid))
            .collect();
        let mut out = ops.to_vec();
        for op in &mut out {
            let (Op::AddPolicy(p) | Op::UpdatePolicy(p)) = op else {
                continue;
            };
            if !needs(p) {
                continue;
            }
            for r in &mut p.requests {
                if r.level == Level::Unique && r.reqid == 0 {
                    r.reqid = self.fresh_reqid(&used);
                    used.insert(r.reqid);
                }
            }
        }
        Ok(out)
    }

    fn fresh_reqid(&mut self, used: &HashSet<u32>) -> u32 {
        loop {
            self.last_reqid = self.last_reqid.wrapping_add(1);
            if self.last_reqid == 0 {
                self.last_reqid = IPSEC_MANUAL_REQID_MAX + 1;
            }
            if !used.contains(&self.last_reqid) {
                return self.last_reqid;
            }
        }
    }

    /// Sends one datagram of requests and collects the acks for `inflight` (sequence
    /// number to op index) into `results`.
    fn flush_window(
        &mut self,
        datagram: &[u8],
        inflight: &mut HashMap<u32, usize>,
        results: &mut [Option<Result<(), KernelError>>],
    ) {
        if let Err(e) = self.sock.send(datagram) {
            let err = io_err(e);
            for (_, i) in inflight.drain() {
                results[i] = Some(Err(err));
            }
            return;
        }
        while !inflight.is_empty() {
            let datagram = match self.sock.recv(false) {
                Ok(d) => d,
                Err(e) => {
                    // ENOBUFS: acks were dropped; which ops succeeded is unknown.
                    let err = io_err(e);
                    for (_, i) in inflight.drain() {
                        results[i] = Some(Err(err));
                    }
                    return;
                }
            };
            for m in split(datagram) {
                let Ok((header, payload)) = m else { break };
                if header.kind != NLMSG_ERROR {
                    continue;
                }
                let Ok(Body::Error { error, request }) = Body::decode(header.kind, payload) else {
                    continue;
                };
                if let Some(i) = inflight.remove(&request.seq) {
                    results[i] = Some(if error == 0 {
                        Ok(())
                    } else {
                        Err(KernelError::new(error.saturating_neg()))
                    });
                }
            }
        }
    }

    /// Sends a request expecting one reply message (GETSA, ALLOCSPI).
    fn request(&mut self, kind: u16, body: Body) -> Result<(u32, Message), KernelError> {
        let seq = self.sock.next_seq();
        let msg = Message::new(kind, NLM_F_REQUEST, seq, body);
        self.sock.send(&msg.to_bytes()).map_err(io_err)?;
        loop {
            let datagram = self.sock.recv(false).map_err(io_err)?;
            for m in split(datagram) {
                let (header, payload) = m.map_err(proto_err)?;
                if header.seq != seq {
                    continue;
                }
                let body = Body::decode(header.kind, payload).map_err(proto_err)?;
                if let Body::Error { error, .. } = body {
                    return Err(KernelError::new(if error == 0 {
                        libc::EPROTO
                    } else {
                        error.saturating_neg()
                    }));
                }
                return Ok((seq, Message { header, body }));
            }
        }
    }

    /// A dump: every message up to NLMSG_DONE.
    /// Sends a dump request and hands each answer to `each` as its datagram arrives,
    /// decoded but not kept: a dump of 10,000 entries never holds 10,000 messages.
    fn dump(
        &mut self,
        kind: u16,
        attrs: Vec<Attr>,
        mut each: impl FnMut(Body) -> Result<(), KernelError>,
    ) -> Result<(), KernelError> {
        let seq = self.sock.next_seq();
        let msg = Message::new(
            kind,
            NLM_F_REQUEST | NLM_F_DUMP,
            seq,
            Body::FlushPolicy { attrs },
        );
        self.sock.send(&msg.to_bytes()).map_err(io_err)?;
        loop {
            let datagram = self.sock.recv(false).map_err(io_err)?;
            for m in split(datagram) {
                let (header, payload) = m.map_err(proto_err)?;
                if header.seq != seq {
                    continue;
                }
                match header.kind {
                    NLMSG_DONE => return Ok(()),
                    NLMSG_ERROR => {
                        if let Ok(Body::Error { error, .. }) = Body::decode(header.kind, payload) {
                            if error != 0 {
                                return Err(KernelError::new(error.saturating_neg()));
                            }
                        }
                    }
                    _ => each(Body::decode(header.kind, payload).map_err(proto_err)?)?,
                }
            }
        }
    }
}

/// Skips what PF_KEY would not show: an entry the model cannot represent
/// ([`DecodeError::Unsupported`], e.g. the IPIP state under a tunnel-mode IPComp SA)
/// is left out; a malformed one fails the dump.
fn keep<T>(r: Result<T, DecodeError>) -> Result<Option<T>, KernelError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(DecodeError::Unsupported { .. }) => Ok(None),
        Err(e) => Err(proto_err(e)),
    }
}

impl Kernel for XfrmKernel {
    fn backend(&self) -> Backend {
        Backend::Xfrm
    }

    fn event_fd(&self) -> Option<std::os::fd::RawFd> {
        use std::os::fd::AsRawFd;
        self.events.as_ref().map(|s| s.as_raw_fd())
    }

    /// Pipelined: as many requests as the socket buffers allow go out in one
    /// datagram (the kernel processes every message of it and acks each), then the
    /// acks are read and matched to their ops by sequence number.
    fn apply(&mut self, ops: &[Op]) -> Vec<Result<(), KernelError>> {
        let mut results: Vec<Option<Result<(), KernelError>>> = vec![None; ops.len()];
        let owned;
        let ops = if ops.iter().any(|op| match op {
            Op::AddPolicy(p) | Op::UpdatePolicy(p) => p
                .requests
                .iter()
                .any(|r| r.level == Level::Unique && r.reqid == 0),
            _ => false,
        }) {
            match self.assign_reqids(ops) {
                Ok(v) => {
                    owned = v;
                    &owned[..]
                }
                Err(e) => return vec![Err(e); ops.len()],
            }
        } else {
            ops
        };
        let mut datagram = Vec::with_capacity(self.sock.max_send());
        let mut inflight = HashMap::new();
        for (i, op) in ops.iter().enumerate() {
            let seq = self.sock.next_seq();
            let mut msg = Vec::new();
            if let Err(e) = self.encode_op(op, seq, &mut msg) {
                results[i] = Some(Err(e.into()));
                continue;
            }
            if !datagram.is_empty()
                && (datagram.len() + msg.len() > self.sock.max_send()
                    || inflight.len() >= self.sock.max_inflight())
            {
                self.flush_window(&datagram, &mut inflight, &mut results);
                datagram.clear();
            }
            datagram.extend_from_slice(&msg);
            inflight.insert(seq, i);
        }
        if !datagram.is_empty() {
            self.flush_window(&datagram, &mut inflight, &mut results);
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or(Err(KernelError::new(libc::EIO))))
            .collect()
    }

    /// ALLOCSPI in transport mode: the trait's GETSPI carries no mode.
    fn get_spi(
        &mut self,
        src: IpAddr,
        dst: IpAddr,
        satype: SaType,
        reqid: u32,
        min: u32,
        max: u32,
    ) -> Result<u32, KernelError> {
        self.reserve_spi(&SpiRequest {
            src,
            dst,
            satype,
            mode: Mode::Transport,
            reqid,
            min,
            max,
        })
    }

    /// ALLOCSPI: the kernel finds or creates the larval (ACQ) state for these
    /// addresses, mode and reqid and gives it an SPI from the range, as PF_KEY's GETSPI
    /// does (`any` is transport there too).
    fn reserve_spi(&mut self, req: &SpiRequest) -> Result<u32, KernelError> {
        let family = pair_family(req.src, req.dst)?;
        let info = UserSpiInfo {
            info: UserSaInfo {
                id: XfrmId {
                    daddr: addr_to_raw(req.dst),
                    spi: 0,
                    proto: xfrm_proto(req.satype)?,
                },
                saddr: addr_to_raw(req.src),
                family,
                reqid: req.reqid,
                mode: xfrm_mode(req.mode),
                ..UserSaInfo::default()
            },
            min: req.min,
            max: req.max,
        };
        let (_, reply) = self.request(
            XFRM_MSG_ALLOCSPI,
            Body::AllocSpi {
                info,
                attrs: vec![],
            },
        )?;
        match reply.body {
            Body::Sa { info, .. } => Ok(info.id.spi),
            _ => Err(KernelError::new(libc::EPROTO)),
        }
    }

    fn get_sa(&mut self, id: &SaId) -> Result<Dumped<Sa>, KernelError> {
        let (sa_id, attrs) = encode_sa_id(id)?;
        let (seq, reply) = self.request(XFRM_MSG_GETSA, Body::SaId { id: sa_id, attrs })?;
        let Body::Sa { info, attrs } = reply.body else {
            return Err(KernelError::new(libc::EPROTO));
        };
        let sa = keep(decode_sa(&info, &attrs, now()))?.ok_or(KernelError::new(libc::ENOENT))?;
        Ok(Dumped {
            entry: sa,
            seq,
            pid: std::process::id(),
            refcnt: 0,
        })
    }

    fn dump_sa(&mut self, satype: Option<SaType>) -> Result<Vec<Dumped<Sa>>, KernelError> {
        let mut sas = Vec::new();
        self.each_sa(satype, &mut |e| {
            sas.push(e);
            Ok(())
        })?;
        Ok(sas)
    }

    fn each_sa(
        &mut self,
        satype: Option<SaType>,
        each: EachEntry<'_, Sa>,
    ) -> Result<(), KernelError> {
        // The kernel filters by XFRMA_PROTO since 4.11; older ones ignore it, so the
        // type is checked here too.
        let attrs = match satype {
            Some(t) => vec![Attr::Proto(xfrm_proto(t)?)],
            None => vec![],
        };
        let now = now();
        let mut out = Numbering::new(each);
        self.dump(XFRM_MSG_GETSA, attrs, |body| {
            if let Body::Sa { info, attrs } = &body {
                if let Some(sa) = keep(decode_sa(info, attrs, now))? {
                    if satype.is_none() || satype == Some(sa.satype) {
                        out.push(sa, 0)?;
                    }
                }
            }
            Ok(())
        })?;
        out.finish()
    }

    fn dump_policy(&mut self, per_socket: bool) -> Result<Vec<Dumped<Policy>>, KernelError> {
        let mut policies = Vec::new();
        self.each_policy(per_socket, &mut |e| {
            policies.push(e);
            Ok(())
        })?;
        Ok(policies)
    }

    fn each_policy(
        &mut self,
        per_socket: bool,
        each: EachEntry<'_, Policy>,
    ) -> Result<(), KernelError> {
        let mut out = Numbering::new(each);
        self.dump(XFRM_MSG_GETPOLICY, vec![], |body| {
            let Body::Policy { info, attrs } = &body else {
                return Ok(());
            };
            // af_key walks the main policy type only.
            if attrs
                .iter()
                .any(|a| matches!(a, Attr::PolicyType(t) if *t != 0))
            {
                return Ok(());
            }
            if let Some((policy, socket)) = keep(decode_policy(info, attrs))? {
                if per_socket || !socket {
                    out.push(policy, POLICY_REFCNT)?;
                }
            }
            Ok(())
        })?;
        out.finish()
    }

    fn subscribe(&mut self) -> Result<(), KernelError> {
        if self.events.is_none() {
            let groups = [
                XFRMNLGRP_ACQUIRE,
                XFRMNLGRP_EXPIRE,
                XFRMNLGRP_SA,
                XFRMNLGRP_POLICY,
            ];
            self.events = Some(NlSocket::open(&groups).map_err(io_err)?);
        }
        Ok(())
    }

    /// A datagram lost to a full receive buffer (ENOBUFS) is reported as
    /// [`Event::Other`] rather than an error: the monitor goes on, and racoon can
    /// resynchronise from a dump.
    fn next_event(&mut self, timeout: Option<Duration>) -> Result<Option<Event>, KernelError> {
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Ok(Some(ev));
            }
            let Some(sock) = self.events.as_mut() else {
                return Err(KernelError::new(libc::ENOTCONN));
            };
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if !sock.wait(left).map_err(io_err)? {
                return Ok(None);
            }
            let datagram = match sock.recv(true) {
                Ok(d) => d,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                    return Ok(Some(Event::Other {
                        kind: "overrun: kernel events were lost (ENOBUFS)".to_owned(),
                    }))
                }
                Err(e) => return Err(io_err(e)),
            };
            let now = now();
            for m in split(datagram) {
                let (header, payload) = m.map_err(proto_err)?;
                let ev = match Body::decode(header.kind, payload) {
                    Ok(body) => decode_event(&Message { header, body }, now),
                    Err(e) => Event::Other {
                        kind: format!("malformed {}: {e}", super::message::kind_name(header.kind)),
                    },
                };
                self.pending.push_back(ev);
            }
        }
    }
}
