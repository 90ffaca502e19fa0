//! PF_KEY messages turned into the model: what dumps, GET and events return.

use std::net::IpAddr;

use super::consts::{dir, ext, level, mode, msg, policy as ptype, satype, ULPROTO_ANY};
use super::error::MapError;
use super::ext::{AddressExt, KeyExt, LifetimeExt, SecCtxExt};
use super::message::Message;
use super::policy_ext::IpsecRequest;
use crate::addr::{Address, Port, Selector};
use crate::alg::{self, Class};
use crate::kernel::Event;
use crate::policy::{Action, Direction, Level, Policy, PolicySelector, Request};
use crate::sa::{Dumped, Keyed, Lifetime, Mode, NatT, Sa, SaId, SaState, SaType, SecCtx};

/// The SA type of a `sadb_msg_satype`; `None` for UNSPEC and types Linux does not use.
pub fn satype_from(n: u8) -> Option<SaType> {
    match n {
        satype::AH => Some(SaType::Ah),
        satype::ESP => Some(SaType::Esp),
        satype::IPCOMP => Some(SaType::IpComp),
        _ => None,
    }
}

fn satype_required(m: &Message) -> Result<SaType, MapError> {
    satype_from(m.header.satype)
        .ok_or_else(|| MapError::Invalid(format!("SA type {}", m.header.satype)))
}

/// BEET (3) has no place in the model; it reads as `any`, the closest thing that does
/// not claim a mode the SA is not in.
pub(crate) fn mode_from(m: u8) -> Result<Mode, MapError> {
    match m {
        mode::ANY | mode::BEET => Ok(Mode::Any),
        mode::TRANSPORT => Ok(Mode::Transport),
        mode::TUNNEL => Ok(Mode::Tunnel),
        other => Err(MapError::Invalid(format!("IPsec mode {other}"))),
    }
}

fn state_from(s: u8) -> SaState {
    match s {
        0 => SaState::Larval,
        1 => SaState::Mature,
        2 => SaState::Dying,
        _ => SaState::Dead,
    }
}

fn lifetime_from(l: Option<&LifetimeExt>) -> Lifetime {
    l.map(|l| Lifetime {
        allocations: l.allocations,
        bytes: l.bytes,
        addtime: l.addtime,
        usetime: l.usetime,
    })
    .unwrap_or_default()
}

fn sec_ctx_from(c: &SecCtxExt) -> SecCtx {
    // The label is text; a trailing NUL some writers include is not part of it.
    let text = c.ctx.strip_suffix(&[0]).unwrap_or(&c.ctx);
    SecCtx {
        doi: c.doi,
        alg: c.alg,
        label: String::from_utf8_lossy(text).into_owned(),
    }
}

fn keyed(class: Class, id: u8, key: Option<&KeyExt>) -> Result<Option<Keyed>, MapError> {
    if id == 0 {
        return Ok(None);
    }
    let alg = alg::find_pfkey(class, id).ok_or(MapError::UnknownAlgorithm { class, id })?;
    Ok(Some(Keyed {
        alg,
        key: key.map(|k| k.key.clone()).unwrap_or_default(),
    }))
}

fn address(a: Option<&AddressExt>, what: &'static str) -> Result<IpAddr, MapError> {
    a.map(|a| a.addr.ip).ok_or(MapError::Missing(what))
}

