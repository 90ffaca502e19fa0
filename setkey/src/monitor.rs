//! Printing kernel messages: `setkey -x` (the original's `promisc()`) and file operands
//! (`fileproc()` and `postproc()`).
//!
//! `-x` prints, for every message, the time (`printdate()`: `HH:MM:SS.uuuuuu ` in local
//! time with one `-x`, `SECONDS.uuuuuu ` with more, then a newline), with `-H` the raw
//! message in hex, then its `kdebug_sadb()` text and an empty line, and flushes, so that
//! `setkey -x | grep` sees each message as it comes. It runs until a signal kills it,
//! as the original does.
//!
//! On the PF_KEY backend the messages are the kernel's own, received on a promiscuous
//! socket, so the text is the original's. On the XFRM backend (kernels without AF_KEY)
//! each XFRM notification is re-encoded as the PF_KEY message Linux's af_key would
//! have broadcast for the same change ([`pfkey_equivalent`]), in its extension order,
//! so scripts read the same text. What cannot be identical there:
//! - `sadb_msg_seq` and `sadb_msg_pid` are 0 (the XFRM event carries the netlink
//!   request's numbers, not the PF_KEY ones), except an ACQUIRE's seq, which is XFRM's
//!   own acquire sequence number;
//! - an ACQUIRE's proposal is always empty (`sadb_prop{ replay=32` and no
//!   `sadb_comb`): af_key lists there the algorithms the kernel has loaded and the
//!   policy allows, which XFRM does not send (in the lab, with nothing registered
//!   through PF_KEY, af_key's list is empty too);
//! - a DELETE carries only the SA's SPI and addresses, and SPD messages no reference
//!   count (`reserved=0`);
//! - af_key adds an `SADB_EXT_ADDRESS_PROXY` (type 7) to SA messages whose XFRM
//!   selector source differs from the SA's source (an SA installed through PF_KEY has
//!   an empty selector, so its ADD shows `proto=255 prefixlen=0` and `00000000`); the
//!   SA model has no selector, so the re-encoded message never has one;
//! - a PF_KEY promiscuous socket also sees the requests other programs send, and every
//!   change notification twice (Linux's `pfkey_broadcast` sends promiscuous sockets a
//!   copy of each message on top of the one they get as any socket); XFRM reports each
//!   change once and never the requests;
//! - an SA the PF_KEY message format cannot describe (AES-GCM, for one) is printed as
//!   a one-line note after the time.

use std::ffi::OsString;
use std::io::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::dump::{self, Clock, DumpOptions, SystemClock};
use common::kernel::{self, Backend, Event, Kernel};
use common::pfkey::consts::{msg, policy as ptype, sastate, satype};
use common::pfkey::reply::{dumped, policy_from_message, sa_from_message};
use common::pfkey::request;
use common::pfkey::{
    hexdump, kdebug, kdebug_bytes, Extension, Header, LifetimeExt, Message, PfkeyKernel, PolicyExt,
    ProposalExt, Subscription,
};
use common::sa::{Lifetime, Sa};
use common::xfrm::XfrmKernel;

/// The original's receive buffer: a longer file is read only this far.
const FILE_BUFFER: usize = 32 * 1024;

/// `printdate()`: how many `-x` were given (1: local time of day, more: seconds since
/// the epoch), and the time.
pub fn date_line(tflag: u32, now: SystemTime, clock: &dyn Clock) -> String {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    let (secs, usecs) = (since.as_secs(), since.subsec_micros());
    let stamp = match tflag {
        0 => String::new(),
        1 => {
            let t = clock.local(i64::try_from(secs).unwrap_or(i64::MAX));
            let (h, m, s) = t.map_or((0, 0, 0), |t| (t.hour, t.minute, t.second));
            format!("{h:02}:{m:02}:{s:02}.{usecs:06} ")
        }
        // The original casts the seconds to 32 bits.
        _ => format!("{}.{usecs:06} ", secs as u32),
    };
    stamp + "\n"
}

