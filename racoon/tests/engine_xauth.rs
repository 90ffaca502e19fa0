//! XAuth between two engines: B is the server (xauth_psk_server, logins checked by the
//! backend the test installs), A the client (xauth_psk_client, xauth_login, password
//! from psk.txt). Aggressive mode with the group key, then the Transaction exchanges
//! (REQUEST/REPLY, SET/ACK) on the wire, then quick mode, which B refuses until the
//! login succeeded.

#[allow(dead_code)]
mod engine_sim;

use common::alg::{self, Class};
use engine_sim::*;
use racoon::crypto::{
    encryption_key, informational_hash, message_iv, phase1_iv, Cipher, Hash, Prf,
};
use racoon::engine::{Output, XauthBackend};
use racoon::isakmp::{
    decode_payloads, decrypt, encode_payloads, encrypt, CfgAttrType, CfgAttribute, CfgValue,
    ConfigPayload, ConfigType, ExchangeType, Flags, Header, Payload, PayloadType, Trailing,
};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

const CLIENT_PROPOSAL: &str = "encryption_algorithm aes; hash_algorithm sha1; \
    authentication_method xauth_psk_client; dh_group modp1024;";
const SERVER_PROPOSAL: &str = "encryption_algorithm aes; hash_algorithm sha1; \
    authentication_method xauth_psk_server; dh_group modp1024;";

struct Users;

impl XauthBackend for Users {
    fn login(&self, user: &[u8], password: &[u8]) -> bool {
        user == b"alice" && password == b"s3cret"
    }

    fn banner(&self, path: &str) -> Option<Vec<u8>> {
        (path == "/etc/motd.vpn").then(|| b"Welcome to the lab\n".to_vec())
    }
}

const MODE_CFG: &str =
    "mode_cfg {\n network4 10.9.0.1;\n netmask4 255.255.255.0;\n pool_size 4;\n \
    auth_source system;\n}\n";

fn pair(client_password: &str) -> Sim {
    pair_with(client_password, MODE_CFG, "")
}

fn pair_with(client_password: &str, mode_cfg: &str, client_lines: &str) -> Sim {
    let a = Node::new(
        A,
        &format!(
            "remote {B} {{\n exchange_mode aggressive;\n xauth_login \"alice\";\n {client_lines}\n proposal {{\n {CLIENT_PROPOSAL}\n }}\n}}\n{}\n",
            sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO)
        ),
        &format!("{B} groupkey\nalice {client_password}\n"),
        11,
    );
    let mut b = Node::new(
        B,
        &format!(
            "{mode_cfg}remote {A} {{\n exchange_mode aggressive;\n proposal {{\n {SERVER_PROPOSAL}\n }}\n}}\n{}\n",
            sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO)
        ),
        &format!("{A} groupkey\n"),
        12,
    );
    b.engine.set_xauth_backend(Box::new(Users));
    let mut sim = Sim::new(a, b, Link::default(), 13);
    start_kame_tunnel(&mut sim);
    sim
}

/// The encrypted Transaction exchange datagrams node `to` received.
fn transactions_to(sim: &Sim, to: usize) -> usize {
    sim.datagrams
        .iter()
        .filter(|d| d.node == to)
        .filter_map(|d| Header::decode(&d.bytes).ok())
        .filter(|h| h.exchange == ExchangeType::Transaction)
        .inspect(|h| assert!(h.flags.contains(Flags::ENCRYPTION)))
        .count()
}

#[test]
fn a_good_login_lets_quick_mode_through() {
    let mut sim = pair("s3cret");
    sim.run_for(Duration::from_secs(60));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(
        b.has_log("Adding xauth VID payload."),
        "{:?} {:?}",
        b.logs,
        a.logs
    );
    assert!(b.has_log("Sending Xauth request"), "{:?}", b.logs);
    assert!(b.has_log("Using port 0"), "{:?}", a.logs);
    assert!(
        b.has_log("login succeeded for user \"alice\""),
        "{:?}",
        b.logs
    );
    assert!(!a.has_log("Xauth authentication failed"), "{:?}", a.logs);
    // REQUEST and SET to A, REPLY and ACK to B.
    assert_eq!(transactions_to(&sim, 0), 2);
    assert_eq!(transactions_to(&sim, 1), 2);
    assert_pairs_match(&sim);
    assert!(!sim.nodes[0].installs.is_empty());
}

