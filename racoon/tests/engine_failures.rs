//! Engine tests for what goes wrong: a lossy link, a wrong pre-shared key, proposals
//! that do not match, retransmissions that go unanswered.

#[allow(dead_code)]
mod engine_sim;

use common::policy::Direction;
use common::sa::Mode;
use engine_sim::*;
use std::time::Duration;

#[test]
fn lossy_link_still_converges() {
    let link = Link {
        drop: 250,
        duplicate: 250,
        jitter_ms: 400,
    };
    // Faster and more patient retransmission than the defaults, so that a quarter of the
    // packets lost never exhausts it (with racoon's 30 s phase-1 limit it may).
    let timer = "timer { counter 10; interval 2 sec; phase1 60 sec; phase2 60 sec; }\n";
    for seed in 0..24 {
        let mut sim = tunnel_pair_with(
            timer,
            SAINFO,
            SAINFO,
            "lossy",
            "lossy",
            link,
            100 + seed * 7,
        );
        sim.run_for(Duration::from_secs(300));
        let ok = sim.nodes[0].installs.len() == 1 && sim.nodes[1].installs.len() == 1;
        if !ok {
            // One side may legitimately give up if every retransmission was dropped;
            // with this seed set it must not happen.
            panic!(
                "seed {seed}: A {:#?}\nB {:#?}",
                sim.nodes[0].logs, sim.nodes[1].logs
            );
        }
        assert_pairs_match(&sim);
        let a = sim.nodes[0].engine.isakmp_sas();
        let b = sim.nodes[1].engine.isakmp_sas();
        let ka = a
            .iter()
            .find(|s| s.established)
            .unwrap()
            .keys
            .clone()
            .unwrap();
        let kb = b
            .iter()
            .find(|s| s.established)
            .unwrap()
            .keys
            .clone()
            .unwrap();
        for n in 0..3 {
            assert_eq!(ka[n].as_bytes(), kb[n].as_bytes(), "seed {seed}");
        }
    }
}

#[test]
fn duplicates_and_reordering_only() {
    let link = Link {
        drop: 0,
        duplicate: 900,
        jitter_ms: 1000,
    };
    for seed in 0..8 {
        let mut sim = tunnel_pair(SAINFO, SAINFO, "dup", "dup", link, 500 + seed);
        sim.run_for(Duration::from_secs(120));
        assert_pairs_match(&sim);
    }
}

#[test]
fn wrong_psk_fails_without_install() {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "right", "wrong", Link::default(), 9);
    sim.run_for(Duration::from_secs(300));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(a.installs.is_empty() && b.installs.is_empty());
    assert!(
        a.has_log_containing("phase1 negotiation failed due to time up."),
        "{:#?}",
        a.logs
    );
    assert!(
        b.has_log("invalid length of payload") || b.has_log("HASH mismatched"),
        "{:#?}",
        b.logs
    );
    // The responder keeps waiting, as the original does, until its own retransmissions
    // of message 4 run out.
    assert!(
        b.has_log_containing("phase1 negotiation failed due to time up."),
        "{:#?}",
        b.logs
    );
    assert!(!b.has_log_containing("ISAKMP-SA established"));
    assert!(!a.has_log_containing("ISAKMP-SA established"));
    assert!(a.has_log_containing("phase2 negotiation failed due to time up waiting for phase1."));
}

#[test]
fn missing_psk_is_named() {
    let a = Node::new(
        A,
        &conf(
            B,
            "",
            PROPOSAL,
            &sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO),
        ),
        &format!("{B} k\n"),
        11,
    );
    let b = Node::new(
        B,
        &conf(
            A,
            "",
            PROPOSAL,
            &sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO),
        ),
        "10.9.9.9 k\n",
        12,
    );
    let mut sim = Sim::new(a, b, Link::default(), 13);
    let p = policy(
        "172.16.1.0/24",
        "172.16.2.0/24",
        Direction::Out,
        Mode::Tunnel,
        Some((A, B)),
        1,
    );
    sim.event(0, acquire(A, B, p));
    sim.run_for(Duration::from_secs(120));
    assert!(sim.nodes[1].has_log(&format!("couldn't find the pskey for {A}.")));
    assert!(sim.nodes[0].installs.is_empty());
}

#[test]
fn phase1_proposal_mismatch_sends_no_proposal_chosen() {
    let other = "encryption_algorithm aes; hash_algorithm sha1; \
        authentication_method pre_shared_key; dh_group modp2048;";
    let a = Node::new(
        A,
        &conf(
            B,
            "",
            PROPOSAL,
            &sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO),
        ),
        &format!("{B} k\n"),
        21,
    );
    let b = Node::new(
        B,
        &conf(
            A,
            "",
            other,
            &sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO),
        ),
        &format!("{A} k\n"),
        22,
    );
    let mut sim = Sim::new(a, b, Link::default(), 23);
    let p = policy(
        "172.16.1.0/24",
        "172.16.2.0/24",
        Direction::Out,
        Mode::Tunnel,
        Some((A, B)),
        1,
    );
    sim.event(0, acquire(A, B, p));
    sim.run_for(Duration::from_secs(120));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(b.has_log("no suitable proposal found."), "{:#?}", b.logs);
    assert!(b.has_log(&format!("{A} failed to get valid proposal.")));
    assert!(b.has_log(&format!(
        "{A} failed to pre-process ph1 packet (side: 1, status 1)."
    )));
    assert!(b.has_log(&format!("{A} phase1 negotiation failed.")));
    assert!(
        a.has_log("fatal NO-PROPOSAL-CHOSEN notify messsage, phase1 should be deleted."),
        "{:#?}",
        a.logs
    );
    assert!(a.installs.is_empty() && b.installs.is_empty());
    assert!(a.engine.isakmp_sas().is_empty());
}