/// What `-x` prints for one message as received: the date line, the hex dump with
/// `-H`, and the message's text with an empty line after it (nothing for a bare
/// `SADB_X_PROMISC`).
pub fn message_block(date: &str, hex: bool, bytes: &[u8]) -> String {
    let mut out = date.to_owned();
    if hex {
        out.push_str(&hexdump(bytes));
    }
    if let Some(text) = kdebug_bytes(bytes) {
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// `setkey -x`: opens the backend `choice` resolves to and prints every message until
/// killed. Returns only on an error (or when stdout is closed: exit status 0).
pub fn run(choice: Backend, tflag: u32, hex: bool, out: &mut dyn Write) -> Result<u8, String> {
    let clock = SystemClock;
    let date = || date_line(tflag, SystemTime::now(), &clock);
    let emit = |out: &mut dyn Write, text: &str| -> io::Result<()> {
        out.write_all(text.as_bytes())?;
        out.flush()
    };
    let result = match kernel::resolve_backend(choice) {
        Backend::Pfkey => {
            let mut k = PfkeyKernel::open().map_err(|e| format!("pfkey_open: {e}"))?;
            k.subscribe_with(Subscription::Promisc)
                .map_err(|e| format!("send: {e}"))?;
            // The kernel echoes our SADB_X_PROMISC (the backend keeps it from us): the
            // original prints its date line, and its bytes with -H.
            let echo = request::promisc(true, 0, k.pid())
                .encode()
                .unwrap_or_default();
            (|| -> io::Result<Result<u8, String>> {
                emit(out, &message_block(&date(), hex, &echo))?;
                loop {
                    match k.next_raw_event(None) {
                        Ok(Some(ev)) => emit(out, &message_block(&date(), hex, &ev.bytes))?,
                        Ok(None) => {}
                        Err(e) => return Ok(Err(format!("recv: {e}"))),
                    }
                }
            })()
        }
        _ => {
            let mut k = XfrmKernel::open().map_err(|e| format!("XFRM netlink socket: {e}"))?;
            k.subscribe()
                .map_err(|e| format!("XFRM netlink socket: {e}"))?;
            let echo = request::promisc(true, 0, std::process::id())
                .encode()
                .unwrap_or_default();
            (|| -> io::Result<Result<u8, String>> {
                emit(out, &message_block(&date(), hex, &echo))?;
                loop {
                    let ev = match k.next_event(None) {
                        Ok(Some(ev)) => ev,
                        Ok(None) => continue,
                        Err(e) => return Ok(Err(format!("recv: {e}"))),
                    };
                    let text = match pfkey_equivalent(&ev).and_then(|m| m.encode().ok()) {
                        Some(bytes) => message_block(&date(), hex, &bytes),
                        None => format!("{}{}\n\n", date(), no_equivalent(&ev)),
                    };
                    emit(out, &text)?;
                }
            })()
        }
    };
    match result {
        Ok(r) => r,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(e.to_string()),
    }
}

fn no_equivalent(ev: &Event) -> String {
    let what = match ev {
        Event::Other { kind } => kind.clone(),
        Event::SaAdded(_) | Event::SaUpdated(_) => "SA change".to_owned(),
        Event::Expire { .. } => "SA expire".to_owned(),
        _ => "event".to_owned(),
    };
    format!("XFRM {what}: no PF_KEY form")
}

fn lifetime_ext(l: &Lifetime) -> LifetimeExt {
    LifetimeExt {
        allocations: l.allocations,
        bytes: l.bytes,
        addtime: l.addtime,
        usetime: l.usetime,
    }
}

/// The extension of `m` with type `t`, if any.
fn take(m: &Message, t: u16) -> Option<Extension> {
    m.find(t).cloned()
}

/// SA end points as af_key writes them: upper-layer protocol 0.
fn sa_end(e: Option<Extension>) -> Option<Extension> {
    e.map(|e| match e {
        Extension::AddressSrc(mut a) => {
            a.proto = 0;
            Extension::AddressSrc(a)
        }
        Extension::AddressDst(mut a) => {
            a.proto = 0;
            Extension::AddressDst(a)
        }
        other => other,
    })
}

/// An SA as af_key's `pfkey_xfrm_state2msg` lays it out: SA, hard, soft and current
/// lifetimes, addresses, keys (unless `keys` is false), SA2, NAT-T.
pub(crate) fn sa_message(
    sa: &Sa,
    msg_type: u8,
    keys: bool,
    hard: bool,
    soft: bool,
) -> Option<Message> {
    use common::pfkey::consts::ext as x;
    let built = request::add_sa(sa, false, 0, 0).ok()?;
    let mut m = Message::new(Header::new(msg_type, built.header.satype, 0, 0));
    let mut push = |e: Option<Extension>| {
        if let Some(e) = e {
            m.extensions.push(e);
        }
    };
    push(take(&built, x::SA));
    if hard {
        push(take(&built, x::LIFETIME_HARD));
    }
    if soft {
        push(take(&built, x::LIFETIME_SOFT));
    }
    let current = sa.current.unwrap_or_default();
    push(Some(Extension::LifetimeCurrent(lifetime_ext(&current))));
    push(sa_end(take(&built, x::ADDRESS_SRC)));
    push(sa_end(take(&built, x::ADDRESS_DST)));
    if keys {
        push(take(&built, x::KEY_AUTH));
        push(take(&built, x::KEY_ENCRYPT));
    }
    push(take(&built, x::X_SA2));
    for t in [
        x::X_NAT_T_TYPE,
        x::X_NAT_T_SPORT,
        x::X_NAT_T_DPORT,
        x::X_NAT_T_OA,
    ] {
        push(sa_end(take(&built, t)));
    }
    push(take(&built, x::X_SEC_CTX));
    Some(m)
}

/// The PF_KEY message Linux's af_key broadcasts for the change an XFRM event reports
/// (see the module documentation for what differs); `None` where PF_KEY has no form
/// for it.
pub fn pfkey_equivalent(ev: &Event) -> Option<Message> {
    use common::pfkey::consts::ext as x;
    match ev {
        Event::SaAdded(sa) => sa_message(sa, msg::ADD, true, true, true),
        Event::SaUpdated(sa) => sa_message(sa, msg::UPDATE, true, true, true),
        Event::Expire { sa, hard } => {
            let mut m = sa_message(sa, msg::EXPIRE, false, *hard, !*hard)?;
            if let Some(Extension::Sa(s)) = m.extensions.first_mut() {
                s.state = if *hard { sastate::DEAD } else { sastate::DYING };
            }
            Some(m)
        }
        Event::SaDeleted(id) => {
            let mut m = request::sa_by_id(msg::DELETE, id, 0, 0).ok()?;
            for e in &mut m.extensions {
                *e = sa_end(Some(e.clone()))?;
            }
            Some(m)
        }
        Event::SaFlushed(t) => request::bare(msg::FLUSH, *t, 0, 0).ok(),
        Event::PolicyAdded(p) | Event::PolicyUpdated(p) | Event::PolicyDeleted(p) => {
            let msg_type = match ev {
                Event::PolicyAdded(_) => msg::X_SPDADD,
                Event::PolicyUpdated(_) => msg::X_SPDUPDATE,
                _ => msg::X_SPDDELETE,
            };
            let built = request::add_policy(p, false, 0, 0).ok()?;
            let mut m = Message::new(Header::new(msg_type, satype::UNSPEC, 0, 0));
            m.extensions.extend(take(&built, x::ADDRESS_SRC));
            m.extensions.extend(take(&built, x::ADDRESS_DST));
            m.extensions
                .push(Extension::LifetimeHard(lifetime_ext(&p.hard)));
            m.extensions
                .push(Extension::LifetimeSoft(lifetime_ext(&p.soft)));
            m.extensions.push(Extension::LifetimeCurrent(lifetime_ext(
                &p.current.unwrap_or_default(),
            )));
            m.extensions.extend(take(&built, x::X_POLICY));
            m.extensions.extend(take(&built, x::X_SEC_CTX));
            Some(m)
        }
        Event::PolicyFlushed => request::bare(msg::X_SPDFLUSH, None, 0, 0).ok(),
        Event::Acquire {
            src,
            dst,
            satype: t,
            policy,
            seq,
            ..
        } => {
            let ids = request::sa_by_id(
                msg::ACQUIRE,
                &common::sa::SaId {
                    src: *src,
                    dst: *dst,
                    satype: *t,
                    spi: 0,
                },
                *seq,
                0,
            )
            .ok()?;
            let mut m = Message::new(ids.header);
            m.extensions.extend(sa_end(take(&ids, x::ADDRESS_SRC)));
            m.extensions.extend(sa_end(take(&ids, x::ADDRESS_DST)));
            m.extensions.push(Extension::Policy(PolicyExt {
                policy_type: ptype::IPSEC,
                // af_key always says outbound here.
                dir: common::pfkey::consts::dir::OUTBOUND,
                id: policy.id,
                priority: policy.priority,
                requests: Vec::new(),
            }));
            if *t != common::sa::SaType::IpComp {
                m.extensions.push(Extension::Proposal(ProposalExt {
                    replay: 32,
                    combs: Vec::new(),
                }));
            }
            Some(m)
        }
        Event::Other { .. } => None,
    }
}

/// `setkey FILE...`: each file of raw PF_KEY messages printed as the original's
/// `fileproc()` prints it: `-D` / `-DP` text for GET, DUMP, SPDGET and SPDDUMP
/// messages, the error text for messages with an errno, nothing for the rest. A file
/// that cannot be read, or is shorter than a message header, ends setkey with status 1
/// after the files before it were printed.
pub fn print_files(
    name: &str,
    files: &[OsString],
    opts: &DumpOptions<'_>,
    verbose: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    for file in files {
        let shown = file.to_string_lossy();
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                let full = e.to_string();
                let text = full.split(" (os error").next().unwrap_or(&full);
                writeln!(err, "{name}: {shown}: {text}")?;
                return Ok(1);
            }
        };
        let bytes = &bytes[..bytes.len().min(FILE_BUFFER)];
        if bytes.len() < common::pfkey::HEADER_LEN {
            writeln!(err, "{name}: {shown}: Invalid argument")?;
            return Ok(1);
        }
        out.write_all(postproc_all(bytes, opts, verbose).as_bytes())?;
    }
    Ok(0)
}

