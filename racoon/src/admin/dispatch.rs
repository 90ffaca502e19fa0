//! One request to its reply (admin.c's admin_process): what each command does to the
//! engine or the kernel, and which events the connection then receives.

use super::{sadump, status, KernelSlot};
use crate::conf::LogLevel;
use crate::engine::admin::{Handle, Refused};
use crate::engine::Engine;
use common::addr::Selector;
use common::admin::{Body, Command, Ph1Dump, Proto, Reply, Request, SchedDump, STATUS_FORMAT_JSON};
use common::kernel::Op;
use common::sa::SaType;
use std::net::SocketAddr;
use std::time::Instant;

const ENOENT: i16 = 2;
const EEXIST: i16 = 17;
const EINVAL: i16 = 22;
/// ENOTSUP / EOPNOTSUPP on Linux.
const ENOTSUP: i16 = 95;
/// What racoon answers for a failure without an errno of its own.
const FAILED: i16 = -1;

/// Which events a connection receives after the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Ph1(u64),
    Ph2(u64),
}

#[derive(Debug)]
pub struct Outcome {
    pub reply: Reply,
    pub subscribe: Option<Scope>,
    /// reload-config: the daemon reloads as on SIGHUP.
    pub reload: bool,
}

/// Where dispatch reads and changes things.
pub struct Context<'a> {
    pub engine: &'a mut Engine,
    /// The admin server's own kernel handle, opened on first use.
    pub kernel: &'a mut KernelSlot,
    pub log: &'a mut dyn FnMut(LogLevel, String),
    pub now: Instant,
    /// Seconds since the epoch at `now`.
    pub wall: i64,
}

fn satype_of(p: Proto) -> Option<SaType> {
    match p {
        Proto::Ah => Some(SaType::Ah),
        Proto::Esp => Some(SaType::Esp),
        _ => None,
    }
}

