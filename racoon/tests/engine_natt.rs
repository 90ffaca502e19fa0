//! NAT traversal between two engines: a client behind a NAT that rewrites its address
//! and ports, and a gateway. The link below plays the NAT (a fixed port map), so what
//! each engine sees is what a real one would: the vendor IDs, the NAT-D hashes (checked
//! against hashes computed here by hand), the float to port 4500 with the non-ESP
//! marker, keepalives, and the SAs installed as ESP in UDP between the ports as seen.

#[allow(dead_code)]
mod engine_sim;

use common::kernel::Event;
use common::policy::{Direction, Policy, PolicySelector};
use common::sa::{Mode, Sa};
use engine_sim::{acquire, conf, policy, sainfo, Link, Nat, Node, Sent, Sim, PROPOSAL};
use racoon::crypto::Hash;
use racoon::engine::{KernelRequest, Output};
use racoon::isakmp::{Header, Message, Payload};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

const CLIENT: &str = "10.0.0.2";
const GATEWAY: &str = "198.51.100.1";
const NAT: &str = "203.0.113.5";

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn sock(a: &str, port: u16) -> SocketAddr {
    SocketAddr::new(ip(a), port)
}

/// The NAT's port map for the client's ports (a real masquerade may keep or change them;
/// this one always changes them, so the test sees every port as it is rewritten).
fn nat_port(p: u16) -> u16 {
    p + 40000
}

/// The client (node 0) behind a NAT, or not, and the gateway (node 1) on engine_sim's
/// link; `natt_port` is the port both float to (`racoon -P`).
struct NatSim {
    sim: Sim,
    natt_port: u16,
}

impl std::ops::Deref for NatSim {
    type Target = Sim;
    fn deref(&self) -> &Sim {
        &self.sim
    }
}

impl std::ops::DerefMut for NatSim {
    fn deref_mut(&mut self) -> &mut Sim {
        &mut self.sim
    }
}

impl NatSim {
    /// Node 0 is the client (its address as it knows it), node 1 the gateway.
    fn new(client_remote: &str, gateway_remote: &str, nat: bool) -> NatSim {
        NatSim::with_mode(client_remote, gateway_remote, nat, "main")
    }

    /// The two nodes on a link with the NAT (the port map of [`nat_port`]) or without.
    fn wire(c: Node, g: Node, nat: bool, seed: u64) -> NatSim {
        let mut sim = Sim::new(c, g, Link::default(), seed);
        sim.nat = nat.then(|| Nat {
            public: ip(NAT),
            port_offset: nat_port(0),
        });
        NatSim {
            sim,
            natt_port: 4500,
        }
    }

    /// [`NatSim::new`] with phase 1 in `exchange_mode` (main or aggressive).
    fn with_mode(client_remote: &str, gateway_remote: &str, nat: bool, mode: &str) -> NatSim {
        let client_addr = if nat { CLIENT } else { NAT };
        let mode = format!("exchange_mode {mode};");
        let sa_c = sainfo(&format!("{client_addr}/32"), "172.16.2.0/24", SAINFO);
        let sa_g = sainfo("172.16.2.0/24", &format!("{client_addr}/32"), SAINFO);
        let c = Node::new(
            client_addr,
            &conf(GATEWAY, client_remote, PROPOSAL, &sa_c).replace("exchange_mode main;", &mode),
            &format!("{GATEWAY} natt key\n"),
            11,
        );
        // Aggressive mode looks the key up by the client's ID: its own address.
        let g = Node::new(
            GATEWAY,
            &conf(NAT, gateway_remote, PROPOSAL, &sa_g).replace("exchange_mode main;", &mode),
            &format!("{NAT} natt key\n{client_addr} natt key\n"),
            12,
        );
        let mut sim = NatSim::wire(c, g, nat, 13);
        // The gateway's inbound policy has the NAT's address as the tunnel's end, as a
        // road-warrior gateway's must; the traffic is the client's own address.
        let p_in = policy(
            &format!("{client_addr}/32"),
            "172.16.2.0/24",
            Direction::In,
            Mode::Tunnel,
            Some((NAT, GATEWAY)),
            9,
        );
        sim.event(1, Event::PolicyAdded(p_in));
        let p_out = policy(
            &format!("{client_addr}/32"),
            "172.16.2.0/24",
            Direction::Out,
            Mode::Tunnel,
            Some((client_addr, GATEWAY)),
            7,
        );
        sim.event(0, acquire(client_addr, GATEWAY, p_out));
        sim
    }

