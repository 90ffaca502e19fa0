//! Engine tests for `generate_policy`: a responder whose SPD has nothing for its peer's
//! traffic installs the `in`/`out` (and tunnel `fwd`) policies before the SAs, with
//! the negotiated mode, the configured level and the SAs' reqid, and removes them when
//! the SAs go (DELETE from the peer, hard expiry), but not when a rekey replaces them.

#[allow(dead_code)]
mod engine_sim;

use common::addr::Selector;
use common::kernel::Event;
use common::policy::{Direction, Level, Policy, PolicyId, PolicySelector};
use common::sa::{Mode, Sa, SaType};
use engine_sim::*;
use racoon::engine::KernelRequest;
use std::time::Duration;

const ESP: &str = "pfs_group modp768; encryption_algorithm 3des; \
    authentication_algorithm hmac_md5; compression_algorithm deflate;";

/// A initiates for `lan_a -> lan_b` in `mode` (its own policies); B has only
/// `remote anonymous` with `generate_policy {how}` and `sainfo anonymous`, and no policy.
fn road_warrior(mode: Mode, lan_a: &str, lan_b: &str, how: &str, seed: u64) -> Sim {
    let sa_a = sainfo(lan_a, lan_b, ESP);
    let a = Node::new(A, &conf(B, "", PROPOSAL, &sa_a), &format!("{B} k\n"), seed);
    let b_conf = conf(
        "anonymous",
        &format!("passive on; generate_policy {how};"),
        PROPOSAL,
        &format!("sainfo anonymous {{\n {ESP}\n}}"),
    );
    let b = Node::new(B, &b_conf, &format!("{A} k\n"), seed + 1);
    let mut sim = Sim::new(a, b, Link::default(), seed + 2);
    let tunnel = (mode == Mode::Tunnel).then_some((A, B));
    let out = policy(lan_a, lan_b, Direction::Out, mode, tunnel, 7);
    sim.event(0, acquire(A, B, out));
    sim.run_for(Duration::from_secs(10));
    sim
}

fn added(node: &Node) -> Vec<Policy> {
    node.policy_ops
        .iter()
        .filter_map(|op| match op {
            KernelRequest::AddPolicy { policy } => Some((**policy).clone()),
            _ => None,
        })
        .collect()
}

fn deleted(node: &Node) -> Vec<PolicyId> {
    node.policy_ops
        .iter()
        .filter_map(|op| match op {
            KernelRequest::DeletePolicy { id } => Some(id.clone()),
            _ => None,
        })
        .collect()
}

fn selector(src: &str, dst: &str) -> PolicySelector {
    PolicySelector::Addresses {
        src: src.parse::<Selector>().unwrap(),
        dst: dst.parse::<Selector>().unwrap(),
        ul_proto: 255,
    }
}

fn expire(sim: &mut Sim, node: usize, sa: &Sa, hard: bool) {
    sim.event(
        node,
        Event::Expire {
            sa: sa.clone(),
            hard,
        },
    );
}

#[test]
fn tunnel_responder_generates_in_fwd_out_and_removes_them_with_the_sas() {
    let mut sim = road_warrior(Mode::Tunnel, "172.16.1.0/24", "172.16.2.0/24", "on", 301);
    let b = &sim.nodes[1];
    assert!(
        b.has_log(
            "no policy found, try to generate the policy : \
             172.16.1.0/24[0] 172.16.2.0/24[0] proto=any dir=in"
        ),
        "{:#?}",
        b.logs
    );
    let got = added(b);
    let want = [
        (
            "172.16.1.0/24",
            "172.16.2.0/24",
            Direction::In,
            (ip(A), ip(B)),
        ),
        (
            "172.16.1.0/24",
            "172.16.2.0/24",
            Direction::Fwd,
            (ip(A), ip(B)),
        ),
        (
            "172.16.2.0/24",
            "172.16.1.0/24",
            Direction::Out,
            (ip(B), ip(A)),
        ),
    ];
    assert_eq!(got.len(), 3, "{got:#?}");
    for (p, (src, dst, dir, ends)) in got.iter().zip(want) {
        assert_eq!(p.selector, selector(src, dst));
        assert_eq!(p.dir, dir);
        assert_eq!(p.action, common::policy::Action::Ipsec);
        let [r] = p.requests.as_slice() else {
            panic!("one request: {p:?}")
        };
        assert_eq!(r.proto, SaType::Esp);
        assert_eq!(r.mode, Mode::Tunnel);
        assert_eq!(r.tunnel, Some(ends));
        assert_eq!(r.level, Level::Require);
        assert_eq!(r.reqid, 0);
        // The SAs' lifetime, as the original's spdupdate2.
        assert_eq!(p.hard.addtime, 3600);
    }
    assert_eq!(b.installs.len(), 1, "{:#?}", b.logs);
    assert!(b.installs[0].0.mode == Mode::Tunnel && b.installs[0].0.reqid == 0);
    assert!(deleted(b).is_empty());
    assert_pairs_match(&sim);

    // A's SIGTERM: its DELETE makes B purge the pair, and the generated policies go.
    let now = sim.now;
    sim.nodes[0].engine.shutdown(now);
    sim.run_for(Duration::from_secs(2));
    let b = &sim.nodes[1];
    assert!(b.has_log_containing("purged IPsec-SA"), "{:#?}", b.logs);
    let gone: Vec<_> = deleted(b)
        .into_iter()
        .map(|id| (id.selector, id.dir))
        .collect();
    let expected: Vec<_> = got.iter().map(|p| (p.selector.clone(), p.dir)).collect();
    assert_eq!(gone, expected);
}

