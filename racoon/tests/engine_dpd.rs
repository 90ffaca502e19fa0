//! Dead peer detection (RFC 3706) between two engines: the vendor ID in phase 1, the
//! R-U-THERE / R-U-THERE-ACK exchange on the wire, a silent peer declared dead after
//! `dpd_delay + dpd_retry * dpd_maxfail` seconds with its SAs deleted, an answering
//! peer never, and a stale ACK not counted.

#[allow(dead_code)]
mod engine_sim;

use common::admin::evt;
use engine_sim::*;
use racoon::admin::Tracker;
use racoon::crypto::{encryption_key, Cipher, Hash};
use racoon::engine::IsakmpSaInfo;
use racoon::isakmp::{ExchangeType, Header, Message, Payload};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

const DPD_VID: [u8; 16] = [
    0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9, 0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
];

/// The two gateways of the KAME HOWTO, with `remote_a` / `remote_b` added to their
/// `remote` sections; A's traffic starts phase 1.
fn pair(remote_a: &str, remote_b: &str, seed: u64) -> Sim {
    pair_in("main", remote_a, remote_b, seed)
}

/// [`pair`] in exchange mode `mode`.
fn pair_in(mode: &str, remote_a: &str, remote_b: &str, seed: u64) -> Sim {
    let sa_a = sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO);
    let sa_b = sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO);
    let mode_line = format!("exchange_mode {mode};");
    let conf_a = conf(B, remote_a, PROPOSAL, &sa_a).replace("exchange_mode main;", &mode_line);
    let conf_b = conf(A, remote_b, PROPOSAL, &sa_b).replace("exchange_mode main;", &mode_line);
    let a = Node::new(A, &conf_a, &format!("{B} k\n"), seed);
    let b = Node::new(B, &conf_b, &format!("{A} k\n"), seed + 1);
    let mut sim = Sim::new(a, b, Link::default(), seed + 2);
    start_kame_tunnel(&mut sim);
    sim
}

/// Every datagram the link carries, by destination node, in order.
type Wire = Rc<RefCell<Vec<(usize, Vec<u8>)>>>;

/// Records the link's traffic; `cut(dest)` makes the link drop what goes to `dest`.
fn tap(sim: &mut Sim, cut: Rc<RefCell<Option<usize>>>) -> Wire {
    let wire: Wire = Rc::default();
    let w = wire.clone();
    sim.drop_if = Some(Box::new(move |to, bytes| {
        w.borrow_mut().push((to, bytes.to_vec()));
        *cut.borrow() == Some(to)
    }));
    wire
}