    /// The same two engines made afresh, negotiating host-to-host transport mode.
    fn transport() -> NatSim {
        NatSim::transport_with("", "any")
    }

    /// [`NatSim::transport`] with more in the gateway's remote section, and the
    /// client's traffic `proto` (`any`, or `udp` for L2TP's 1701 on both sides).
    fn transport_with(gateway_extra: &str, proto: &str) -> NatSim {
        let sa_c = format!("sainfo anonymous {{\n {SAINFO}\n}}");
        let c = Node::new(
            CLIENT,
            &conf(GATEWAY, "nat_traversal on;", PROPOSAL, &sa_c),
            &format!("{GATEWAY} natt key\n"),
            21,
        );
        let g = Node::new(
            GATEWAY,
            &conf(
                NAT,
                &format!("nat_traversal on; {gateway_extra}"),
                PROPOSAL,
                &sa_c,
            ),
            &format!("{NAT} natt key\n"),
            22,
        );
        let mut sim = NatSim::wire(c, g, true, 23);
        let (from, to) = match proto {
            "udp" => (format!("{CLIENT}/32[1701]"), format!("{GATEWAY}/32[1701]")),
            _ => (format!("{CLIENT}/32"), format!("{GATEWAY}/32")),
        };
        let mut p_out = policy(&from, &to, Direction::Out, Mode::Transport, None, 3);
        if let PolicySelector::Addresses { ul_proto, .. } = &mut p_out.selector {
            *ul_proto = if proto == "udp" { 17 } else { 255 };
        }
        sim.event(0, acquire(CLIENT, GATEWAY, p_out));
        sim
    }

    /// The IKE messages `node` sent, in order, marker removed, with their ports.
    fn ike_sent(&self, node: usize) -> Vec<(SocketAddr, SocketAddr, Vec<u8>)> {
        self.datagrams
            .iter()
            .filter(|s| s.node == node && s.bytes.len() > 1)
            .map(|s| {
                let body = if s.from.port() == self.natt_port {
                    assert_eq!(&s.bytes[..4], &[0, 0, 0, 0], "no non-ESP marker");
                    s.bytes[4..].to_vec()
                } else {
                    s.bytes.clone()
                };
                (s.from, s.to, body)
            })
            .collect()
    }

    fn dump(&self) -> String {
        format!(
            "client: {:#?}\ngateway: {:#?}",
            self.nodes[0].logs, self.nodes[1].logs
        )
    }
}

const SAINFO: &str = "encryption_algorithm aes 128; authentication_algorithm hmac_sha1; \
    compression_algorithm deflate;";

fn md5(parts: &[&[u8]]) -> Vec<u8> {
    Hash::from_name("md5").unwrap().digest(parts).unwrap()
}

fn vid(name: &str) -> Vec<u8> {
    md5(&[name.as_bytes()])
}

fn natd_payloads(msg: &Message) -> Vec<Vec<u8>> {
    msg.payloads
        .iter()
        .filter_map(|p| match p {
            Payload::NatD { draft: false, hash } => Some(hash.clone()),
            _ => None,
        })
        .collect()
}

fn established(sim: &NatSim) -> (&(Sa, Sa), &(Sa, Sa)) {
    assert_eq!(sim.nodes[0].installs.len(), 1, "{}", sim.dump());
    assert_eq!(sim.nodes[1].installs.len(), 1, "{}", sim.dump());
    (&sim.nodes[0].installs[0], &sim.nodes[1].installs[0])
}

