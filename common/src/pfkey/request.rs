//! The model turned into PF_KEY requests: what setkey and racoon send.
//!
//! Each function builds one message for a given `seq` and `pid` (the backend numbers
//! them to match replies). The layout follows what ipsec-tools' libipsec sends, which
//! is what Linux's af_key was written against.

use std::net::IpAddr;

use super::consts::{level, mode, msg, policy as ptype, satype, ULPROTO_ANY};
use super::error::MapError;
use super::ext::{
    AddressExt, Extension, KeyExt, LifetimeExt, Sa2Ext, SaExt, SecCtxExt, SpiRangeExt,
};
use super::message::{Header, Message};
use super::policy_ext::{IpsecRequest, PolicyExt};
use super::sockaddr::SockAddr;
use crate::addr::Selector;
use crate::kernel::Op;
pub use crate::kernel::SpiRequest;
use crate::policy::{Action, Direction, Level, Policy, PolicyId, PolicySelector, Request};
use crate::sa::{Keyed, Lifetime, Mode, Sa, SaId, SaState, SaType, SecCtx};

/// The `sadb_msg_satype` of an SA type. TCP-MD5 has none on Linux (it is a socket option
/// there).
pub fn satype_of(t: SaType) -> Result<u8, MapError> {
    match t {
        SaType::Ah => Ok(satype::AH),
        SaType::Esp => Ok(satype::ESP),
        SaType::IpComp => Ok(satype::IPCOMP),
        SaType::TcpMd5 => Err(MapError::Unsupported(
            "TCP-MD5 SAs (Linux sets TCP signatures with the TCP_MD5SIG socket option)".into(),
        )),
    }
}

fn satype_or_unspec(t: Option<SaType>) -> Result<u8, MapError> {
    t.map_or(Ok(satype::UNSPEC), satype_of)
}

pub(crate) fn mode_of(m: Mode) -> u8 {
    match m {
        Mode::Any => mode::ANY,
        Mode::Transport => mode::TRANSPORT,
        Mode::Tunnel => mode::TUNNEL,
    }
}

fn state_of(s: SaState) -> u8 {
    match s {
        SaState::Larval => 0,
        SaState::Mature => 1,
        SaState::Dying => 2,
        SaState::Dead => 3,
    }
}

fn level_of(l: Level) -> u8 {
    match l {
        Level::Default => level::DEFAULT,
        Level::Use => level::USE,
        Level::Require => level::REQUIRE,
        Level::Unique => level::UNIQUE,
    }
}

pub(crate) fn dir_of(d: Direction) -> u8 {
    match d {
        Direction::In => super::consts::dir::INBOUND,
        Direction::Out => super::consts::dir::OUTBOUND,
        Direction::Fwd => super::consts::dir::FWD,
    }
}

/// An SA end point: any upper-layer protocol and a full-length prefix, as libipsec
/// writes it (the kernel reads only the address).
fn sa_address(ip: IpAddr) -> AddressExt {
    let addr = SockAddr::new(ip);
    AddressExt {
        proto: ULPROTO_ANY,
        prefixlen: addr.full_prefix(),
        addr,
    }
}

fn lifetime(l: &Lifetime) -> LifetimeExt {
    LifetimeExt {
        allocations: l.allocations,
        bytes: l.bytes,
        addtime: l.addtime,
        usetime: l.usetime,
    }
}

fn key(k: &Keyed) -> Result<KeyExt, MapError> {
    let bits = k
        .key
        .len()
        .checked_mul(8)
        .and_then(|b| u16::try_from(b).ok())
        .ok_or_else(|| {
            MapError::Invalid(format!(
                "{} key of {} bytes is too long",
                k.alg.name(),
                k.key.len()
            ))
        })?;
    Ok(KeyExt {
        bits,
        key: k.key.clone(),
    })
}

fn sec_ctx(c: &SecCtx) -> SecCtxExt {
    SecCtxExt {
        alg: c.alg,
        doi: c.doi,
        ctx: c.label.as_bytes().to_vec(),
    }
}

/// The PF_KEY id of an algorithm, if Linux's PF_KEY can install it.
fn installable_id(alg: &'static crate::alg::Algorithm) -> Result<u8, MapError> {
    match alg.pfkey_id {
        Some(id) if alg.pfkey_installable() => Ok(id),
        _ => Err(MapError::NotInstallable(alg.name())),
    }
}