/// The vendor IDs of the unencrypted phase-1 messages going to `dest`.
fn phase1_vids(wire: &Wire, dest: usize) -> Vec<Vec<Vec<u8>>> {
    wire.borrow()
        .iter()
        .filter(|(to, _)| *to == dest)
        .filter_map(|(_, b)| Message::decode(b).ok())
        .filter(|m| {
            matches!(
                m.header.exchange,
                ExchangeType::IdentityProtection | ExchangeType::Aggressive
            )
        })
        .map(|m| {
            m.payloads
                .into_iter()
                .filter_map(|p| match p {
                    Payload::VendorId(v) => Some(v),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// The notification of an informational exchange sent to `dest`, as
/// (notify type, SPI, data), read with the ISAKMP SA's 3DES key. CBC needs the IV
/// only for the first block, which holds the HASH payload: the notification after it
/// decrypts correctly with any IV.
fn notifications(sa: &IsakmpSaInfo, wire: &Wire, dest: usize) -> Vec<(u16, Vec<u8>, Vec<u8>)> {
    let skeyid_e = &sa.keys.as_ref().expect("keys")[2];
    let md5 = Hash::from_name("md5").unwrap();
    let key = encryption_key(&md5.prf(), skeyid_e, 24).unwrap();
    let cipher = Cipher::from_ike(5, key.as_bytes()).unwrap();
    wire.borrow()
        .iter()
        .filter(|(to, _)| *to == dest)
        .filter(|(_, b)| {
            Header::decode(b).is_ok_and(|h| {
                h.exchange == ExchangeType::Informational && h.initiator_cookie == sa.icookie
            })
        })
        .map(|(_, b)| {
            let plain = cipher.decrypt(&[0; 8], &b[Header::LEN..]).unwrap();
            // HASH payload: 4-byte header and an MD5 hash; then N.
            let n = &plain[20..];
            let len = usize::from(u16::from_be_bytes([n[2], n[3]]));
            let spi_size = usize::from(n[9]);
            let kind = u16::from_be_bytes([n[10], n[11]]);
            (
                kind,
                n[12..12 + spi_size].to_vec(),
                n[12 + spi_size..len].to_vec(),
            )
        })
        .collect()
}

/// A's ISAKMP SA (the first).
fn sa_of(sim: &Sim) -> IsakmpSaInfo {
    sim.nodes[0].engine.isakmp_sas()[0].clone()
}

fn count(node: &Node, text: &str) -> usize {
    node.logs.iter().filter(|l| l.as_str() == text).count()
}

fn dead_line(node: &Node) -> Option<&String> {
    node.logs
        .iter()
        .find(|l| l.starts_with("DPD: remote (ISAKMP-SA spi="))
}

const CHECKS: &str = "dpd_delay 2; dpd_retry 1; dpd_maxfail 2;";

#[test]
fn the_vendor_id_is_sent_unless_dpd_is_off() {
    // Default (`dpd on`): the initiator offers it, the responder answers with it.
    let mut sim = pair("", "", 1);
    let wire = tap(&mut sim, Rc::default());
    sim.run_for(Duration::from_secs(5));
    assert_pairs_match(&sim);
    let to_b = phase1_vids(&wire, 1);
    let to_a = phase1_vids(&wire, 0);
    assert!(to_b[0].contains(&DPD_VID.to_vec()), "{to_b:?}");
    assert!(to_a[0].contains(&DPD_VID.to_vec()), "{to_a:?}");
    for n in &sim.nodes {
        assert!(n.has_log("received Vendor ID: DPD"), "{:#?}", n.logs);
        assert!(n.has_log("remote supports DPD"));
        // Without dpd_delay nobody probes.
        assert_eq!(count(n, "DPD monitoring...."), 0);
    }

    // The responder has `dpd off`: it neither answers the vendor ID nor uses DPD.
    let mut sim = pair(CHECKS, "dpd off;", 2);
    let wire = tap(&mut sim, Rc::default());
    sim.run_for(Duration::from_secs(10));
    assert_pairs_match(&sim);
    assert!(phase1_vids(&wire, 1)[0].contains(&DPD_VID.to_vec()));
    assert!(phase1_vids(&wire, 0)
        .iter()
        .all(|v| !v.contains(&DPD_VID.to_vec())));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(!a.has_log("remote supports DPD") && !b.has_log("remote supports DPD"));
    // A wants checks but the peer does not do DPD: no R-U-THERE goes out.
    assert_eq!(count(a, "DPD monitoring...."), 0, "{:#?}", a.logs);
    assert!(notifications(&sa_of(&sim), &wire, 1)
        .iter()
        .all(|n| n.0 != 36136));

    // The initiator has `dpd off`: no vendor ID either way.
    let mut sim = pair("dpd off;", "", 3);
    let wire = tap(&mut sim, Rc::default());
    sim.run_for(Duration::from_secs(5));
    assert_pairs_match(&sim);
    for dest in 0..2 {
        assert!(phase1_vids(&wire, dest)
            .iter()
            .all(|v| !v.contains(&DPD_VID.to_vec())));
    }
}

#[test]
fn r_u_there_is_answered_with_the_same_sequence_number() {
    let mut sim = pair(CHECKS, "", 4);
    let wire = tap(&mut sim, Rc::default());
    sim.run_for(Duration::from_secs(9));
    assert_pairs_match(&sim);
    let sa = sa_of(&sim);
    let probes: Vec<_> = notifications(&sa, &wire, 1)
        .into_iter()
        .filter(|n| n.0 == 36136)
        .collect();
    let acks = notifications(&sa, &wire, 0);
    // Established at ~0 s: probes at 2, 4, 6 and 8 s, each answered.
    assert_eq!(probes.len(), 4, "{:#?}", sim.nodes[0].logs);
    assert_eq!(acks.len(), 4);
    let cookies = [sa.icookie, sa.rcookie].concat();
    let seq = |d: &[u8]| u32::from_be_bytes(d.try_into().unwrap());
    let first = seq(&probes[0].2);
    assert!(first <= 0x1000, "the first number is small: {first}");
    for (k, (probe, ack)) in probes.iter().zip(&acks).enumerate() {
        assert_eq!(probe.1, cookies);
        assert_eq!(seq(&probe.2), first + k as u32, "incrementing");
        assert_eq!(ack.0, 36137, "R-U-THERE-ACK");
        assert_eq!(ack.1, cookies);
        assert_eq!(ack.2, probe.2, "the ACK echoes the sequence number");
    }
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert_eq!(count(a, "received an R-U-THERE-ACK"), 4);
    assert_eq!(count(a, "DPD R-U-There sent (0)"), 4);
    assert_eq!(count(b, "DPD R-U-There received"), 4);
    assert_eq!(count(b, "received a valid R-U-THERE, ACK sent"), 4);
    // B has no dpd_delay: it answers but never asks.
    assert_eq!(count(b, "DPD monitoring...."), 0);
}

#[test]
fn a_silent_peer_is_declared_dead_and_its_sas_deleted() {
    let mut sim = pair(CHECKS, "", 5);
    let cut = Rc::new(RefCell::new(None));
    let wire = tap(&mut sim, cut.clone());
    sim.run_for(Duration::from_millis(500));
    assert_pairs_match(&sim);
    let established = sim.now;
    let pair_a = sim.nodes[0].installs[0].clone();
    let sa = sa_of(&sim);
    let index = {
        let hex = |c: &[u8]| c.iter().map(|x| format!("{x:02x}")).collect::<String>();
        format!("{}:{}", hex(&sa.icookie), hex(&sa.rcookie))
    };
    // B goes quiet.
    *cut.borrow_mut() = Some(0);
    // delay 2 + retry 1 * maxfail 2 = 4 s after phase 1: not before.
    sim.run_for(Duration::from_millis(3400));
    let a = &sim.nodes[0];
    assert!(dead_line(a).is_none(), "{:#?}", a.logs);
    assert_eq!(count(a, "DPD R-U-There sent (0)"), 2);
    assert!(a.deletes.is_empty());
    sim.run_for(Duration::from_millis(200));
    let a = &sim.nodes[0];
    assert!(sim.now - established < Duration::from_millis(4200));
    assert_eq!(
        dead_line(a).map(String::as_str),
        Some(format!("DPD: remote (ISAKMP-SA spi={index}) seems to be dead.").as_str()),
        "{:#?}",
        a.logs
    );
    assert!(a.has_log(&format!("purging ISAKMP-SA spi={index}.")));
    assert!(a.has_log(&format!("purged IPsec-SA spi={}.", pair_a.0.spi)));
    assert!(a.has_log(&format!("purged IPsec-SA spi={}.", pair_a.1.spi)));
    assert!(a.has_log(&format!("purged ISAKMP-SA spi={index}.")));
    assert!(a.has_log_containing(&format!("ISAKMP-SA deleted {A}[500]-{B}[500] spi:{index}")));
    // Both directions leave the kernel; the phase 1 is gone.
    assert!(a.deletes.contains(&pair_a.0.id()));
    assert!(a.deletes.contains(&pair_a.1.id()));
    assert_eq!(a.deletes.len(), 2);
    assert!(a.engine.isakmp_sas().is_empty());
    assert!(a.engine.admin_ph2s().is_empty());
    // No DELETE goes to the dead peer: A's informationals are its INITIAL-CONTACT
    // and the two probes.
    let sent: Vec<_> = notifications(&sa, &wire, 1)
        .into_iter()
        .map(|n| n.0)
        .collect();
    assert_eq!(sent, [24578, 36136, 36136]);
    // Nothing more happens on A: no further probes.
    sim.run_for(Duration::from_secs(10));
    assert_eq!(count(&sim.nodes[0], "DPD R-U-There sent (0)"), 2);

    // The peer comes back; the next ACQUIRE negotiates a new phase 1 and pair.
    *cut.borrow_mut() = None;
    acquire_kame_tunnel(&mut sim);
    sim.run_for(Duration::from_secs(3));
    let a = &sim.nodes[0];
    assert_eq!(a.installs.len(), 2, "{:#?}", a.logs);
    assert_eq!(a.engine.isakmp_sas().len(), 1);
    assert_ne!(a.installs[1].1.spi, pair_a.1.spi);
}

#[test]
fn an_answering_peer_is_never_declared_dead() {
    let mut sim = pair(CHECKS, CHECKS, 6);
    sim.link = Link {
        drop: 0,
        duplicate: 100,
        jitter_ms: 300,
    };
    sim.run_for(Duration::from_secs(120));
    assert_pairs_match(&sim);
    for n in &sim.nodes {
        assert!(dead_line(n).is_none(), "{:#?}", n.logs);
        assert!(n.deletes.is_empty());
        // Both sides probe (each has dpd_delay) and both answer: one probe every
        // 2 s plus the round trip (up to 0.6 s here), over 2 minutes.
        assert!(count(n, "received an R-U-THERE-ACK") >= 45, "{:#?}", n.logs);
        assert!(count(n, "received a valid R-U-THERE, ACK sent") >= 45);
    }
}

#[test]
fn a_stale_ack_does_not_count() {
    let mut sim = pair(CHECKS, "", 7);
    let cut = Rc::new(RefCell::new(None));
    let wire = tap(&mut sim, cut.clone());
    sim.run_for(Duration::from_millis(2500));
    assert_eq!(count(&sim.nodes[0], "received an R-U-THERE-ACK"), 1);
    let ack = wire
        .borrow()
        .iter()
        .rev()
        .find(|(to, b)| {
            *to == 0 && Header::decode(b).is_ok_and(|h| h.exchange == ExchangeType::Informational)
        })
        .map(|(_, b)| b.clone())
        .expect("B's ACK");
    let seq = notifications(&sa_of(&sim), &wire, 0)
        .last()
        .map(|n| u32::from_be_bytes(n.2.clone().try_into().unwrap()))
        .unwrap();
    // B goes quiet; its old ACK is replayed to A after each new R-U-THERE.
    *cut.borrow_mut() = Some(0);
    let (to, from) = (
        format!("{A}:500").parse().unwrap(),
        format!("{B}:500").parse().unwrap(),
    );
    for _ in 0..3 {
        sim.run_for(Duration::from_millis(1000));
        let now = sim.now;
        sim.nodes[0].engine.handle_datagram(now, to, from, &ack);
        sim.drain();
    }
    sim.run_for(Duration::from_millis(1000));
    let a = &sim.nodes[0];
    assert!(
        a.has_log(&format!(
            "Wrong DPD sequence number ({seq}; last_ack={seq}, seq={}).",
            seq + 1
        )),
        "{:#?}",
        a.logs
    );
    assert_eq!(count(a, "received an R-U-THERE-ACK"), 1);
    // Probes at 2 (answered), 4, 5: dead at 6 s despite the replays.
    assert!(dead_line(a).is_some(), "{:#?}", a.logs);
    assert_eq!(a.deletes.len(), 2);
}

#[test]
fn the_admin_socket_reports_the_dead_peer() {
    let mut sim = pair(CHECKS, "", 8);
    let cut = Rc::new(RefCell::new(None));
    let _wire = tap(&mut sim, cut.clone());
    sim.run_for(Duration::from_millis(500));
    let mut tracker = Tracker::default();
    let e = &sim.nodes[0].engine;
    tracker.update_with_dpd(&e.admin_ph1s(), &e.admin_ph2s(), e.dpd_dead(), 1);
    *cut.borrow_mut() = Some(0);
    sim.run_for(Duration::from_secs(5));
    let e = &sim.nodes[0].engine;
    assert_eq!(e.dpd_dead().len(), 1);
    let kinds: Vec<u32> = tracker
        .update_with_dpd(&e.admin_ph1s(), &e.admin_ph2s(), e.dpd_dead(), 2)
        .iter()
        .map(|x| x.event.kind)
        .collect();
    assert_eq!(
        kinds,
        [evt::PHASE1_DPD_TIMEOUT, evt::PHASE2_DOWN, evt::PHASE1_DOWN]
    );
}

#[test]
fn status_shows_dpd_support_and_unanswered_probes() {
    use racoon::admin::status::{json, text};
    let mut sim = pair(CHECKS, "dpd off;", 9);
    let cut = Rc::new(RefCell::new(None));
    let _wire = tap(&mut sim, cut.clone());
    sim.run_for(Duration::from_millis(500));
    // A offered DPD, B (dpd off) did not answer it: A shows DPD unsupported; B none.
    let e = &sim.nodes[0].engine;
    let out = text(&e.admin_ph1s(), &e.admin_ph2s(), false, 0);
    assert!(
        out.contains("  dpd:            supported=no fails=0\n"),
        "{out}"
    );
    let e = &sim.nodes[1].engine;
    let out = json(&e.admin_ph1s(), &e.admin_ph2s(), false, 0);
    assert!(!out.contains("\"dpd\""), "{out}");

    let mut sim = pair(CHECKS, "", 10);
    let cut = Rc::new(RefCell::new(None));
    let _wire = tap(&mut sim, cut.clone());
    sim.run_for(Duration::from_millis(500));
    *cut.borrow_mut() = Some(0);
    // One R-U-THERE (at 2 s) unanswered at 2.5 s.
    sim.run_for(Duration::from_secs(2));
    let e = &sim.nodes[0].engine;
    let out = json(&e.admin_ph1s(), &e.admin_ph2s(), false, 0);
    assert!(
        out.contains(",\"dpd\":{\"supported\":true,\"fails\":1},\"remote_config\":"),
        "{out}"
    );
    let out = text(&e.admin_ph1s(), &e.admin_ph2s(), false, 0);
    assert!(
        out.contains("  dpd:            supported=yes fails=1\n"),
        "{out}"
    );
}

#[test]
fn aggressive_mode_carries_the_vendor_id_and_the_checks() {
    let mut sim = pair_in("aggressive", CHECKS, "", 11);
    let cut = Rc::new(RefCell::new(None));
    let wire = tap(&mut sim, cut.clone());
    sim.run_for(Duration::from_millis(2500));
    assert_pairs_match(&sim);
    let to_b = phase1_vids(&wire, 1);
    let to_a = phase1_vids(&wire, 0);
    assert!(to_b[0].contains(&DPD_VID.to_vec()), "{to_b:?}");
    assert!(to_a[0].contains(&DPD_VID.to_vec()), "{to_a:?}");
    assert!(sim.nodes[0].has_log("begin Aggressive mode."));
    for n in &sim.nodes {
        assert!(n.has_log("remote supports DPD"), "{:#?}", n.logs);
    }
    assert_eq!(count(&sim.nodes[0], "received an R-U-THERE-ACK"), 1);
    *cut.borrow_mut() = Some(0);
    sim.run_for(Duration::from_secs(5));
    let a = &sim.nodes[0];
    assert!(dead_line(a).is_some(), "{:#?}", a.logs);
    assert_eq!(a.deletes.len(), 2);
}
