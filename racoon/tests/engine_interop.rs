//! Engine tests for what strongSwan and Libreswan do differently from another racoon,
//! found in the lab's 40-42 interop scenarios: several suites offered with the first
//! ones unknown to us, and an initiator that proposes no PFS group.

#[allow(dead_code)]
mod engine_sim;

use engine_sim::*;
use std::time::Duration;

/// charon offers its esp_proposals in its own order, here AES-256/HMAC-SHA-256 first;
/// a responder that only has AES-128/HMAC-SHA-1 must skip to the transform it knows and
/// answer with exactly that one.
#[test]
fn responder_skips_offered_transforms_it_lacks() {
    let offers = "pfs_group modp768; encryption_algorithm aes 256, aes 128; \
        authentication_algorithm hmac_sha256, hmac_sha1; compression_algorithm deflate;";
    let ours = "pfs_group modp768; encryption_algorithm aes 128; \
        authentication_algorithm hmac_sha1; compression_algorithm deflate;";
    let mut sim = tunnel_pair(offers, ours, "k", "k", Link::default(), 401);
    sim.run_for(Duration::from_secs(60));
    assert_pairs_match(&sim);
    let (out, _) = &sim.nodes[0].installs[0];
    let text = format!("{out:?}");
    assert!(text.contains("aes") && text.contains("sha1"), "{text}");
    assert!(!text.contains("sha256"), "{text}");
}

/// An initiator without PFS (strongSwan's esp_proposals without a DH group) against a
/// sainfo with `pfs_group`: the default `proposal_check strict` refuses, logging the
/// original's line with both groups by number (0: none), and nothing is installed.
#[test]
fn strict_refuses_no_pfs_with_the_originals_words() {
    let no_pfs = "encryption_algorithm 3des; authentication_algorithm hmac_md5; \
        compression_algorithm deflate;";
    let pfs = "pfs_group modp2048; encryption_algorithm 3des; \
        authentication_algorithm hmac_md5; compression_algorithm deflate;";
    let mut sim = tunnel_pair(no_pfs, pfs, "k", "k", Link::default(), 411);
    sim.run_for(Duration::from_secs(60));
    assert!(
        sim.nodes[1].has_log_containing("pfs group mismatched: my:14 peer:0"),
        "{:#?}",
        sim.nodes[1].logs
    );
    assert!(sim.nodes[0].installs.is_empty());
    assert!(sim.nodes[1].installs.is_empty());
}
