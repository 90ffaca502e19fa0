//! [`Policy`] to and from `xfrm_userpolicy_info` and its `xfrm_user_tmpl`s, following
//! Linux's af_key (`pfkey_msg2xfrm_policy`, `parse_ipsecrequest`,
//! `pfkey_xfrm_policy2msg`) so both backends install and report the same thing:
//! - level `use` sets `optional`; `unique` sets the reqid; `require` and `default`
//!   set neither. Reading back: optional is `use`, a reqid is `unique`, else `require`.
//! - mode `any` installs as transport.
//! - templates allow every algorithm (`aalgos = ealgos = calgos = ~0`), as af_key's
//!   `allalgs` does; the upper-layer protocol "any" (255) is XFRM's 0.

use super::attr::Attr;
use super::consts::*;
use super::error::{DecodeError, EncodeError};
use super::lifetime;
use super::map_sa::{
    model_mode, pair_family, sa_type, sec_ctx_attr, sec_ctx_model, xfrm_mode, xfrm_proto,
};
use super::policy::{UserPolicyId, UserPolicyInfo, UserTmpl};
use super::selector::{addr_to_raw, raw_to_addr, XfrmId, XfrmSelector};
use crate::addr::{Port, Selector};
use crate::policy::{Action, Direction, Level, Policy, PolicyId, PolicySelector, Request, UL_ANY};
use crate::sa::Mode;

pub fn xfrm_dir(dir: Direction) -> u8 {
    match dir {
        Direction::In => XFRM_POLICY_IN,
        Direction::Out => XFRM_POLICY_OUT,
        Direction::Fwd => XFRM_POLICY_FWD,
    }
}

/// The direction of an XFRM policy, and whether it is a per-socket one (directions
/// `XFRM_POLICY_MAX + dir`, as the kernel reports socket policies in dumps).
pub fn model_dir(dir: u8) -> Result<(Direction, bool), DecodeError> {
    let per_socket = dir >= XFRM_POLICY_MAX;
    let base = if per_socket {
        dir - XFRM_POLICY_MAX
    } else {
        dir
    };
    let d = match base {
        XFRM_POLICY_IN => Direction::In,
        XFRM_POLICY_OUT => Direction::Out,
        XFRM_POLICY_FWD => Direction::Fwd,
        other => {
            return Err(DecodeError::Invalid {
                what: "policy direction",
                value: u64::from(other),
            })
        }
    };
    Ok((d, per_socket))
}

fn port_mask(port: u16) -> u16 {
    if port == 0 {
        0
    } else {
        0xffff
    }
}

/// The kernel selector of a policy selector. Ports carry ICMP type and code or a GRE
/// key's halves as they are, the way KAME and af_key pass them.
pub fn encode_selector(sel: &PolicySelector) -> Result<XfrmSelector, EncodeError> {
    let PolicySelector::Addresses { src, dst, ul_proto } = sel else {
        return Err(EncodeError::Tagged);
    };
    let family = pair_family(src.ip(), dst.ip())?;
    let sport = src.port_or_any().get();
    let dport = dst.port_or_any().get();
    Ok(XfrmSelector {
        daddr: addr_to_raw(dst.ip()),
        saddr: addr_to_raw(src.ip()),
        dport,
        dport_mask: port_mask(dport),
        sport,
        sport_mask: port_mask(sport),
        family,
        prefixlen_d: dst.prefix_len(),
        prefixlen_s: src.prefix_len(),
        proto: if *ul_proto == UL_ANY { 0 } else { *ul_proto },
        ifindex: 0,
        user: 0,
    })
}

fn decode_side(raw: &[u8; 16], family: u16, plen: u8, port: u16) -> Result<Selector, DecodeError> {
    let ip = raw_to_addr(raw, family)?;
    let port = (port != 0).then_some(Port::new(port));
    Selector::new(ip, plen, port).map_err(|_| DecodeError::Invalid {
        what: "selector prefix length",
        value: u64::from(plen),
    })
}

pub fn decode_selector(sel: &XfrmSelector) -> Result<PolicySelector, DecodeError> {
    Ok(PolicySelector::Addresses {
        src: decode_side(&sel.saddr, sel.family, sel.prefixlen_s, sel.sport)?,
        dst: decode_side(&sel.daddr, sel.family, sel.prefixlen_d, sel.dport)?,
        ul_proto: if sel.proto == 0 { UL_ANY } else { sel.proto },
    })
}

