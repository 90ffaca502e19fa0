//! Byte lifetimes (`lifetime byte N KB|MB|GB` in sainfo): proposed in quick mode,
//! checked per `proposal_check` like the time lifetime, installed as the SAs' hard byte
//! limit with a soft one at 80 %, and a soft EXPIRE (whichever limit fired in the
//! kernel) rekeys like a time one.

#[allow(dead_code)]
mod engine_sim;

use common::kernel::Event;
use common::sa::Sa;
use engine_sim::*;
use std::time::Duration;

const KB40: &str = "pfs_group modp768; encryption_algorithm 3des; \
    authentication_algorithm hmac_md5; compression_algorithm deflate; lifetime byte 40 KB;";

/// A tunnel between A (sainfo body `a`) and B (body `b`, remote options `check`).
fn pair(a: &str, b: &str, check: &str, seed: u64) -> Sim {
    pair_ph1("", a, b, check, seed)
}

/// [`pair`] with remote options `a_remote` on A (a phase-1 `lifetime byte`, say).
fn pair_ph1(a_remote: &str, a: &str, b: &str, check: &str, seed: u64) -> Sim {
    let na = Node::new(
        A,
        &conf(
            B,
            a_remote,
            PROPOSAL,
            &sainfo("172.16.1.0/24", "172.16.2.0/24", a),
        ),
        &format!("{B} k\n"),
        seed,
    );
    let nb = Node::new(
        B,
        &conf(
            A,
            check,
            PROPOSAL,
            &sainfo("172.16.2.0/24", "172.16.1.0/24", b),
        ),
        &format!("{A} k\n"),
        seed + 1,
    );
    let mut sim = Sim::new(na, nb, Link::default(), seed + 2);
    start_kame_tunnel(&mut sim);
    sim.run_for(Duration::from_secs(30));
    sim
}

fn bytes(sa: &Sa) -> (u64, u64) {
    (sa.hard.bytes, sa.soft.bytes)
}

#[test]
fn both_sides_install_the_byte_limit_and_80_percent_soft() {
    let mut sim = tunnel_pair(KB40, KB40, "k", "k", Link::default(), 301);
    sim.run_for(Duration::from_secs(10));
    assert_pairs_match(&sim);
    for n in &sim.nodes {
        let (i, o) = &n.installs[0];
        for sa in [i, o] {
            assert_eq!(bytes(sa), (40960, 32768));
            // The time lifetime is still there (the sainfo's default hour).
            assert_eq!((sa.hard.addtime, sa.soft.addtime), (3600, 2880));
        }
    }
}

#[test]
fn without_byte_lifetimes_the_sas_have_no_byte_limit() {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "k", "k", Link::default(), 311);
    sim.run_for(Duration::from_secs(10));
    assert_pairs_match(&sim);
    assert_eq!(bytes(&sim.nodes[0].installs[0].1), (0, 0));
    assert_eq!(bytes(&sim.nodes[1].installs[0].0), (0, 0));
}

#[test]
fn strict_refuses_more_bytes_than_ours_or_none() {
    let more = KB40.replace("40 KB", "100 KB");
    let sim = pair(&more, KB40, "", 321);
    assert!(
        sim.nodes[1].has_log("long lifebyte proposed: my:40 peer:100"),
        "{:#?}",
        sim.nodes[1].logs
    );
    assert!(sim.nodes[0].installs.is_empty() && sim.nodes[1].installs.is_empty());

    let sim = pair(SAINFO, KB40, "", 331);
    assert!(sim.nodes[1].has_log("long lifebyte proposed: my:40 peer:0"));
    assert!(sim.nodes[0].installs.is_empty());

    // Fewer bytes than ours, or a limit where we have none: taken.
    let sim = pair(KB40, &more, "", 341);
    assert_pairs_match(&sim);
    assert_eq!(bytes(&sim.nodes[1].installs[0].1), (40960, 32768));
    let sim = pair(KB40, SAINFO, "", 351);
    assert_pairs_match(&sim);
    assert_eq!(bytes(&sim.nodes[1].installs[0].0), (40960, 32768));
}

#[test]
fn claim_installs_ours_and_tells_the_initiator() {
    let more = KB40.replace("40 KB", "1 MB");
    let sim = pair(&more, KB40, "proposal_check claim;", 361);
    assert_pairs_match(&sim);
    // The initiator learned ours from RESPONDER-LIFETIME: both install 40 KB.
    for n in &sim.nodes {
        assert_eq!(bytes(&n.installs[0].0), (40960, 32768));
        assert_eq!(bytes(&n.installs[0].1), (40960, 32768));
    }
}

