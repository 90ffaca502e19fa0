//! [`Sa`] to and from `xfrm_usersa_info` and its attributes.
//!
//! Going in, the SA is described the way `ip xfrm state add` would describe it, with
//! the one difference that matters: the integrity algorithm always goes as
//! `XFRMA_ALG_AUTH_TRUNC` with the table's RFC truncation (128 bits for HMAC-SHA-256),
//! never as the legacy `XFRMA_ALG_AUTH`, which gets the kernel's pre-RFC 4868 default.
//! Coming out, every PF_KEY-shaped field is filled the way Linux's af_key would report
//! the same kernel state, so `setkey -D` prints the same whichever backend ran.

use super::attr::{Algo, AlgoAead, AlgoAuth, Attr, EncapTmpl, SecCtxAttr};
use super::consts::*;
use super::error::{DecodeError, EncodeError};
use super::lifetime;
use super::selector::{addr_to_raw, family_of, raw_to_addr, XfrmId, XfrmSelector};
use super::state::{UserSaId, UserSaInfo};
use crate::alg::{self, Kind};
use crate::sa::{Keyed, Mode, NatT, Sa, SaId, SaState, SaType, SecCtx};
use std::net::IpAddr;

/// `sadb_sa_flags` bits Linux's af_key translates (linux/pfkeyv2.h); every other
/// KAME flag (padding, cyclic sequence) Linux ignores, over either interface.
const SADB_SAFLAGS_NOPMTUDISC: u32 = 0x2000_0000;
const SADB_SAFLAGS_DECAP_DSCP: u32 = 0x4000_0000;
const SADB_SAFLAGS_NOECN: u32 = 0x8000_0000;
const FLAG_MAP: [(u32, u8); 3] = [
    (SADB_SAFLAGS_NOECN, XFRM_STATE_NOECN),
    (SADB_SAFLAGS_DECAP_DSCP, XFRM_STATE_DECAP_DSCP),
    (SADB_SAFLAGS_NOPMTUDISC, XFRM_STATE_NOPMTUDISC),
];

/// The widest window the legacy `xfrm_replay_state` bitmap holds; a wider one needs
/// `XFRMA_REPLAY_ESN_VAL` (and then the kernel wants `replay_window` 0 in the info).
const LEGACY_REPLAY_MAX: u32 = 32;

/// The protocol number of an SA type XFRM knows.
pub fn xfrm_proto(satype: SaType) -> Result<u8, EncodeError> {
    match satype {
        SaType::Ah | SaType::Esp | SaType::IpComp => Ok(satype.ip_proto()),
        SaType::TcpMd5 => Err(EncodeError::SaType(satype)),
    }
}

/// The SA type of an XFRM protocol, if it is one PF_KEY would show (AH, ESP, IPComp;
/// not the IPIP states the kernel adds under tunnel-mode IPComp).
pub fn sa_type(proto: u8) -> Result<SaType, DecodeError> {
    match SaType::from_ip_proto(proto) {
        Some(t @ (SaType::Ah | SaType::Esp | SaType::IpComp)) => Ok(t),
        _ => Err(DecodeError::Unsupported {
            what: "SA protocol",
            detail: proto.to_string(),
        }),
    }
}

/// XFRM's mode for the model's: `any` is transport, as af_key's `pfkey_mode_to_xfrm`
/// decides (XFRM has no "any" mode; transport SAs are what setkey's default gave).
pub fn xfrm_mode(mode: Mode) -> u8 {
    match mode {
        Mode::Any | Mode::Transport => XFRM_MODE_TRANSPORT,
        Mode::Tunnel => XFRM_MODE_TUNNEL,
    }
}

pub fn model_mode(mode: u8) -> Result<Mode, DecodeError> {
    match mode {
        XFRM_MODE_TRANSPORT => Ok(Mode::Transport),
        XFRM_MODE_TUNNEL => Ok(Mode::Tunnel),
        other => Err(DecodeError::Unsupported {
            what: "XFRM mode",
            detail: other.to_string(),
        }),
    }
}

/// The family of a pair of addresses, which must agree.
pub fn pair_family(a: IpAddr, b: IpAddr) -> Result<u16, EncodeError> {
    if a.is_ipv4() == b.is_ipv4() {
        Ok(family_of(a))
    } else {
        Err(EncodeError::FamilyMismatch)
    }
}

