//! Each command's arguments into the request racoonctl sends, and what it then waits
//! for: the original's `f_*` functions.

use crate::cli::Command as Cli;
use crate::fail::{Fail, EPROTONOSUPPORT};
use crate::saopts;
use common::admin::{evt, Command, Indexes, Proto, Psk, Request};
use std::net::{IpAddr, SocketAddr, UdpSocket};

/// When racoonctl stops reading (`evt_quit_event`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// After the reply.
    Reply,
    /// Never: show-event prints every event until the connection ends.
    Forever,
    /// After the reply and then the first event of this type, which it prints.
    Event(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    pub request: Request,
    pub wait: Wait,
    /// `warnx` lines (printed, not fatal).
    pub warnings: Vec<String>,
}

/// What building a request may need from outside: the XAuth password prompt and the
/// source address towards a VPN gateway. Tests substitute both.
pub trait Environment {
    fn password(&mut self) -> Result<String, Fail>;
    fn source_for(&mut self, gateway: &str) -> Result<IpAddr, Fail>;
}

/// `IDTYPE_USERFQDN` of racoon's remoteconf.h: how establish-sa -u names the user.
const IDTYPE_USERFQDN: i32 = 1;
/// `LOGINLEN` of isakmp_xauth.h.
const LOGINLEN: usize = 31;

pub fn build(cmd: Cli, args: &[String], env: &mut dyn Environment) -> Result<Built, Fail> {
    let plain = |c: Command, proto: u16, wait: Wait| Built {
        request: Request::new(c, proto, Vec::new()),
        wait,
        warnings: Vec::new(),
    };
    match cmd {
        Cli::ReloadConfig => Ok(plain(Command::ReloadConf, 0, Wait::Reply)),
        Cli::ShowSchedule => Ok(plain(Command::ShowSched, 0, Wait::Reply)),
        Cli::ShowEvent => {
            if !args.is_empty() {
                return Err(Fail::usage("too many arguments"));
            }
            Ok(plain(Command::ShowEvt, 0, Wait::Forever))
        }
        Cli::ShowSa | Cli::FlushSa => {
            if args.len() != 1 {
                return Err(Fail::usage("insufficient arguments"));
            }
            let proto = proto_word(&args[0])?;
            let c = if cmd == Cli::ShowSa {
                Command::ShowSa
            } else {
                Command::FlushSa
            };
            Ok(plain(c, proto.code(), Wait::Reply))
        }
        Cli::GetCert => {
            let idx = saopts::index(args)?;
            Ok(Built {
                request: Request::new(Command::GetSaCert, Proto::Isakmp.code(), idx.encode()),
                wait: Wait::Reply,
                warnings: Vec::new(),
            })
        }
        Cli::DeleteSa => {
            let Some(first) = args.first() else {
                return Err(Fail::usage("insufficient arguments"));
            };
            let proto = proto_word(first)?;
            if !matches!(proto, Proto::Isakmp | Proto::Ah | Proto::Esp) {
                return Err(Fail::errno(EPROTONOSUPPORT));
            }
            let idx = saopts::index(&args[1..])?;
            Ok(Built {
                request: Request::new(Command::DeleteSa, proto.code(), idx.encode()),
                wait: Wait::Reply,
                warnings: Vec::new(),
            })
        }
        Cli::EstablishSa => establish(args, Wait::Reply, Vec::new(), env),
        Cli::VpnConnect => vpn_connect(args, env),
        Cli::VpnDisconnect => {
            let Some(gw) = args.first() else {
                return Err(Fail::usage("VPN gateway required"));
            };
            let warnings = extra(args);
            let (proto, idx) = proto_and_index(&words(&["isakmp", "inet", "0.0.0.0", gw]))?;
            Ok(Built {
                request: Request::new(Command::DeleteAllSaDst, proto.code(), idx.encode()),
                wait: Wait::Event(evt::PHASE1_DOWN),
                warnings,
            })
        }
        Cli::LogoutUser => {
            let Some(user) = args.first() else {
                return Err(Fail::usage("insufficient arguments"));
            };
            if user.len() > LOGINLEN {
                return Err(Fail::usage("bad login (too long?)"));
            }
            let mut payload = user.as_bytes().to_vec();
            payload.push(0);
            Ok(Built {
                request: Request::new(Command::LogoutUser, 0, payload),
                wait: Wait::Reply,
                warnings: Vec::new(),
            })
        }
        Cli::Status => status(args),
    }
}

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| (*s).to_owned()).collect()
}

fn extra(args: &[String]) -> Vec<String> {
    if args.len() > 1 {
        vec!["Extra arguments".to_owned()]
    } else {
        Vec::new()
    }
}

fn proto_word(word: &str) -> Result<Proto, Fail> {
    Proto::from_name(word).ok_or_else(|| Fail::usage(format!("unknown protocol {word}")))
}

/// `get_proto_and_index`.
fn proto_and_index(args: &[String]) -> Result<(Proto, Indexes), Fail> {
    let Some(first) = args.first() else {
        return Err(Fail::usage("insufficient arguments"));
    };
    let proto = proto_word(first)?;
    match proto {
        Proto::Isakmp | Proto::Ah | Proto::Esp => Ok((proto, saopts::index(&args[1..])?)),
        _ => Err(Fail::errno(EPROTONOSUPPORT)),
    }
}