#[test]
fn client_behind_nat_floats_and_installs_esp_in_udp() {
    let mut sim = NatSim::new("nat_traversal on;", "nat_traversal on;", true);
    sim.run_for(Duration::from_secs(5));
    let ((c_in, c_out), (g_in, g_out)) = established(&sim);

    // Message 1: racoon's own vendor ID, then RFC 3947 and draft 02 (with and without
    // its newline), newest first (DPD's may follow).
    let client_msgs = sim.ike_sent(0);
    let m1 = Message::decode(&client_msgs[0].2).unwrap();
    let vids: Vec<Vec<u8>> = m1
        .payloads
        .iter()
        .filter_map(|p| match p {
            Payload::VendorId(v) => Some(v.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        vids[..4],
        [
            vid("KAME/racoon"),
            vec![
                0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45, 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95,
                0x45, 0x2f
            ],
            vid("draft-ietf-ipsec-nat-t-ike-02"),
            vid("draft-ietf-ipsec-nat-t-ike-02\n"),
        ]
    );
    // Message 2 answers with the chosen version's alone.
    let gw_msgs = sim.ike_sent(1);
    let m2 = Message::decode(&gw_msgs[0].2).unwrap();
    assert!(m2.payloads.contains(&Payload::VendorId(vid("RFC 3947"))));
    assert!(!m2
        .payloads
        .contains(&Payload::VendorId(vid("draft-ietf-ipsec-nat-t-ike-02"))));

    // Message 3: NAT-D of the gateway as the client sends to it, then of the client
    // as it knows itself: MD5(CKY-I | CKY-R | IP | port) with the proposal's hash.
    let m3 = Message::decode(&client_msgs[1].2).unwrap();
    let (ci, cr) = (m3.header.initiator_cookie, m3.header.responder_cookie);
    let gw_ip = [198u8, 51, 100, 1];
    let client_ip = [10u8, 0, 0, 2];
    let nat_ip = [203u8, 0, 113, 5];
    let port500 = 500u16.to_be_bytes();
    assert_eq!(
        natd_payloads(&m3),
        vec![
            md5(&[&ci, &cr, &gw_ip, &port500]),
            md5(&[&ci, &cr, &client_ip, &port500])
        ]
    );
    // Message 4: the gateway hashes the client as it sees it, behind the NAT.
    let m4 = Message::decode(&gw_msgs[1].2).unwrap();
    assert_eq!(
        natd_payloads(&m4),
        vec![
            md5(&[&ci, &cr, &nat_ip, &nat_port(500).to_be_bytes()]),
            md5(&[&ci, &cr, &gw_ip, &port500])
        ]
    );

    let (c, g) = (&sim.nodes[0], &sim.nodes[1]);
    for n in [c, g] {
        assert!(
            n.has_log("Selected NAT-T version: RFC 3947"),
            "{}",
            sim.dump()
        );
        assert!(n.has_log("Adding remote and local NAT-D payloads."));
    }
    assert!(
        c.has_log("NAT-D payload #0 doesn't match"),
        "{}",
        sim.dump()
    );
    assert!(c.has_log("NAT-D payload #1 verified"));
    assert!(c.has_log("NAT detected: ME "));
    assert!(g.has_log("NAT-D payload #0 verified"));
    assert!(g.has_log("NAT-D payload #1 doesn't match"));
    assert!(g.has_log("NAT detected: PEER"));
    assert!(c.has_log(&format!("Hashing {GATEWAY}[500] with algo #1 ")));

    // Message 5 on: between the NAT-T ports, each with the non-ESP marker (ike_sent
    // asserts it); the gateway follows the client's new ports as the NAT maps them.
    assert_eq!(
        (client_msgs[2].0, client_msgs[2].1),
        (sock(CLIENT, 4500), sock(GATEWAY, 4500))
    );
    assert_eq!(
        (gw_msgs[2].0, gw_msgs[2].1),
        (sock(GATEWAY, 4500), sock(NAT, nat_port(4500)))
    );
    assert!(g.has_log(&format!(
        "NAT-T: ports changed to: {NAT}[{}]<->{GATEWAY}[4500]",
        nat_port(4500)
    )));
    assert!(g.has_log_containing("ISAKMP-SA established 198.51.100.1[4500]-203.0.113.5[44500]"));
    assert!(c.has_log_containing("ISAKMP-SA established 10.0.0.2[4500]-198.51.100.1[4500]"));
    // Quick mode went over 4500 too.
    assert!(client_msgs[3..].iter().all(|m| m.0.port() == 4500));

    // The SAs: ESP in UDP between the ports each side sees.
    let natt = |sa: &Sa| {
        let n = sa.natt.expect("an ESP-in-UDP SA");
        assert_eq!(n.encap, 2);
        (n.sport, n.dport)
    };
    assert_eq!(natt(c_out), (4500, 4500));
    assert_eq!(natt(c_in), (4500, 4500));
    assert_eq!(natt(g_in), (nat_port(4500), 4500));
    assert_eq!(natt(g_out), (4500, nat_port(4500)));
    assert_eq!((g_in.src, g_out.dst), (ip(NAT), ip(NAT)));
    assert_eq!((c_out.src, c_out.dst), (ip(CLIENT), ip(GATEWAY)));
    assert_eq!(
        c_out.enc.as_ref().unwrap().key,
        g_in.enc.as_ref().unwrap().key
    );
    assert_eq!(g_out.spi, c_in.spi);
    assert_eq!(c_in.mode, Mode::Tunnel);
}

/// Both sides send keepalives once a NAT is seen, as the original does (the client's
/// through its NAT, the gateway's back to the NAT's mapped port).
#[test]
fn both_sides_send_keepalives_across_the_nat() {
    let mut sim = NatSim::new("nat_traversal on;", "nat_traversal on;", true);
    sim.run_for(Duration::from_secs(5));
    established(&sim);
    let before = sim.datagrams.len();
    sim.run_for(Duration::from_secs(65));
    let keepalives: Vec<&Sent> = sim.datagrams[before..]
        .iter()
        .filter(|s| s.bytes == [0xff])
        .collect();
    let ends: Vec<_> = keepalives.iter().map(|k| (k.node, k.from, k.to)).collect();
    let client = (0, sock(CLIENT, 4500), sock(GATEWAY, 4500));
    let gateway = (1, sock(GATEWAY, 4500), sock(NAT, nat_port(4500)));
    assert_eq!(ends.iter().filter(|e| **e == client).count(), 3, "{ends:?}");
    assert_eq!(
        ends.iter().filter(|e| **e == gateway).count(),
        3,
        "{ends:?}"
    );
    assert_eq!(ends.len(), 6, "{ends:?}");
    assert!(sim.nodes[0].has_log("KA list add: 10.0.0.2[4500]->198.51.100.1[4500]"));
    assert!(
        sim.nodes[1].has_log("KA list add: 198.51.100.1[4500]->203.0.113.5[44500]"),
        "{}",
        sim.dump()
    );
    // The gateway takes them silently.
    assert!(
        !sim.nodes[1].has_log_containing("invalid ISAKMP header"),
        "{}",
        sim.dump()
    );
}

#[test]
fn natt_keepalive_timer_sets_the_interval() {
    let mut sim = NatSim::new("nat_traversal on;", "nat_traversal on;", true);
    // Rebuild the client with timer { natt_keepalive 5 sec; }.
    let sa_c = sainfo(&format!("{CLIENT}/32"), "172.16.2.0/24", SAINFO);
    sim.nodes[0] = Node::new(
        CLIENT,
        &format!(
            "timer {{ natt_keepalive 5 sec; }}\n{}",
            conf(GATEWAY, "nat_traversal on;", PROPOSAL, &sa_c)
        ),
        &format!("{GATEWAY} natt key\n"),
        11,
    );
    let p_out = policy(
        &format!("{CLIENT}/32"),
        "172.16.2.0/24",
        Direction::Out,
        Mode::Tunnel,
        Some((CLIENT, GATEWAY)),
        7,
    );
    sim.event(0, acquire(CLIENT, GATEWAY, p_out));
    // Both float within milliseconds; the 20 s counted start half-way between two of
    // the client's keepalives.
    sim.run_for(Duration::from_millis(5500));
    established(&sim);
    let before = sim.datagrams.len();
    sim.run_for(Duration::from_secs(20));
    // The client's every 5 s; the gateway keeps the default 20 s.
    let count = |node| {
        sim.datagrams[before..]
            .iter()
            .filter(|s| s.node == node && s.bytes == [0xff])
            .count()
    };
    assert_eq!((count(0), count(1)), (4, 1));
}

#[test]
fn no_nat_no_float_and_plain_esp() {
    let mut sim = NatSim::new("nat_traversal on;", "nat_traversal on;", false);
    sim.run_for(Duration::from_secs(70));
    let ((c_in, c_out), (g_in, _)) = established(&sim);
    for n in &sim.nodes {
        assert!(n.has_log("NAT not detected "), "{}", sim.dump());
        assert!(!n.has_log_containing("ports changed"));
    }
    assert!(sim
        .datagrams
        .iter()
        .all(|s| s.from.port() == 500 && s.bytes.len() > 1));
    assert_eq!((c_in.natt, c_out.natt, g_in.natt), (None, None, None));
}

#[test]
fn force_makes_both_sides_see_a_nat() {
    let mut sim = NatSim::new("nat_traversal force;", "nat_traversal on;", false);
    sim.run_for(Duration::from_secs(5));
    let ((_, c_out), (g_in, _)) = established(&sim);
    let (c, g) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(c.has_log(&format!(
        "Hashing {GATEWAY}[500] with algo #1 (NAT-T forced)"
    )));
    assert!(c.has_log("NAT detected: ME PEER"), "{}", sim.dump());
    // The zero address in the forced hashes matches nothing the gateway sees.
    assert!(g.has_log("NAT detected: ME PEER"), "{}", sim.dump());
    assert_eq!(c_out.natt.map(|n| (n.sport, n.dport)), Some((4500, 4500)));
    assert_eq!(g_in.natt.map(|n| (n.sport, n.dport)), Some((4500, 4500)));
}

#[test]
fn a_peer_without_natt_gets_none() {
    let mut sim = NatSim::new("nat_traversal on;", "", true);
    sim.run_for(Duration::from_secs(5));
    let ((c_in, _), (g_in, _)) = established(&sim);
    let gw_msgs = sim.ike_sent(1);
    let m2 = Message::decode(&gw_msgs[0].2).unwrap();
    assert!(!m2.payloads.contains(&Payload::VendorId(vid("RFC 3947"))));
    for n in &sim.nodes {
        assert!(!n.has_log_containing("NAT detected"), "{}", sim.dump());
        assert!(!n.has_log_containing("Selected NAT-T"));
    }
    assert!(sim.datagrams.iter().all(|s| s.from.port() == 500));
    assert_eq!((c_in.natt, g_in.natt), (None, None));
}

#[test]
fn datagrams_on_4500_without_the_marker_are_not_ike() {
    let mut sim = NatSim::new("nat_traversal on;", "nat_traversal on;", true);
    // The client's first message, delivered to the gateway's 4500 without a marker,
    // is dropped; with one it starts a negotiation.
    let now = sim.now;
    let mut first = None;
    while let Some(out) = sim.nodes[0].engine.next_output() {
        if let Output::Send { bytes, .. } = out {
            first.get_or_insert(bytes);
        }
    }
    let first = first.unwrap();
    assert!(Header::decode(&first).is_ok());
    let g = &mut sim.nodes[1].engine;
    g.handle_datagram(now, sock(GATEWAY, 4500), sock(NAT, 44500), &first);
    let said = |g: &mut racoon::engine::Engine| {
        let mut logs = Vec::new();
        while let Some(o) = g.next_output() {
            if let Output::Log { text, .. } = o {
                logs.push(text);
            }
        }
        logs
    };
    assert!(!said(g).iter().any(|l| l.contains("respond new phase 1")));
    let mut marked = vec![0, 0, 0, 0];
    marked.extend_from_slice(&first);
    g.handle_datagram(now, sock(GATEWAY, 4500), sock(NAT, 44500), &marked);
    assert!(said(g).iter().any(|l| l.contains("respond new phase 1")));
}

#[test]
fn aggressive_mode_floats_with_message_3() {
    let mut sim = NatSim::with_mode("nat_traversal on;", "nat_traversal on;", true, "aggressive");
    sim.run_for(Duration::from_secs(5));
    let ((_, c_out), (g_in, _)) = established(&sim);
    let (c, g) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(c.has_log("begin Aggressive mode."), "{}", sim.dump());
    assert!(c.has_log("NAT detected: ME "), "{}", sim.dump());
    assert!(g.has_log("NAT detected: PEER"), "{}", sim.dump());
    let client_msgs = sim.ike_sent(0);
    let gw_msgs = sim.ike_sent(1);
    // Message 2 carries the chosen version's vendor ID and the NAT-D pair.
    let m2 = Message::decode(&gw_msgs[0].2).unwrap();
    let (ci, cr) = (m2.header.initiator_cookie, m2.header.responder_cookie);
    assert!(m2.payloads.contains(&Payload::VendorId(vid("RFC 3947"))));
    assert_eq!(
        natd_payloads(&m2),
        vec![
            md5(&[&ci, &cr, &[203, 0, 113, 5], &nat_port(500).to_be_bytes()]),
            md5(&[&ci, &cr, &[198, 51, 100, 1], &500u16.to_be_bytes()])
        ]
    );
    // Message 3 goes to 4500 already (with the marker), its NAT-D of those ports.
    assert_eq!(
        (client_msgs[1].0, client_msgs[1].1),
        (sock(CLIENT, 4500), sock(GATEWAY, 4500))
    );
    let m3 = Message::decode(&client_msgs[1].2).unwrap();
    assert_eq!(
        natd_payloads(&m3),
        vec![
            md5(&[&ci, &cr, &[198, 51, 100, 1], &4500u16.to_be_bytes()]),
            md5(&[&ci, &cr, &[10, 0, 0, 2], &4500u16.to_be_bytes()])
        ]
    );
    assert!(g.has_log("NAT-D payload #0 verified"));
    assert_eq!(c_out.natt.map(|n| (n.sport, n.dport)), Some((4500, 4500)));
    assert_eq!(
        g_in.natt.map(|n| (n.sport, n.dport)),
        Some((nat_port(4500), 4500))
    );
}

#[test]
fn transport_mode_sends_nat_oa_and_installs_the_original_address() {
    let mut sim = NatSim::transport();
    sim.run_for(Duration::from_secs(5));
    let ((c_in, c_out), (g_in, g_out)) = established(&sim);
    assert_eq!(c_out.mode, Mode::Transport);
    assert_eq!(g_in.mode, Mode::Transport);
    // The gateway learns the client's own address from NAT-OAi for its inbound SA.
    assert_eq!(g_in.natt.and_then(|n| n.original_address), Some(ip(CLIENT)));
    assert_eq!(g_out.natt.map(|n| n.dport), Some(nat_port(4500)));
    assert_eq!(c_in.natt.map(|n| n.sport), Some(4500));
}

/// An L2TP/IPsec server (`generate_policy on`, no policies of its own) with a client
/// behind a NAT: the client names its private address in IDci, but what the kernel
/// decapsulates carries the NAT's address, and the answers go to it. The generated
/// policies name the NAT's address, with the client's protocol and ports.
#[test]
fn transport_generate_policy_behind_a_nat_names_the_nat_address() {
    let mut sim = NatSim::transport_with("passive on; generate_policy on;", "udp");
    sim.run_for(Duration::from_secs(5));
    let (_, (g_in, _)) = established(&sim);
    assert_eq!(g_in.natt.and_then(|n| n.original_address), Some(ip(CLIENT)));
    let added: Vec<Policy> = sim.nodes[1]
        .policy_ops
        .iter()
        .filter_map(|op| match op {
            KernelRequest::AddPolicy { policy } => Some((**policy).clone()),
            _ => None,
        })
        .collect();
    let text: Vec<String> = added
        .iter()
        .map(|p| match &p.selector {
            PolicySelector::Addresses { src, dst, ul_proto } => format!(
                "{} {} {ul_proto} {} {:?}",
                src.spd_display(*ul_proto),
                dst.spd_display(*ul_proto),
                p.dir,
                p.requests.iter().map(|r| r.mode).collect::<Vec<_>>()
            ),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        text,
        [
            format!("{NAT}[1701] {GATEWAY}[1701] 17 in [Transport]"),
            format!("{GATEWAY}[1701] {NAT}[1701] 17 out [Transport]"),
        ],
        "{}",
        sim.dump()
    );
    assert!(
        sim.nodes[1].has_log(&format!(
            "no policy found, try to generate the policy : {NAT}/32[1701] {GATEWAY}/32[1701] proto=udp dir=in"
        )),
        "{}",
        sim.dump()
    );
}

#[test]
fn racoon_p_moves_the_natt_port() {
    let mut sim = NatSim::new("nat_traversal on;", "nat_traversal on;", true);
    // The client's ACQUIRE already produced message 1; the port matters from the float.
    sim.natt_port = 4501;
    for n in &mut sim.nodes {
        n.engine.set_natt_port(4501);
    }
    sim.run_for(Duration::from_secs(5));
    let ((_, c_out), (g_in, _)) = established(&sim);
    let client_msgs = sim.ike_sent(0);
    assert_eq!(
        (client_msgs[2].0, client_msgs[2].1),
        (sock(CLIENT, 4501), sock(GATEWAY, 4501))
    );
    assert_eq!(c_out.natt.map(|n| (n.sport, n.dport)), Some((4501, 4501)));
    assert_eq!(
        g_in.natt.map(|n| (n.sport, n.dport)),
        Some((nat_port(4501), 4501))
    );
}

#[test]
fn a_draft_02_peer_gets_the_draft_payloads_and_modes() {
    // The client's first message loses its RFC 3947 vendor ID on the way, as if an
    // older racoon had sent it: both sides fall back to draft 02 (with the newline,
    // the later of its two IDs).
    let mut sim = NatSim::new("nat_traversal on;", "nat_traversal on;", true);
    let rfc = vid("RFC 3947");
    sim.mutate = Some(Box::new(move |to, bytes: &mut Vec<u8>| {
        let Ok(mut m) = Message::decode(bytes) else {
            return;
        };
        if to != 1 || m.header.responder_cookie != [0; 8] {
            return;
        }
        m.payloads.retain(|p| *p != Payload::VendorId(rfc.clone()));
        *bytes = m.encode().unwrap();
    }));
    // Message 1 is still in the client's output queue: it goes through the rewrite.
    sim.run_for(Duration::from_secs(5));
    let ((_, c_out), (g_in, _)) = established(&sim);
    let (c, g) = (&sim.nodes[0], &sim.nodes[1]);
    for n in [c, g] {
        assert!(
            n.has_log("Selected NAT-T version: draft-ietf-ipsec-nat-t-ike-02"),
            "{}",
            sim.dump()
        );
    }
    assert!(c.has_log("NAT detected: ME "));
    let m2 = Message::decode(&sim.ike_sent(1)[0].2).unwrap();
    assert!(m2
        .payloads
        .contains(&Payload::VendorId(vid("draft-ietf-ipsec-nat-t-ike-02\n"))));
    let m3 = Message::decode(&sim.ike_sent(0)[1].2).unwrap();
    let drafts = m3
        .payloads
        .iter()
        .filter(|p| matches!(p, Payload::NatD { draft: true, .. }))
        .count();
    assert_eq!((drafts, natd_payloads(&m3).len()), (2, 0));
    assert_eq!(c_out.natt.map(|n| (n.sport, n.dport)), Some((4500, 4500)));
    assert_eq!(
        g_in.natt.map(|n| (n.sport, n.dport)),
        Some((nat_port(4500), 4500))
    );
}