fn xfrm_name(a: &'static alg::Algorithm) -> Result<&'static str, EncodeError> {
    a.xfrm_name.ok_or(EncodeError::Algorithm(a.name()))
}

fn key_bits(key: &[u8]) -> u32 {
    u32::try_from(key.len())
        .unwrap_or(u32::MAX / 8)
        .saturating_mul(8)
}

/// `xfrm_usersa_info` and attributes for NEWSA/UPDSA.
pub fn encode_sa(sa: &Sa) -> Result<(UserSaInfo, Vec<Attr>), EncodeError> {
    let family = pair_family(sa.src, sa.dst)?;
    let proto = xfrm_proto(sa.satype)?;
    let mut attrs = Vec::new();
    if let Some(enc) = &sa.enc {
        let name = xfrm_name(enc.alg)?.to_owned();
        attrs.push(if enc.alg.kind == Kind::Aead {
            Attr::Aead(AlgoAead {
                name,
                key_bits: key_bits(&enc.key),
                icv_bits: u32::from(enc.alg.icv_bits),
                key: enc.key.clone(),
            })
        } else {
            Attr::Crypt(Algo {
                name,
                key_bits: key_bits(&enc.key),
                key: enc.key.clone(),
            })
        });
    }
    if let Some(auth) = &sa.auth {
        attrs.push(Attr::AuthTrunc(AlgoAuth {
            name: xfrm_name(auth.alg)?.to_owned(),
            key_bits: key_bits(&auth.key),
            trunc_bits: u32::from(auth.alg.icv_bits),
            key: auth.key.clone(),
        }));
    }
    if let Some(comp) = sa.comp {
        attrs.push(Attr::Comp(Algo {
            name: xfrm_name(comp)?.to_owned(),
            key_bits: 0,
            key: Vec::new(),
        }));
    }
    if let Some(natt) = &sa.natt {
        attrs.push(Attr::Encap(EncapTmpl {
            encap_type: u16::from(natt.encap),
            sport: natt.sport,
            dport: natt.dport,
            oa: natt.original_address.map(addr_to_raw).unwrap_or_default(),
        }));
    }
    if let Some(ctx) = &sa.sec_ctx {
        attrs.push(Attr::SecCtx(sec_ctx_attr(ctx)));
    }
    let mut replay_window = u8::try_from(sa.replay).unwrap_or(u8::MAX);
    if sa.replay > LEGACY_REPLAY_MAX {
        replay_window = 0;
        attrs.push(Attr::ReplayEsn(super::attr::ReplayEsn {
            replay_window: sa.replay,
            bmp: vec![0; usize::try_from(sa.replay.div_ceil(32)).unwrap_or(0)],
            ..Default::default()
        }));
    }
    let flags = FLAG_MAP
        .iter()
        .filter(|(sadb, _)| sa.flags & sadb != 0)
        .fold(0, |acc, (_, x)| acc | x);
    let info = UserSaInfo {
        // Empty, as `ip xfrm state add` leaves it without `sel`: an SA's selector only
        // narrows what it may carry, and policies already decide that.
        sel: XfrmSelector::default(),
        id: XfrmId {
            daddr: addr_to_raw(sa.dst),
            spi: sa.spi,
            proto,
        },
        saddr: addr_to_raw(sa.src),
        lft: lifetime::to_cfg(&sa.hard, &sa.soft),
        seq: sa.seq,
        reqid: sa.reqid,
        family,
        mode: xfrm_mode(sa.mode),
        replay_window,
        flags,
        ..UserSaInfo::default()
    };
    Ok((info, attrs))
}

pub fn sec_ctx_attr(ctx: &SecCtx) -> SecCtxAttr {
    SecCtxAttr {
        doi: ctx.doi,
        alg: ctx.alg,
        label: ctx.label.as_bytes().to_vec(),
    }
}

pub fn sec_ctx_model(attr: &SecCtxAttr) -> SecCtx {
    // SELinux labels may carry their C terminator; the model holds the text.
    let label = attr.label.strip_suffix(&[0]).unwrap_or(&attr.label);
    SecCtx {
        doi: attr.doi,
        alg: attr.alg,
        label: String::from_utf8_lossy(label).into_owned(),
    }
}

/// `xfrm_usersa_id` and the source address attribute for GETSA/DELSA.
pub fn encode_sa_id(id: &SaId) -> Result<(UserSaId, Vec<Attr>), EncodeError> {
    let family = pair_family(id.src, id.dst)?;
    let sa_id = UserSaId {
        daddr: addr_to_raw(id.dst),
        spi: id.spi,
        family,
        proto: xfrm_proto(id.satype)?,
    };
    Ok((sa_id, vec![Attr::SrcAddr(addr_to_raw(id.src))]))
}

fn unknown_alg(what: &'static str, name: &str) -> DecodeError {
    DecodeError::Unsupported {
        what,
        detail: name.to_owned(),
    }
}

/// An auth algorithm by XFRM name. The truncation is not part of the model: an SA
/// installed elsewhere with a non-RFC truncation still reads as its algorithm.
fn find_auth(name: &str) -> Option<&'static alg::Algorithm> {
    alg::find_xfrm(Kind::Auth, name)
}