/// `f_exchangesa`: `[-u identity] [-n remoteconf] [-w] saopts`, options in that order.
fn establish(
    args: &[String],
    mut wait: Wait,
    warnings: Vec<String>,
    env: &mut dyn Environment,
) -> Result<Built, Fail> {
    if args.is_empty() {
        return Err(Fail::usage("insufficient arguments"));
    }
    let mut rest = args;
    let mut user = None;
    if rest[0] == "-u" {
        let Some(id) = rest.get(1) else {
            return Err(Fail::usage("-u require an argument"));
        };
        user = Some((id.clone(), env.password()?));
        rest = &rest[2..];
    }
    let mut remote_name = None;
    if rest.len() >= 2 && rest[0] == "-n" {
        remote_name = Some(rest[1].clone());
        rest = &rest[2..];
    }
    let mut wait_flag = false;
    if rest.first().is_some_and(|w| w == "-w") {
        wait_flag = true;
        rest = &rest[1..];
    }
    let (proto, idx) = proto_and_index(rest)?;
    if wait_flag {
        wait = match proto {
            Proto::Isakmp => Wait::Event(evt::PHASE1_MODE_CFG),
            _ => Wait::Event(evt::PHASE2_UP),
        };
    }
    let mut payload = idx.encode();
    let cmd = match (&user, &remote_name) {
        (Some((id, key)), _) => {
            payload.extend(
                Psk {
                    id_type: IDTYPE_USERFQDN,
                    id: id.clone(),
                    key: key.clone(),
                }
                .encode(),
            );
            Command::EstablishSaPsk
        }
        (None, Some(name)) if proto == Proto::Isakmp => {
            payload.extend_from_slice(name.as_bytes());
            payload.push(0);
            Command::EstablishSa
        }
        _ => Command::EstablishSa,
    };
    Ok(Built {
        request: Request::new(cmd, proto.code(), payload),
        wait,
        warnings,
    })
}

/// `f_vpnc`: an ISAKMP SA from our address towards the gateway; waits for it.
fn vpn_connect(args: &[String], env: &mut dyn Environment) -> Result<Built, Fail> {
    if args.is_empty() {
        return Err(Fail::usage("insufficient arguments"));
    }
    let mut nav: Vec<String> = Vec::new();
    let mut rest = args;
    if rest[0] == "-u" {
        if rest.len() < 2 {
            return Err(Fail::usage("-u require an argument"));
        }
        nav.extend_from_slice(&rest[..2]);
        rest = &rest[2..];
    }
    let Some(gw) = rest.first() else {
        return Err(Fail::usage("VPN gateway required"));
    };
    let warnings = extra(rest);
    let src = env.source_for(gw)?;
    nav.extend(words(&["isakmp", "inet", &src.to_string(), gw]));
    establish(&nav, Wait::Event(evt::PHASE1_MODE_CFG), warnings, env)
}

/// `status [-v|--verbose] [-f text|json | --format=text|json]`.
fn status(args: &[String]) -> Result<Built, Fail> {
    let mut verbose = false;
    let mut json = false;
    let mut i = 0;
    let format = |w: &str| match w {
        "text" => Ok(false),
        "json" => Ok(true),
        other => Err(Fail::usage(format!(
            "status: unknown format '{other}' (expected text or json)"
        ))),
    };
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-v" | "--verbose" => verbose = true,
            "-f" | "--format" => {
                let Some(w) = args.get(i + 1) else {
                    return Err(Fail::usage(format!(
                        "status: option {a} requires an argument"
                    )));
                };
                json = format(w)?;
                i += 1;
            }
            _ if a.starts_with("--format=") => json = format(&a["--format=".len()..])?,
            _ if a.starts_with("-f") && a.len() > 2 => json = format(&a[2..])?,
            _ if a.starts_with("-v") && a[1..].chars().all(|c| c == 'v') => verbose = true,
            _ => return Err(Fail::usage(format!("status: unknown argument '{a}'"))),
        }
        i += 1;
    }
    let cmd = if verbose {
        Command::StatusVerbose
    } else {
        Command::Status
    };
    let proto = if json {
        common::admin::STATUS_FORMAT_JSON
    } else {
        common::admin::STATUS_FORMAT_TEXT
    };
    Ok(Built {
        request: Request::new(cmd, proto, Vec::new()),
        wait: Wait::Reply,
        warnings: Vec::new(),
    })
}

/// The real environment: the terminal and the routing table.
pub struct System;

impl Environment for System {
    fn password(&mut self) -> Result<String, Fail> {
        crate::password::read("Password: ")
            .map_err(|e| Fail::usage(format!("getpass() failed: {e}")))
    }

    /// `getlocaladdr`: the address the kernel would send from, found by connecting a
    /// UDP socket (nothing is sent).
    fn source_for(&mut self, gateway: &str) -> Result<IpAddr, Fail> {
        use std::net::ToSocketAddrs;
        let dst: SocketAddr = (gateway, 4500)
            .to_socket_addrs()
            .ok()
            .and_then(|mut a| a.next())
            .ok_or_else(|| Fail::usage("Cannot resolve destination address"))?;
        let bind: SocketAddr = if dst.is_ipv4() {
            "0.0.0.0:0".parse().unwrap_or(dst)
        } else {
            "[::]:0".parse().unwrap_or(dst)
        };
        let s = UdpSocket::bind(bind).map_err(|_| Fail::usage("cannot find source address"))?;
        s.connect(dst)
            .map_err(|_| Fail::usage("cannot find source address"))?;
        s.local_addr()
            .map(|a| a.ip())
            .map_err(|_| Fail::usage("cannot read source address"))
    }
}
