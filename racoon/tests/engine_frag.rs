//! IKE fragmentation (`ike_frag`): the FRAGMENTATION vendor ID and fragment payloads on
//! the wire, two engines negotiating main mode through fragmented messages over a link
//! that loses, duplicates and reorders them, and hostile fragments refused.

#[allow(dead_code)]
mod engine_sim;

use engine_sim::*;
use racoon::isakmp::{ExchangeType, Flags, Fragment, Header, Message, Payload};
use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

/// MD5("FRAGMENTATION") followed by racoon's capability flags (0x80000000).
const FRAG_VID: [u8; 20] = [
    0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85, 0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3,
    0x80, 0x00, 0x00, 0x00,
];

/// A proposal whose KE (modp4096) and 256-byte nonces make main mode's messages 3 and
/// 4 longer than racoon's 552-byte fragment size.
const BIG: &str = "encryption_algorithm aes; hash_algorithm sha1; \
    authentication_method pre_shared_key; dh_group modp4096;";

/// Every datagram put on the link: (destination node, bytes).
type Wire = Rc<RefCell<Vec<(usize, Vec<u8>)>>>;

fn pair(frag_a: &str, frag_b: &str, link: Link, seed: u64) -> (Sim, Wire) {
    let sa_a = sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO);
    let sa_b = sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO);
    let a = Node::new(
        A,
        &conf(B, &format!("{frag_a} nonce_size 256;"), BIG, &sa_a),
        &format!("{B} secret\n"),
        seed,
    );
    let b = Node::new(
        B,
        &conf(A, &format!("{frag_b} nonce_size 256;"), BIG, &sa_b),
        &format!("{A} secret\n"),
        seed + 1,
    );
    let mut sim = Sim::new(a, b, link, seed + 2);
    let wire: Wire = Rc::default();
    let w = wire.clone();
    sim.mutate = Some(Box::new(move |to, bytes: &mut Vec<u8>| {
        w.borrow_mut().push((to, bytes.clone()))
    }));
    start_kame_tunnel(&mut sim);
    (sim, wire)
}

fn is_fragment(bytes: &[u8]) -> bool {
    bytes.get(16) == Some(&132)
}

/// Fragments sent towards node `to`.
fn fragments_to(wire: &Wire, to: usize) -> Vec<Fragment> {
    wire.borrow()
        .iter()
        .filter(|(n, b)| *n == to && is_fragment(b))
        .map(|(_, b)| Fragment::decode(b).expect("a well-formed fragment"))
        .collect()
}

#[test]
fn the_vendor_id_carries_racoons_capability_flags() {
    let (mut sim, wire) = pair("ike_frag on;", "", Link::default(), 1);
    sim.drain();
    let first = wire.borrow()[0].1.clone();
    let msg = Message::decode(&first).unwrap();
    assert!(
        msg.payloads
            .iter()
            .any(|p| matches!(p, Payload::VendorId(v) if v[..] == FRAG_VID[..])),
        "{:?}",
        msg.payloads
    );
    // Without ike_frag no FRAGMENTATION vendor ID is sent.
    let (mut sim, wire) = pair("", "", Link::default(), 1);
    sim.drain();
    let msg = Message::decode(&wire.borrow()[0].1).unwrap();
    assert!(!msg
        .payloads
        .iter()
        .any(|p| matches!(p, Payload::VendorId(v) if v.starts_with(&FRAG_VID[..16]))));
}