pub fn dispatch(req: &Request, cx: &mut Context<'_>) -> Outcome {
    let mut out = Outcome {
        reply: Reply {
            cmd: req.cmd,
            proto: req.proto,
            errno: 0,
            payload: Vec::new(),
        },
        subscribe: None,
        reload: false,
    };
    let proto = Proto::from_code(req.proto);
    let Some(cmd) = req.command() else {
        (cx.log)(LogLevel::Error, format!("invalid command: {}", req.cmd));
        out.reply.errno = ENOTSUP;
        return out;
    };
    let body = match req.body() {
        Ok(b) => b,
        Err(e) => {
            (cx.log)(LogLevel::Error, format!("malformed admin command: {e}"));
            out.reply.errno = EINVAL;
            return out;
        }
    };
    let wants_events = req.version >= 1;
    match cmd {
        Command::ReloadConf => out.reload = true,
        Command::ShowSched => out.reply.payload = schedule(cx),
        Command::ShowEvt => {
            if wants_events {
                out.subscribe = Some(Scope::All);
            }
        }
        Command::ShowSa => {
            match proto {
                Some(Proto::Isakmp) => out.reply.payload = ph1_dump(cx),
                Some(p @ (Proto::Ipsec | Proto::Ah | Proto::Esp)) => {
                    let t = satype_of(p);
                    match cx
                        .kernel
                        .get()
                        .and_then(|k| k.dump_sa(t).map_err(|e| e.to_string()))
                    {
                        Ok(entries) => {
                            let (bytes, skipped) = sadump::messages(&entries, t);
                            if skipped > 0 {
                                (cx.log)(
                                LogLevel::Warning,
                                format!("show-sa: {skipped} SAs have no PF_KEY form and are not shown"),
                            );
                            }
                            out.reply.payload = bytes;
                        }
                        Err(e) => {
                            (cx.log)(LogLevel::Error, format!("show-sa: {e}"));
                            out.reply.errno = FAILED;
                        }
                    }
                }
                _ => out.reply.errno = ENOTSUP,
            }
        }
        Command::FlushSa => match proto {
            Some(Proto::Isakmp) => cx.engine.admin_flush_ph1(cx.now),
            Some(p @ (Proto::Ipsec | Proto::Ah | Proto::Esp)) => {
                let t = satype_of(p);
                let result = cx.kernel.get().map(|k| k.apply(&[Op::FlushSa(t)]));
                match result.as_ref().map(|r| r.first().copied()) {
                    Ok(Some(Err(e))) => {
                        (cx.log)(LogLevel::Error, format!("pfkey FLUSH failed: {e}"))
                    }
                    Err(e) => (cx.log)(LogLevel::Error, format!("pfkey FLUSH failed: {e}")),
                    _ => {}
                }
                cx.engine.admin_forget_ph2(cx.now, t);
            }
            _ => out.reply.errno = ENOTSUP,
        },
        Command::Status | Command::StatusVerbose => {
            let verbose = cmd == Command::StatusVerbose;
            let (p1, p2) = (cx.engine.admin_ph1s(), cx.engine.admin_ph2s());
            let text = if req.proto == STATUS_FORMAT_JSON {
                status::json(&p1, &p2, verbose, cx.wall)
            } else {
                status::text(&p1, &p2, verbose, cx.wall)
            };
            out.reply.payload = text.into_bytes();
        }
        Command::DeleteSa => {
            let Body::Indexes { indexes, .. } = body else {
                out.reply.errno = EINVAL;
                return out;
            };
            let (Some(src), Some(dst)) = (indexes.src, indexes.dst) else {
                out.reply.errno = EINVAL;
                return out;
            };
            (cx.log)(
                LogLevel::Info,
                format!("admin delete-sa {} {}", saddr(src), saddr(dst)),
            );
            match proto {
                Some(Proto::Isakmp) => {
                    cx.engine.admin_delete_ph1(cx.now, Some(src.ip()), dst.ip());
                }
                Some(p @ (Proto::Ah | Proto::Esp)) => {
                    let (s, d) = selectors(src, indexes.prefs, dst, indexes.prefd);
                    if let Some(t) = satype_of(p) {
                        cx.engine.admin_delete_ph2(cx.now, &s, &d, t);
                    }
                }
                _ => out.reply.errno = ENOTSUP,
            }
        }
        Command::DeleteAllSaDst => {
            let Body::Indexes { indexes, .. } = body else {
                out.reply.errno = EINVAL;
                return out;
            };
            let Some(dst) = indexes.dst else {
                out.reply.errno = EINVAL;
                return out;
            };
            (cx.log)(
                LogLevel::Info,
                format!("Flushing all SAs for peer {}", dst.ip()),
            );
            if cx.engine.admin_delete_ph1(cx.now, None, dst.ip()) > 0 && wants_events {
                out.subscribe = Some(Scope::All);
            }
        }
        Command::EstablishSa | Command::EstablishSaPsk => {
            if cmd == Command::EstablishSaPsk {
                (cx.log)(
                    LogLevel::Error,
                    "establish-sa -u: XAuth is not supported by this racoon".to_owned(),
                );
                out.reply.errno = ENOTSUP;
                return out;
            }
            let Body::Indexes {
                indexes,
                remote_name,
            } = body
            else {
                out.reply.errno = EINVAL;
                return out;
            };
            let (Some(src), Some(dst)) = (indexes.src, indexes.dst) else {
                out.reply.errno = EINVAL;
                return out;
            };
            let result = match proto {
                Some(Proto::Isakmp) => cx.engine.admin_establish_ph1(
                    cx.now,
                    Some(src.ip()),
                    dst.ip(),
                    remote_name.as_deref(),
                ),
                Some(p @ (Proto::Ah | Proto::Esp)) => {
                    let (s, d) = selectors(src, indexes.prefs, dst, indexes.prefd);
                    match satype_of(p) {
                        Some(t) => {
                            cx.engine
                                .admin_establish_ph2(cx.now, &s, &d, indexes.ul_proto, t)
                        }
                        None => Err(Refused::Failed),
                    }
                }
                _ => {
                    out.reply.errno = ENOTSUP;
                    return out;
                }
            };
            match result {
                Ok(Handle::Ph1(id)) if wants_events => out.subscribe = Some(Scope::Ph1(id)),
                Ok(Handle::Ph2(id)) if wants_events => out.subscribe = Some(Scope::Ph2(id)),
                Ok(_) => {}
                Err(Refused::Exists) => out.reply.errno = EEXIST,
                Err(Refused::NoPolicy) => out.reply.errno = ENOENT,
                Err(Refused::Failed) => out.reply.errno = FAILED,
            }
        }
        Command::LogoutUser => {
            (cx.log)(
                LogLevel::Error,
                "logout-user: XAuth is not supported by this racoon".to_owned(),
            );
            out.reply.errno = ENOTSUP;
        }
        Command::GetSaCert => {
            let Body::Indexes { indexes, .. } = body else {
                out.reply.errno = EINVAL;
                return out;
            };
            let found = cx.engine.admin_ph1s().iter().any(|p| {
                Some(p.remote.ip()) == indexes.dst.map(|a| a.ip())
                    && Some(p.local.ip()) == indexes.src.map(|a| a.ip())
            });
            if proto != Some(Proto::Isakmp) {
                out.reply.errno = ENOTSUP;
            } else if !found {
                out.reply.errno = ENOENT;
            } else {
                (cx.log)(
                    LogLevel::Error,
                    "get-cert: certificate authentication is not supported by this racoon"
                        .to_owned(),
                );
                out.reply.errno = ENOTSUP;
            }
        }
    }
    out
}

