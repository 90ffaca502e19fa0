//! Engine tests for what happens to SAs after their quick mode: the kernel's soft and
//! hard EXPIREs on a fake clock (rekey without a gap, the old pair deleted alone), the
//! daemon's SIGTERM (`Engine::shutdown`: the peer deletes its SAs too) and SIGHUP
//! (`Engine::set_config`: existing SAs kept, new negotiations on the new file).

#[allow(dead_code)]
mod engine_sim;

use common::kernel::Event;
use common::sa::{Sa, SaId};
use engine_sim::*;
use racoon::psk::PskFile;
use std::sync::Arc;
use std::time::Duration;

const LIFETIME_30: &str = "pfs_group modp768; encryption_algorithm 3des; \
    authentication_algorithm hmac_md5; compression_algorithm deflate; lifetime time 30 sec;";

fn expire(sim: &mut Sim, node: usize, sa: &Sa, hard: bool) {
    sim.event(
        node,
        Event::Expire {
            sa: sa.clone(),
            hard,
        },
    );
}

fn ids(pair: &(Sa, Sa)) -> [SaId; 2] {
    [pair.0.id(), pair.1.id()]
}

#[test]
fn installed_sas_carry_soft_lifetime_at_80_percent() {
    let mut sim = tunnel_pair(LIFETIME_30, LIFETIME_30, "k", "k", Link::default(), 61);
    sim.run_for(Duration::from_secs(10));
    assert_pairs_match(&sim);
    for n in 0..2 {
        let (i, o) = &sim.nodes[n].installs[0];
        for sa in [i, o] {
            assert_eq!(sa.hard.addtime, 30);
            assert_eq!(sa.soft.addtime, 24);
        }
    }
}

/// The kernel's timeline for a 30 s SA: soft EXPIRE at 24 s on both sides (the
/// initiator negotiates a new pair), hard EXPIRE at 30 s (the old pair goes, told to
/// the peer). Neither side may delete the new pair, and the responder never initiates.
#[test]
fn soft_expiry_rekeys_and_hard_expiry_deletes_only_the_old_pair() {
    let mut sim = tunnel_pair(LIFETIME_30, LIFETIME_30, "k", "k", Link::default(), 71);
    sim.run_for(Duration::from_secs(10));
    assert_pairs_match(&sim);
    let old_a = sim.nodes[0].installs[0].clone();
    let old_b = sim.nodes[1].installs[0].clone();

    // 24 s after the install: both SAs of each pair soft-expire.
    sim.run_for(Duration::from_secs(14));
    for (node, pair) in [(0, &old_a), (1, &old_b)] {
        expire(&mut sim, node, &pair.0, false);
        expire(&mut sim, node, &pair.1, false);
    }
    sim.run_for(Duration::from_secs(2));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(
        a.has_log_containing("IPsec-SA expired: ESP/Tunnel"),
        "{:#?}",
        a.logs
    );
    assert_eq!(a.installs.len(), 2, "one new pair on A: {:#?}", a.logs);
    assert_eq!(b.installs.len(), 2, "one new pair on B: {:#?}", b.logs);
    assert!(a.deletes.is_empty() && b.deletes.is_empty());
    let (new_a, new_b) = (a.installs[1].clone(), b.installs[1].clone());
    // The new pair has new SPIs, and the two sides agree on them.
    assert_ne!(new_a.0.spi, old_a.0.spi);
    assert_ne!(new_a.1.spi, old_a.1.spi);
    assert_eq!(new_a.1.spi, new_b.0.spi);
    assert_eq!(new_b.1.spi, new_a.0.spi);
    assert_eq!(new_a.1.enc, new_b.0.enc);
    // Only the initiator started a quick mode.
    let initiated = |n: &Node| {
        n.logs
            .iter()
            .filter(|l| l.starts_with("initiate new phase 2 negotiation"))
            .count()
    };
    assert_eq!(initiated(&sim.nodes[0]), 2);
    assert_eq!(initiated(&sim.nodes[1]), 0);

    // 30 s: the kernel drops the old SAs and reports their hard expiry.
    sim.run_for(Duration::from_secs(4));
    expire(&mut sim, 0, &old_a.0, true);
    expire(&mut sim, 0, &old_a.1, true);
    sim.run_for(Duration::from_millis(50));
    expire(&mut sim, 1, &old_b.0, true);
    expire(&mut sim, 1, &old_b.1, true);
    sim.run_for(Duration::from_secs(5));
    for (n, old, new) in [(0, &old_a, &new_a), (1, &old_b, &new_b)] {
        let node = &sim.nodes[n];
        for id in ids(old) {
            assert!(node.deletes.contains(&id), "node {n}: {:#?}", node.logs);
        }
        for id in ids(new) {
            assert!(!node.deletes.contains(&id), "node {n} deleted the new pair");
        }
        assert_eq!(node.installs.len(), 2, "node {n}: no further rekey");
    }
    // A later soft expiry of the new pair rekeys again (the rekey is not one-shot).
    expire(&mut sim, 0, &new_a.0, false);
    sim.run_for(Duration::from_secs(2));
    assert_eq!(sim.nodes[0].installs.len(), 3);
    assert_eq!(sim.nodes[1].installs.len(), 3);
}