/// The SA an ADD, UPDATE, GET, DUMP, GETSPI or EXPIRE message describes. Keys are empty
/// where the message has none (EXPIRE).
pub fn sa_from_message(m: &Message) -> Result<Sa, MapError> {
    let satype = satype_required(m)?;
    let sa_ext = m.sa().ok_or(MapError::Missing("an SA extension"))?;
    let src = address(m.src(), "a source address")?;
    let dst = address(m.dst(), "a destination address")?;
    let mut sa = Sa::new(src, dst, satype, sa_ext.spi);
    sa.replay = u32::from(sa_ext.replay);
    sa.state = state_from(sa_ext.state);
    sa.flags = sa_ext.flags;
    sa.auth = keyed(Class::Auth, sa_ext.auth, m.key_auth())?;
    if satype == SaType::IpComp {
        if sa_ext.encrypt != 0 {
            let id = sa_ext.encrypt;
            sa.comp = Some(alg::find_pfkey(Class::Compress, id).ok_or(
                MapError::UnknownAlgorithm {
                    class: Class::Compress,
                    id,
                },
            )?);
        }
    } else {
        sa.enc = keyed(Class::Encrypt, sa_ext.encrypt, m.key_encrypt())?;
    }
    if let Some(sa2) = m.sa2() {
        sa.mode = mode_from(sa2.mode)?;
        sa.reqid = sa2.reqid;
        sa.seq = sa2.sequence;
    }
    sa.hard = lifetime_from(m.lifetime(ext::LIFETIME_HARD));
    sa.soft = lifetime_from(m.lifetime(ext::LIFETIME_SOFT));
    sa.current = m
        .lifetime(ext::LIFETIME_CURRENT)
        .map(|l| lifetime_from(Some(l)));
    sa.sec_ctx = m.sec_ctx().map(sec_ctx_from);
    if let Some(encap) = m.extensions.iter().find_map(|e| match e {
        super::ext::Extension::NatTType(t) => Some(*t),
        _ => None,
    }) {
        let port = |want| {
            m.extensions.iter().find_map(|e| match e {
                super::ext::Extension::NatTSport(p) if want == ext::X_NAT_T_SPORT => Some(*p),
                super::ext::Extension::NatTDport(p) if want == ext::X_NAT_T_DPORT => Some(*p),
                _ => None,
            })
        };
        let original_address = m.extensions.iter().find_map(|e| match e {
            super::ext::Extension::NatTOa(a) => Some(a.addr.ip),
            _ => None,
        });
        sa.natt = Some(NatT {
            encap,
            sport: port(ext::X_NAT_T_SPORT).unwrap_or(0),
            dport: port(ext::X_NAT_T_DPORT).unwrap_or(0),
            original_address,
        });
    }
    Ok(sa)
}

/// The SA a message names (DELETE): type, addresses and SPI.
pub fn sa_id_from_message(m: &Message) -> Result<SaId, MapError> {
    Ok(SaId {
        src: address(m.src(), "a source address")?,
        dst: address(m.dst(), "a destination address")?,
        satype: satype_required(m)?,
        spi: m.sa().ok_or(MapError::Missing("an SA extension"))?.spi,
    })
}

fn selector(a: &AddressExt) -> Result<Selector, MapError> {
    let address = match a.addr.ip {
        IpAddr::V6(ip) => Address::with_scope_id(ip, a.addr.scope_id),
        IpAddr::V4(ip) => Address::from(ip),
    };
    let port = (a.addr.port != 0).then(|| Port::new(a.addr.port));
    Selector::new(address, a.prefixlen, port).map_err(|e| MapError::Invalid(e.to_string()))
}

/// A policy direction; Linux's per-socket policies (4..=6 in dumps) map to their
/// direction too, and are told apart by [`is_per_socket_policy_id`].
pub(crate) fn dir_from(d: u8) -> Result<Direction, MapError> {
    match d {
        dir::INBOUND | 4 => Ok(Direction::In),
        dir::OUTBOUND | 5 => Ok(Direction::Out),
        dir::FWD | 6 => Ok(Direction::Fwd),
        other => Err(MapError::Invalid(format!("policy direction {other}"))),
    }
}

fn level_from(l: u8) -> Result<Level, MapError> {
    match l {
        level::DEFAULT => Ok(Level::Default),
        level::USE => Ok(Level::Use),
        level::REQUIRE => Ok(Level::Require),
        level::UNIQUE => Ok(Level::Unique),
        other => Err(MapError::Invalid(format!("request level {other}"))),
    }
}

fn request_from(r: &IpsecRequest) -> Result<Request, MapError> {
    let proto = u8::try_from(r.proto)
        .ok()
        .and_then(SaType::from_ip_proto)
        .filter(|t| *t != SaType::TcpMd5)
        .ok_or_else(|| MapError::Invalid(format!("request protocol {}", r.proto)))?;
    Ok(Request {
        proto,
        mode: mode_from(r.mode)?,
        tunnel: r.addrs.map(|(s, d)| (s.ip, d.ip)),
        level: level_from(r.level)?,
        reqid: r.reqid,
    })
}

/// Whether a Linux policy index belongs to a per-socket policy (set with
/// `setsockopt(IP_IPSEC_POLICY)`): Linux numbers policies `8 * n + dir`, with socket
/// policies at `dir + 3` (`XFRM_POLICY_MAX`). `setkey -N` hides these.
pub fn is_per_socket_policy_id(id: u32) -> bool {
    id % 8 >= 3
}

