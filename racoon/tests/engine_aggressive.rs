//! Aggressive mode with pre-shared keys between two engines: FQDN and USER_FQDN
//! identities, keys looked up by identity, peers_identifier checks, and the
//! exchange_mode list deciding what each side starts and accepts.

#[allow(dead_code)]
mod engine_sim;

use engine_sim::*;
use racoon::engine::Output;
use racoon::isakmp::{ExchangeType, Flags, Header, IdData, Message, Payload};
use std::time::Duration;

/// One gateway's racoon.conf: `exchange_mode` and other remote lines as given.
fn agg_conf(peer: &str, modes: &str, remote_lines: &str, local: &str, remote: &str) -> String {
    format!(
        "remote {peer} {{\n exchange_mode {modes};\n {remote_lines}\n proposal {{\n {PROPOSAL}\n }}\n}}\n{}\n",
        sainfo(local, remote, SAINFO)
    )
}

/// Gateway A (initiator) and B, each with its own remote lines, modes and psk.txt.
struct Side<'a> {
    modes: &'a str,
    lines: &'a str,
    psk: &'a str,
}

fn pair(a: Side<'_>, b: Side<'_>, link: Link, seed: u64) -> Sim {
    let na = Node::new(
        A,
        &agg_conf(B, a.modes, a.lines, "172.16.1.0/24", "172.16.2.0/24"),
        a.psk,
        seed,
    );
    let nb = Node::new(
        B,
        &agg_conf(A, b.modes, b.lines, "172.16.2.0/24", "172.16.1.0/24"),
        b.psk,
        seed + 1,
    );
    let mut sim = Sim::new(na, nb, link, seed + 2);
    start_kame_tunnel(&mut sim);
    sim
}

const FQDN_A: &str = "my_identifier fqdn \"gw1.example.org\";";
const FQDN_B: &str = "my_identifier fqdn \"gw2.example.org\";";

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Both ISAKMP SAs established with equal keys, one IPsec pair each way.
fn assert_converged(sim: &Sim) {
    let a = sim.nodes[0].engine.isakmp_sas();
    let b = sim.nodes[1].engine.isakmp_sas();
    let ea = a
        .iter()
        .find(|s| s.established)
        .expect("A has an ISAKMP-SA");
    let eb = b
        .iter()
        .find(|s| s.established)
        .expect("B has an ISAKMP-SA");
    assert_eq!((ea.icookie, ea.rcookie), (eb.icookie, eb.rcookie));
    let (ka, kb) = (ea.keys.as_ref().unwrap(), eb.keys.as_ref().unwrap());
    for n in 0..3 {
        assert_eq!(ka[n].as_bytes(), kb[n].as_bytes());
    }
    assert_pairs_match(sim);
}

#[test]
fn fqdn_identities_converge_with_keys_found_by_name() {
    // Neither psk.txt names the peer's address: only the lookup by ID can find the key.
    let mut sim = pair(
        Side {
            modes: "aggressive",
            lines: FQDN_A,
            psk: "gw2.example.org fqdn secret\n",
        },
        Side {
            modes: "aggressive",
            lines: FQDN_B,
            psk: "gw1.example.org fqdn secret\n",
        },
        Link::default(),
        1,
    );
    sim.run_for(Duration::from_secs(10));
    assert_converged(&sim);
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    let sa = a.engine.isakmp_sas();
    let idx = format!("{}:{}", hex(&sa[0].icookie), hex(&sa[0].rcookie));
    for (node, me, peer) in [(a, A, B), (b, B, A)] {
        assert!(node.has_log("begin Aggressive mode."), "{:#?}", node.logs);
        assert!(
            node.has_log(&format!(
                "ISAKMP-SA established {me}[500]-{peer}[500] spi:{idx}"
            )),
            "{:#?}",
            node.logs
        );
        assert!(!node.has_log_containing("try to get one by the peer's address"));
    }
    assert!(a.has_log(&format!(
        "initiate new phase 1 negotiation: {A}[500]<=>{B}[500]"
    )));
    assert!(b.has_log(&format!(
        "respond new phase 1 negotiation: {B}[500]<=>{A}[500]"
    )));
    assert!(!a.has_log("begin Identity Protection mode."));
}

