//! A hostile peer against the engine: the classes of packet that broke the original
//! racoon before authentication (REFERENCE.md, "what users ask for" 3), each replayed as
//! crafted datagrams against a responder, alone or beside an established tunnel:
//!
//! - CVE-2007-1841: unauthenticated informational messages (R-U-THERE, DELETE) acted on;
//! - CVE-2016-10396: IKE fragment reassembly on hostile fragments;
//! - CVE-2005-3732: malformed aggressive-mode openers (the PROTOS IKE suite);
//! - CVE-2004-0155: phase 1 authenticated without a valid HASH (there: an unchecked
//!   signature), and an authentication method we were not configured for;
//! - CVE-2008-3651: state left behind by refused proposals, here in quick mode;
//! - the NULL dereferences: thousands of mutated copies of a real negotiation's
//!   messages, after which the tunnel still stands and no half-open state is left.

#[allow(dead_code)]
mod engine_sim;

use engine_sim::*;
use racoon::crypto::{encryption_key, phase1_iv, Cipher, Hash};
use racoon::engine::{KernelRequest, Output, SeededRng};
use racoon::isakmp::{
    decrypt_message, encrypt_message, AttributeValue, Delete, ExchangeType, Flags, Header, Message,
    Notification, NotifyType, Payload, ProtocolId, DOI_IPSEC,
};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// What one delivery made a node do.
#[derive(Default, Debug)]
struct Reaction {
    sent: Vec<(SocketAddr, Vec<u8>)>,
    deletes: usize,
    installs: usize,
}

fn ep(addr: &str, port: u16) -> SocketAddr {
    SocketAddr::new(ip(addr), port)
}

/// Hands `bytes` from `from` to node `n` of `sim` and collects what it does, keeping
/// its log lines on the node.
fn deliver(sim: &mut Sim, n: usize, from: SocketAddr, bytes: &[u8]) -> Reaction {
    let now = sim.now;
    let node = &mut sim.nodes[n];
    let local = SocketAddr::new(node.addr, 500);
    node.engine.handle_datagram(now, local, from, bytes);
    collect(node)
}

fn collect(node: &mut Node) -> Reaction {
    let mut r = Reaction::default();
    while let Some(out) = node.engine.next_output() {
        match out {
            Output::Send { to, bytes, .. } => r.sent.push((to, bytes)),
            Output::Log { text, .. } => node.logs.push(text),
            Output::Kernel(KernelRequest::Delete { .. }) => r.deletes += 1,
            Output::Kernel(KernelRequest::Install { .. }) => r.installs += 1,
            _ => {}
        }
    }
    r
}

/// A and B with an established tunnel (both ISAKMP-SA and the ESP pair).
fn established() -> Sim {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "hostile", "hostile", Link::default(), 11);
    sim.run_for(Duration::from_secs(5));
    assert_pairs_match(&sim);
    sim
}

fn established_ph1(sim: &Sim, n: usize) -> ([u8; 8], [u8; 8]) {
    let sa = sim.nodes[n]
        .engine
        .isakmp_sas()
        .into_iter()
        .find(|s| s.established)
        .expect("an established ISAKMP-SA");
    (sa.icookie, sa.rcookie)
}

fn half_open(sim: &Sim, n: usize) -> usize {
    sim.nodes[n]
        .engine
        .admin_ph1s()
        .iter()
        .filter(|p| !p.established)
        .count()
}