/// The policy an SPDADD, SPDUPDATE, SPDDELETE, SPDGET or SPDDUMP message describes.
pub fn policy_from_message(m: &Message) -> Result<Policy, MapError> {
    let src = m.src().ok_or(MapError::Missing("a source address"))?;
    let dst = m.dst().ok_or(MapError::Missing("a destination address"))?;
    let pol = m.policy().ok_or(MapError::Missing("a policy extension"))?;
    let action = match pol.policy_type {
        ptype::DISCARD => Action::Discard,
        ptype::NONE | ptype::BYPASS => Action::None,
        ptype::IPSEC => Action::Ipsec,
        other => return Err(MapError::Invalid(format!("policy type {other}"))),
    };
    let selector = PolicySelector::Addresses {
        src: selector(src)?,
        dst: selector(dst)?,
        ul_proto: src.proto,
    };
    let mut p = Policy::new(selector, dir_from(pol.dir)?, action);
    p.priority = pol.priority;
    p.id = pol.id;
    p.requests = pol
        .requests
        .iter()
        .map(request_from)
        .collect::<Result<_, _>>()?;
    p.current = m
        .lifetime(ext::LIFETIME_CURRENT)
        .map(|l| lifetime_from(Some(l)));
    p.hard = lifetime_from(m.lifetime(ext::LIFETIME_HARD));
    p.soft = lifetime_from(m.lifetime(ext::LIFETIME_SOFT));
    p.sec_ctx = m.sec_ctx().map(sec_ctx_from);
    Ok(p)
}

/// An entry with the header fields `setkey -D` prints after it.
pub fn dumped<T>(m: &Message, entry: T) -> Dumped<T> {
    Dumped {
        entry,
        seq: m.header.seq,
        pid: m.header.pid,
        refcnt: u32::from(m.header.reserved),
    }
}

/// An ACQUIRE as Linux sends it: SA end points, a policy extension with the policy's
/// index and priority but neither selector nor requests, and proposals. The event's
/// policy therefore has host selectors for the end points and one request built from
/// the SA type; racoon finds the real policy by [`Policy::id`].
fn acquire_from_message(m: &Message) -> Result<Event, MapError> {
    let satype = satype_required(m)?;
    let src = address(m.src(), "a source address")?;
    let dst = address(m.dst(), "a destination address")?;
    let pol = m.policy().ok_or(MapError::Missing("a policy extension"))?;
    let request = pol
        .requests
        .first()
        .map(request_from)
        .transpose()?
        .unwrap_or(Request {
            proto: satype,
            mode: Mode::Any,
            tunnel: None,
            level: Level::Require,
            reqid: 0,
        });
    let mut policy = Policy::new(
        PolicySelector::Addresses {
            src: Selector::host(src),
            dst: Selector::host(dst),
            ul_proto: ULPROTO_ANY,
        },
        dir_from(pol.dir).unwrap_or(Direction::Out),
        Action::Ipsec,
    );
    policy.id = pol.id;
    policy.priority = pol.priority;
    policy.requests = vec![request.clone()];
    Ok(Event::Acquire {
        src,
        dst,
        satype,
        policy,
        request,
        seq: m.header.seq,
    })
}

/// The event a message is. Replies with an errno, requests echoed to a promiscuous
/// socket that cannot be mapped, and message types the model has no event for become
/// [`Event::Other`] named by their KAME type (`SADB_REGISTER`).
pub fn event_from_message(m: &Message) -> Event {
    let other = || Event::Other {
        kind: if m.header.errno != 0 {
            format!("{} errno={}", m.type_name(), m.header.errno)
        } else {
            m.type_name().to_owned()
        },
    };
    if m.header.errno != 0 {
        return other();
    }
    let mapped = match m.header.msg_type {
        msg::ACQUIRE => acquire_from_message(m),
        msg::EXPIRE => sa_from_message(m).map(|sa| Event::Expire {
            sa,
            hard: m.lifetime(ext::LIFETIME_HARD).is_some(),
        }),
        msg::ADD => sa_from_message(m).map(Event::SaAdded),
        msg::UPDATE => sa_from_message(m).map(Event::SaUpdated),
        msg::DELETE => sa_id_from_message(m).map(Event::SaDeleted),
        msg::FLUSH => Ok(Event::SaFlushed(satype_from(m.header.satype))),
        msg::X_SPDADD => policy_from_message(m).map(Event::PolicyAdded),
        msg::X_SPDUPDATE => policy_from_message(m).map(Event::PolicyUpdated),
        msg::X_SPDDELETE | msg::X_SPDDELETE2 => policy_from_message(m).map(Event::PolicyDeleted),
        msg::X_SPDFLUSH => Ok(Event::PolicyFlushed),
        _ => return other(),
    };
    mapped.unwrap_or_else(|_| other())
}