#[test]
fn forced_fragmentation_negotiates_main_mode_through_fragments() {
    let (mut sim, wire) = pair("ike_frag force;", "ike_frag force;", Link::default(), 3);
    sim.run_for(Duration::from_secs(30));
    assert_pairs_match(&sim);
    // The responder learnt the capability from the vendor ID and logged it as racoon does.
    assert!(sim.nodes[1].has_log("received broken Microsoft ID: FRAGMENTATION"));
    for to in 0..2 {
        let frags = fragments_to(&wire, to);
        assert!(frags.len() >= 2, "no fragments towards node {to}");
        assert!(frags
            .iter()
            .all(|f| f.header.exchange == ExchangeType::IdentityProtection));
        assert!(frags.iter().any(|f| f.last));
        assert_eq!(frags[0].number, 1);
    }
    // No datagram on the link exceeds the fragment size during phase 1, and each
    // fragment's wire bytes are the draft's layout.
    for (_, b) in wire.borrow().iter() {
        if b.get(18) == Some(&2) {
            assert!(b.len() <= 552, "a {}-byte main mode datagram", b.len());
        }
        if is_fragment(b) {
            let f = Fragment::decode(b).unwrap();
            assert_eq!(&b[28..30], &[0, 0]);
            assert_eq!(
                u16::from_be_bytes([b[30], b[31]]) as usize,
                8 + f.data.len()
            );
            assert_eq!(&b[32..34], &[0, 1]);
            assert_eq!(b[35], u8::from(f.last));
            assert!(!Flags(b[19]).contains(Flags::ENCRYPTION));
        }
    }
    // The fragments towards B, put together, are A's message 3 (HDR, KE, Ni).
    let to_b = fragments_to(&wire, 1);
    let whole: Vec<u8> = to_b
        .iter()
        .scan(false, |ended, f| {
            if *ended {
                return None;
            }
            *ended = f.last;
            Some(f.data.clone())
        })
        .flatten()
        .collect();
    let m3 = Message::decode(&whole).expect("the reassembled message decodes");
    assert!(matches!(m3.payloads[0], Payload::KeyExchange(ref k) if k.len() == 512));
}

#[test]
fn without_fragmentation_the_same_messages_go_whole() {
    let (mut sim, wire) = pair("", "", Link::default(), 5);
    sim.run_for(Duration::from_secs(30));
    assert_pairs_match(&sim);
    assert!(wire.borrow().iter().all(|(_, b)| !is_fragment(b)));
    assert!(wire.borrow().iter().any(|(_, b)| b.len() > 552));
}

#[test]
fn a_peer_announcing_the_capability_gets_fragments_even_with_ike_frag_off() {
    // racoon sets the fragmentation flag on the peer's vendor ID whatever its own
    // ike_frag says; the responder does not announce, so A sends whole messages.
    let (mut sim, wire) = pair("ike_frag on;", "", Link::default(), 7);
    sim.run_for(Duration::from_secs(30));
    assert_pairs_match(&sim);
    assert!(fragments_to(&wire, 1).is_empty());
    assert!(fragments_to(&wire, 0).len() >= 2);
}

#[test]
fn lost_duplicated_and_reordered_fragments_still_converge() {
    for seed in 0..12 {
        let link = Link {
            drop: 150,
            duplicate: 150,
            jitter_ms: 40,
        };
        let (mut sim, wire) = pair("ike_frag force;", "ike_frag force;", link, 100 + seed * 7);
        sim.run_for(Duration::from_secs(120));
        assert_pairs_match(&sim);
        assert!(!fragments_to(&wire, 0).is_empty() && !fragments_to(&wire, 1).is_empty());
    }
}

#[test]
fn retransmissions_resend_every_fragment() {
    let (mut sim, wire) = pair("ike_frag force;", "ike_frag force;", Link::default(), 9);
    // Lose the first copy of A's last fragment of message 3: B cannot finish it until A
    // resends message 3, which must come as all its fragments again.
    let dropped = Rc::new(RefCell::new(false));
    let d = dropped.clone();
    sim.drop_if = Some(Box::new(move |to, bytes: &[u8]| {
        if to == 1 && is_fragment(bytes) && !*d.borrow() {
            let f = Fragment::decode(bytes).unwrap();
            if f.last {
                *d.borrow_mut() = true;
                return true;
            }
        }
        false
    }));
    sim.run_for(Duration::from_secs(60));
    assert!(*dropped.borrow());
    assert_pairs_match(&sim);
    let to_b = fragments_to(&wire, 1);
    let count = |n: u8| to_b.iter().filter(|f| f.number == n).count();
    assert!(count(1) >= 2, "fragment 1 of message 3 was not resent");
    assert_eq!(count(1), count(2));
}