#[test]
fn phase2_proposal_mismatch_sends_no_proposal_chosen() {
    let b_body = "encryption_algorithm aes; authentication_algorithm hmac_sha1; \
        compression_algorithm deflate;";
    let mut sim = tunnel_pair(SAINFO, b_body, "k", "k", Link::default(), 31);
    sim.run_for(Duration::from_secs(120));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(a.has_log_containing("ISAKMP-SA established"));
    assert!(b.has_log("no suitable proposal found."), "{:#?}", b.logs);
    assert!(
        a.has_log("fatal NO-PROPOSAL-CHOSEN notify messsage, phase1 should be deleted."),
        "{:#?}",
        a.logs
    );
    assert!(a.has_log_containing("phase2 negotiation failed."));
    assert!(a.installs.is_empty() && b.installs.is_empty());
}

/// A tunnel whose initiator asks for `initiator_sainfo` (a longer lifetime) and whose
/// responder checks proposals with `responder_check`, run until it settles; the seeds
/// are `seed`, `seed + 1` (the nodes) and `seed + 2` (the link).
fn lifetime_negotiation(initiator_sainfo: &str, responder_check: &str, seed: u64) -> Sim {
    let a = Node::new(
        A,
        &conf(
            B,
            "",
            PROPOSAL,
            &sainfo("172.16.1.0/24", "172.16.2.0/24", initiator_sainfo),
        ),
        &format!("{B} k\n"),
        seed,
    );
    let b = Node::new(
        B,
        &conf(
            A,
            responder_check,
            PROPOSAL,
            &sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO),
        ),
        &format!("{A} k\n"),
        seed + 1,
    );
    let mut sim = Sim::new(a, b, Link::default(), seed + 2);
    let p = policy(
        "172.16.1.0/24",
        "172.16.2.0/24",
        Direction::Out,
        Mode::Tunnel,
        Some((A, B)),
        1,
    );
    sim.event(0, acquire(A, B, p));
    sim.run_for(Duration::from_secs(120));
    sim
}

#[test]
fn strict_refuses_a_longer_lifetime_claim_shortens_it() {
    let long = format!("{SAINFO} lifetime time 3960 sec;");
    let mut sim = tunnel_pair(&long, SAINFO, "k", "k", Link::default(), 41);
    sim.run_for(Duration::from_secs(120));
    assert!(sim.nodes[1].has_log("long lifetime proposed: my:3600 peer:3960"));
    assert!(sim.nodes[0].installs.is_empty());

    let sim = lifetime_negotiation(&long, "proposal_check claim;", 42);
    assert_pairs_match(&sim);
    assert_eq!(sim.nodes[0].installs[0].1.hard.addtime, 3600);
    assert_eq!(sim.nodes[1].installs[0].1.hard.addtime, 3600);
}

#[test]
fn obey_takes_the_initiators_lifetime() {
    let long = format!("{SAINFO} lifetime time 7200 sec;");
    let sim = lifetime_negotiation(&long, "proposal_check obey;", 51);
    assert_pairs_match(&sim);
    assert_eq!(sim.nodes[1].installs[0].0.hard.addtime, 7200);
}

#[test]
fn retransmissions_follow_the_timer_section() {
    let timer = "timer { counter 3; interval 2 sec; persend 1; phase1 60 sec; }\n";
    let a = Node::new(
        A,
        &format!(
            "{timer}{}",
            conf(
                B,
                "",
                PROPOSAL,
                &sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO)
            )
        ),
        &format!("{B} k\n"),
        61,
    );
    let b = Node::new(B, "", "", 62);
    let mut sim = Sim::new(
        a,
        b,
        Link {
            drop: 1000,
            ..Link::default()
        },
        63,
    );
    let p = policy(
        "172.16.1.0/24",
        "172.16.2.0/24",
        Direction::Out,
        Mode::Tunnel,
        Some((A, B)),
        1,
    );
    sim.event(0, acquire(A, B, p));
    sim.run_for(Duration::from_secs(120));
    // One send and three resends, two seconds apart, then the give-up.
    assert_eq!(sim.sent, 4);
    assert!(sim.nodes[0].has_log_containing("phase1 negotiation failed due to time up."));
    assert!(sim.nodes[0].engine.isakmp_sas().is_empty());
}