#[test]
fn exact_wants_the_same_bytes_obey_takes_the_initiators() {
    let more = KB40.replace("40 KB", "2 MB");
    let sim = pair(&more, KB40, "proposal_check exact;", 371);
    assert!(sim.nodes[1].has_log("lifebyte mismatched: my:40 peer:2048"));
    assert!(sim.nodes[1].installs.is_empty());
    let sim = pair(&more, KB40, "proposal_check obey;", 381);
    assert_pairs_match(&sim);
    assert_eq!(bytes(&sim.nodes[1].installs[0].0).0, 2048 * 1024);
}

/// The kernel's soft EXPIRE when the byte count passes 32 KB: the initiator negotiates
/// a new pair, as for a time expiry; the old one stays until its hard EXPIRE.
#[test]
fn a_soft_byte_expiry_rekeys() {
    let mut sim = tunnel_pair(KB40, KB40, "k", "k", Link::default(), 391);
    sim.run_for(Duration::from_secs(10));
    assert_pairs_match(&sim);
    let old = sim.nodes[0].installs[0].clone();
    let mut used = old.1.clone();
    used.current = Some(common::sa::Lifetime {
        bytes: 32800,
        ..Default::default()
    });
    sim.event(
        0,
        Event::Expire {
            sa: used,
            hard: false,
        },
    );
    sim.run_for(Duration::from_secs(5));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(
        a.has_log_containing("IPsec-SA expired: ESP/Tunnel"),
        "{:#?}",
        a.logs
    );
    assert_eq!(a.installs.len(), 2, "{:#?}", a.logs);
    assert_eq!(b.installs.len(), 2, "{:#?}", b.logs);
    assert!(a.deletes.is_empty() && b.deletes.is_empty());
    assert_ne!(a.installs[1].1.spi, old.1.spi);
    assert_eq!(bytes(&a.installs[1].1), (40960, 32768));
    // The hard EXPIRE then removes only the old pair.
    sim.event(
        0,
        Event::Expire {
            sa: old.1.clone(),
            hard: true,
        },
    );
    sim.run_for(Duration::from_secs(5));
    let a = &sim.nodes[0];
    assert!(a.deletes.contains(&old.0.id()) && a.deletes.contains(&old.1.id()));
    assert!(!a.deletes.contains(&a.installs[1].1.id()));
}

/// `lifetime byte` in sainfo, remote and proposal, in kilobytes, glued or not; no
/// warning (the feature is implemented), and `lifetime time` beside it kept.
#[test]
fn byte_lifetimes_parse_in_kilobytes_everywhere() {
    use racoon::conf::{parse_str, NoIncludes};
    let text = "remote anonymous { exchange_mode main; lifetime byte 1 GB; \
        lifetime time 2 hour; proposal { encryption_algorithm aes; hash_algorithm sha1; \
        authentication_method pre_shared_key; dh_group 2; lifetime byte 2048KB; } }\n\
        sainfo anonymous { lifetime byte 2 MB; lifetime time 10 min; \
        encryption_algorithm aes; authentication_algorithm hmac_sha1; \
        compression_algorithm deflate; }\n\
        sainfo address 10.0.0.1 any address 10.0.0.2 any { lifetime byte 4096 B; \
        encryption_algorithm aes; authentication_algorithm hmac_sha1; \
        compression_algorithm deflate; }\n";
    let c = parse_str("racoon.conf", text, &mut NoIncludes).expect("parses");
    assert!(c.unimplemented.is_empty(), "{:?}", c.unimplemented);
    let r = &c.remotes[0];
    assert_eq!((r.lifebyte, r.lifetime), (1 << 20, 7200));
    assert_eq!(r.proposals[0].lifebyte, Some(2048));
    assert_eq!((c.sainfos[0].lifebyte, c.sainfos[0].lifetime), (2048, 600));
    assert_eq!(c.sainfos[1].lifebyte, 4);
}

/// Phase 1: the proposal's kilobytes are offered and checked like its seconds (the
/// ISAKMP-SA is not counted, as the original did not count it either).
#[test]
fn phase1_byte_lifetimes_are_checked() {
    let sim = pair_ph1(
        "lifetime byte 100 KB;",
        SAINFO,
        SAINFO,
        "lifetime byte 40 KB;",
        401,
    );
    assert!(
        sim.nodes[1].has_log("long lifebyte proposed: my:40 peer:100"),
        "{:#?}",
        sim.nodes[1].logs
    );
    assert!(!sim.nodes[1].has_log_containing("ISAKMP-SA established"));
    let sim = pair_ph1(
        "lifetime byte 10 KB;",
        SAINFO,
        SAINFO,
        "lifetime byte 40 KB;",
        411,
    );
    assert!(sim.nodes[1].has_log_containing("ISAKMP-SA established"));
    assert_pairs_match(&sim);
}
