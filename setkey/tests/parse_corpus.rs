//! Real-world setkey.conf files (`tests/corpus/setkey/`) and the configurations of the
//! seed documents (`tests/seeds/`) through the parser.
//!
//! Every corpus file must parse, except those the original rejects as well
//! (`tests/corpus/FEATURES.md`): sample.cf uses algorithms Linux never had (keyed-md5,
//! keyed-sha1, rc5-cbc, des-deriv, des-32iv) and joan667's GW1/GW2 use shell-style
//! backslash continuations, which the original's lexer answers with "Syntax error".
//! The three `*.sh` files are `#!/usr/sbin/setkey -f` scripts, i.e. setkey input
//! themselves, not shell here-documents, so they are parsed whole.

use std::path::{Path, PathBuf};

use common::addr::Port;
use common::policy::{Action, Direction, Level};
use common::sa::{Mode, SaType};
use setkey::ast::{AlgSpec, Command, SelectorSpec, SpdSpec, Statement, UpperSpec};
use setkey::parse::{parse_str, StatementReader};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(relative: &str) -> (String, String) {
    let path = repo().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{relative}: {e}"));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (name, text)
}

fn parse(relative: &str) -> Vec<Statement> {
    let (name, text) = read(relative);
    parse_str(&name, &text).unwrap_or_else(|e| panic!("{e}"))
}

/// What each corpus file parses into: its statement count, or its first error.
const CORPUS: &[(&str, Result<usize, &str>)] = &[
    ("Ivandiaztnd__jack2-network-appliance__etc__ipsec-tools.conf", Ok(0)),
    ("Ivandiaztnd__jack2-network-appliance__etc__racoon__politicas.conf", Ok(4)),
    ("UnicronNL__ipsec-tools__src__setkey__sample-policy01.cf", Ok(7)),
    ("UnicronNL__ipsec-tools__src__setkey__sample-policy02.cf", Ok(11)),
    (
        "UnicronNL__ipsec-tools__src__setkey__sample.cf",
        Err("UnicronNL__ipsec-tools__src__setkey__sample.cf,77:5: authentication algorithm `keyed-md5' is not supported on Linux at `keyed-md5'"),
    ),
    ("WindRiver-Labs__wrlinux__wrlinux-cgl__recipes-cut__ipsec-test__ipsec-test__files__old__setkey.conf", Ok(3)),
    ("adammendoza__ipsec-on-pc__client__setkey.conf", Ok(6)),
    ("adammendoza__ipsec-on-pc__server__setkey.conf", Ok(6)),
    ("binarin__puppet-ipsec-vpn-server__files__setkey.conf", Ok(4)),
    ("f0xdr0__main__ipsec-tools.conf", Ok(4)),
    ("jhoangr__Networking_practices__tunneling__ipsec-GW1.sh", Ok(8)),
    (
        "joan667__ipsec__GW1.sh",
        Err("joan667__ipsec__GW1.sh,6:47: syntax error: `\\' does not continue a line in setkey.conf (a statement may span lines as it is, up to its `;')"),
    ),
    (
        "joan667__ipsec__GW2.sh",
        Err("joan667__ipsec__GW2.sh,6:47: syntax error: `\\' does not continue a line in setkey.conf (a statement may span lines as it is, up to its `;')"),
    ),
    ("johnpion__ansible-role-ipsec__files__ipsec-tools.conf", Ok(4)),
    ("libreswan__libreswan__testing__pluto__flush-on-startup-pfkeyv2__setkey.in.conf", Ok(5)),
    ("nixelsolutions__test_ipsec__ipsec-tools.conf", Ok(4)),
    ("sezzon__AnsibleAndFreeBSD__setkey.conf", Ok(4)),
    ("vjutvik__Contiki-IPsec__examples__ipsec__scripts__ipsec-tools-ah.conf", Ok(6)),
    ("vjutvik__Contiki-IPsec__examples__ipsec__scripts__ipsec-tools-esp.conf", Ok(6)),
];

#[test]
fn every_corpus_file_has_its_expected_outcome() {
    for (name, expected) in CORPUS {
        let (_, text) = read(&format!("tests/corpus/setkey/{name}"));
        let got = parse_str(name, &text)
            .map(|s| s.len())
            .map_err(|e| e.to_string());
        assert_eq!(got, expected.map_err(str::to_owned), "{name}");
    }
}