#[test]
fn quick_mode_before_the_login_is_refused() {
    let mut sim = pair("s3cret");
    // Hold back the client's REPLY: B never hears the credentials.
    sim.drop_if = Some(Box::new(|to, bytes| {
        to == 1 && Header::decode(bytes).is_ok_and(|h| h.exchange == ExchangeType::Transaction)
    }));
    sim.run_for(Duration::from_secs(60));
    let b = &sim.nodes[1];
    assert!(b.has_log("Sending Xauth request"), "{:?}", b.logs);
    assert!(
        b.has_log("Hybrid auth negotiated but peer did not succeed Xauth exchange"),
        "{:?}",
        b.logs
    );
    assert!(
        b.has_log("Attempt to start phase 2 whereas Xauth failed"),
        "{:?}",
        b.logs
    );
    assert!(b.installs.is_empty());
    assert!(sim.nodes[0].installs.is_empty());
}

#[test]
fn a_wrong_password_ends_the_isakmp_sa() {
    let mut sim = pair("guess");
    sim.run_for(Duration::from_secs(60));
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert!(b.has_log("login failed for user \"alice\""), "{:?}", b.logs);
    assert!(a.has_log("Xauth authentication failed"), "{:?}", a.logs);
    assert!(b.installs.is_empty() && a.installs.is_empty());
    assert!(
        b.engine.isakmp_sas().iter().all(|s| !s.established),
        "B keeps no ISAKMP-SA for the failed login"
    );
}

#[test]
fn a_plain_psk_responder_refuses_the_xauth_method() {
    let a = Node::new(
        A,
        &format!(
            "remote {B} {{\n exchange_mode aggressive;\n xauth_login \"alice\";\n proposal {{\n {CLIENT_PROPOSAL}\n }}\n}}\n{}\n",
            sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO)
        ),
        &format!("{B} groupkey\nalice s3cret\n"),
        21,
    );
    let b = Node::new(
        B,
        &format!(
            "remote {A} {{\n exchange_mode aggressive;\n proposal {{\n {PROPOSAL}\n }}\n}}\n{}\n",
            sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO)
        ),
        &format!("{A} groupkey\n"),
        22,
    );
    let mut sim = Sim::new(a, b, Link::default(), 23);
    start_kame_tunnel(&mut sim);
    sim.run_for(Duration::from_secs(30));
    assert!(sim.nodes[1].has_log("no suitable proposal found."));
    assert_eq!(transactions_to(&sim, 0), 0);
}

/// The aggressive-mode messages (to B, to A, to B) of the first negotiation.
fn aggressive_messages(sim: &Sim) -> Vec<Vec<u8>> {
    sim.datagrams
        .iter()
        .filter(|d| Header::decode(&d.bytes).is_ok_and(|h| h.exchange == ExchangeType::Aggressive))
        .map(|d| d.bytes.clone())
        .take(3)
        .collect()
}

