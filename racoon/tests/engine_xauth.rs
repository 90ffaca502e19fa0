//! XAuth between two engines: B is the server (xauth_psk_server, logins checked by the
//! backend the test installs), A the client (xauth_psk_client, xauth_login, password
//! from psk.txt). Aggressive mode with the group key, then the Transaction exchanges
//! (REQUEST/REPLY, SET/ACK) on the wire, then quick mode, which B refuses until the
//! login succeeded.

#[allow(dead_code)]
mod engine_sim;

use engine_sim::*;
use racoon::engine::XauthBackend;
use racoon::isakmp::{ExchangeType, Flags, Header};
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

    fn banner(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }
}

fn pair(client_password: &str) -> Sim {
    let a = Node::new(
        A,
        &format!(
            "remote {B} {{\n exchange_mode aggressive;\n xauth_login \"alice\";\n proposal {{\n {CLIENT_PROPOSAL}\n }}\n}}\n{}\n",
            sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO)
        ),
        &format!("{B} groupkey\nalice {client_password}\n"),
        11,
    );
    let mut b = Node::new(
        B,
        &format!(
            "mode_cfg {{\n network4 10.9.0.1;\n netmask4 255.255.255.0;\n pool_size 4;\n auth_source system;\n}}\n\
             remote {A} {{\n exchange_mode aggressive;\n proposal {{\n {SERVER_PROPOSAL}\n }}\n}}\n{}\n",
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
