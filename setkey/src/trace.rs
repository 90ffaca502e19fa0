//! `setkey -v` on the XFRM backend: every request and reply printed as the PF_KEY
//! message the original would have sent and received for it, in `kdebug_sadb()` form.
//!
//! The original prints each message it sends and each it receives, in turn: request,
//! reply, request, reply. XFRM exchanges netlink messages instead, so this wrapper
//! prints, for each kernel call, the PF_KEY request the PF_KEY backend sends for it
//! (with the original's `sadb_msg_seq=0` and our pid), then the reply af_key would
//! have answered, built from the outcome the way `setkey -x` builds af_key's
//! broadcasts ([`crate::monitor::pfkey_equivalent`]): an error is a bare header with
//! the errno, a change its af_key notification, a dump one message per entry with the
//! entry's own sequence number, pid and reference count. What cannot be identical:
//! - an XFRM change is acknowledged without the new state, so the reply to `add` and
//!   `update` is built from what was asked: its current lifetime's `addtime` is the
//!   time of the reply, not the kernel's creation time, and it has no
//!   `SADB_EXT_ADDRESS_PROXY`; the reply to GETSPI is the larval SA with no lifetimes;
//! - the reply to `spddelete` repeats the request (the kernel's copy of the deleted
//!   policy, with its index and lifetimes, is not returned);
//! - the list of `-x`'s differences applies to the messages built here too.

use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::kernel::{Backend, Event, Kernel, KernelError, Op, SpiRequest};
use common::pfkey::consts::{msg, satype as satypes};
use common::pfkey::request;
use common::pfkey::{Header, Message};
use common::policy::Policy;
use common::sa::{Dumped, Lifetime, Sa, SaId, SaState, SaType};

use crate::monitor::{pfkey_equivalent, sa_message, trace_text};

/// Where the text goes (standard output in setkey).
pub type Sink = Box<dyn FnMut(&str)>;

/// A kernel whose every call is printed as its PF_KEY exchange.
pub struct PfkeyTrace {
    inner: Box<dyn Kernel>,
    sink: Sink,
    pid: u32,
}

impl PfkeyTrace {
    pub fn new(inner: Box<dyn Kernel>, sink: Sink) -> PfkeyTrace {
        PfkeyTrace {
            inner,
            sink,
            pid: std::process::id(),
        }
    }

    fn print(&mut self, m: Option<Message>) {
        let text = match m.and_then(|m| m.encode().ok()) {
            Some(bytes) => trace_text(&bytes),
            None => "(an XFRM message with no PF_KEY form)\n\n".to_owned(),
        };
        (self.sink)(&text);
    }

    /// The original's requests carry `sadb_msg_seq=0` and its pid.
    fn stamp(&self, m: Result<Message, impl Sized>) -> Option<Message> {
        let mut m = m.ok()?;
        m.header.seq = 0;
        m.header.pid = self.pid;
        Some(m)
    }

    /// af_key's answer to a failed request: the request's header with the errno.
    fn error(&self, request: Option<&Message>, msg_type: u8, e: KernelError) -> Message {
        let satype = request.map_or(satypes::UNSPEC, |m| m.header.satype);
        let mut h = Header::new(msg_type, satype, 0, self.pid);
        h.errno = u8::try_from(e.errno).unwrap_or(u8::MAX);
        Message::new(h)
    }

    /// A reply built from a model: our header fields on it.
    fn reply(&self, m: Option<Message>, msg_type: u8) -> Option<Message> {
        let mut m = m?;
        m.header.msg_type = msg_type;
        m.header.seq = 0;
        m.header.pid = self.pid;
        Some(m)
    }

    fn op_reply(&self, op: &Op, request: Option<&Message>, now: u64) -> Option<Message> {
        let with_current = |sa: &Sa| {
            let mut sa = sa.clone();
            sa.current = Some(Lifetime {
                addtime: now,
                ..Lifetime::default()
            });
            sa
        };
        let ev = match op {
            Op::AddSa(sa) => Event::SaAdded(with_current(sa)),
            Op::UpdateSa(sa) => Event::SaUpdated(with_current(sa)),
            Op::DeleteSa(id) => Event::SaDeleted(*id),
            Op::FlushSa(t) => Event::SaFlushed(*t),
            Op::AddPolicy(p) => Event::PolicyAdded(p.clone()),
            Op::UpdatePolicy(p) => Event::PolicyUpdated(p.clone()),
            Op::DeletePolicy(_) => return request.cloned(),
            Op::FlushPolicy => Event::PolicyFlushed,
        };
        let m = pfkey_equivalent(&ev)?;
        let msg_type = m.header.msg_type;
        self.reply(Some(m), msg_type)
    }