#[test]
fn an_unencrypted_informational_cannot_delete_or_probe_an_established_sa() {
    let mut sim = established();
    let (icookie, rcookie) = established_ph1(&sim, 1);
    let esp_spis: Vec<Vec<u8>> = sim.nodes[1]
        .installs
        .iter()
        .flat_map(|(i, o)| [i.spi.to_be_bytes().to_vec(), o.spi.to_be_bytes().to_vec()])
        .collect();
    let cookies = [icookie, rcookie].concat();
    let notify = |t: NotifyType, data: Vec<u8>| {
        Payload::Notification(Notification {
            doi: DOI_IPSEC,
            protocol: ProtocolId::Isakmp,
            spi: cookies.clone(),
            message_type: t,
            data,
        })
    };
    let forged = Message {
        header: Header::new(
            icookie,
            rcookie,
            ExchangeType::Informational,
            Flags(0),
            0x1234_5678,
        ),
        payloads: vec![
            Payload::Delete(Delete {
                doi: DOI_IPSEC,
                protocol: ProtocolId::Esp,
                spi_size: 4,
                spis: esp_spis,
            }),
            Payload::Delete(Delete {
                doi: DOI_IPSEC,
                protocol: ProtocolId::Isakmp,
                spi_size: 16,
                spis: vec![cookies.clone()],
            }),
            notify(NotifyType::DpdRUThere, 7u32.to_be_bytes().to_vec()),
            notify(NotifyType::InitialContact, vec![]),
            notify(NotifyType::NoProposalChosen, vec![]),
        ],
    }
    .encode()
    .unwrap();
    // Spoofed from A's own address and port, as an attacker on the path would.
    let r = deliver(&mut sim, 1, ep(A, 500), &forged);
    assert!(r.sent.is_empty(), "answered a forged informational: {r:?}");
    assert_eq!((r.deletes, r.installs), (0, 0));
    assert_eq!(established_ph1(&sim, 1), (icookie, rcookie));
    assert!(
        sim.nodes[1].has_log("ignore the unencrypted informational for an established ISAKMP-SA.")
    );

    // With the E flag but no key: a body of garbage blocks.
    let mut garbage = Header::new(
        icookie,
        rcookie,
        ExchangeType::Informational,
        Flags::ENCRYPTION,
        9,
    );
    garbage.length = 28 + 64;
    let mut bytes = Vec::new();
    garbage.encode(&mut bytes);
    bytes.extend((0..64u8).map(|b| b.wrapping_mul(37)));
    let r = deliver(&mut sim, 1, ep(A, 500), &bytes);
    assert!(r.sent.is_empty() && r.deletes == 0, "{r:?}");
    assert_eq!(established_ph1(&sim, 1), (icookie, rcookie));
    // The tunnel is intact: the same pair keeps working after the timers run.
    sim.run_for(Duration::from_secs(30));
    assert!(
        sim.nodes[1].deletes.is_empty(),
        "{:#?}",
        sim.nodes[1].deletes
    );
}

#[test]
fn hostile_ike_fragments_are_dropped_without_state() {
    let mut sim = established();
    // Payload 132 is IKE fragmentation (draft-ietf-ipsec-ike-fragmentation), which this
    // racoon reassembles only for an ISAKMP SA it holds: fragment id, number, flags, data.
    for (n, (id, num, last, len)) in [
        (1u16, 1u8, false, 400usize),
        (1, 200, true, 1),
        (1, 0, true, 0),
        (0xffff, 255, false, 3000),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = id.to_be_bytes().to_vec();
        body.extend([num, u8::from(last)]);
        body.extend(std::iter::repeat_n(0x41, len));
        let msg = Message {
            header: Header::new(
                [n as u8 + 1; 8],
                [0; 8],
                ExchangeType::IdentityProtection,
                Flags(0),
                0,
            ),
            payloads: vec![Payload::Unknown {
                payload_type: 132,
                body,
            }],
        }
        .encode()
        .unwrap();
        let r = deliver(&mut sim, 1, ep("203.0.113.9", 500), &msg);
        assert_eq!((r.deletes, r.installs), (0, 0));
        assert_eq!(half_open(&sim, 1), 0, "fragment {n} left state");
    }
    established_ph1(&sim, 1);
}