/// The text of every message in `bytes`, back to back, as `postproc()` prints each.
pub fn postproc_all(bytes: &[u8], opts: &DumpOptions<'_>, verbose: bool) -> String {
    let mut text = String::new();
    let mut at = 0;
    while at + common::pfkey::HEADER_LEN <= bytes.len() {
        let units = u16::from_ne_bytes([bytes[at + 4], bytes[at + 5]]);
        let len = usize::from(units) * 8;
        // The original loops forever on a zero length and reads past the end of a
        // truncated message; we stop.
        let Some(one) = bytes.get(at..at + len).filter(|_| len > 0) else {
            break;
        };
        let next = bytes.get(at + len..).filter(|rest| !rest.is_empty());
        postproc(&mut text, one, opts, verbose, next);
        at += len;
    }
    text
}

fn postproc(
    text: &mut String,
    bytes: &[u8],
    opts: &DumpOptions<'_>,
    verbose: bool,
    next: Option<&[u8]>,
) {
    let (msg_type, errno) = (bytes[1], bytes[2]);
    if errno != 0 {
        let enoent = 2;
        let errmsg = if errno == enoent {
            match msg_type {
                msg::DELETE | msg::GET | msg::X_SPDDELETE => "No entry".to_owned(),
                msg::DUMP => "No SAD entries".to_owned(),
                msg::X_SPDDUMP => "No SPD entries".to_owned(),
                // printf("%s", NULL) in glibc.
                _ => "(null)".to_owned(),
            }
        } else {
            common::kernel::KernelError::new(i32::from(errno)).to_string()
        };
        text.push_str(&errmsg);
        text.push_str(".\n");
        return;
    }
    let Ok(m) = Message::decode(bytes) else {
        return;
    };
    match msg_type {
        msg::GET | msg::DUMP => {
            if msg_type == msg::DUMP
                && !opts.show_dead
                && m.sa().is_some_and(|s| s.state == sastate::DEAD)
            {
                return;
            }
            if let Ok(sa) = sa_from_message(&m) {
                let _ = dump::sa(text, &dumped(&m, sa), opts);
            }
            // The original then prints, under -v, what follows this message.
            if msg_type == msg::DUMP && verbose {
                if let Some(t) = next.and_then(|n| {
                    let units = usize::from(u16::from_ne_bytes([*n.get(4)?, *n.get(5)?]));
                    kdebug_bytes(n.get(..units * 8)?)
                }) {
                    text.push_str(&t);
                    text.push('\n');
                }
            }
        }
        msg::X_SPDGET | msg::X_SPDDUMP => {
            if let Ok(p) = policy_from_message(&m) {
                let _ = dump::policy(text, &dumped(&m, p), opts);
            }
        }
        _ => {}
    }
}

/// `-v` on the PF_KEY backend: every message sent to and received from the kernel,
/// as `kdebug_sadb()` prints it, with an empty line after each.
pub fn trace_text(bytes: &[u8]) -> String {
    match Message::decode(bytes) {
        Ok(m) => kdebug(&m) + "\n",
        Err(_) => kdebug_bytes(bytes).map(|t| t + "\n").unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use common::dump::FixedClock;

    #[test]
    fn date_lines() {
        let clock = FixedClock::utc(0);
        let t = UNIX_EPOCH + Duration::new(1_700_000_123, 4_560_000);
        assert_eq!(date_line(1, t, &clock), "22:15:23.004560 \n");
        assert_eq!(date_line(2, t, &clock), "1700000123.004560 \n");
    }
}
