//! `generate_policy on|require|unique`: the responder installs the policies its peer's
//! traffic needs when its SPD has none (road warriors, L2TP/IPsec clients).
//!
//! Quick mode's first message names the traffic (IDci/IDcr, or the two IKE addresses
//! when no IDs were sent). With no inbound policy for it, the responder plans an `in`
//! and an `out` policy (and `fwd` for tunnel mode, as Linux needs), sends them to the
//! kernel (add or replace) before the SAs, with the SAs' lifetime as their own (as the
//! original's spdupdate2, so that they cannot outlive their SAs by much even if racoon
//! dies), and ties them to the phase-2 handle. A new quick mode for the same traffic (a
//! rekey) sends them again ("Update the generated policy"), which restarts their
//! lifetime. When the handle goes (hard expiry, DELETE from the peer, flush, shutdown)
//! the policies go with it, unless a newer negotiation for the same traffic carries on,
//! which then inherits them.
//!
//! In transport mode through a NAT (L2TP/IPsec clients at home) the peer's IDs name its
//! private address, while the traffic carries the NAT's: the policies name the phase-1
//! addresses instead (see [`behind_nat`]).

use super::ph1::Side;
use super::ph2::Ph2;
use super::proposal::Ph2Choice;
use super::{ident, Engine, KernelRequest};
use crate::conf::{GeneratePolicy, LogLevel};
use crate::isakmp::Identification;
use common::addr::Selector;
use common::policy::{
    Action, Direction, Level, Policy, PolicyId, PolicySelector, Request, PRIORITY_DEFAULT, UL_ANY,
};
use common::sa::Mode;
use std::net::IpAddr;

/// The first reqid given to `generate_policy unique` pairs (above what `unique:N` in
/// setkey files commonly uses, as the kernel's own automatic reqids start there too).
const FIRST_UNIQUE_REQID: u32 = 0x4000;

/// The traffic of a phase 2 seen from the responder: the peer's side, ours, protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Traffic {
    pub theirs: Selector,
    pub mine: Selector,
    pub ul_proto: u8,
}

/// Policies generated for one phase-2 handle.
#[derive(Debug, Clone)]
pub(super) struct Generated {
    /// The phase-2 handle (its id) whose SAs use them.
    owner: u64,
    traffic: Traffic,
    reqid: u32,
    policies: Vec<Policy>,
    /// Whether they were sent to the kernel (with quick mode's message 2).
    sent: bool,
    /// Newer handles for the same traffic, which send them again (refreshed).
    refresh: Vec<u64>,
}

/// `10.0.1.5/32[0] 10.15.13.224/27[0] proto=any dir=in`, as the original's spidx2str.
pub(super) fn spidx(src: &Selector, dst: &Selector, ul_proto: u8, dir: Direction) -> String {
    let port = |s: &Selector| s.port_or_any().get();
    let proto = match ul_proto {
        UL_ANY => "any".to_owned(),
        1 => "icmp".to_owned(),
        6 => "tcp".to_owned(),
        17 => "udp".to_owned(),
        58 => "icmpv6".to_owned(),
        n => n.to_string(),
    };
    format!(
        "{}/{}[{}] {}/{}[{}] proto={proto} dir={dir}",
        src.ip(),
        src.prefix_len(),
        port(src),
        dst.ip(),
        dst.prefix_len(),
        port(dst)
    )
}

/// The policies for `t`: `in` (and `fwd` in tunnel mode) from the peer, `out` to it.
fn build(
    t: &Traffic,
    choice: &Ph2Choice,
    level: Level,
    reqid: u32,
    ends: (IpAddr, IpAddr),
) -> Vec<Policy> {
    let (local, remote) = ends;
    let one = |src: Selector, dst: Selector, dir: Direction, tunnel: (IpAddr, IpAddr)| {
        let selector = PolicySelector::Addresses {
            src,
            dst,
            ul_proto: t.ul_proto,
        };
        let mut p = Policy::new(selector, dir, Action::Ipsec);
        p.priority = PRIORITY_DEFAULT;
        p.hard.addtime = choice.lifetime;
        p.requests.push(Request {
            proto: choice.satype,
            mode: choice.mode,
            tunnel: (choice.mode == Mode::Tunnel).then_some(tunnel),
            level,
            reqid,
        });
        p
    };
    let mut out = vec![one(t.theirs, t.mine, Direction::In, (remote, local))];
    if choice.mode == Mode::Tunnel {
        out.push(one(t.theirs, t.mine, Direction::Fwd, (remote, local)));
    }
    out.push(one(t.mine, t.theirs, Direction::Out, (local, remote)));
    out
}