/// Main mode by hand between A and B: messages 1 to 4, then A's message 5 (encrypted),
/// with the cipher and IV it was encrypted under.
fn main_mode_to_five() -> (Sim, Vec<Vec<u8>>, Cipher, Vec<u8>) {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "k", "k", Link::default(), 21);
    let (ea, eb) = (ep(A, 500), ep(B, 500));
    let mut msgs = Vec::new();
    let first = collect(&mut sim.nodes[0]).sent.remove(0).1;
    msgs.push(first.clone());
    let mut last = first;
    for step in 0..4 {
        let (to, from) = if step % 2 == 0 { (1, ea) } else { (0, eb) };
        let mut r = deliver(&mut sim, to, from, &last);
        last = r.sent.remove(0).1;
        msgs.push(last.clone());
    }
    let sa = &sim.nodes[0].engine.isakmp_sas()[0];
    let md5 = Hash::from_name("md5").unwrap();
    let key = encryption_key(&md5.prf(), &sa.keys.as_ref().unwrap()[2], 24).unwrap();
    let cipher = Cipher::from_ike(5, key.as_bytes()).unwrap();
    let iv = phase1_iv(&md5, &ke_of(&msgs[2]), &ke_of(&msgs[3]), 8).unwrap();
    (sim, msgs, cipher, iv)
}

#[test]
fn main_mode_message_5_without_its_hash_does_not_authenticate() {
    for forge in ["signature instead of hash", "no hash", "hash of zeros"] {
        let (mut sim, msgs, cipher, iv) = main_mode_to_five();
        let (mut m5, _) = decrypt_message(&msgs[4], &cipher, &iv).unwrap();
        let hash_len = m5
            .payloads
            .iter()
            .find_map(|p| match p {
                Payload::Hash(h) => Some(h.len()),
                _ => None,
            })
            .unwrap();
        m5.payloads.retain(|p| !matches!(p, Payload::Hash(_)));
        match forge {
            "signature instead of hash" => m5.payloads.push(Payload::Signature(vec![0x5a; 128])),
            "hash of zeros" => m5.payloads.push(Payload::Hash(vec![0; hash_len])),
            _ => {}
        }
        let forged = encrypt_message(&m5, &cipher, &iv).unwrap().datagram;
        let r = deliver(&mut sim, 1, ep(A, 500), &forged);
        assert!(
            !sim.nodes[1]
                .engine
                .isakmp_sas()
                .iter()
                .any(|s| s.established),
            "{forge}: B established phase 1: {:#?}",
            sim.nodes[1].logs
        );
        assert!(
            r.sent.iter().all(|(_, b)| !Header::decode(b)
                .unwrap()
                .flags
                .contains(Flags::ENCRYPTION)
                || Header::decode(b).unwrap().exchange != ExchangeType::IdentityProtection),
            "{forge}: B sent its message 6"
        );
        // The real message 5 still completes the exchange: the forgery cost nothing.
        deliver(&mut sim, 1, ep(A, 500), &msgs[4]);
        assert!(
            sim.nodes[1]
                .engine
                .isakmp_sas()
                .iter()
                .any(|s| s.established),
            "{forge}: the genuine message 5 was refused after the forgery"
        );
    }
}

#[test]
fn an_authentication_method_we_were_not_configured_for_is_refused() {
    // RSA signatures (3), DSS (2), and XAuth-PSK (65001) in place of the pre-shared key.
    for method in [3u16, 2, 65001] {
        let mut sim = tunnel_pair(SAINFO, SAINFO, "k", "k", Link::default(), 31);
        let m1 = collect(&mut sim.nodes[0]).sent.remove(0).1;
        let mut msg = Message::decode(&m1).unwrap();
        for p in &mut msg.payloads {
            if let Payload::Sa(sa) = p {
                for t in sa
                    .proposals
                    .iter_mut()
                    .flat_map(|p| p.transforms.iter_mut())
                {
                    for a in &mut t.attributes {
                        if a.kind == 3 {
                            a.value = AttributeValue::Basic(method);
                        }
                    }
                }
            }
        }
        let r = deliver(&mut sim, 1, ep(A, 500), &msg.encode().unwrap());
        let answers: Vec<Message> = r
            .sent
            .iter()
            .map(|(_, b)| Message::decode(b).unwrap())
            .collect();
        assert!(
            answers
                .iter()
                .all(|m| m.header.exchange == ExchangeType::Informational),
            "method {method}: B went on with main mode: {answers:#?}"
        );
        assert!(
            answers.iter().any(|m| m.payloads.iter().any(|p| matches!(p,
                Payload::Notification(n) if n.message_type == NotifyType::NoProposalChosen))),
            "method {method}: no NO-PROPOSAL-CHOSEN: {answers:#?}"
        );
        assert_eq!(half_open(&sim, 1), 0, "method {method}: state kept");
    }
}

