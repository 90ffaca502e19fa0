//! Main mode and quick mode between two engines over a perfect link.

#[allow(dead_code)]
mod engine_sim;

use common::kernel::Event;
use common::policy::Direction;
use common::sa::{Mode, SaType};
use engine_sim::*;
use std::time::Duration;

#[test]
fn main_mode_and_quick_mode_with_pfs_converge() {
    let mut sim = tunnel_pair(
        SAINFO,
        SAINFO,
        "simple psk",
        "simple psk",
        Link::default(),
        1,
    );
    sim.run_for(Duration::from_secs(5));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    let sa_a = a.engine.isakmp_sas();
    let sa_b = b.engine.isakmp_sas();
    assert_eq!((sa_a.len(), sa_b.len()), (1, 1));
    assert!(sa_a[0].established && sa_b[0].established);
    assert_eq!(sa_a[0].icookie, sa_b[0].icookie);
    assert_eq!(sa_a[0].rcookie, sa_b[0].rcookie);
    let (ka, kb) = (
        sa_a[0].keys.as_ref().unwrap(),
        sa_b[0].keys.as_ref().unwrap(),
    );
    for n in 0..3 {
        assert_eq!(ka[n].as_bytes(), kb[n].as_bytes());
        assert!(!ka[n].is_empty());
    }
    let idx = format!("{}:{}", hex(&sa_a[0].icookie), hex(&sa_a[0].rcookie));
    let established = format!("ISAKMP-SA established {A}[500]-{B}[500] spi:{idx}");
    assert!(a.has_log(&established), "{:#?}", a.logs);
    assert!(
        b.has_log(&format!(
            "ISAKMP-SA established {B}[500]-{A}[500] spi:{idx}"
        )),
        "{:#?}",
        b.logs
    );
    assert!(a.has_log(&format!(
        "IPsec-SA request for {B} queued due to no phase1 found."
    )));
    assert!(a.has_log(&format!(
        "initiate new phase 1 negotiation: {A}[500]<=>{B}[500]"
    )));
    assert!(a.has_log("begin Identity Protection mode."));
    assert!(a.has_log(&format!(
        "initiate new phase 2 negotiation: {A}[0]<=>{B}[0]"
    )));
    assert!(b.has_log(&format!(
        "respond new phase 1 negotiation: {B}[500]<=>{A}[500]"
    )));
    assert!(b.has_log(&format!("respond new phase 2 negotiation: {B}[0]<=>{A}[0]")));
    assert!(a.has_log("received Vendor ID: KAME/racoon"));
    assert_pairs_match(&sim);
    let (a_in, a_out) = &sim.nodes[0].installs[0];
    assert_eq!(a_in.mode, Mode::Tunnel);
    assert_eq!(a_out.reqid, 7);
    assert_eq!(sim.nodes[1].installs[0].0.reqid, 9);
    assert_eq!(a_out.enc.as_ref().unwrap().alg.name(), "3des-cbc");
    assert_eq!(a_out.enc.as_ref().unwrap().key.len(), 24);
    assert_eq!(a_out.auth.as_ref().unwrap().key.len(), 16);
    assert_eq!(a_out.hard.addtime, 3600);
    assert_eq!(a_out.soft.addtime, 2880);
    let line = format!(
        "IPsec-SA established: ESP/Tunnel {B}->{A} spi={}(0x{:x})",
        a_in.spi, a_in.spi
    );
    assert!(sim.nodes[0].has_log(&line), "{:#?}", sim.nodes[0].logs);
    for n in &sim.nodes {
        for l in &n.logs {
            println!("{l}");
        }
        println!("--");
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn quick_mode_without_pfs_aes_sha1() {
    let body = "encryption_algorithm aes 256, 3des; authentication_algorithm hmac_sha1; \
        compression_algorithm deflate; lifetime time 30 min;";
    let mut sim = tunnel_pair(body, body, "k", "k", Link::default(), 2);
    sim.run_for(Duration::from_secs(5));
    assert_pairs_match(&sim);
    let (_, out) = &sim.nodes[0].installs[0];
    assert_eq!(out.enc.as_ref().unwrap().alg.name(), "aes-cbc");
    assert_eq!(out.enc.as_ref().unwrap().key.len(), 32);
    assert_eq!(out.auth.as_ref().unwrap().key.len(), 20);
    assert_eq!(out.hard.addtime, 1800);
}

#[test]
fn transport_mode_between_hosts() {
    let body = "encryption_algorithm aes; authentication_algorithm hmac_sha256; \
        compression_algorithm deflate; pfs_group modp2048;";
    let a = Node::new(
        A,
        &conf(B, "", PROPOSAL, &sainfo(A, B, body)),
        &format!("{B} t\n"),
        3,
    );
    let b = Node::new(
        B,
        &conf(A, "", PROPOSAL, &sainfo(B, A, body)),
        &format!("{A} t\n"),
        4,
    );
    let mut sim = Sim::new(a, b, Link::default(), 5);
    let p_out = policy(A, B, Direction::Out, Mode::Transport, None, 0);
    sim.event(0, acquire(A, B, p_out));
    sim.run_for(Duration::from_secs(5));
    assert_pairs_match(&sim);
    let (inb, out) = &sim.nodes[0].installs[0];
    assert_eq!(inb.mode, Mode::Transport);
    assert_eq!(out.satype, SaType::Esp);
    assert_eq!(out.auth.as_ref().unwrap().key.len(), 32);
    let line = format!(
        "IPsec-SA established: ESP/Transport {A}->{B} spi={}(0x{:x})",
        out.spi, out.spi
    );
    assert!(sim.nodes[0].has_log(&line), "{:#?}", sim.nodes[0].logs);
}

#[test]
fn second_acquire_reuses_the_isakmp_sa() {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "p", "p", Link::default(), 6);
    sim.run_for(Duration::from_secs(5));
    let p_out = policy(
        "172.16.1.0/24",
        "172.16.2.0/24",
        Direction::Out,
        Mode::Tunnel,
        Some((A, B)),
        7,
    );
    // A rekey (soft expiry of the outbound SA) negotiates a new pair over the same ISAKMP-SA.
    let outbound = sim.nodes[0].installs[0].1.clone();
    sim.event(
        0,
        Event::Expire {
            sa: outbound,
            hard: false,
        },
    );
    sim.run_for(Duration::from_secs(5));
    assert_eq!(sim.nodes[0].installs.len(), 2);
    assert_eq!(sim.nodes[1].installs.len(), 2);
    assert_eq!(sim.nodes[0].engine.isakmp_sas().len(), 1);
    assert_eq!(
        sim.nodes[0].installs[1].1.spi,
        sim.nodes[1].installs[1].0.spi
    );
    let _ = p_out;
}

/// The responder installs its inbound SA as it sends quick mode's message 2, before
/// message 3 arrives: the initiator starts sending on the new SA as soon as it has sent
/// message 3, and on a rekey under traffic that first packet must find the SA. The
/// outbound SA waits for message 3 (proof that the initiator has the keys).
#[test]
fn responder_installs_inbound_with_message_2_and_outbound_after_message_3() {
    use std::cell::Cell;
    use std::rc::Rc;
    let mut sim = tunnel_pair(
        SAINFO,
        SAINFO,
        "simple psk",
        "simple psk",
        Link::default(),
        61,
    );
    // Lose every quick-mode packet to the responder but the first (message 1) while
    // `blocking` holds; the ISAKMP header's exchange type is byte 18 (32 = Quick).
    let blocking = Rc::new(Cell::new(true));
    let seen = Rc::new(Cell::new(0));
    let (b2, s2) = (blocking.clone(), seen.clone());
    sim.drop_if = Some(Box::new(move |to, bytes| {
        if to != 1 || bytes.get(18) != Some(&32) {
            return false;
        }
        s2.set(s2.get() + 1);
        b2.get() && s2.get() > 1
    }));
    sim.run_for(Duration::from_secs(3));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert_eq!(a.installs.len(), 1, "the initiator installed its pair");
    assert!(b.installs.is_empty(), "no outbound SA before message 3");
    let inbound = b
        .pending_inbound
        .as_ref()
        .expect("the responder's inbound SA went in with message 2");
    assert_eq!(inbound.spi, a.installs[0].1.spi, "it is what A sends on");
    assert_eq!(
        b.logs
            .iter()
            .filter(|l| l.starts_with("IPsec-SA established"))
            .count(),
        1,
        "{:#?}",
        b.logs
    );
    // Message 3 gets through (B resends message 2, A answers with message 3 again).
    blocking.set(false);
    sim.run_for(Duration::from_secs(30));
    assert_pairs_match(&sim);
}

/// Each side has an SA in the kernel before it sends the message after which its peer
/// may send on it: the responder its inbound SA before message 2 (the initiator sends
/// on the new pair as soon as it has answered), the initiator its pair before message 3
/// (the responder answers traffic on its new outbound SA as soon as it has read it).
/// Otherwise the first packets after a rekey can meet a kernel without their SA.
#[test]
fn each_sa_is_in_the_kernel_before_the_message_that_lets_the_peer_use_it() {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "psk", "psk", Link::default(), 62);
    sim.run_for(Duration::from_secs(5));
    assert_pairs_match(&sim);
    const QUICK: u8 = 32;
    let quick = |trail: &[Step]| -> Vec<Step> {
        trail
            .iter()
            .copied()
            .filter(|s| !matches!(s, Step::Sent(k) if *k != QUICK))
            .collect()
    };
    let both = Step::Installed {
        inbound: true,
        outbound: true,
    };
    let inbound = Step::Installed {
        inbound: true,
        outbound: false,
    };
    let outbound = Step::Installed {
        inbound: false,
        outbound: true,
    };
    // A: message 1, its pair, message 3. B: its inbound SA, message 2, its outbound SA.
    assert_eq!(
        quick(&sim.nodes[0].trail),
        [Step::Sent(QUICK), both, Step::Sent(QUICK)]
    );
    assert_eq!(
        quick(&sim.nodes[1].trail),
        [inbound, Step::Sent(QUICK), outbound]
    );
}