/// SADB_ADD, or SADB_UPDATE when `update`: SA, SA2, addresses, keys, hard and soft
/// lifetimes (always both: the kernel refuses one without the other), then the
/// security context and NAT-T extensions when the SA has them.
pub fn add_sa(sa: &Sa, update: bool, seq: u32, pid: u32) -> Result<Message, MapError> {
    let msg_type = if update { msg::UPDATE } else { msg::ADD };
    let sat = satype_of(sa.satype)?;
    let replay = u8::try_from(sa.replay).map_err(|_| {
        MapError::Unsupported(format!(
            "replay window {} (PF_KEY carries at most 255)",
            sa.replay
        ))
    })?;
    let auth = sa
        .auth
        .as_ref()
        .map(|k| installable_id(k.alg))
        .transpose()?
        .unwrap_or(0);
    let encrypt = match sa.satype {
        SaType::IpComp => sa.comp.map(installable_id).transpose()?.unwrap_or(0),
        _ => sa
            .enc
            .as_ref()
            .map(|k| installable_id(k.alg))
            .transpose()?
            .unwrap_or(0),
    };
    let mut m = Message::new(Header::new(msg_type, sat, seq, pid))
        .with(Extension::Sa(SaExt {
            spi: sa.spi,
            replay,
            state: state_of(sa.state),
            auth,
            encrypt,
            flags: sa.flags,
        }))
        .with(Extension::Sa2(Sa2Ext {
            mode: mode_of(sa.mode),
            sequence: sa.seq,
            reqid: sa.reqid,
        }))
        .with(Extension::AddressSrc(sa_address(sa.src)))
        .with(Extension::AddressDst(sa_address(sa.dst)));
    if sa.satype != SaType::IpComp {
        if let Some(k) = &sa.enc {
            m.extensions.push(Extension::KeyEncrypt(key(k)?));
        }
    }
    if let Some(k) = &sa.auth {
        m.extensions.push(Extension::KeyAuth(key(k)?));
    }
    m.extensions
        .push(Extension::LifetimeHard(lifetime(&sa.hard)));
    m.extensions
        .push(Extension::LifetimeSoft(lifetime(&sa.soft)));
    if let Some(c) = &sa.sec_ctx {
        m.extensions.push(Extension::SecCtx(sec_ctx(c)));
    }
    if let Some(n) = &sa.natt {
        m.extensions.push(Extension::NatTType(n.encap));
        m.extensions.push(Extension::NatTSport(n.sport));
        m.extensions.push(Extension::NatTDport(n.dport));
        if let Some(oa) = n.original_address {
            m.extensions.push(Extension::NatTOa(sa_address(oa)));
        }
    }
    Ok(m)
}

/// SADB_DELETE or SADB_GET (`msg_type`): SA (the SPI) and the two addresses.
pub fn sa_by_id(msg_type: u8, id: &SaId, seq: u32, pid: u32) -> Result<Message, MapError> {
    Ok(
        Message::new(Header::new(msg_type, satype_of(id.satype)?, seq, pid))
            .with(Extension::Sa(SaExt {
                spi: id.spi,
                ..SaExt::default()
            }))
            .with(Extension::AddressSrc(sa_address(id.src)))
            .with(Extension::AddressDst(sa_address(id.dst))),
    )
}

/// A message that is only a header: FLUSH and DUMP (with an SA type or UNSPEC for all),
/// SPDFLUSH, SPDDUMP, REGISTER.
pub fn bare(
    msg_type: u8,
    sa_type: Option<SaType>,
    seq: u32,
    pid: u32,
) -> Result<Message, MapError> {
    Ok(Message::new(Header::new(
        msg_type,
        satype_or_unspec(sa_type)?,
        seq,
        pid,
    )))
}

/// SADB_X_PROMISC: `on` asks for a copy of every PF_KEY message (setkey -x).
pub fn promisc(on: bool, seq: u32, pid: u32) -> Message {
    Message::new(Header::new(msg::X_PROMISC, u8::from(on), seq, pid))
}

/// SADB_GETSPI: SA2 (mode, reqid), addresses and the SPI range. Linux first looks for a
/// larval SA by `seq` (so racoon echoes an ACQUIRE's sequence number here), then by
/// mode, reqid and addresses.
pub fn get_spi(r: &SpiRequest, seq: u32, pid: u32) -> Result<Message, MapError> {
    Ok(
        Message::new(Header::new(msg::GETSPI, satype_of(r.satype)?, seq, pid))
            .with(Extension::Sa2(Sa2Ext {
                mode: mode_of(r.mode),
                sequence: 0,
                reqid: r.reqid,
            }))
            .with(Extension::AddressSrc(sa_address(r.src)))
            .with(Extension::AddressDst(sa_address(r.dst)))
            .with(Extension::SpiRange(SpiRangeExt {
                min: r.min,
                max: r.max,
            })),
    )
}