/// Each opener lacks or spoils a payload the responder needs: it must answer at most
/// with a notification and keep nothing. (A short nonce is answered: RFC 2409's 8 to 256
/// bytes binds the sender, and it cannot weaken the keys, which our own nonce keeps
/// fresh.)
#[test]
fn malformed_aggressive_mode_openers_leave_no_state() {
    let agg = |peer: &str, local: &str, remote: &str| {
        format!(
            "remote {peer} {{\n exchange_mode aggressive;\n proposal {{\n {PROPOSAL}\n }}\n}}\n{}\n",
            sainfo(local, remote, SAINFO)
        )
    };
    let build = || {
        let a = Node::new(
            A,
            &agg(B, "172.16.1.0/24", "172.16.2.0/24"),
            &format!("{B} k\n"),
            41,
        );
        let b = Node::new(
            B,
            &agg(A, "172.16.2.0/24", "172.16.1.0/24"),
            &format!("{A} k\n"),
            42,
        );
        let mut sim = Sim::new(a, b, Link::default(), 43);
        start_kame_tunnel(&mut sim);
        let m1 = collect(&mut sim.nodes[0]).sent.remove(0).1;
        (sim, Message::decode(&m1).unwrap())
    };
    type Mutation = fn(&mut Vec<Payload>);
    let mutations: [(&str, Mutation); 7] = [
        ("no KE", |p| {
            p.retain(|p| !matches!(p, Payload::KeyExchange(_)))
        }),
        ("no nonce", |p| {
            p.retain(|p| !matches!(p, Payload::Nonce(_)))
        }),
        ("no ID", |p| {
            p.retain(|p| !matches!(p, Payload::Identification(_)))
        }),
        ("no SA", |p| p.retain(|p| !matches!(p, Payload::Sa(_)))),
        ("empty KE", |p| {
            p.iter_mut().for_each(|p| {
                if let Payload::KeyExchange(k) = p {
                    k.clear()
                }
            })
        }),
        ("one-byte KE", |p| {
            p.iter_mut().for_each(|p| {
                if let Payload::KeyExchange(k) = p {
                    k.truncate(1)
                }
            })
        }),
        ("KE of 0xff", |p| {
            p.iter_mut().for_each(|p| {
                if let Payload::KeyExchange(k) = p {
                    k.fill(0xff)
                }
            })
        }),
    ];
    for (name, mutate) in mutations {
        let (mut sim, mut m1) = build();
        mutate(&mut m1.payloads);
        let bytes = m1.encode().unwrap();
        let r = deliver(&mut sim, 1, ep(A, 500), &bytes);
        assert_eq!((r.deletes, r.installs), (0, 0), "{name}");
        for (_, b) in &r.sent {
            let h = Header::decode(b).unwrap();
            assert_eq!(
                h.exchange,
                ExchangeType::Informational,
                "{name}: B answered the opener"
            );
        }
        assert_eq!(
            half_open(&sim, 1),
            0,
            "{name}: B kept state: {:#?}",
            sim.nodes[1].logs
        );
    }
}