/// AES-GCM and AES-CTR in quick mode: IKE's Key Length attribute names the AES key
/// alone, and each SA's key is that many bytes of KEYMAT followed by the 4-byte salt
/// (RFC 4106 section 8.1) or nonce (RFC 3686 section 5.1) the kernel wants with it.
#[test]
fn salted_ciphers_take_their_salt_from_keymat() {
    for (alg, auth, bytes) in [
        ("aes_gcm_16 256", "non_auth", 36),
        ("aes_gcm_16 128", "non_auth", 20),
        ("aes_gcm_16", "non_auth", 20),
        ("aes_gcm_8 192", "non_auth", 28),
        ("aes_ctr 256", "hmac_sha1", 36),
    ] {
        let body = format!(
            "encryption_algorithm {alg}; authentication_algorithm {auth}; \
             compression_algorithm deflate;"
        );
        let mut sim = tunnel_pair(&body, &body, "k", "k", Link::default(), 9);
        sim.run_for(Duration::from_secs(5));
        assert_pairs_match(&sim);
        let (inb, out) = &sim.nodes[0].installs[0];
        for sa in [inb, out] {
            let enc = sa.enc.as_ref().unwrap();
            assert_eq!(enc.key.len(), bytes, "{alg}: {}", enc.alg.name());
        }
        // The two directions draw different KEYMAT, salt included.
        assert_ne!(inb.enc.as_ref().unwrap().key, out.enc.as_ref().unwrap().key);
    }
}