fn encode_request(req: &Request, policy_family: u16) -> Result<UserTmpl, EncodeError> {
    let (family, saddr, daddr) = match (req.mode, req.tunnel) {
        (Mode::Tunnel, Some((src, dst))) => {
            (pair_family(src, dst)?, addr_to_raw(src), addr_to_raw(dst))
        }
        _ => (policy_family, [0; 16], [0; 16]),
    };
    Ok(UserTmpl {
        id: XfrmId {
            daddr,
            spi: 0,
            proto: xfrm_proto(req.proto)?,
        },
        family,
        saddr,
        reqid: if req.level == Level::Unique {
            req.reqid
        } else {
            0
        },
        mode: xfrm_mode(req.mode),
        share: 0,
        optional: u8::from(req.level == Level::Use),
        aalgos: !0,
        ealgos: !0,
        calgos: !0,
    })
}

fn decode_request(t: &UserTmpl) -> Result<Request, DecodeError> {
    let mode = model_mode(t.mode)?;
    let tunnel = if mode == Mode::Tunnel && (t.saddr != [0; 16] || t.id.daddr != [0; 16]) {
        Some((
            raw_to_addr(&t.saddr, t.family)?,
            raw_to_addr(&t.id.daddr, t.family)?,
        ))
    } else {
        None
    };
    let level = if t.optional != 0 {
        Level::Use
    } else if t.reqid != 0 {
        Level::Unique
    } else {
        Level::Require
    };
    Ok(Request {
        proto: sa_type(t.id.proto)?,
        mode,
        tunnel,
        level,
        reqid: t.reqid,
    })
}

/// `xfrm_userpolicy_info` and attributes (templates, security context) for
/// NEWPOLICY/UPDPOLICY.
pub fn encode_policy(p: &Policy) -> Result<(UserPolicyInfo, Vec<Attr>), EncodeError> {
    let sel = encode_selector(&p.selector)?;
    let mut attrs = Vec::new();
    if p.action == Action::Ipsec && !p.requests.is_empty() {
        let tmpls = p
            .requests
            .iter()
            .map(|r| encode_request(r, sel.family))
            .collect::<Result<Vec<_>, _>>()?;
        attrs.push(Attr::Tmpl(tmpls));
    }
    if let Some(ctx) = &p.sec_ctx {
        attrs.push(Attr::SecCtx(sec_ctx_attr(ctx)));
    }
    let info = UserPolicyInfo {
        sel,
        lft: lifetime::to_cfg(&p.hard, &p.soft),
        priority: p.priority,
        index: p.id,
        dir: xfrm_dir(p.dir),
        action: if p.action == Action::Discard {
            XFRM_POLICY_BLOCK
        } else {
            XFRM_POLICY_ALLOW
        },
        ..UserPolicyInfo::default()
    };
    Ok((info, attrs))
}

/// `xfrm_userpolicy_id` for GETPOLICY/DELPOLICY: by selector and direction.
pub fn encode_policy_id(id: &PolicyId) -> Result<UserPolicyId, EncodeError> {
    Ok(UserPolicyId {
        sel: encode_selector(&id.selector)?,
        index: 0,
        dir: xfrm_dir(id.dir),
    })
}

/// A policy as af_key would report it, and whether it is a per-socket policy.
pub fn decode_policy(info: &UserPolicyInfo, attrs: &[Attr]) -> Result<(Policy, bool), DecodeError> {
    let (dir, per_socket) = model_dir(info.dir)?;
    let mut requests = Vec::new();
    let mut sec_ctx = None;
    for attr in attrs {
        match attr {
            Attr::Tmpl(list) => {
                requests = list.iter().map(decode_request).collect::<Result<_, _>>()?;
            }
            Attr::SecCtx(c) => sec_ctx = Some(sec_ctx_model(c)),
            _ => {}
        }
    }
    let action = match (info.action, requests.is_empty()) {
        (XFRM_POLICY_BLOCK, _) => Action::Discard,
        (XFRM_POLICY_ALLOW, true) => Action::None,
        (XFRM_POLICY_ALLOW, false) => Action::Ipsec,
        (other, _) => {
            return Err(DecodeError::Invalid {
                what: "policy action",
                value: u64::from(other),
            })
        }
    };
    if action != Action::Ipsec {
        requests.clear();
    }
    let (hard, soft) = lifetime::from_cfg(&info.lft);
    let policy = Policy {
        selector: decode_selector(&info.sel)?,
        dir,
        priority: info.priority,
        action,
        requests,
        id: info.index,
        current: Some(lifetime::from_cur(&info.curlft)),
        hard,
        soft,
        sec_ctx,
    };
    Ok((policy, per_socket))
}
