//! The ECP groups of RFC 5903 between two engines: main mode with `dh_group ecp256` and
//! quick mode with `pfs_group ecp384`, aggressive mode with `dh_group ecp521`; the KE
//! payloads on the wire are x | y (64, 96 or 132 bytes), and a phase-1 KE that is not a
//! point of the curve ends the negotiation without an ISAKMP-SA.

#[allow(dead_code)]
mod engine_sim;

use engine_sim::*;
use racoon::isakmp::{Message, Payload};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

const PROPOSAL_ECP: &str = "encryption_algorithm aes; hash_algorithm sha256; \
    authentication_method pre_shared_key; dh_group ecp256;";

const SAINFO_ECP: &str = "pfs_group ecp384; encryption_algorithm aes; \
    authentication_algorithm hmac_sha1; compression_algorithm deflate;";

fn gateway_conf(peer: &str, mode: &str, proposal: &str, local: &str, remote: &str) -> String {
    format!(
        "remote {peer} {{\n exchange_mode {mode};\n proposal {{\n {proposal}\n }}\n}}\n{}\n",
        sainfo(local, remote, SAINFO_ECP)
    )
}

fn ecp_pair(mode: &str, proposal: &str, seed: u64) -> Sim {
    let a = Node::new(
        A,
        &gateway_conf(B, mode, proposal, "172.16.1.0/24", "172.16.2.0/24"),
        &format!("{B} ecp secret\n"),
        seed,
    );
    let b = Node::new(
        B,
        &gateway_conf(A, mode, proposal, "172.16.2.0/24", "172.16.1.0/24"),
        &format!("{A} ecp secret\n"),
        seed + 1,
    );
    Sim::new(a, b, Link::default(), seed + 2)
}

/// Records the length of every KE payload in a cleartext message on the link.
fn record_ke(sim: &mut Sim) -> Rc<RefCell<Vec<usize>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let log = seen.clone();
    sim.drop_if = Some(Box::new(move |_, bytes| {
        if let Ok(m) = Message::decode(bytes) {
            for p in &m.payloads {
                if let Payload::KeyExchange(ke) = p {
                    log.borrow_mut().push(ke.len());
                }
            }
        }
        false
    }));
    seen
}

fn assert_established(sim: &Sim, group: u16, pfs: u16) {
    for node in &sim.nodes {
        let ph1 = node.engine.admin_ph1s();
        let est: Vec<_> = ph1.iter().filter(|p| p.established).collect();
        assert_eq!(est.len(), 1, "{:#?}", node.logs);
        assert_eq!(est[0].proposal.as_ref().unwrap().dh_group, group);
        let ph2 = node.engine.admin_ph2s();
        assert!(!ph2.is_empty());
        for p in ph2 {
            assert_eq!(p.proposal.as_ref().unwrap().pfs_group, Some(pfs));
        }
    }
    let (sa_a, sa_b) = (
        sim.nodes[0].engine.isakmp_sas(),
        sim.nodes[1].engine.isakmp_sas(),
    );
    let (ka, kb) = (
        sa_a[0].keys.as_ref().unwrap(),
        sa_b[0].keys.as_ref().unwrap(),
    );
    for n in 0..3 {
        assert_eq!(ka[n].as_bytes(), kb[n].as_bytes());
    }
    assert_pairs_match(sim);
}

#[test]
fn main_mode_ecp256_with_pfs_ecp384_converges() {
    let mut sim = ecp_pair("main", PROPOSAL_ECP, 40);
    let ke = record_ke(&mut sim);
    start_kame_tunnel(&mut sim);
    sim.run_for(Duration::from_secs(10));
    assert_established(&sim, 19, 20);
    // Messages 3 and 4 carry P-256 points; quick mode's (P-384) travel encrypted.
    assert_eq!(*ke.borrow(), vec![64, 64]);
    let (a_in, a_out) = &sim.nodes[0].installs[0];
    assert_eq!(a_out.enc.as_ref().unwrap().alg.name(), "aes-cbc");
    assert_ne!(a_in.spi, a_out.spi);
    assert!(sim.nodes[0].has_log_containing(&format!("ISAKMP-SA established {A}[500]-{B}[500]")));
}

#[test]
fn aggressive_mode_ecp521_converges() {
    let proposal = PROPOSAL_ECP.replace("ecp256", "ecp521");
    let mut sim = ecp_pair("aggressive", &proposal, 50);
    let ke = record_ke(&mut sim);
    start_kame_tunnel(&mut sim);
    sim.run_for(Duration::from_secs(10));
    assert_established(&sim, 21, 20);
    assert_eq!(*ke.borrow(), vec![132, 132]);
}

#[test]
fn a_ke_off_the_curve_is_refused() {
    let mut sim = ecp_pair("main", PROPOSAL_ECP, 60);
    // The initiator's message 3 reaches B with the last byte of y changed.
    sim.mutate = Some(Box::new(|to, bytes| {
        let Ok(mut m) = Message::decode(bytes) else {
            return;
        };
        if to != 1 {
            return;
        }
        let mut hit = false;
        for p in &mut m.payloads {
            if let Payload::KeyExchange(ke) = p {
                if let Some(last) = ke.last_mut() {
                    *last ^= 1;
                    hit = true;
                }
            }
        }
        if hit {
            *bytes = m.encode().unwrap();
        }
    }));
    start_kame_tunnel(&mut sim);
    sim.run_for(Duration::from_secs(120));
    for node in &sim.nodes {
        assert!(
            node.engine.isakmp_sas().iter().all(|s| !s.established),
            "{:#?}",
            node.logs
        );
        assert!(node.installs.is_empty());
    }
    assert!(
        sim.nodes[1].has_log_containing("Diffie-Hellman public value is not a point on the curve"),
        "{:#?}",
        sim.nodes[1].logs
    );
}
