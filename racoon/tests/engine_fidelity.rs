//! The engine's log lines and bookkeeping where they must match the original racoon's.

#[allow(dead_code)]
mod engine_sim;

use engine_sim::*;
use std::time::Duration;

/// The engine asks for the install and leaves "IPsec-SA established" to whoever performs
/// it (the daemon logs it once the kernel accepted each SA; the sim's kernel accepts
/// all): one line per SA, not two.
#[test]
fn ipsec_sa_established_is_logged_by_the_installer_only() {
    let mut sim = tunnel_pair(
        SAINFO,
        SAINFO,
        "simple psk",
        "simple psk",
        Link::default(),
        3,
    );
    sim.run_for(Duration::from_secs(5));
    for node in &sim.nodes {
        assert_eq!(node.installs.len(), 1, "{:#?}", node.logs);
        let lines: Vec<&String> = node
            .logs
            .iter()
            .filter(|l| l.starts_with("IPsec-SA established: "))
            .collect();
        let (inbound, outbound) = &node.installs[0];
        assert_eq!(
            lines,
            [
                &format!(
                    "IPsec-SA established: ESP/Tunnel {}->{} spi={}(0x{:x})",
                    inbound.src, inbound.dst, inbound.spi, inbound.spi
                ),
                &format!(
                    "IPsec-SA established: ESP/Tunnel {}->{} spi={}(0x{:x})",
                    outbound.src, outbound.dst, outbound.spi, outbound.spi
                ),
            ]
        );
    }
}

/// A quick mode the responder has no matching proposal for: racoon's quick_r1recv fails
/// and isakmp_ph2begin_r adds "failed to pre-process ph2 packet (side: 1, status: 1)."
/// (responder, PHASE2ST_START), after the reasons.
#[test]
fn phase2_mismatch_is_a_failed_ph2_pre_process() {
    let b_body = "encryption_algorithm aes; authentication_algorithm hmac_sha1; \
        compression_algorithm deflate;";
    let mut sim = tunnel_pair(SAINFO, b_body, "k", "k", Link::default(), 41);
    sim.run_for(Duration::from_secs(30));
    let b = &sim.nodes[1];
    let at = |line: &str| b.logs.iter().position(|l| l == line);
    let suitable = at("no suitable proposal found.").expect("reason logged");
    let responder = at("failed to get proposal for responder.").expect("failure logged");
    let pre = at("failed to pre-process ph2 packet (side: 1, status: 1).");
    assert!(
        pre.is_some_and(|p| suitable < responder && responder < p),
        "{:#?}",
        b.logs
    );
    assert!(!sim.nodes[0].has_log_containing("failed to pre-process ph2 packet"));
}

/// Every log line carries the place in our source that logged it, for `racoon -L`
/// (plog.c's debug_location, with our Rust file and line for its C ones).
#[test]
fn engine_log_lines_carry_their_source_location() {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "k", "k", Link::default(), 43);
    let mut found = None;
    while let Some(out) = sim.nodes[0].engine.next_output() {
        if let racoon::engine::Output::Log { text, at, .. } = out {
            if text.starts_with("IPsec-SA request for ") {
                found = Some(at);
            }
        }
    }
    let at = found.expect("the ACQUIRE was logged");
    // The call that logged it, not the engine's logging helper.
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(at.file()),
    )
    .expect("the named file exists");
    let window: Vec<&str> = source
        .lines()
        .skip(at.line() as usize - 1)
        .take(3)
        .collect();
    assert!(
        window.join("\n").contains("IPsec-SA request for"),
        "{at}: {window:#?}"
    );
}

/// `my_identifier keyid "FILE"`: the KEY_ID sent is the file's contents, read with the
/// configuration, so an aggressive-mode responder finds the initiator's pre-shared key
/// under that name.
#[test]
fn a_keyid_file_is_the_key_id_sent() {
    use common::policy::Direction;
    use common::sa::Mode;
    use racoon::conf::{parse_str, MemIncluder};
    use racoon::engine::{Engine, SeededRng};
    use racoon::psk::PskFile;
    use std::sync::Arc;

    let agg = |peer: &str, id_line: &str, local: &str, remote: &str| {
        format!(
            "remote {peer} {{\n exchange_mode aggressive;\n {id_line}\n proposal {{\n \
             {PROPOSAL}\n }}\n}}\n{}\n",
            sainfo(local, remote, SAINFO)
        )
    };
    let a_text = agg(
        B,
        "my_identifier keyid \"/etc/racoon/keyid\";",
        "172.16.1.0/24",
        "172.16.2.0/24",
    );
    let mut files = MemIncluder::new().with("/etc/racoon/keyid", "group-7");
    let a_conf = parse_str("racoon.conf", &a_text, &mut files).expect("parses");
    let a = Node::with_engine(
        A,
        Engine::new(
            Arc::new(a_conf),
            Arc::new(PskFile::parse(format!("{B} k\n").as_bytes())),
            vec![ip(A)],
            Box::new(SeededRng::new(51)),
        ),
        0x5100,
    );
    let b = Node::new(
        B,
        &agg(A, "", "172.16.2.0/24", "172.16.1.0/24"),
        "group-7 k\n",
        52,
    );
    let mut sim = Sim::new(a, b, Link::default(), 53);
    let tunnel = |dir, reqid| {
        policy(
            "172.16.1.0/24",
            "172.16.2.0/24",
            dir,
            Mode::Tunnel,
            Some((A, B)),
            reqid,
        )
    };
    sim.event(
        1,
        common::kernel::Event::PolicyAdded(tunnel(Direction::In, 9)),
    );
    sim.event(0, acquire(A, B, tunnel(Direction::Out, 7)));
    sim.run_for(Duration::from_secs(10));
    for node in &sim.nodes {
        assert!(
            node.has_log_containing("ISAKMP-SA established"),
            "{:#?}",
            node.logs
        );
        assert_eq!(node.installs.len(), 1, "{:#?}", node.logs);
    }
}