#[test]
fn transport_unique_policies_carry_the_sas_reqid_and_go_on_hard_expiry() {
    let mut sim = road_warrior(
        Mode::Transport,
        "192.168.1.100/32",
        "192.168.2.100/32",
        "unique",
        311,
    );
    let b = &sim.nodes[1];
    let got = added(b);
    assert_eq!(got.len(), 2, "in and out, no fwd: {got:#?}");
    assert_eq!(got[0].dir, Direction::In);
    assert_eq!(
        got[0].selector,
        selector("192.168.1.100/32", "192.168.2.100/32")
    );
    assert_eq!(got[1].dir, Direction::Out);
    assert_eq!(
        got[1].selector,
        selector("192.168.2.100/32", "192.168.1.100/32")
    );
    for p in &got {
        let r = &p.requests[0];
        assert_eq!(
            (r.mode, r.tunnel, r.level),
            (Mode::Transport, None, Level::Unique)
        );
        assert_eq!(r.reqid, 0x4000);
    }
    let (inb, out) = b.installs[0].clone();
    assert_eq!((inb.reqid, out.reqid), (0x4000, 0x4000));
    assert_eq!(inb.mode, Mode::Transport);

    expire(&mut sim, 1, &inb, true);
    sim.run_for(Duration::from_secs(1));
    assert_eq!(deleted(&sim.nodes[1]).len(), 2);
}

#[test]
fn rekey_keeps_the_generated_policies_until_the_last_pair_goes() {
    let mut sim = road_warrior(
        Mode::Tunnel,
        "172.16.1.0/24",
        "172.16.2.0/24",
        "require",
        321,
    );
    let old_b = sim.nodes[1].installs[0].clone();
    let old_a = sim.nodes[0].installs[0].clone();
    expire(&mut sim, 0, &old_a.1, false);
    sim.run_for(Duration::from_secs(2));
    let b = &sim.nodes[1];
    assert_eq!(b.installs.len(), 2, "rekeyed: {:#?}", b.logs);
    let count = |prefix: &str| b.logs.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(
        count("no policy found"),
        1,
        "the policies are generated once"
    );
    assert!(b.has_log(
        "Update the generated policy : 172.16.1.0/24[0] 172.16.2.0/24[0] proto=any dir=in"
    ));
    // ... and sent again with the new SAs, which restarts their lifetime.
    let sent = added(b);
    assert_eq!(sent.len(), 6);
    assert_eq!(sent[..3], sent[3..]);
    // The old pair's hard expiry on B: the new pair still needs the policies.
    expire(&mut sim, 1, &old_b.0, true);
    sim.run_for(Duration::from_secs(1));
    assert!(sim.nodes[1].deletes.contains(&old_b.0.id()));
    assert!(deleted(&sim.nodes[1]).is_empty());
    // The new pair's: now they go.
    let new_b = sim.nodes[1].installs[1].clone();
    expire(&mut sim, 1, &new_b.0, true);
    sim.run_for(Duration::from_secs(1));
    assert_eq!(deleted(&sim.nodes[1]).len(), 3);
}

#[test]
fn generate_policy_off_leaves_the_spd_alone() {
    let sim = road_warrior(Mode::Tunnel, "172.16.1.0/24", "172.16.2.0/24", "off", 331);
    let b = &sim.nodes[1];
    assert!(b.policy_ops.is_empty());
    assert!(!b.has_log_containing("try to generate"));
}

#[test]
fn an_existing_policy_is_used_not_generated() {
    let sa_a = sainfo("172.16.1.0/24", "172.16.2.0/24", ESP);
    let a = Node::new(A, &conf(B, "", PROPOSAL, &sa_a), &format!("{B} k\n"), 341);
    let b_conf = conf(
        "anonymous",
        "passive on; generate_policy on;",
        PROPOSAL,
        &format!("sainfo anonymous {{\n {ESP}\n}}"),
    );
    let b = Node::new(B, &b_conf, &format!("{A} k\n"), 342);
    let mut sim = Sim::new(a, b, Link::default(), 343);
    start_kame_tunnel(&mut sim);
    sim.run_for(Duration::from_secs(10));
    let b = &sim.nodes[1];
    assert!(b.policy_ops.is_empty(), "{:#?}", b.policy_ops);
    assert_eq!(b.installs[0].0.reqid, 9, "the existing policy's reqid");
}