fn traffic(theirs: &Identification, mine: &Identification) -> Option<Traffic> {
    let (theirs, ul_proto) = ident::to_selector(theirs)?;
    let (mine, _) = ident::to_selector(mine)?;
    Some(Traffic {
        theirs,
        mine,
        ul_proto,
    })
}

/// Transport mode through a NAT: the packets the kernel decapsulates carry the
/// addresses the NAT left in their one IP header, not the ones the peer's IDs name (a
/// client behind a NAT sends its private address as IDci). A host ID that is not the
/// phase-1 address is replaced by the phase-1 address, its port kept, so that the
/// policies match the traffic as it arrives and the answers find their SAs (an L2TP
/// server's `udp 1701` to and from each client's public address).
fn behind_nat(t: Traffic, ends: (IpAddr, IpAddr)) -> Traffic {
    let (local, remote) = ends;
    let to = |s: Selector, ip: IpAddr| {
        if s.is_host() && s.ip() != ip && s.family() == Selector::host(ip).family() {
            Selector::host(ip).with_port(s.port())
        } else {
            s
        }
    };
    Traffic {
        theirs: to(t.theirs, remote),
        mine: to(t.mine, local),
        ul_proto: t.ul_proto,
    }
}

fn same_prefix(a: &Selector, b: &Selector) -> bool {
    a.network() == b.network() && a.prefix_len() == b.prefix_len()
}

impl Engine {
    /// The traffic of a responder's phase 2 as its policies must name it: from the IDs
    /// (the phase-1 addresses without IDs), adjusted for transport mode through a NAT
    /// (`nat`: its SAs are ESP in UDP) between the SA's ends `(local, remote)`.
    fn responder_traffic(
        theirs: &Identification,
        mine: &Identification,
        mode: Mode,
        nat: bool,
        ends: (IpAddr, IpAddr),
    ) -> Option<Traffic> {
        let t = traffic(theirs, mine)?;
        if mode == Mode::Transport && nat {
            return Some(behind_nat(t, ends));
        }
        Some(t)
    }

    /// A responder handle's traffic, from its IDs or its addresses. Whether it crosses
    /// a NAT comes from its ISAKMP-SA, or once that is gone, from its SAs.
    fn traffic_of(&self, p: &Ph2) -> Option<Traffic> {
        if p.side != Side::Responder {
            return None;
        }
        let nat = match self.ph1_index(p.ph1) {
            Some(p1) => self.natt_encapsulating(p1).is_some(),
            None => p
                .installed
                .as_ref()
                .or(p.keyed.as_ref())
                .is_some_and(|(inbound, _)| inbound.natt.is_some()),
        };
        let host = |ip| ident::from_selector(&Selector::host(ip), UL_ANY);
        let theirs = p.idci.clone().unwrap_or_else(|| host(p.remote));
        let mine = p.idcr.clone().unwrap_or_else(|| host(p.local));
        Self::responder_traffic(&theirs, &mine, p.choice?.mode, nat, (p.local, p.remote))
    }

