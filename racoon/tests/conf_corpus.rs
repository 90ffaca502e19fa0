//! Every racoon.conf of tests/corpus: the ones the original accepts parse, the ones it
//! rejects fail with the error asserted here (tests/corpus/FEATURES.md says why).

use std::path::PathBuf;

use racoon::conf::{parse_str, Config, MemIncluder, NoIncludes, RemoteSelector};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/racoon")
}

fn read(name: &str) -> String {
    let bytes = std::fs::read(corpus_dir().join(name)).unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn parse(name: &str) -> Result<Config, String> {
    parse_str(name, &read(name), &mut NoIncludes).map_err(|e| e.to_string())
}

const REMOTE_VALID: &str = "remote_address, exchange_mode, doi, situation, my_identifier, \
    peers_identifier, verify_identifier, xauth_login, certificate_type, ca_type, peers_certfile, \
    send_cert, send_cr, match_empty_cr, verify_cert, mode_cfg, weak_phase1_check, script, \
    lifetime, ike_frag, esp_frag, initial_contact, passive, proposal_check, support_proxy, \
    generate_policy, nat_traversal, dpd, dpd_delay, dpd_retry, dpd_maxfail, rekey, nonce_size, \
    ph1id, proposal, dh_group";

/// Files the original rejects, with our first error.
fn rejected() -> Vec<(&'static str, String)> {
    vec![
        (
            // `support_mip6` is KAME/Apple only: ipsec-tools lexes it as garbage and a
            // number, a syntax error.
            "Soulghost__iblessing__rootfs__etc__racoon__remote__anonymous.conf",
            format!(
                "Soulghost__iblessing__rootfs__etc__racoon__remote__anonymous.conf:16:9: \
                 unknown directive `support_mip6' in remote; valid: {REMOTE_VALID}"
            ),
        ),
        (
            "UnicronNL__ipsec-tools__debian__examples__racoon.conf-upstream-install.conf",
            format!(
                "UnicronNL__ipsec-tools__debian__examples__racoon.conf-upstream-install.conf:66:2: \
                 unknown directive `support_mip6' in remote; valid: {REMOTE_VALID}"
            ),
        ),
        (
            // Apple-only timer directive; ipsec-tools lexes `a` as an address string.
            "UInt2048__Spice__racoon.conf",
            "UInt2048__Spice__racoon.conf:50:2: unknown directive `auto_exit_delay' in timer; \
             valid: counter, interval, persend, phase1, phase2, natt_keepalive"
                .to_owned(),
        ),
        (
            // No `;` after the dns4 line.
            "linusyong__racoon-ipsec__etc__racoon__racoon.conf",
            "linusyong__racoon-ipsec__etc__racoon__racoon.conf:32:3: expected `;' after \
             `dns4 8.8.8.8, 8.8.4.4', found `default_domain'"
                .to_owned(),
        ),
        (
            // `hmac_sha1_96` lexes as `hmac_sha1 96`, and an authentication algorithm
            // takes no key length ("keylen not allowed"). (`sha1_96` in the proposal
            // is accepted with a warning, as the original ignored the number.)
            "WindRiver-Labs__wrlinux__wrlinux-cgl__recipes-cut__ipsec-test__ipsec-test__files__old__racoon.conf",
            "WindRiver-Labs__wrlinux__wrlinux-cgl__recipes-cut__ipsec-test__ipsec-test__files__old__racoon.conf:57:34: \
             key length 96 not allowed after `hmac_sha1'"
                .to_owned(),
        ),
    ]
}

#[test]
fn every_corpus_file_parses_or_fails_as_the_original() {
    let rejected = rejected();
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 32);
    for name in names {
        let result = parse(&name);
        if name.starts_with("johnpion__") {
            // Includes a file the corpus lacks: see johnpion_include below.
            assert!(result
                .unwrap_err()
                .contains("include \"/etc/racoon/ipsec.conf\""));
            continue;
        }
        match rejected.iter().find(|(n, _)| *n == name) {
            Some((_, error)) => assert_eq!(result.unwrap_err(), *error, "{name}"),
            None => {
                if let Err(e) = result {
                    panic!("{name}: {e}");
                }
            }
        }
    }
}

#[test]
fn johnpion_include_relative_to_path_include() {
    let name = "johnpion__ansible-role-ipsec__files__racoon.conf";
    let fixture = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/johnpion/ipsec.conf"),
    )
    .unwrap();
    let mut includer = MemIncluder::new().with("/etc/racoon/ipsec.conf", &fixture);
    let config = parse_str(name, &read(name), &mut includer).unwrap();
    assert_eq!(config.paths.include.as_ref().unwrap().value, "/etc/racoon");
    assert_eq!(
        config.paths.pidfile.as_ref().unwrap().value,
        "/var/run/racoon.pid"
    );
    assert_eq!(config.remotes.len(), 1);
    assert_eq!(&*config.remotes[0].location.file, "/etc/racoon/ipsec.conf");
    assert_eq!(config.sainfos.len(), 2);
    assert_eq!(config.sainfos[1].location.line, 13);
}

#[test]
fn windriver_proposal_quirks() {
    // Up to the sainfo, the WindRiver file shows the lexer quirks the original had:
    // `aes128` is `aes 128`, `sha1_96` is `sha1` with an ignored 96.
    let name = "WindRiver-Labs__wrlinux__wrlinux-cgl__recipes-cut__ipsec-test__ipsec-test__files__old__racoon.conf";
    let text = read(name).replace("hmac_sha1_96", "hmac_sha1");
    let config = parse_str(name, &text, &mut NoIncludes).unwrap();
    let proposal = &config.remotes[0].proposals[0];
    assert_eq!(proposal.encryption.racoon_names[0], "aes");
    assert_eq!(proposal.key_length, Some(128));
    assert_eq!(proposal.hash.phase1_names[0], "sha1");
    assert_eq!(config.warnings.len(), 1);
    assert_eq!(
        config.warnings[0].to_string(),
        format!("{name}:47:32: key length 96 after `hash_algorithm' is ignored")
    );
    assert_eq!(config.sainfos[0].encryption[0].key_length, Some(128));
}

#[test]
fn freebsd_handbook_parentheses() {
    let config = parse("sezzon__AnsibleAndFreeBSD__racoon.conf").unwrap();
    let s = &config.sainfos[0];
    assert_eq!(s.local.to_string(), "address 10.0.2.0/24 any");
    assert_eq!(s.remote.to_string(), "address 10.246.38.0/24 any");
    match &config.remotes[0].selector {
        RemoteSelector::Address(e) => assert_eq!(e.to_string(), "172.16.5.4[500]"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn glued_time_unit() {
    let config = parse("nixelsolutions__test_ipsec__racoon.conf").unwrap();
    assert_eq!(config.timer.natt_keepalive, 10);
}

#[test]
fn crlf_and_no_final_newline() {
    parse("keylime__keylime__auto-ipsec__racoon__src__racoon.conf").unwrap();
    let config =
        parse("UnicronNL__ipsec-tools__src__racoon__samples__racoon.conf.sample-inherit.conf")
            .unwrap();
    assert_eq!(config.remotes.len(), 3);
}