/// `addr[port]`, as racoon's saddr2str.
fn saddr(a: SocketAddr) -> String {
    format!("{}[{}]", a.ip(), a.port())
}

fn selectors(src: SocketAddr, prefs: u8, dst: SocketAddr, prefd: u8) -> (Selector, Selector) {
    let sel = |a: SocketAddr, plen: u8| {
        let max = if a.is_ipv4() { 32 } else { 128 };
        let port = (a.port() != 0).then(|| a.port().into());
        Selector::new(a.ip(), plen.min(max), port).unwrap_or_else(|_| Selector::host(a.ip()))
    };
    (sel(src, prefs), sel(dst, prefd))
}

/// show-sa isakmp: one `ph1dump` per handle.
fn ph1_dump(cx: &Context<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    for p in cx.engine.admin_ph1s() {
        let created = p.established_at.map_or(0, |at| {
            let ago = cx.now.saturating_duration_since(at);
            cx.wall - i64::try_from(ago.as_secs()).unwrap_or(0)
        });
        let d = Ph1Dump {
            icookie: p.icookie,
            rcookie: p.rcookie,
            status: p.status,
            side: if p.initiator { 0 } else { 1 },
            remote: Some(p.remote),
            local: Some(p.local),
            version: 0x10,
            etype: p.exchange,
            created,
            ph2cnt: i32::try_from(p.ph2_count).unwrap_or(i32::MAX),
        };
        out.extend_from_slice(&d.encode());
    }
    out
}

/// show-schedule: the engine's timers, one `scheddump` each: when it fires (`xtime`),
/// which handle it belongs to (`id`), when it was read (`created`) and the seconds
/// left (`tick`).
fn schedule(cx: &Context<'_>) -> Vec<u8> {
    let secs = |at: Instant| {
        i64::try_from(at.saturating_duration_since(cx.now).as_secs()).unwrap_or(i64::MAX)
    };
    let ph1 = cx
        .engine
        .admin_ph1s()
        .into_iter()
        .flat_map(|p| p.timers.into_iter().map(move |t| (p.id, t.1)));
    let ph2 = cx
        .engine
        .admin_ph2s()
        .into_iter()
        .flat_map(|p| p.timers.into_iter().map(move |t| (p.id, t.1)));
    let mut all: Vec<(u64, Instant)> = ph1.chain(ph2).collect();
    all.sort_by_key(|&(_, at)| at);
    all.into_iter()
        .flat_map(|(id, at)| {
            let tick = secs(at);
            SchedDump {
                xtime: cx.wall.saturating_add(tick),
                id: i64::try_from(id).unwrap_or(i64::MAX),
                created: cx.wall,
                tick,
            }
            .encode()
        })
        .collect()
}