#[test]
fn a_mode_cfg_request_gets_the_sections_answer_on_the_wire() {
    let mode_cfg = "mode_cfg {\n network4 10.9.0.1;\n netmask4 255.255.255.0;\n pool_size 4;\n \
        dns4 10.9.0.53, 10.9.0.54;\n wins4 10.9.0.137;\n default_domain \"corp.example\";\n \
        split_network include 192.168.10.0/24, 192.168.20.0/23;\n \
        split_dns \"corp.example\", \"lab.example\";\n banner \"/etc/motd.vpn\";\n \
        save_passwd on;\n auth_source system;\n}\n";
    // mode_cfg on: the client sends the Unity vendor ID, which Unity answers need.
    let mut sim = pair_with("s3cret", mode_cfg, "mode_cfg on;");
    sim.run_for(Duration::from_secs(60));
    assert!(sim.nodes[1].has_log("login succeeded for user \"alice\""));

    // The client's view of the ISAKMP SA, rebuilt from the wire and the shared keys.
    let agg = aggressive_messages(&sim);
    let sa = sim.nodes[1]
        .engine
        .isakmp_sas()
        .into_iter()
        .find(|s| s.established)
        .unwrap();
    let keys = sa.keys.as_ref().unwrap();
    let hash = Hash::from_name("sha1").unwrap();
    let prf = Prf::new(hash);
    let aes = alg::find_phase1(Class::Encrypt, "aes").unwrap();
    let cipher = Cipher::new(aes, encryption_key(&prf, &keys[2], 16).unwrap().as_bytes()).unwrap();
    let mut last_iv = phase1_iv(&hash, &ke_of(&agg[0]), &ke_of(&agg[1]), 16).unwrap();
    if Header::decode(&agg[2])
        .unwrap()
        .flags
        .contains(Flags::ENCRYPTION)
    {
        last_iv = agg[2][agg[2].len() - 16..].to_vec();
    }

    // REQUEST as racoon's client asks (isakmp_cfg_getconfig), in a new exchange.
    let asked = [
        CfgAttrType::InternalIp4Address,
        CfgAttrType::InternalIp4Netmask,
        CfgAttrType::InternalIp4Dns,
        CfgAttrType::InternalIp4Nbns,
        CfgAttrType::UnityBanner,
        CfgAttrType::UnityDefDomain,
        CfgAttrType::UnitySplitdnsName,
        CfgAttrType::UnitySplitInclude,
        CfgAttrType::UnityLocalLan,
        CfgAttrType::ApplicationVersion,
        CfgAttrType::UnitySavePasswd,
    ];
    let req = ConfigPayload::new(
        ConfigType::Request,
        0x4242,
        asked.iter().map(|k| CfgAttribute::empty(*k)).collect(),
    );
    let msgid = 0x0102_0304;
    let mut after = Vec::new();
    encode_payloads(&[req.to_payload().unwrap()], &mut after).unwrap();
    let h = informational_hash(&prf, &keys[1], msgid, &after).unwrap();
    let mut body = vec![PayloadType::Attribute.value(), 0, 0, (4 + h.len()) as u8];
    body.extend_from_slice(&h);
    body.extend_from_slice(&after);
    let mut header = Header::new(
        sa.icookie,
        sa.rcookie,
        ExchangeType::Transaction,
        Flags::ENCRYPTION,
        msgid,
    );
    header.next_payload = PayloadType::Hash;
    let iv = message_iv(&hash, &last_iv, msgid, 16).unwrap();
    let sent = encrypt(&header, &body, &cipher, &iv).unwrap();
    let (a, b) = (SocketAddr::new(ip(A), 500), SocketAddr::new(ip(B), 500));
    let now = sim.now;
    let server = &mut sim.nodes[1].engine;
    server.handle_datagram(now, b, a, &sent.datagram);
    let mut reply = None;
    while let Some(o) = server.next_output() {
        if let Output::Send { to, bytes, .. } = o {
            assert_eq!(to, a);
            reply = Some(bytes);
        }
    }

    // The REPLY continues the exchange's IV and carries HASH(prf(SKEYID_a, M-ID | ATTR)).
    let reply = reply.expect("the server answers the REQUEST");
    let d = decrypt(&reply, &cipher, &sent.next_iv).unwrap();
    assert_eq!(d.header.exchange, ExchangeType::Transaction);
    assert_eq!(d.header.message_id, msgid);
    let payloads = decode_payloads(d.header.next_payload, &d.body, 0, Trailing::Padding).unwrap();
    let [Payload::Hash(got_hash), attr] = payloads.as_slice() else {
        panic!("HASH, ATTR expected: {payloads:?}");
    };
    let mut attr_bytes = Vec::new();
    encode_payloads(std::slice::from_ref(attr), &mut attr_bytes).unwrap();
    assert_eq!(
        got_hash,
        &informational_hash(&prf, &keys[1], msgid, &attr_bytes).unwrap()
    );
    let cfg = ConfigPayload::from_payload(attr).unwrap().unwrap();
    assert_eq!((cfg.kind, cfg.identifier), (ConfigType::Reply, 0x4242));
    let v4 = |s: &str| s.parse::<Ipv4Addr>().unwrap();
    let want = vec![
        CfgAttribute::new(
            CfgAttrType::InternalIp4Address,
            CfgValue::Ipv4(v4("10.9.0.1")),
        ),
        CfgAttribute::new(
            CfgAttrType::InternalIp4Netmask,
            CfgValue::Ipv4(v4("255.255.255.0")),
        ),
        CfgAttribute::new(CfgAttrType::InternalIp4Dns, CfgValue::Ipv4(v4("10.9.0.53"))),
        CfgAttribute::new(CfgAttrType::InternalIp4Dns, CfgValue::Ipv4(v4("10.9.0.54"))),
        CfgAttribute::new(
            CfgAttrType::InternalIp4Nbns,
            CfgValue::Ipv4(v4("10.9.0.137")),
        ),
        CfgAttribute::new(
            CfgAttrType::UnityBanner,
            CfgValue::Text(b"Welcome to the lab\n".to_vec()),
        ),
        CfgAttribute::new(
            CfgAttrType::UnityDefDomain,
            CfgValue::Text(b"corp.example".to_vec()),
        ),
        CfgAttribute::new(
            CfgAttrType::UnitySplitdnsName,
            CfgValue::Text(b"corp.example,lab.example".to_vec()),
        ),
        CfgAttribute::new(
            CfgAttrType::UnitySplitInclude,
            CfgValue::Networks(vec![
                (v4("192.168.10.0"), v4("255.255.255.0")),
                (v4("192.168.20.0"), v4("255.255.254.0")),
            ]),
        ),
        CfgAttribute::new(
            CfgAttrType::ApplicationVersion,
            CfgValue::Text(b"racoon / IPsec-tools".to_vec()),
        ),
        CfgAttribute::new(CfgAttrType::UnitySavePasswd, CfgValue::Number(1)),
    ];
    assert_eq!(cfg.attributes, want);
}