#[test]
fn no_corpus_file_is_forgotten() {
    let dir = repo().join("tests/corpus/setkey");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CORPUS.iter().map(|(n, _)| (*n).to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

/// Statement by statement, sample.cf fails exactly where Linux lacks the algorithm.
#[test]
fn sample_cf_fails_only_on_algorithms_linux_lacks() {
    let (name, text) = read("tests/corpus/setkey/UnicronNL__ipsec-tools__src__setkey__sample.cf");
    let mut reader = StatementReader::new(&name);
    let (mut ok, mut errors) = (0, Vec::new());
    for line in text.lines() {
        for result in reader.push_line(line) {
            match result {
                Ok(_) => ok += 1,
                Err(e) => errors.push((e.line, e.token.unwrap_or_default())),
            }
        }
    }
    assert_eq!(reader.finish(), None);
    let expected: Vec<(u32, String)> = [
        (77, "keyed-md5"),
        (80, "keyed-md5"),
        (94, "keyed-md5"),
        (97, "keyed-md5"),
        (157, "rc5-cbc"),
        (164, "rc5-cbc"),
        (190, "des-deriv"),
        (191, "des-32iv"),
        (195, "keyed-md5"),
        (196, "keyed-sha1"),
        (201, "rc5-cbc"),
        (202, "rc5-cbc"),
        (210, "keyed-md5"),
        (211, "keyed-md5"),
        (212, "keyed-sha1"),
    ]
    .iter()
    .map(|&(l, t)| (l, t.to_owned()))
    .collect();
    assert_eq!(errors, expected);
    // 59 statements in all.
    assert_eq!(ok, 44);
}

/// joan667's scripts are fine once the backslashes go: IPv6 selectors over IPv4
/// tunnel end points.
#[test]
fn joan667_without_backslashes() {
    for (file, count) in [("joan667__ipsec__GW1.sh", 8), ("joan667__ipsec__GW2.sh", 6)] {
        let (name, text) = read(&format!("tests/corpus/setkey/{file}"));
        let s = parse_str(&name, &text.replace("\\\n", "\n")).unwrap();
        assert_eq!(s.len(), count, "{file}");
    }
    let (name, text) = read("tests/corpus/setkey/joan667__ipsec__GW1.sh");
    let s = parse_str(&name, &text.replace("\\\n", "\n")).unwrap();
    let Command::SpdAdd(spec) = &s[4].command else {
        panic!("{:?}", s[4])
    };
    let SelectorSpec::Addresses { src, .. } = &spec.selector else {
        panic!()
    };
    assert_eq!(
        (src.host.text.as_str(), src.prefix_len),
        ("2001:db8:1234::2", Some(64))
    );
    let (a, b) = spec.policy.requests[0].tunnel.clone().unwrap();
    assert_eq!((a.text.as_str(), b.text.as_str()), ("10.0.0.1", "10.0.3.2"));
}

fn spd(s: &Statement) -> &SpdSpec {
    match &s.command {
        Command::SpdAdd(spec) | Command::SpdUpdate(spec) | Command::SpdDelete(spec) => spec,
        other => panic!("{other:?}"),
    }
}

#[test]
fn corpus_details() {
    // aes-gcm-16, which the original lacks, and `spdadd -4`.
    let s = parse("tests/corpus/setkey/libreswan__libreswan__testing__pluto__flush-on-startup-pfkeyv2__setkey.in.conf");
    let Command::Add(sa) = &s[2].command else {
        panic!()
    };
    assert!(
        matches!(&sa.algs, AlgSpec::Esp { enc, auth: None } if enc.alg.name() == "aes-gcm-16" && enc.key.len() == 20)
    );
    assert_eq!(sa.spi, 9876);
    assert_eq!(spd(&s[4]).policy.requests[0].level, Level::Use);

    // Ports and udp.
    let s = parse("tests/corpus/setkey/binarin__puppet-ipsec-vpn-server__files__setkey.conf");
    let SelectorSpec::Addresses { src, dst, upper } = &spd(&s[2]).selector else {
        panic!()
    };
    assert_eq!(
        (src.prefix_len, src.port, dst.port, *upper),
        (
            Some(0),
            Some(Port::ANY),
            Some(Port::new(1701)),
            UpperSpec::Proto(17)
        )
    );

    // Host names as SA end points, aes-ctr with its nonce.
    let s = parse("tests/corpus/setkey/vjutvik__Contiki-IPsec__examples__ipsec__scripts__ipsec-tools-esp.conf");
    let Command::Add(sa) = &s[2].command else {
        panic!()
    };
    assert_eq!(
        (sa.src.text.as_str(), sa.dst.text.as_str()),
        ("molniya", "coojanative")
    );
    assert!(
        matches!(&sa.algs, AlgSpec::Esp { enc, auth: Some(a) } if enc.alg.name() == "aes-ctr" && enc.key.len() == 20 && a.alg.name() == "aes-xcbc-mac")
    );

    // unique:N and per-port selectors.
    let s = parse("tests/corpus/setkey/UnicronNL__ipsec-tools__src__setkey__sample-policy02.cf");
    let r = &spd(&s[7]).policy.requests[0];
    assert_eq!((r.level, r.reqid), (Level::Unique, Some(28000)));
    let Command::Add(sa) = &s[9].command else {
        panic!()
    };
    assert_eq!(sa.opts.reqid, Some(1));

    // `none` bypass policies.
    let s = parse("tests/corpus/setkey/adammendoza__ipsec-on-pc__client__setkey.conf");
    assert_eq!(spd(&s[2]).policy.action, Action::None);

    // A file without a final newline, whose last statement spans lines.
    let s = parse("tests/corpus/setkey/f0xdr0__main__ipsec-tools.conf");
    let p = &spd(&s[3]).policy;
    assert_eq!((p.dir, p.requests[0].mode), (Direction::Out, Mode::Tunnel));

    // gre.
    let s = parse("tests/corpus/setkey/johnpion__ansible-role-ipsec__files__ipsec-tools.conf");
    let SelectorSpec::Addresses { upper, .. } = &spd(&s[2]).selector else {
        panic!()
    };
    assert_eq!(*upper, UpperSpec::Gre { key: None });
}

/// The seed documents' configurations parse into what their authors meant.
#[test]
fn kame_howto_transport_mode() {
    for (file, first_dir) in [
        (
            "tests/seeds/kame-transport-192.168.1.100.conf",
            Direction::Out,
        ),
        (
            "tests/seeds/kame-transport-192.168.2.100.conf",
            Direction::In,
        ),
    ] {
        let s = parse(file);
        assert_eq!(s.len(), 8, "{file}");
        assert_eq!(s[0].command, Command::Flush(None));
        assert_eq!(s[1].command, Command::SpdFlush);
        let Command::Add(ah) = &s[2].command else {
            panic!()
        };
        assert_eq!(
            (
                ah.src.text.as_str(),
                ah.dst.text.as_str(),
                ah.proto.satype,
                ah.spi
            ),
            ("192.168.1.100", "192.168.2.100", SaType::Ah, 0x200)
        );
        let AlgSpec::Auth(key) = &ah.algs else {
            panic!()
        };
        assert_eq!(key.alg.name(), "hmac-md5");
        assert_eq!(key.key[..2], [0xc0, 0x29]);
        let Command::Add(esp) = &s[5].command else {
            panic!()
        };
        assert_eq!((esp.spi, esp.opts.mode), (0x301, None));
        let AlgSpec::Esp { enc, auth: None } = &esp.algs else {
            panic!()
        };
        assert_eq!((enc.alg.name(), enc.key.len()), ("3des-cbc", 24));
        let p = spd(&s[6]);
        assert_eq!(p.policy.dir, first_dir);
        let protos: Vec<(SaType, Mode, Level)> = p
            .policy
            .requests
            .iter()
            .map(|r| (r.proto, r.mode, r.level))
            .collect();
        assert_eq!(
            protos,
            [
                (SaType::Esp, Mode::Transport, Level::Require),
                (SaType::Ah, Mode::Transport, Level::Require)
            ]
        );
        assert!(p.policy.requests.iter().all(|r| r.tunnel.is_none()));
    }
}

#[test]
fn kame_howto_tunnel_mode() {
    let s = parse("tests/seeds/kame-tunnel-192.168.1.100.conf");
    assert_eq!(s.len(), 6);
    let Command::Add(esp) = &s[2].command else {
        panic!()
    };
    assert_eq!((esp.spi, esp.opts.mode), (0x201, Some(Mode::Tunnel)));
    let AlgSpec::Esp {
        enc,
        auth: Some(auth),
    } = &esp.algs
    else {
        panic!()
    };
    assert_eq!(
        (enc.alg.name(), auth.alg.name(), auth.key.len()),
        ("3des-cbc", "hmac-md5", 16)
    );
    let p = spd(&s[4]);
    let SelectorSpec::Addresses { src, dst, upper } = &p.selector else {
        panic!()
    };
    assert_eq!(
        (
            src.host.text.as_str(),
            src.prefix_len,
            dst.host.text.as_str(),
            *upper
        ),
        ("172.16.1.0", Some(24), "172.16.2.0", UpperSpec::Any)
    );
    let (a, b) = p.policy.requests[0].tunnel.clone().unwrap();
    assert_eq!(
        (a.text.as_str(), b.text.as_str()),
        ("192.168.1.100", "192.168.2.100")
    );
    assert_eq!(spd(&s[5]).policy.dir, Direction::In);

    let s = parse("tests/seeds/kame-tunnel-fwd-192.168.1.100.conf");
    let p = spd(&s[0]);
    assert_eq!(
        (p.policy.dir, p.policy.action),
        (Direction::Fwd, Action::Ipsec)
    );
    let (a, b) = p.policy.requests[0].tunnel.clone().unwrap();
    assert_eq!(
        (a.text.as_str(), b.text.as_str()),
        ("192.168.2.100", "192.168.1.100")
    );
}

#[test]
fn kame_howto_racoon_policies() {
    for (file, peer) in [
        (
            "tests/seeds/kame-racoon-policies-192.168.1.100.conf",
            "192.168.2.100",
        ),
        (
            "tests/seeds/kame-natt-racoon-policies-192.168.1.100.conf",
            "192.168.1.1",
        ),
    ] {
        let s = parse(file);
        assert_eq!(s.len(), 4, "{file}");
        let out = spd(&s[2]);
        assert_eq!(
            (out.policy.dir, out.policy.action),
            (Direction::Out, Action::Ipsec)
        );
        let r = &out.policy.requests[0];
        assert_eq!(
            (r.proto, r.mode, r.level),
            (SaType::Esp, Mode::Tunnel, Level::Require)
        );
        let (a, b) = r.tunnel.clone().unwrap();
        assert_eq!(
            (a.text.as_str(), b.text.as_str()),
            ("192.168.1.100", peer),
            "{file}"
        );
        let (a, _) = spd(&s[3]).policy.requests[0].tunnel.clone().unwrap();
        assert_eq!(a.text, peer);
    }
}

/// The scraped article lost its selectors; the original rejected `any` as an address
/// too.
#[test]
fn scraped_article_is_rejected() {
    let (name, text) = read("tests/seeds/habr-ipsec-tools-as-scraped.conf");
    assert_eq!(
        parse_str(&name, &text).unwrap_err().to_string(),
        "habr-ipsec-tools-as-scraped.conf,1:8: syntax error: expected the source address at `any'"
    );
}

/// A deterministic stand-in for the fuzz target (`fuzz/fuzz_targets/setkey_parse.rs`)
/// that CI runs on every build: truncations and byte substitutions of every corpus and
/// seed file must give statements or an error, never a panic, through both entry
/// points.
#[test]
fn mutated_inputs_never_panic() {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["tests/corpus/setkey", "tests/seeds"] {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    let replacements: &[&str] = &[
        "", ";", "\"", "\\", "/", "[", "]", "-", "\n", "0x", "é", "#",
    ];
    let mut runs = 0usize;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let step = (boundaries.len() / 80).max(1);
        for (n, &cut) in boundaries.iter().enumerate().step_by(step) {
            let mut inputs = vec![text[..cut].to_owned()];
            if let Some(&next) = boundaries.get(n + 1) {
                let r = replacements[n % replacements.len()];
                inputs.push(format!("{}{r}{}", &text[..cut], &text[next..]));
            }
            for input in inputs {
                let _ = parse_str("m", &input).map_err(|e| e.to_string());
                let mut reader = StatementReader::new("m");
                for line in input.split_inclusive('\n') {
                    let _ = reader.push_line(line);
                }
                let _ = reader.finish();
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}