/// The SA an `xfrm_usersa_info` and its attributes describe, as af_key would report
/// it at Unix time `now`:
/// - state: LARVAL for a state without algorithms (reserved by ALLOCSPI or an
///   ACQUIRE), DEAD past a hard limit, DYING past a soft one, else MATURE;
/// - `seq` 0: af_key always reports `sadb_x_sa2_sequence` as 0;
/// - lifetimes with XFRM's "infinite" as 0, packets as allocations;
/// - replay: the window in packets (`XFRMA_REPLAY_ESN_VAL`'s when there is one).
pub fn decode_sa(info: &UserSaInfo, attrs: &[Attr], now: u64) -> Result<Sa, DecodeError> {
    let satype = sa_type(info.id.proto)?;
    let src = raw_to_addr(&info.saddr, info.family)?;
    let dst = raw_to_addr(&info.id.daddr, info.family)?;
    let mut sa = Sa::new(src, dst, satype, info.id.spi);
    sa.mode = model_mode(info.mode)?;
    sa.reqid = info.reqid;
    sa.replay = u32::from(info.replay_window);
    sa.flags = FLAG_MAP
        .iter()
        .filter(|(_, x)| info.flags & x != 0)
        .fold(0, |acc, (sadb, _)| acc | sadb);
    let (hard, soft) = lifetime::from_cfg(&info.lft);
    sa.hard = hard;
    sa.soft = soft;
    sa.current = Some(lifetime::from_cur(&info.curlft));
    let mut legacy_auth = None;
    for attr in attrs {
        match attr {
            Attr::AuthTrunc(a) => {
                let found = find_auth(&a.name).ok_or_else(|| unknown_alg("auth", &a.name))?;
                sa.auth = Some(Keyed {
                    alg: found,
                    key: a.key.clone(),
                });
            }
            Attr::Auth(a) => legacy_auth = Some(a),
            Attr::Crypt(a) => {
                let found = alg::find_xfrm(Kind::Encrypt, &a.name)
                    .ok_or_else(|| unknown_alg("enc", &a.name))?;
                sa.enc = Some(Keyed {
                    alg: found,
                    key: a.key.clone(),
                });
            }
            Attr::Aead(a) => {
                let icv = u16::try_from(a.icv_bits).unwrap_or(0);
                let found = alg::find_xfrm_aead(&a.name, icv)
                    .ok_or_else(|| unknown_alg("aead", &format!("{} {}", a.name, a.icv_bits)))?;
                sa.enc = Some(Keyed {
                    alg: found,
                    key: a.key.clone(),
                });
            }
            Attr::Comp(a) => {
                sa.comp = Some(
                    alg::find_xfrm(Kind::Compress, &a.name)
                        .ok_or_else(|| unknown_alg("comp", &a.name))?,
                );
            }
            Attr::Encap(e) => {
                sa.natt = Some(NatT {
                    encap: u8::try_from(e.encap_type).unwrap_or(u8::MAX),
                    sport: e.sport,
                    dport: e.dport,
                    original_address: (e.oa != [0; 16])
                        .then(|| raw_to_addr(&e.oa, info.family).ok())
                        .flatten(),
                });
            }
            Attr::SecCtx(c) => sa.sec_ctx = Some(sec_ctx_model(c)),
            Attr::ReplayEsn(e) => sa.replay = e.replay_window,
            _ => {}
        }
    }
    // The kernel sends both forms of the auth algorithm; the legacy one alone comes
    // only from a kernel older than 2.6.33.
    if sa.auth.is_none() {
        if let Some(a) = legacy_auth {
            let found = find_auth(&a.name).ok_or_else(|| unknown_alg("auth", &a.name))?;
            sa.auth = Some(Keyed {
                alg: found,
                key: a.key.clone(),
            });
        }
    }
    sa.state = if sa.enc.is_none() && sa.auth.is_none() && sa.comp.is_none() {
        SaState::Larval
    } else if lifetime::hard_reached(&info.lft, &info.curlft, now) {
        SaState::Dead
    } else if lifetime::soft_reached(&info.lft, &info.curlft, now) {
        SaState::Dying
    } else {
        SaState::Mature
    };
    Ok(sa)
}

/// The id of the SA a DELSA notification names: the source address is in the
/// attached `XFRMA_SA` (or `XFRMA_SRCADDR`), unspecified when neither came.
pub fn decode_sa_id(id: &UserSaId, attrs: &[Attr]) -> Result<SaId, DecodeError> {
    let dst = raw_to_addr(&id.daddr, id.family)?;
    let mut src = match dst {
        IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED),
    };
    for attr in attrs {
        match attr {
            Attr::Sa(info) => src = raw_to_addr(&info.saddr, id.family)?,
            Attr::SrcAddr(a) => src = raw_to_addr(a, id.family)?,
            _ => {}
        }
    }
    Ok(SaId {
        src,
        dst,
        satype: sa_type(id.proto)?,
        spi: id.spi,
    })
}