    fn dumped_sa(&self, d: &Dumped<Sa>, msg_type: u8) -> Option<Message> {
        let mut m = sa_message(&d.entry, msg_type, true, true, true)?;
        m.header.seq = d.seq;
        m.header.pid = d.pid;
        m.header.reserved = u16::try_from(d.refcnt).unwrap_or(u16::MAX);
        Some(m)
    }

    fn dumped_policy(&self, d: &Dumped<Policy>) -> Option<Message> {
        let mut m = pfkey_equivalent(&Event::PolicyAdded(d.entry.clone()))?;
        m.header.msg_type = msg::X_SPDDUMP;
        m.header.seq = d.seq;
        m.header.pid = d.pid;
        m.header.reserved = u16::try_from(d.refcnt).unwrap_or(u16::MAX);
        Some(m)
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Kernel for PfkeyTrace {
    fn backend(&self) -> Backend {
        self.inner.backend()
    }

    fn apply(&mut self, ops: &[Op]) -> Vec<Result<(), KernelError>> {
        let results = self.inner.apply(ops);
        let now = unix_now();
        for (op, result) in ops.iter().zip(&results) {
            let req = self.stamp(request::op_message(op, 0, self.pid));
            let msg_type = req.as_ref().map_or(0, |m| m.header.msg_type);
            self.print(req.clone());
            let reply = match result {
                Ok(()) => self.op_reply(op, req.as_ref(), now),
                Err(e) => Some(self.error(req.as_ref(), msg_type, *e)),
            };
            self.print(reply);
        }
        results
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
        self.reserve_spi(&SpiRequest {
            src,
            dst,
            satype,
            mode: common::sa::Mode::Transport,
            reqid,
            min,
            max,
        })
    }

    fn reserve_spi(&mut self, req: &SpiRequest) -> Result<u32, KernelError> {
        let m = self.stamp(request::get_spi(req, 0, self.pid));
        self.print(m.clone());
        let result = self.inner.reserve_spi(req);
        let reply = match result {
            Ok(spi) => {
                let mut sa = Sa::new(req.src, req.dst, req.satype, spi);
                sa.mode = req.mode;
                sa.reqid = req.reqid;
                sa.state = SaState::Larval;
                let larval = sa_message(&sa, msg::GETSPI, false, false, false);
                self.reply(larval, msg::GETSPI)
            }
            Err(e) => Some(self.error(m.as_ref(), msg::GETSPI, e)),
        };
        self.print(reply);
        result
    }

    fn get_sa(&mut self, id: &SaId) -> Result<Dumped<Sa>, KernelError> {
        let m = self.stamp(request::sa_by_id(msg::GET, id, 0, self.pid));
        self.print(m.clone());
        let result = self.inner.get_sa(id);
        let reply = match &result {
            Ok(d) => self.dumped_sa(d, msg::GET),
            Err(e) => Some(self.error(m.as_ref(), msg::GET, *e)),
        };
        self.print(reply);
        result
    }

    fn dump_sa(&mut self, satype: Option<SaType>) -> Result<Vec<Dumped<Sa>>, KernelError> {
        let m = self.stamp(request::bare(msg::DUMP, satype, 0, self.pid));
        self.print(m.clone());
        let result = self.inner.dump_sa(satype);
        match &result {
            Ok(v) if !v.is_empty() => {
                for d in v {
                    let reply = self.dumped_sa(d, msg::DUMP);
                    self.print(reply);
                }
            }
            // Linux answers an empty dump with ENOENT.
            Ok(_) => {
                let e = self.error(m.as_ref(), msg::DUMP, KernelError::new(ENOENT));
                self.print(Some(e));
            }
            Err(e) => {
                let e = self.error(m.as_ref(), msg::DUMP, *e);
                self.print(Some(e));
            }
        }
        result
    }

    fn dump_policy(&mut self, per_socket: bool) -> Result<Vec<Dumped<Policy>>, KernelError> {
        let m = self.stamp(request::bare(msg::X_SPDDUMP, None, 0, self.pid));
        self.print(m.clone());
        let result = self.inner.dump_policy(per_socket);
        match &result {
            Ok(v) if !v.is_empty() => {
                for d in v {
                    let reply = self.dumped_policy(d);
                    self.print(reply);
                }
            }
            Ok(_) => {
                let e = self.error(m.as_ref(), msg::X_SPDDUMP, KernelError::new(ENOENT));
                self.print(Some(e));
            }
            Err(e) => {
                let e = self.error(m.as_ref(), msg::X_SPDDUMP, *e);
                self.print(Some(e));
            }
        }
        result
    }

    fn subscribe(&mut self) -> Result<(), KernelError> {
        self.inner.subscribe()
    }

    fn next_event(&mut self, timeout: Option<Duration>) -> Result<Option<Event>, KernelError> {
        self.inner.next_event(timeout)
    }

    fn event_fd(&self) -> Option<std::os::fd::RawFd> {
        self.inner.event_fd()
    }
}

/// Linux's answer to a dump of an empty table.
const ENOENT: i32 = 2;

#[cfg(test)]
mod tests {
    use super::*;
    use common::kernel::memory::MemoryKernel;
    use std::cell::RefCell;
    use std::rc::Rc;

    fn traced() -> (PfkeyTrace, Rc<RefCell<String>>) {
        let text = Rc::new(RefCell::new(String::new()));
        let sink = Rc::clone(&text);
        let k = PfkeyTrace::new(
            Box::new(MemoryKernel::new()),
            Box::new(move |t: &str| sink.borrow_mut().push_str(t)),
        );
        (k, text)
    }

    fn blocks(text: &str) -> Vec<&str> {
        text.split_terminator("\n\n").collect()
    }

    fn esp(spi: u32) -> Sa {
        let mut sa = Sa::new(
            "10.0.0.1".parse().unwrap(),
            "10.0.0.2".parse().unwrap(),
            SaType::Esp,
            spi,
        );
        sa.enc = Some(common::sa::Keyed {
            alg: common::alg::find_setkey(common::alg::Class::Encrypt, "null").unwrap(),
            key: Vec::new(),
        });
        sa
    }

    #[test]
    fn each_change_prints_its_request_then_the_kernels_answer() {
        let (mut k, text) = traced();
        let results = k.apply(&[Op::AddSa(esp(0x100)), Op::AddSa(esp(0x100))]);
        assert_eq!(results[1], Err(KernelError::new(17)));
        let text = text.borrow();
        let b = blocks(&text);
        assert_eq!(b.len(), 4, "{text}");
        let pid = std::process::id();
        let ok = "sadb_msg{ version=2 type=3 errno=0 satype=3\n  len=";
        // The request is the PF_KEY backend's ADD, with the original's seq 0.
        let request = request::add_sa(&esp(0x100), false, 0, pid).unwrap();
        assert_eq!(b[0], trace_text(&request.encode().unwrap()).trim_end());
        assert!(b[0].starts_with(ok), "{}", b[0]);
        assert!(
            b[0].contains(&format!(" reserved=0 seq=0 pid={pid}\n")),
            "{}",
            b[0]
        );
        // The answer: af_key's ADD notification, with the SA's current lifetime.
        assert!(b[1].starts_with(ok), "{}", b[1]);
        assert!(b[1].contains("sadb_ext{ len=4 type=2 }"), "{}", b[1]);
        assert_eq!(b[2], b[0]);
        // A refusal: the bare header with the errno.
        assert_eq!(
            b[3],
            format!(
                "sadb_msg{{ version=2 type=3 errno=17 satype=3\n  len=2 reserved=0 seq=0 pid={pid}"
            )
        );
    }

    #[test]
    fn dumps_print_one_message_per_entry_or_enoent() {
        let (mut k, text) = traced();
        assert!(k.dump_policy(false).unwrap().is_empty());
        k.apply(&[Op::AddSa(esp(0x100)), Op::AddSa(esp(0x101))]);
        text.borrow_mut().clear();
        assert_eq!(k.dump_sa(None).unwrap().len(), 2);
        let text = text.borrow();
        let b = blocks(&text);
        assert_eq!(b.len(), 3, "{text}");
        assert!(b[0].starts_with("sadb_msg{ version=2 type=10 errno=0 satype=0\n  len=2 "));
        assert!(b[1].contains("sadb_sa{ spi=256 "), "{}", b[1]);
        assert!(b[2].contains("sadb_sa{ spi=257 "), "{}", b[2]);
    }

    #[test]
    fn getspi_answers_with_the_larval_sa_or_the_errno() {
        let (mut k, text) = traced();
        let req = SpiRequest {
            src: "10.0.0.1".parse().unwrap(),
            dst: "10.0.0.2".parse().unwrap(),
            satype: SaType::Esp,
            mode: common::sa::Mode::Tunnel,
            reqid: 9,
            min: 0x1234,
            max: 0x1234,
        };
        assert_eq!(k.reserve_spi(&req), Ok(0x1234));
        assert_eq!(k.reserve_spi(&req), Err(KernelError::new(2)));
        let text = text.borrow();
        let b = blocks(&text);
        assert_eq!(b.len(), 4, "{text}");
        assert!(b[0].starts_with("sadb_msg{ version=2 type=1 errno=0 satype=3"));
        assert!(
            b[1].contains("sadb_sa{ spi=4660 replay=0 state=0"),
            "{}",
            b[1]
        );
        assert!(b[1].contains("sadb_x_sa2{ mode=2 reqid=9"), "{}", b[1]);
        assert!(b[3].starts_with("sadb_msg{ version=2 type=1 errno=2 satype=3\n  len=2 "));
    }
}