#[test]
fn user_fqdn_identities_converge() {
    let mut sim = pair(
        Side {
            modes: "aggressive",
            lines: "my_identifier user_fqdn \"alice@example.org\";",
            psk: "bob@example.org 0x6b6579\n",
        },
        Side {
            modes: "aggressive",
            lines: "my_identifier user_fqdn \"bob@example.org\";",
            psk: "alice@example.org key\n",
        },
        Link::default(),
        2,
    );
    sim.run_for(Duration::from_secs(10));
    assert_converged(&sim);
}

#[test]
fn the_first_message_carries_sa_ke_nonce_and_the_fqdn_id_in_the_clear() {
    let sim = pair(
        Side {
            modes: "aggressive, main",
            lines: FQDN_A,
            psk: "gw2.example.org k\n",
        },
        Side {
            modes: "aggressive",
            lines: FQDN_B,
            psk: "gw1.example.org k\n",
        },
        Link::default(),
        3,
    );
    let mut a = sim.nodes.into_iter().next().unwrap();
    let mut first = None;
    while let Some(out) = a.engine.next_output() {
        if let Output::Send { bytes, to, .. } = out {
            assert_eq!(to.to_string(), format!("{B}:500"));
            first.get_or_insert(bytes);
        }
    }
    let bytes = first.expect("A sent message 1");
    let header = Header::decode(&bytes).unwrap();
    assert_eq!(header.exchange, ExchangeType::Aggressive);
    assert!(!header.flags.contains(Flags::ENCRYPTION));
    assert_eq!(header.responder_cookie, [0; 8]);
    let msg = Message::decode(&bytes).unwrap();
    let kinds: Vec<&str> = msg
        .payloads
        .iter()
        .map(|p| match p {
            Payload::Sa(_) => "SA",
            Payload::KeyExchange(_) => "KE",
            Payload::Nonce(_) => "NONCE",
            Payload::Identification(_) => "ID",
            Payload::VendorId(_) => "VID",
            _ => "other",
        })
        .collect();
    assert_eq!(&kinds[..4], ["SA", "KE", "NONCE", "ID"]);
    let id = msg
        .payloads
        .iter()
        .find_map(|p| match p {
            Payload::Identification(id) => Some(id.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(id.data, IdData::Fqdn(b"gw1.example.org".to_vec()));
    // racoon's ipsecdoi_setid1(): a name ID has neither protocol nor port.
    assert_eq!((id.protocol, id.port), (0, 0));
    // modp1024: a 128-byte public value.
    let ke = msg
        .payloads
        .iter()
        .find_map(|p| match p {
            Payload::KeyExchange(k) => Some(k.len()),
            _ => None,
        })
        .unwrap();
    assert_eq!(ke, 128);
}

#[test]
fn lossy_link_converges_in_aggressive_mode() {
    let link = Link {
        drop: 250,
        duplicate: 250,
        jitter_ms: 400,
    };
    let timer = "timer { counter 10; interval 2 sec; phase1 60 sec; phase2 60 sec; }\n";
    for seed in 0..16 {
        let a_conf = format!(
            "{timer}{}",
            agg_conf(B, "aggressive", FQDN_A, "172.16.1.0/24", "172.16.2.0/24")
        );
        let b_conf = format!(
            "{timer}{}",
            agg_conf(A, "aggressive", FQDN_B, "172.16.2.0/24", "172.16.1.0/24")
        );
        let s = 700 + seed * 5;
        let na = Node::new(A, &a_conf, "gw2.example.org lossy\n", s);
        let nb = Node::new(B, &b_conf, "gw1.example.org lossy\n", s + 1);
        let mut sim = Sim::new(na, nb, link, s + 2);
        start_kame_tunnel(&mut sim);
        sim.run_for(Duration::from_secs(300));
        let ok = sim.nodes[0].installs.len() == 1 && sim.nodes[1].installs.len() == 1;
        assert!(
            ok,
            "seed {seed}: A {:#?}\nB {:#?}",
            sim.nodes[0].logs, sim.nodes[1].logs
        );
        assert_converged(&sim);
    }
}

#[test]
fn wrong_psk_fails_without_install() {
    let mut sim = pair(
        Side {
            modes: "aggressive",
            lines: FQDN_A,
            psk: "gw2.example.org right\n",
        },
        Side {
            modes: "aggressive",
            lines: FQDN_B,
            psk: "gw1.example.org wrong\n",
        },
        Link::default(),
        4,
    );
    sim.run_for(Duration::from_secs(300));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(a.installs.is_empty() && b.installs.is_empty());
    // The initiator checks HASH_R first and never sends HASH_I.
    assert!(a.has_log("HASH mismatched"), "{:#?}", a.logs);
    assert!(a.has_log_containing("phase1 negotiation failed due to time up."));
    assert!(!a.has_log_containing("ISAKMP-SA established"));
    assert!(!b.has_log_containing("ISAKMP-SA established"));
}

#[test]
fn unknown_identity_falls_back_to_the_address() {
    // B knows no key for gw1.example.org but one for A's address: racoon's fallback.
    let mut sim = pair(
        Side {
            modes: "aggressive",
            lines: FQDN_A,
            psk: "gw2.example.org k\n",
        },
        Side {
            modes: "aggressive",
            lines: FQDN_B,
            psk: &format!("gw9.example.org other\n{A} k\n"),
        },
        Link::default(),
        5,
    );
    sim.run_for(Duration::from_secs(10));
    assert_converged(&sim);
    assert!(sim.nodes[1]
        .has_log("couldn't find the proper pskey, try to get one by the peer's address."));
}

#[test]
fn unknown_identity_without_address_key_fails() {
    let mut sim = pair(
        Side {
            modes: "aggressive",
            lines: FQDN_A,
            psk: "gw2.example.org k\n",
        },
        Side {
            modes: "aggressive",
            lines: FQDN_B,
            psk: "gw9.example.org k\n",
        },
        Link::default(),
        6,
    );
    sim.run_for(Duration::from_secs(120));
    let b = &sim.nodes[1];
    assert!(
        b.has_log(&format!("couldn't find the pskey for {A}.")),
        "{:#?}",
        b.logs
    );
    assert!(b.has_log_containing("phase1 negotiation failed. "));
    assert!(sim.nodes[0].installs.is_empty() && b.installs.is_empty());
}

#[test]
fn unknown_identity_with_verify_identifier_does_not_fall_back() {
    let mut sim = pair(
        Side {
            modes: "aggressive",
            lines: FQDN_A,
            psk: "gw2.example.org k\n",
        },
        Side {
            modes: "aggressive",
            lines: &format!("{FQDN_B} verify_identifier on;"),
            psk: &format!("{A} k\n"),
        },
        Link::default(),
        7,
    );
    sim.run_for(Duration::from_secs(120));
    let b = &sim.nodes[1];
    assert!(b.has_log("couldn't find the pskey."), "{:#?}", b.logs);
    assert!(!b.has_log_containing("try to get one by the peer's address"));
    assert!(sim.nodes[0].installs.is_empty() && b.installs.is_empty());
}

#[test]
fn peers_identifier_mismatch_with_verify_identifier_is_refused() {
    let mut sim = pair(
        Side {
            modes: "aggressive",
            lines: FQDN_A,
            psk: "gw2.example.org k\n",
        },
        Side {
            modes: "aggressive",
            lines: &format!(
                "{FQDN_B} peers_identifier fqdn \"gw7.example.org\"; verify_identifier on;"
            ),
            psk: "gw1.example.org k\n",
        },
        Link::default(),
        8,
    );
    sim.run_for(Duration::from_secs(120));
    let b = &sim.nodes[1];
    assert!(b.has_log("No ID match."), "{:#?}", b.logs);
    assert!(b.has_log("invalid ID payload."), "{:#?}", b.logs);
    assert!(b.engine.isakmp_sas().is_empty());
    assert!(sim.nodes[0].installs.is_empty() && b.installs.is_empty());
}

#[test]
fn peers_identifier_checks_both_sides() {
    // Matching lines on both sides: the exchange goes through; a mismatch without
    // verify_identifier is only a warning.
    let mut sim = pair(
        Side {
            modes: "aggressive",
            lines: &format!(
                "{FQDN_A} peers_identifier fqdn \"gw2.example.org\"; verify_identifier on;"
            ),
            psk: "gw2.example.org k\n",
        },
        Side {
            modes: "aggressive",
            lines: &format!("{FQDN_B} peers_identifier user_fqdn \"x@example.org\";"),
            psk: "gw1.example.org k\n",
        },
        Link::default(),
        9,
    );
    sim.run_for(Duration::from_secs(10));
    assert_converged(&sim);
    assert!(!sim.nodes[0].has_log("No ID match."));
    assert!(sim.nodes[1].has_log("No ID match."));
    assert!(!sim.nodes[1].has_log("invalid ID payload."));
}

#[test]
fn initiator_refuses_a_responder_id_it_does_not_expect() {
    let mut sim = pair(
        Side {
            modes: "aggressive",
            lines: &format!(
                "{FQDN_A} peers_identifier fqdn \"gw3.example.org\"; verify_identifier on;"
            ),
            psk: "gw2.example.org k\n",
        },
        Side {
            modes: "aggressive",
            lines: FQDN_B,
            psk: "gw1.example.org k\n",
        },
        Link::default(),
        10,
    );
    sim.run_for(Duration::from_secs(120));
    let a = &sim.nodes[0];
    assert!(a.has_log("invalid ID payload."), "{:#?}", a.logs);
    assert!(a.has_log_containing("phase1 negotiation failed. "));
    assert!(a.installs.is_empty());
}

#[test]
fn responder_with_only_main_refuses_aggressive() {
    let mut sim = pair(
        Side {
            modes: "aggressive",
            lines: FQDN_A,
            psk: "gw2.example.org k\n",
        },
        Side {
            modes: "main",
            lines: FQDN_B,
            psk: "gw1.example.org k\n",
        },
        Link::default(),
        11,
    );
    sim.run_for(Duration::from_secs(120));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(
        b.has_log("exchange Aggressive not allowed in any applicable rmconf."),
        "{:#?}",
        b.logs
    );
    assert!(!b.has_log_containing("respond new phase 1 negotiation"));
    assert!(b.engine.isakmp_sas().is_empty());
    assert!(a.has_log_containing("phase1 negotiation failed due to time up."));
}

#[test]
fn responder_with_only_aggressive_refuses_main() {
    let mut sim = pair(
        Side {
            modes: "main",
            lines: "",
            psk: &format!("{B} k\n"),
        },
        Side {
            modes: "aggressive",
            lines: "",
            psk: &format!("{A} k\n"),
        },
        Link::default(),
        12,
    );
    sim.run_for(Duration::from_secs(120));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(a.has_log("begin Identity Protection mode."));
    assert!(
        b.has_log("exchange Identity Protection not allowed in any applicable rmconf."),
        "{:#?}",
        b.logs
    );
    assert!(b.engine.isakmp_sas().is_empty());
    assert!(a.installs.is_empty());
}

#[test]
fn responder_allowing_both_takes_either() {
    for (modes_a, begin) in [
        ("aggressive", "begin Aggressive mode."),
        ("main", "begin Identity Protection mode."),
    ] {
        let mut sim = pair(
            Side {
                modes: modes_a,
                lines: "",
                psk: &format!("{B} k\n"),
            },
            Side {
                modes: "main, aggressive",
                lines: "",
                psk: &format!("{A} k\n"),
            },
            Link::default(),
            13,
        );
        sim.run_for(Duration::from_secs(10));
        assert_converged(&sim);
        assert!(sim.nodes[1].has_log(begin), "{:#?}", sim.nodes[1].logs);
        // Address IDs: racoon looked their raw bytes up in psk.txt first, found nothing
        // and said so, then took the key by the address (main mode goes there directly).
        let fallback = "couldn't find the proper pskey, try to get one by the peer's address.";
        assert_eq!(
            sim.nodes[1].has_log(fallback),
            modes_a == "aggressive",
            "{:#?}",
            sim.nodes[1].logs
        );
    }
}

/// The datagrams a node wants sent, in order (other outputs dropped).
fn sends(node: &mut Node) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(o) = node.engine.next_output() {
        match o {
            Output::Send { bytes, .. } => out.push(bytes),
            Output::Log { text, .. } => node.logs.push(text),
            _ => {}
        }
    }
    out
}

/// Runs messages 1 and 2 by hand and returns both nodes, message 1, 2 and A's (plain)
/// message 3.
fn first_three(seed: u64) -> (Node, Node, Vec<u8>, Vec<u8>, Vec<u8>) {
    let sim = pair(
        Side {
            modes: "aggressive",
            lines: FQDN_A,
            psk: "gw2.example.org k\n",
        },
        Side {
            modes: "aggressive",
            lines: FQDN_B,
            psk: "gw1.example.org k\n",
        },
        Link::default(),
        seed,
    );
    let now = sim.now;
    let [mut a, mut b] = sim.nodes;
    let (ea, eb) = (
        format!("{A}:500").parse().unwrap(),
        format!("{B}:500").parse().unwrap(),
    );
    let m1 = sends(&mut a).remove(0);
    b.engine.handle_datagram(now, eb, ea, &m1);
    let m2 = sends(&mut b).remove(0);
    a.engine.handle_datagram(now, ea, eb, &m2);
    let m3 = sends(&mut a).remove(0);
    (a, b, m1, m2, m3)
}

/// A's HASH_I message encrypted the way other implementations send it: with SKEYID_e's
/// 3DES key and the phase-1 IV hash(g^xi | g^xr).
fn encrypt_third(a: &Node, m1: &[u8], m2: &[u8], m3: &[u8]) -> Vec<u8> {
    use racoon::crypto::{encryption_key, phase1_iv, Cipher, Hash};
    let sa = &a.engine.isakmp_sas()[0];
    let skeyid_e = &sa.keys.as_ref().unwrap()[2];
    let md5 = Hash::from_name("md5").unwrap();
    let key = encryption_key(&md5.prf(), skeyid_e, 24).unwrap();
    let cipher = Cipher::from_ike(5, key.as_bytes()).unwrap();
    let iv = phase1_iv(&md5, &ke_of(m1), &ke_of(m2), 8).unwrap();
    let mut msg = Message::decode(m3).unwrap();
    msg.header = Header::new(
        sa.icookie,
        sa.rcookie,
        ExchangeType::Aggressive,
        Flags::ENCRYPTION,
        0,
    );
    racoon::isakmp::encrypt_message(&msg, &cipher, &iv)
        .unwrap()
        .datagram
}

#[test]
fn the_initiator_sends_hash_i_in_the_clear() {
    let (a, _, _, _, m3) = first_three(20);
    let header = Header::decode(&m3).unwrap();
    assert_eq!(header.exchange, ExchangeType::Aggressive);
    assert!(!header.flags.contains(Flags::ENCRYPTION));
    let msg = Message::decode(&m3).unwrap();
    assert!(matches!(msg.payloads.as_slice(), [Payload::Hash(h)] if h.len() == 16));
    assert!(a.engine.isakmp_sas()[0].established);
}

#[test]
fn an_encrypted_third_message_is_accepted() {
    let (a, mut b, m1, m2, m3) = first_three(21);
    let encrypted = encrypt_third(&a, &m1, &m2, &m3);
    assert!(Header::decode(&encrypted)
        .unwrap()
        .flags
        .contains(Flags::ENCRYPTION));
    let now = std::time::Instant::now();
    b.engine.handle_datagram(
        now,
        format!("{B}:500").parse().unwrap(),
        format!("{A}:500").parse().unwrap(),
        &encrypted,
    );
    let _ = sends(&mut b);
    let (sa_a, sa_b) = (&a.engine.isakmp_sas()[0], &b.engine.isakmp_sas()[0]);
    assert!(sa_b.established, "{:#?}", b.logs);
    assert_eq!(
        sa_a.keys.as_ref().unwrap()[1].as_bytes(),
        sa_b.keys.as_ref().unwrap()[1].as_bytes()
    );
    assert!(b.has_log_containing("ISAKMP-SA established"));
}

#[test]
fn a_wrong_hash_i_does_not_establish() {
    let (_, mut b, _, _, m3) = first_three(22);
    let mut forged = m3.clone();
    let last = forged.len() - 1;
    forged[last] ^= 0x01;
    let now = std::time::Instant::now();
    b.engine.handle_datagram(
        now,
        format!("{B}:500").parse().unwrap(),
        format!("{A}:500").parse().unwrap(),
        &forged,
    );
    let _ = sends(&mut b);
    assert!(!b.engine.isakmp_sas()[0].established);
    assert!(b.has_log("HASH mismatched"), "{:#?}", b.logs);
    // The real one still gets through afterwards.
    b.engine.handle_datagram(
        now,
        format!("{B}:500").parse().unwrap(),
        format!("{A}:500").parse().unwrap(),
        &m3,
    );
    let _ = sends(&mut b);
    assert!(b.engine.isakmp_sas()[0].established);
}

#[test]
fn main_mode_checks_peers_identifier_too() {
    let mut sim = pair(
        Side {
            modes: "main",
            lines: "",
            psk: &format!("{B} k\n"),
        },
        Side {
            modes: "main",
            lines: "peers_identifier address \"192.168.9.9\"; verify_identifier on;",
            psk: &format!("{A} k\n"),
        },
        Link::default(),
        30,
    );
    sim.run_for(Duration::from_secs(120));
    let b = &sim.nodes[1];
    assert!(b.has_log("No ID match."), "{:#?}", b.logs);
    assert!(b.has_log("invalid ID payload."), "{:#?}", b.logs);
    assert!(sim.nodes[0].installs.is_empty() && b.installs.is_empty());

    let mut sim = pair(
        Side {
            modes: "main",
            lines: "",
            psk: &format!("{B} k\n"),
        },
        Side {
            modes: "main",
            lines: &format!("peers_identifier address \"{A}\"; verify_identifier on;"),
            psk: &format!("{A} k\n"),
        },
        Link::default(),
        31,
    );
    sim.run_for(Duration::from_secs(10));
    assert_converged(&sim);
    assert!(!sim.nodes[1].has_log("No ID match."));
}

#[test]
fn an_anonymous_section_allowing_aggressive_takes_the_peer() {
    // B's section for A's address allows only main mode; `remote anonymous` allows
    // aggressive: racoon accepted the exchange any applicable section allowed.
    let b_conf = format!(
        "remote {A} {{\n exchange_mode main;\n proposal {{\n {PROPOSAL}\n }}\n}}\n\
         remote anonymous {{\n exchange_mode aggressive;\n {FQDN_B}\n proposal {{\n {PROPOSAL}\n }}\n}}\n{}\n",
        sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO)
    );
    let na = Node::new(
        A,
        &agg_conf(B, "aggressive", FQDN_A, "172.16.1.0/24", "172.16.2.0/24"),
        "gw2.example.org k\n",
        40,
    );
    let nb = Node::new(B, &b_conf, "gw1.example.org k\n", 41);
    let mut sim = Sim::new(na, nb, Link::default(), 42);
    start_kame_tunnel(&mut sim);
    sim.run_for(Duration::from_secs(10));
    assert_converged(&sim);
    assert!(sim.nodes[1].has_log("begin Aggressive mode."));
}

/// HASH_I encrypted under keys the responder does not have (as from a peer with another
/// pre-shared key) decrypts to garbage: racoon's isakmp_parse notes "invalid length of
/// payload" at debug level and the packet is ignored with no error line, the phase 1
/// kept; the right message 3 still completes it.
#[test]
fn an_undecryptable_third_message_is_ignored_quietly() {
    let (a, mut b, m1, m2, m3) = first_three(23);
    let good = encrypt_third(&a, &m1, &m2, &m3);
    let mut garbled = good.clone();
    for byte in &mut garbled[28..] {
        *byte ^= 0x5a;
    }
    let now = std::time::Instant::now();
    let (eb, ea) = (
        format!("{B}:500").parse().unwrap(),
        format!("{A}:500").parse().unwrap(),
    );
    b.engine.handle_datagram(now, eb, ea, &garbled);
    let errors: Vec<String> = {
        let mut v = Vec::new();
        while let Some(o) = b.engine.next_output() {
            if let Output::Log { level, text, .. } = o {
                if level <= racoon::conf::LogLevel::Warning {
                    v.push(text.clone());
                }
                b.logs.push(text);
            }
        }
        v
    };
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(b.has_log("invalid length of payload"), "{:#?}", b.logs);
    assert!(!b.engine.isakmp_sas()[0].established);
    b.engine.handle_datagram(now, eb, ea, &good);
    let _ = sends(&mut b);
    assert!(b.engine.isakmp_sas()[0].established, "{:#?}", b.logs);
}

/// A HASH_I that does not verify: like racoon (oakley_validate_auth's
/// INVALID-HASH-INFORMATION, sent by isakmp_info_send_n1) the responder answers with an
/// informational HDR*, HASH(1), N(INVALID-HASH-INFORMATION) under the phase-1 keys,
/// which the initiator decrypts, verifies and reads.
#[test]
fn a_wrong_hash_i_is_answered_with_invalid_hash_information() {
    let (mut a, mut b, _, _, m3) = first_three(24);
    let mut forged = m3.clone();
    let last = forged.len() - 1;
    forged[last] ^= 0x01;
    let now = std::time::Instant::now();
    let (eb, ea) = (
        format!("{B}:500").parse().unwrap(),
        format!("{A}:500").parse().unwrap(),
    );
    b.engine.handle_datagram(now, eb, ea, &forged);
    let out = sends(&mut b);
    assert_eq!(out.len(), 1, "{:#?}", b.logs);
    let header = Header::decode(&out[0]).unwrap();
    assert_eq!(header.exchange, ExchangeType::Informational);
    assert!(header.flags.contains(Flags::ENCRYPTION));
    assert_ne!(header.message_id, 0);
    a.engine.handle_datagram(now, ea, eb, &out[0]);
    let _ = sends(&mut a);
    assert!(
        a.has_log("fatal INVALID-HASH-INFORMATION notify messsage, phase1 should be deleted."),
        "{:#?}",
        a.logs
    );
    // B keeps waiting: the real HASH_I still establishes.
    b.engine.handle_datagram(now, eb, ea, &m3);
    let _ = sends(&mut b);
    assert!(b.engine.isakmp_sas()[0].established);
}