#[test]
fn a_corrupted_tail_flag_is_recovered_from() {
    let (mut sim, _) = pair("ike_frag force;", "ike_frag force;", Link::default(), 11);
    // A path flips the last-fragment bit on the first fragment of message 3.
    let mut done = false;
    sim.mutate = Some(Box::new(move |to, bytes: &mut Vec<u8>| {
        if to == 1 && !done && is_fragment(bytes) && bytes[34] == 1 {
            bytes[35] = 1;
            done = true;
        }
    }));
    sim.run_for(Duration::from_secs(60));
    assert_pairs_match(&sim);
}

/// Hands `bytes` from A to B directly, keeping B's log lines.
fn hit(sim: &mut Sim, bytes: Vec<u8>) {
    let now = sim.now;
    let b = &mut sim.nodes[1];
    b.engine.handle_datagram(now, ep(B), ep(A), &bytes);
    while let Some(out) = b.engine.next_output() {
        if let racoon::engine::Output::Log { text, .. } = out {
            b.logs.push(text);
        }
    }
}

fn ep(addr: &str) -> SocketAddr {
    SocketAddr::new(ip(addr), 500)
}

/// A fragment message for the given cookies.
fn forged(
    icookie: [u8; 8],
    rcookie: [u8; 8],
    id: u16,
    number: u8,
    last: bool,
    data: Vec<u8>,
) -> Vec<u8> {
    Fragment {
        header: Header::new(
            icookie,
            rcookie,
            ExchangeType::IdentityProtection,
            Flags(0),
            0,
        ),
        id,
        number,
        last,
        data,
    }
    .encode()
}

#[test]
fn hostile_fragments_for_a_negotiation_under_way_are_refused() {
    let (mut sim, _) = pair("ike_frag force;", "ike_frag force;", Link::default(), 13);
    // Let messages 1 and 2 cross, then hold everything: B has a half-open ISAKMP SA.
    sim.drop_if = Some(Box::new(|_, b: &[u8]| b.get(16) == Some(&132)));
    sim.run_for(Duration::from_millis(50));
    let sas = sim.nodes[1].engine.isakmp_sas();
    assert_eq!(sas.len(), 1);
    let (ic, rc) = (sas[0].icookie, sas[0].rcookie);
    // Two tails, a fragment past the tail, a changed duplicate, numbers out of range,
    // a flood of large fragments, and a "message" of one fragment that is garbage.
    hit(&mut sim, forged(ic, rc, 1, 3, true, vec![1; 100]));
    hit(&mut sim, forged(ic, rc, 1, 5, true, vec![2; 100]));
    hit(&mut sim, forged(ic, rc, 1, 4, false, vec![3; 100]));
    hit(&mut sim, forged(ic, rc, 1, 1, false, vec![4; 100]));
    hit(&mut sim, forged(ic, rc, 1, 1, false, vec![5; 100]));
    hit(&mut sim, forged(ic, rc, 1, 0, false, vec![6; 100]));
    hit(&mut sim, forged(ic, rc, 1, 250, false, vec![7; 100]));
    for n in 1..=127u8 {
        hit(&mut sim, forged(ic, rc, 2, n, false, vec![8; 1000]));
    }
    hit(&mut sim, forged(ic, rc, 3, 1, true, vec![9; 40]));
    let b = &sim.nodes[1];
    for line in [
        "Message has multiple tail fragments",
        "Fragment number greater than tail fragment number",
        "Duplicate fragment number",
        "Fragment number 0",
        "Fragment number too large",
        "Reassembled message too large",
        "Packet reassembly failed",
    ] {
        assert!(b.has_log_containing(line), "no {line:?} in {:#?}", b.logs);
    }
    // Fragments for cookies B does not hold create nothing.
    hit(&mut sim, forged([9; 8], [0; 8], 1, 1, true, vec![0; 100]));
    assert_eq!(sim.nodes[1].engine.isakmp_sas().len(), 1);
    // The genuine negotiation still completes once the path clears.
    sim.drop_if = None;
    sim.run_for(Duration::from_secs(60));
    assert_pairs_match(&sim);
}