#[test]
fn refused_quick_modes_leave_no_phase_2_state() {
    // B accepts only AES in phase 2; A offers 3DES, twenty times over one phase 1.
    let aes = "pfs_group modp768; encryption_algorithm aes; \
        authentication_algorithm hmac_md5; compression_algorithm deflate;";
    let mut sim = tunnel_pair(SAINFO, aes, "k", "k", Link::default(), 51);
    sim.run_for(Duration::from_secs(5));
    for _ in 0..20 {
        acquire_kame_tunnel(&mut sim);
        sim.run_for(Duration::from_secs(2));
        assert!(
            sim.nodes[1].engine.admin_ph2s().is_empty(),
            "{:#?}",
            sim.nodes[1].engine.admin_ph2s().len()
        );
    }
    assert!(sim.nodes[1].installs.is_empty());
    let refusals = sim.nodes[1]
        .logs
        .iter()
        .filter(|l| *l == "no suitable proposal found.")
        .count();
    assert!(
        refusals >= 20,
        "{refusals} refusals: {:#?}",
        sim.nodes[1].logs
    );
    // And A gives each one up in time.
    sim.run_for(Duration::from_secs(120));
    assert!(sim.nodes[0].engine.admin_ph2s().is_empty());
}

/// Corrupts `m` in one to four places, mostly in the payloads, and mostly leaves a
/// header length that matches (so the mutant gets past the first check).
fn mutate(m: &mut Vec<u8>, byte: &mut dyn FnMut() -> u8) {
    for _ in 0..1 + byte() % 4 {
        if m.len() <= 28 {
            break;
        }
        let body = m.len() - 28;
        let at = if byte() < 224 {
            28 + (usize::from(byte()) << 8 | usize::from(byte())) % body
        } else {
            usize::from(byte()) % 28
        };
        match byte() % 5 {
            0 => m[at] ^= 1 << (byte() % 8),
            1 => m[at] = byte(),
            2 => m.truncate(at.max(28)),
            3 => m.extend((0..byte()).map(|_| byte())),
            // The first payload's type: a known one in the wrong place, or anything.
            _ => {
                let types = [1, 2, 4, 5, 8, 10, 11, 12, 13, 20, 130, 132, byte()];
                m[16] = types[usize::from(byte()) % types.len()];
            }
        }
    }
    if m.len() >= 28 && byte() < 192 {
        let len = m.len() as u32;
        m[24..28].copy_from_slice(&len.to_be_bytes());
    }
}

#[test]
fn one_corrupted_message_anywhere_never_crashes_and_leaves_nothing_half_done() {
    use racoon::crypto::Rng;
    use std::cell::RefCell;
    use std::rc::Rc;
    let rng = Rc::new(RefCell::new(SeededRng::new(0x5eed)));
    let byte = {
        let rng = rng.clone();
        move || {
            let mut b = [0u8; 1];
            rng.borrow_mut().fill(&mut b).unwrap();
            b[0]
        }
    };
    let (mut completed, mut refused) = (0, 0);
    let start = Instant::now();
    for round in 0..2000u64 {
        // The same negotiation every round (same seeds); packet number `victim` of it
        // (main mode 1-6, quick mode 1-3, informationals) is corrupted on the link.
        let mut sim = tunnel_pair(SAINFO, SAINFO, "k", "k", Link::default(), 71);
        let victim = round % 10;
        let mut count = 0u64;
        let mut byte = byte.clone();
        sim.mutate = Some(Box::new(move |_, bytes| {
            if count == victim {
                mutate(bytes, &mut byte);
            }
            count += 1;
        }));
        sim.run_for(Duration::from_secs(300));
        let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
        if a.installs.len() == 1 && b.installs.len() == 1 {
            assert_pairs_match(&sim);
            completed += 1;
        } else {
            refused += 1;
        }
        for n in 0..2 {
            assert_eq!(
                half_open(&sim, n),
                0,
                "round {round}: node {n} kept a phase 1 half done"
            );
            assert!(
                sim.nodes[n]
                    .engine
                    .admin_ph2s()
                    .iter()
                    .all(|p| p.established),
                "round {round}: node {n} kept a phase 2 half done"
            );
        }
    }
    eprintln!(
        "completed {completed}, failed cleanly {refused}, in {:?}",
        start.elapsed()
    );
    // Retransmission recovers most single corruptions; the rest must fail cleanly.
    assert!(completed > 1000 && refused > 0, "{completed} {refused}");
}