fn selector_address(s: &Selector, ul_proto: u8) -> Result<AddressExt, MapError> {
    let scope_id = s
        .address()
        .scope_id()
        .map_err(|e| MapError::Invalid(e.to_string()))?;
    let mut addr = SockAddr::with_port(s.ip(), s.port_or_any().get());
    if s.ip().is_ipv6() {
        addr.scope_id = scope_id;
    }
    Ok(AddressExt {
        proto: ul_proto,
        prefixlen: s.prefix_len(),
        addr,
    })
}

fn selector_addresses(sel: &PolicySelector) -> Result<(AddressExt, AddressExt), MapError> {
    match sel {
        PolicySelector::Addresses { src, dst, ul_proto } => Ok((
            selector_address(src, *ul_proto)?,
            selector_address(dst, *ul_proto)?,
        )),
        PolicySelector::Tagged(tag) => Err(MapError::Unsupported(format!(
            "tagged policy \"{tag}\" (Linux has no packet tags in its SPD)"
        ))),
    }
}

fn ipsec_request(r: &Request) -> Result<IpsecRequest, MapError> {
    if r.proto == SaType::TcpMd5 {
        return Err(MapError::Unsupported("tcp in a policy request".into()));
    }
    Ok(IpsecRequest {
        proto: u16::from(r.proto.ip_proto()),
        mode: mode_of(r.mode),
        level: level_of(r.level),
        reqid: r.reqid,
        addrs: r.tunnel.map(|(s, d)| (SockAddr::new(s), SockAddr::new(d))),
    })
}

/// SADB_X_SPDADD, or SADB_X_SPDUPDATE when `update`: selector addresses (the upper-layer
/// protocol in both, ports in the sockaddrs), the policy with its requests, lifetimes
/// when limited, and the security context.
pub fn add_policy(p: &Policy, update: bool, seq: u32, pid: u32) -> Result<Message, MapError> {
    let msg_type = if update {
        msg::X_SPDUPDATE
    } else {
        msg::X_SPDADD
    };
    let (src, dst) = selector_addresses(&p.selector)?;
    let policy_type = match p.action {
        Action::Discard => ptype::DISCARD,
        Action::None => ptype::NONE,
        Action::Ipsec => ptype::IPSEC,
    };
    let requests = match p.action {
        Action::Ipsec => p
            .requests
            .iter()
            .map(ipsec_request)
            .collect::<Result<_, _>>()?,
        _ => Vec::new(),
    };
    let mut m = Message::new(Header::new(msg_type, satype::UNSPEC, seq, pid))
        .with(Extension::AddressSrc(src))
        .with(Extension::AddressDst(dst));
    if !p.hard.is_unlimited() || !p.soft.is_unlimited() {
        m.extensions
            .push(Extension::LifetimeHard(lifetime(&p.hard)));
        m.extensions
            .push(Extension::LifetimeSoft(lifetime(&p.soft)));
    }
    m.extensions.push(Extension::Policy(PolicyExt {
        policy_type,
        dir: dir_of(p.dir),
        id: p.id,
        priority: p.priority,
        requests,
    }));
    if let Some(c) = &p.sec_ctx {
        m.extensions.push(Extension::SecCtx(sec_ctx(c)));
    }
    Ok(m)
}

/// SADB_X_SPDDELETE: the selector and a policy extension carrying only the direction.
pub fn delete_policy(id: &PolicyId, seq: u32, pid: u32) -> Result<Message, MapError> {
    let (src, dst) = selector_addresses(&id.selector)?;
    Ok(
        Message::new(Header::new(msg::X_SPDDELETE, satype::UNSPEC, seq, pid))
            .with(Extension::AddressSrc(src))
            .with(Extension::AddressDst(dst))
            .with(Extension::Policy(PolicyExt {
                policy_type: ptype::DISCARD,
                dir: dir_of(id.dir),
                ..PolicyExt::default()
            })),
    )
}

/// The message for one [`Op`].
pub fn op_message(op: &Op, seq: u32, pid: u32) -> Result<Message, MapError> {
    match op {
        Op::AddSa(sa) => add_sa(sa, false, seq, pid),
        Op::UpdateSa(sa) => add_sa(sa, true, seq, pid),
        Op::DeleteSa(id) => sa_by_id(msg::DELETE, id, seq, pid),
        Op::FlushSa(t) => bare(msg::FLUSH, *t, seq, pid),
        Op::AddPolicy(p) => add_policy(p, false, seq, pid),
        Op::UpdatePolicy(p) => add_policy(p, true, seq, pid),
        Op::DeletePolicy(id) => delete_policy(id, seq, pid),
        Op::FlushPolicy => bare(msg::X_SPDFLUSH, None, seq, pid),
    }
}
