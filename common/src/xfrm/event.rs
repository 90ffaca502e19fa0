//! Kernel notifications (multicast groups ACQUIRE, EXPIRE, SA, POLICY) as [`Event`]s.

use super::attr::Attr;
use super::consts::*;
use super::error::DecodeError;
use super::map_policy::{decode_policy, decode_selector, model_dir};
use super::map_sa::{decode_sa, decode_sa_id, model_mode, sa_type};
use super::message::{kind_name, Body, Message};
use super::policy::UserAcquire;
use super::selector::raw_to_addr;
use crate::kernel::Event;
use crate::policy::{Action, Level, Policy, Request};
use crate::sa::{Mode, SaState};

/// The event a notification means. Anything the model cannot represent (an SA with
/// an algorithm the table lacks, a migrate or report message) becomes
/// [`Event::Other`] naming the message, so a monitor never stops on it; only a
/// malformed message is an error.
pub fn decode_event(msg: &Message, now: u64) -> Event {
    match to_event(msg, now) {
        Ok(Some(ev)) => ev,
        Ok(None) => other(msg, None),
        Err(e) => other(msg, Some(e)),
    }
}

fn other(msg: &Message, why: Option<DecodeError>) -> Event {
    let name = kind_name(msg.header.kind);
    let kind = match (name, why) {
        ("unknown", _) => format!("XFRM message type {}", msg.header.kind),
        (n, None) => n.to_owned(),
        (n, Some(e)) => format!("{n} ({e})"),
    };
    Event::Other { kind }
}

fn to_event(msg: &Message, now: u64) -> Result<Option<Event>, DecodeError> {
    let kind = msg.header.kind;
    Ok(Some(match &msg.body {
        Body::Acquire { acquire, attrs } => acquire_event(acquire, attrs)?,
        Body::Expire { expire, attrs } => {
            let mut sa = decode_sa(&expire.state, attrs, now)?;
            // The expire message carries no algorithms; its state is what it says.
            sa.state = if expire.hard {
                SaState::Dead
            } else {
                SaState::Dying
            };
            Event::Expire {
                sa,
                hard: expire.hard,
            }
        }
        Body::Sa { info, attrs } => {
            let sa = decode_sa(info, attrs, now)?;
            if kind == XFRM_MSG_UPDSA {
                Event::SaUpdated(sa)
            } else {
                Event::SaAdded(sa)
            }
        }
        Body::SaId { id, attrs } if kind == XFRM_MSG_DELSA => {
            Event::SaDeleted(decode_sa_id(id, attrs)?)
        }
        Body::FlushSa { proto } => Event::SaFlushed(match *proto {
            0 | IPSEC_PROTO_ANY => None,
            p => Some(sa_type(p)?),
        }),
        Body::Policy { info, attrs } => {
            let (policy, _) = decode_policy(info, attrs)?;
            if kind == XFRM_MSG_UPDPOLICY {
                Event::PolicyUpdated(policy)
            } else {
                Event::PolicyAdded(policy)
            }
        }
        Body::PolicyId { id, attrs } if kind == XFRM_MSG_DELPOLICY => {
            // The deleted policy rides along in XFRMA_POLICY, its templates beside it.
            let full = attrs.iter().find_map(|a| match a {
                Attr::Policy(info) => Some(info),
                _ => None,
            });
            let policy = match full {
                Some(info) => decode_policy(info, attrs)?.0,
                None => {
                    let (dir, _) = model_dir(id.dir)?;
                    let mut p = Policy::new(decode_selector(&id.sel)?, dir, Action::None);
                    p.id = id.index;
                    p
                }
            };
            Event::PolicyDeleted(policy)
        }
        Body::FlushPolicy { .. } => Event::PolicyFlushed,
        _ => return Ok(None),
    }))
}

/// ACQUIRE: the kernel wants an SA for `id` from `saddr`, for the policy it carries;
/// the request is the template of that policy the missing SA is for.
fn acquire_event(acq: &UserAcquire, attrs: &[Attr]) -> Result<Event, DecodeError> {
    let family = acq.policy.sel.family;
    let satype = sa_type(acq.id.proto)?;
    let (policy, _) = decode_policy(&acq.policy, attrs)?;
    let tmpls: Vec<_> = attrs
        .iter()
        .filter_map(|a| match a {
            Attr::Tmpl(list) => Some(list.iter()),
            _ => None,
        })
        .flatten()
        .collect();
    // Each template yields its own ACQUIRE; the one meant has this protocol and, in
    // tunnel mode, this destination.
    let tmpl = tmpls
        .iter()
        .find(|t| t.id.proto == acq.id.proto && t.id.daddr == acq.id.daddr)
        .or_else(|| tmpls.iter().find(|t| t.id.proto == acq.id.proto));
    let request = match tmpl {
        Some(t) => policy
            .requests
            .iter()
            .find(|r| r.proto == satype && Some(r.mode) == model_mode(t.mode).ok())
            .cloned(),
        None => None,
    }
    .unwrap_or(Request {
        proto: satype,
        mode: Mode::Transport,
        tunnel: None,
        level: Level::Require,
        reqid: 0,
    });
    // The SA's family may differ from the policy's (IPv6 over an IPv4 tunnel): the
    // addresses are in the template's family, which the acquire does not carry
    // except through the template itself.
    let sa_family = tmpl.map_or(family, |t| t.family);
    Ok(Event::Acquire {
        src: raw_to_addr(&acq.saddr, sa_family)?,
        dst: raw_to_addr(&acq.id.daddr, sa_family)?,
        satype,
        policy,
        request,
        seq: acq.seq,
    })
}