/// A soft expiry on the responder alone starts nothing; the hard one deletes the pair
/// on both sides (the DELETE reaches the initiator).
#[test]
fn responder_soft_expiry_waits_hard_expiry_is_told_to_the_peer() {
    let mut sim = tunnel_pair(LIFETIME_30, LIFETIME_30, "k", "k", Link::default(), 81);
    sim.run_for(Duration::from_secs(10));
    let pair_b = sim.nodes[1].installs[0].clone();
    let pair_a = sim.nodes[0].installs[0].clone();
    expire(&mut sim, 1, &pair_b.0, false);
    sim.run_for(Duration::from_secs(5));
    assert_eq!(sim.nodes[0].installs.len(), 1);
    assert_eq!(sim.nodes[1].installs.len(), 1);
    expire(&mut sim, 1, &pair_b.1, true);
    sim.run_for(Duration::from_secs(5));
    for id in ids(&pair_a) {
        assert!(
            sim.nodes[0].deletes.contains(&id),
            "{:#?}",
            sim.nodes[0].logs
        );
    }
    assert!(sim.nodes[0].has_log_containing("purged IPsec-SA proto_id=ESP"));
}

/// SIGTERM on one side: its SAs are deleted, and DELETE payloads make the peer delete
/// its own pair and forget the ISAKMP-SA.
#[test]
fn shutdown_tells_the_peer_to_delete_its_sas() {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "k", "k", Link::default(), 91);
    sim.run_for(Duration::from_secs(10));
    assert_pairs_match(&sim);
    let pair_a = sim.nodes[0].installs[0].clone();
    let pair_b = sim.nodes[1].installs[0].clone();
    assert_eq!(sim.nodes[1].engine.isakmp_sas().len(), 1);
    let now = sim.now;
    sim.nodes[0].engine.shutdown(now);
    sim.run_for(Duration::from_secs(5));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    for id in ids(&pair_a) {
        assert!(a.deletes.contains(&id));
    }
    for id in ids(&pair_b) {
        assert!(b.deletes.contains(&id), "{:#?}", b.logs);
    }
    assert!(a.has_log_containing("ISAKMP-SA deleted 192.168.1.100[500]-192.168.2.100[500]"));
    assert!(b.has_log_containing("purged IPsec-SA proto_id=ESP"));
    assert!(b.has_log_containing("purging ISAKMP-SA"));
    assert!(a.engine.isakmp_sas().is_empty());
    assert!(b.engine.isakmp_sas().is_empty(), "{:#?}", b.logs);
    assert!(a.engine.poll_timeout().is_none());
}

/// SIGHUP with a corrected sainfo: the ISAKMP-SA negotiated under the old file stays,
/// and the next ACQUIRE negotiates with the new one.
#[test]
fn set_config_keeps_sas_and_applies_to_new_negotiations() {
    let b_aes = "encryption_algorithm aes; authentication_algorithm hmac_sha1; \
        compression_algorithm deflate;";
    let mut sim = tunnel_pair(SAINFO, b_aes, "k", "k", Link::default(), 101);
    sim.run_for(Duration::from_secs(30));
    assert!(sim.nodes[1].has_log("no suitable proposal found."));
    assert!(sim.nodes[0].installs.is_empty());
    let cookies = sim.nodes[1].engine.isakmp_sas()[0].icookie;

    let fixed = conf(
        A,
        "",
        PROPOSAL,
        &sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO),
    );
    let now = sim.now;
    sim.nodes[1].engine.set_config(
        now,
        parsed_conf(&fixed),
        Arc::new(PskFile::parse(format!("{A} k\n").as_bytes())),
    );
    sim.run_for(Duration::from_secs(1));
    let after = sim.nodes[1].engine.isakmp_sas();
    assert_eq!(after.len(), 1, "the ISAKMP-SA survives the reload");
    assert_eq!(after[0].icookie, cookies);
    assert!(sim.nodes[1].deletes.is_empty());

    acquire_kame_tunnel(&mut sim);
    sim.run_for(Duration::from_secs(30));
    assert_pairs_match(&sim);
    // The same ISAKMP-SA carried the quick mode: no second phase 1.
    assert_eq!(sim.nodes[1].engine.isakmp_sas().len(), 1);
}

/// SIGHUP with a file that no longer has a remote for an established peer: that
/// ISAKMP-SA is deleted (and the peer told); a new psk applies to the next phase 1.
#[test]
fn set_config_without_the_remote_deletes_its_isakmp_sa() {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "k", "k", Link::default(), 111);
    sim.run_for(Duration::from_secs(10));
    assert_pairs_match(&sim);
    let other = conf(
        "10.9.9.9",
        "",
        PROPOSAL,
        &sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO),
    );
    let now = sim.now;
    sim.nodes[1]
        .engine
        .set_config(now, parsed_conf(&other), Arc::new(PskFile::parse(b"")));
    sim.run_for(Duration::from_secs(2));
    assert!(sim.nodes[1].engine.isakmp_sas().is_empty());
    assert!(
        sim.nodes[0].engine.isakmp_sas().is_empty(),
        "the peer was told"
    );
    // The IPsec SAs themselves stay until they expire.
    assert!(sim.nodes[1].deletes.is_empty());
}

/// A quick mode refused with NO-PROPOSAL-CHOSEN gives back the SPI its GETSPI reserved
/// (the larval SA), so that nothing of it stays in the kernel.
#[test]
fn failed_quick_mode_releases_its_larval_sa() {
    let b_aes = "encryption_algorithm aes; authentication_algorithm hmac_sha1; \
        compression_algorithm deflate;";
    let mut sim = tunnel_pair(SAINFO, b_aes, "k", "k", Link::default(), 121);
    sim.run_for(Duration::from_secs(30));
    let a = &sim.nodes[0];
    assert!(a.has_log_containing("phase2 negotiation failed."));
    assert!(a.installs.is_empty());
    let larval = SaId {
        src: ip(B),
        dst: ip(A),
        satype: common::sa::SaType::Esp,
        spi: a.next_spi,
    };
    assert_eq!(a.deletes, vec![larval]);
}