    /// Responder, quick mode's message 1 for handle `owner`: with `generate_policy` on
    /// and no inbound policy for the traffic, plans the policies and returns the reqid
    /// the SAs take; `None` leaves the SPD as it is.
    pub(super) fn plan_policies(
        &mut self,
        p1: usize,
        owner: u64,
        theirs: &Identification,
        mine: &Identification,
        choice: &Ph2Choice,
    ) -> Option<u32> {
        let level = match self.config.remotes[self.ph1s[p1].rmconf].generate_policy {
            GeneratePolicy::Off => return None,
            GeneratePolicy::Require => Level::Require,
            GeneratePolicy::Unique => Level::Unique,
        };
        let nat = self.natt_encapsulating(p1).is_some();
        let ends = (self.ph1s[p1].local.ip(), self.ph1s[p1].remote.ip());
        let t = Self::responder_traffic(theirs, mine, choice.mode, nat, ends)?;
        if let Some(k) = self.generated.iter().position(|g| g.traffic == t) {
            self.log(
                LogLevel::Info,
                format!(
                    "Update the generated policy : {}",
                    spidx(&t.theirs, &t.mine, t.ul_proto, Direction::In)
                ),
            );
            let g = &mut self.generated[k];
            g.refresh.push(owner);
            return Some(g.reqid);
        }
        let known = self.policies.iter().any(|p| {
            p.dir == Direction::In
                && matches!(&p.selector, PolicySelector::Addresses { src, dst, .. }
                    if same_prefix(src, &t.theirs) && same_prefix(dst, &t.mine))
        });
        if known {
            return None;
        }
        self.log(
            LogLevel::Info,
            format!(
                "no policy found, try to generate the policy : {}",
                spidx(&t.theirs, &t.mine, t.ul_proto, Direction::In)
            ),
        );
        let reqid = match level {
            Level::Unique => self
                .generated
                .iter()
                .map(|g| g.reqid + 1)
                .max()
                .unwrap_or(FIRST_UNIQUE_REQID)
                .max(FIRST_UNIQUE_REQID),
            _ => 0,
        };
        let policies = build(&t, choice, level, reqid, ends);
        self.generated.push(Generated {
            owner,
            traffic: t,
            reqid,
            policies,
            sent: false,
            refresh: Vec::new(),
        });
        Some(reqid)
    }

    /// Responder, before the SAs of handle `owner` go in: the policies it planned, or
    /// refreshes, go to the kernel with its SAs' lifetime, and into our view of the SPD.
    pub(super) fn send_policies(&mut self, owner: u64, lifetime: u64) {
        let Some(g) = self
            .generated
            .iter_mut()
            .find(|g| (g.owner == owner && !g.sent) || g.refresh.contains(&owner))
        else {
            return;
        };
        g.sent = true;
        g.refresh.retain(|&o| o != owner);
        for p in &mut g.policies {
            p.hard.addtime = lifetime;
        }
        let policies = g.policies.clone();
        for p in policies {
            self.policies
                .retain(|q| !(q.selector == p.selector && q.dir == p.dir));
            self.policies.push(p.clone());
            self.kernel(KernelRequest::AddPolicy {
                policy: Box::new(p),
            });
        }
    }

    /// After every step: policies whose handle is gone pass to a newer handle for the
    /// same traffic (a rekey), or are deleted from the kernel.
    pub(super) fn reap_policies(&mut self) {
        let mut i = 0;
        while i < self.generated.len() {
            let live = |id: &u64| self.ph2s.iter().any(|p| p.id == *id);
            let refresh: Vec<u64> = self.generated[i]
                .refresh
                .iter()
                .copied()
                .filter(live)
                .collect();
            self.generated[i].refresh = refresh;
            let owner = self.generated[i].owner;
            if self.ph2s.iter().any(|p| p.id == owner) {
                i += 1;
                continue;
            }
            let t = self.generated[i].traffic;
            let heir = self
                .ph2s
                .iter()
                .filter(|p| !self.generated.iter().any(|g| g.owner == p.id))
                .find(|p| self.traffic_of(p) == Some(t))
                .map(|p| p.id);
            if let Some(heir) = heir {
                self.generated[i].owner = heir;
                i += 1;
                continue;
            }
            let g = self.generated.remove(i);
            if !g.sent {
                continue;
            }
            for p in g.policies {
                self.policies
                    .retain(|q| !(q.selector == p.selector && q.dir == p.dir));
                self.kernel(KernelRequest::DeletePolicy {
                    id: PolicyId {
                        selector: p.selector,
                        dir: p.dir,
                    },
                });
            }
        }
    }
}
