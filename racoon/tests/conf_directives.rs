//! Every racoon.conf directive lands in the model where it should.

use std::net::Ipv4Addr;

use racoon::conf::{
    parse_str, AdminSock, AuthMethod, Certificate, Config, DhGroup, ExchangeMode, Feature,
    GeneratePolicy, GssIdEnc, Identifier, IkeFrag, LogLevel, MemIncluder, NatTraversal, NoIncludes,
    PeersCert, ProposalCheck, Rekey, RemoteSelector, SainfoId, Situation, Source, UserOrId,
    DEFAULT_PHASE1_LIFETIME,
};

fn parse(text: &str) -> Config {
    match parse_str("racoon.conf", text, &mut NoIncludes) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

const MINIMAL_REMOTE: &str = "remote anonymous { exchange_mode main; proposal {
    encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key;
    dh_group 2; } }\n";

#[test]
fn defaults() {
    let c = parse("");
    assert_eq!(c.timer.counter, 5);
    assert_eq!(c.timer.interval, 10);
    assert_eq!(c.timer.persend, 1);
    assert_eq!(c.timer.phase1, 30);
    assert_eq!(c.timer.phase2, 30);
    assert_eq!(c.timer.natt_keepalive, 20);
    assert!(c.padding.randomize && c.padding.exclusive_tail);
    assert!(!c.padding.randomize_length && !c.padding.strict_check);
    assert_eq!(c.padding.maximum_length, 20);
    assert!(c.complex_bundle);
    assert_eq!(c.gss_id_enc, GssIdEnc::Utf16le);
    assert!(c.unimplemented.is_empty());

    let r = &parse(MINIMAL_REMOTE).remotes[0];
    assert_eq!(r.selector, RemoteSelector::Anonymous { port: 500 });
    assert_eq!(r.lifetime, DEFAULT_PHASE1_LIFETIME);
    assert_eq!(r.nonce_size, 16);
    assert_eq!(r.proposal_check, ProposalCheck::Strict);
    assert_eq!(r.situation, Situation::IdentityOnly);
    assert!(r.initial_contact && r.send_cert && r.send_cr && r.verify_cert && r.dpd);
    assert!(!r.passive && !r.support_proxy && !r.verify_identifier && !r.mode_cfg);
    assert_eq!(r.generate_policy, GeneratePolicy::Off);
    assert_eq!(r.nat_traversal, NatTraversal::Off);
    assert_eq!(r.ike_frag, IkeFrag::Off);
    assert_eq!(r.rekey, Rekey::On);
    assert_eq!((r.dpd_delay, r.dpd_retry, r.dpd_maxfail), (0, 5, 5));
    assert_eq!(r.esp_frag, 65535);
    assert_eq!(r.my_identifier, None);
    assert_eq!(r.proposals[0].lifetime, None);
}

#[test]
fn global_sections() {
    let c = parse(
        r#"
path include "/etc/racoon";
path pre_shared_key "/etc/racoon/psk.txt";
path certificate "/etc/racoon/certs";
path backupsa "/var/lib/racoon/backup";
path script "/etc/racoon/scripts";
path pidfile "/run/racoon.pid";
log debug2;
privsep { user "racoon"; group 99; chroot "/var/empty"; }
padding { randomize off; randomize_length on; maximum_length 40; strict_check on; exclusive_tail off; }
timer { counter 7; interval 2 min; persend 2; phase1 1 hour; phase2 15secs; natt_keepalive 0 sec; }
listen {
    isakmp 192.0.2.1;
    isakmp 2001:db8::1 [7000];
    isakmp_natt 192.0.2.1[4501];
    strict_address;
    adminsock "/var/racoon/racoon.sock" "root" "operator" 0660;
}
gss_id_enc latin1;
pfkey_buffer 1024;
complex_bundle off;
"#,
    );
    assert_eq!(c.paths.include.unwrap().value, "/etc/racoon");
    assert_eq!(c.paths.pre_shared_key.unwrap().value, "/etc/racoon/psk.txt");
    assert_eq!(c.paths.certificate.unwrap().value, "/etc/racoon/certs");
    assert_eq!(c.paths.backupsa.unwrap().value, "/var/lib/racoon/backup");
    assert_eq!(c.paths.script.unwrap().value, "/etc/racoon/scripts");
    let pidfile = c.paths.pidfile.unwrap();
    assert_eq!(pidfile.value, "/run/racoon.pid");
    assert_eq!(pidfile.location.to_string(), "racoon.conf:7:6");
    assert_eq!(c.log.unwrap().value, LogLevel::Debug2);
    let privsep = c.privsep.unwrap();
    assert_eq!(privsep.user, Some(UserOrId::Name("racoon".into())));
    assert_eq!(privsep.group, Some(UserOrId::Id(99)));
    assert_eq!(privsep.chroot.as_deref(), Some("/var/empty"));
    assert!(!c.padding.randomize && c.padding.randomize_length && c.padding.strict_check);
    assert!(!c.padding.exclusive_tail);
    assert_eq!(c.padding.maximum_length, 40);
    assert_eq!(
        (c.timer.counter, c.timer.interval, c.timer.persend),
        (7, 120, 2)
    );
    assert_eq!((c.timer.phase1, c.timer.phase2), (3600, 15));
    assert_eq!(c.timer.natt_keepalive, 0);
    let isakmp: Vec<String> = c
        .listen
        .isakmp
        .iter()
        .map(|e| e.value.to_string())
        .collect();
    assert_eq!(isakmp, ["192.0.2.1[500]", "2001:db8::1[7000]"]);
    assert_eq!(c.listen.isakmp_natt[0].value.to_string(), "192.0.2.1[4501]");
    assert!(c.listen.strict_address);
    assert_eq!(
        c.listen.adminsock.unwrap().value,
        AdminSock::Socket {
            path: "/var/racoon/racoon.sock".into(),
            owner: Some("root".into()),
            group: Some("operator".into()),
            mode: Some(0o660),
        }
    );
    assert_eq!(c.gss_id_enc, GssIdEnc::Latin1);
    assert_eq!(c.pfkey_buffer, Some(1024));
    assert!(!c.complex_bundle);
    let features: Vec<Feature> = c.unimplemented.iter().map(|u| u.feature).collect();
    assert_eq!(
        features,
        [Feature::BackupSa, Feature::Privsep, Feature::Gssapi]
    );

    let c = parse("listen { adminsock disabled; } listen { adminsock \"/tmp/r.sock\"; }");
    assert!(matches!(
        c.listen.adminsock.unwrap().value,
        AdminSock::Socket { mode: None, .. }
    ));
    assert_eq!(
        parse("listen { adminsock disabled; }")
            .listen
            .adminsock
            .unwrap()
            .value,
        AdminSock::Disabled
    );
}

#[test]
fn remote_directives() {
    let c = parse(
        r#"
remote "gw" {
    remote_address 198.51.100.1 [4500];
    exchange_mode aggressive, main base;
    doi ipsec_doi;
    situation secrecy;
    my_identifier user_fqdn "me@example.org";
    peers_identifier fqdn "gw.example.org";
    peers_identifier keyid tag "key-1";
    peers_identifier address 198.51.100.1;
    verify_identifier on;
    xauth_login "alice";
    certificate_type x509 "me.pem" "me.key";
    ca_type x509 "ca.pem";
    peers_certfile x509 "gw.pem";
    send_cert off; send_cr off; match_empty_cr on; verify_cert off;
    mode_cfg on;
    weak_phase1_check on;
    script "/up.sh" phase1_up; script "/down.sh" phase1_down; script "/dead.sh" phase1_dead;
    lifetime time 24 hours;
    ike_frag force;
    esp_frag 552;
    initial_contact off;
    passive on;
    proposal_check claim;
    support_proxy on;
    generate_policy unique;
    nat_traversal force;
    dpd off;
    dpd_delay 30; dpd_retry 3; dpd_maxfail 4;
    rekey force;
    nonce_size 32;
    ph1id 7;
    proposal {
        encryption_algorithm aes 256;
        hash_algorithm sha256;
        authentication_method xauth_psk_client;
        dh_group modp2048;
        lifetime time 30 min;
    }
    proposal {
        encryption_algorithm 3des;
        hash_algorithm md5;
        authentication_method xauth_psk_client;
        dh_group 14;
    }
}
"#,
    );
    let r = &c.remotes[0];
    assert_eq!(r.selector, RemoteSelector::Named("gw".into()));
    assert_eq!(r.peer().unwrap().to_string(), "198.51.100.1[4500]");
    assert_eq!(
        r.exchange_modes,
        [
            ExchangeMode::Aggressive,
            ExchangeMode::Main,
            ExchangeMode::Base
        ]
    );
    assert_eq!(r.situation, Situation::Secrecy);
    assert_eq!(
        r.my_identifier,
        Some(Identifier::UserFqdn("me@example.org".into()))
    );
    assert_eq!(
        r.peers_identifiers,
        [
            Identifier::Fqdn("gw.example.org".into()),
            Identifier::KeyIdTag("key-1".into()),
            Identifier::Address(Some("198.51.100.1".parse().unwrap())),
        ]
    );
    assert!(r.verify_identifier);
    assert_eq!(r.xauth_login.as_deref(), Some("alice"));
    assert_eq!(
        r.certificate,
        Some(Certificate::X509 {
            cert: "me.pem".into(),
            key: "me.key".into()
        })
    );
    assert_eq!(r.ca_file.as_deref(), Some("ca.pem"));
    assert_eq!(r.peers_certfile, Some(PeersCert::X509("gw.pem".into())));
    assert!(!r.send_cert && !r.send_cr && r.match_empty_cr && !r.verify_cert);
    assert!(r.mode_cfg && r.weak_phase1_check);
    assert_eq!(r.scripts.phase1_up.as_deref(), Some("/up.sh"));
    assert_eq!(r.scripts.phase1_down.as_deref(), Some("/down.sh"));
    assert_eq!(r.scripts.phase1_dead.as_deref(), Some("/dead.sh"));
    assert_eq!(r.lifetime, 86400);
    assert_eq!(r.ike_frag, IkeFrag::Force);
    assert_eq!(r.esp_frag, 552);
    assert!(!r.initial_contact && r.passive && r.support_proxy && !r.dpd);
    assert_eq!(r.proposal_check, ProposalCheck::Claim);
    assert_eq!(r.generate_policy, GeneratePolicy::Unique);
    assert_eq!(r.nat_traversal, NatTraversal::Force);
    assert_eq!((r.dpd_delay, r.dpd_retry, r.dpd_maxfail), (30, 3, 4));
    assert_eq!(r.rekey, Rekey::Force);
    assert_eq!(r.nonce_size, 32);
    assert_eq!(r.ph1id, Some(7));
    assert_eq!(r.proposals.len(), 2);
    let p = &r.proposals[0];
    assert_eq!(p.encryption.racoon_names[0], "aes");
    assert_eq!(p.key_length, Some(256));
    assert_eq!(p.hash.phase1_names, ["sha2_256", "sha256"]);
    assert_eq!(p.auth_method, AuthMethod::XauthPskClient);
    assert_eq!(p.dh_group, DhGroup(14));
    assert_eq!(p.lifetime, Some(1800));
    assert_eq!(r.proposals[1].encryption.racoon_names[0], "3des");
    assert_eq!(r.proposals[1].key_length, None);

    let listed: Vec<String> = c.unimplemented.iter().map(|u| u.to_string()).collect();
    assert_eq!(
        listed,
        [
            "base mode is not implemented yet: exchange_mode base at racoon.conf:4",
            "mode config from a remote section (client or push) is not implemented yet: mode_cfg on at racoon.conf:17",
            "ESP fragmentation is not implemented yet: esp_frag at racoon.conf:22",
        ]
    );
}

#[test]
fn remote_forms_and_inheritance() {
    let c = parse(&format!(
        r#"{MINIMAL_REMOTE}
remote 10.0.0.1 inherit anonymous {{ exchange_mode aggressive; nat_traversal on; }}
remote 10.0.0.1 [8000] inherit 10.0.0.1 {{
    lifetime time 1 min;
    proposal {{ encryption_algorithm 3des; hash_algorithm md5;
                authentication_method pre_shared_key; dh_group modp1024; }}
}}
remote "base" {{ exchange_mode main; passive on; {PROPOSAL} }}
remote "child" inherit "base";
remote anonymous [4500] {{ exchange_mode main; {PROPOSAL} }}
"#,
        PROPOSAL = "proposal { encryption_algorithm aes; hash_algorithm sha1; \
                    authentication_method pre_shared_key; dh_group 2; }"
    ));
    let r = &c.remotes;
    assert_eq!(r.len(), 6);
    assert_eq!(r[1].inherited_from.as_deref(), Some("anonymous"));
    assert_eq!(r[1].exchange_modes, [ExchangeMode::Aggressive]);
    assert_eq!(r[1].proposals, r[0].proposals);
    assert_eq!(r[1].nat_traversal, NatTraversal::On);
    assert_eq!(
        r[2].selector,
        RemoteSelector::Address("10.0.0.1[8000]".parse().unwrap())
    );
    assert_eq!(r[2].inherited_from.as_deref(), Some("10.0.0.1"));
    assert_eq!(r[2].exchange_modes, [ExchangeMode::Aggressive]);
    assert_eq!(r[2].nat_traversal, NatTraversal::On);
    assert_eq!(r[2].lifetime, 60);
    assert_eq!(r[2].proposals.len(), 1);
    assert_eq!(r[2].proposals[0].encryption.racoon_names[0], "3des");
    assert_eq!(r[4].selector, RemoteSelector::Named("child".into()));
    assert!(r[4].passive);
    assert_eq!(r[4].location.line, 12);
    assert_eq!(r[5].selector, RemoteSelector::Anonymous { port: 4500 });
    assert!(c.remote_by_name("child").is_some());
}

#[test]
fn sainfo_forms() {
    let c = parse(
        r#"
sainfo anonymous { encryption_algorithm aes 256, 3des, blowfish 448; authentication_algorithm hmac_sha1, hmac_sha256, non_auth; compression_algorithm deflate; }
sainfo address 10.0.0.0/24[any] any address 10.1.0.0/16[500] udp from fqdn "peer.example" {
    pfs_group modp1536; remoteid 7; lifetime time 30 min;
    encryption_algorithm aes128; authentication_algorithm hmac_md5; compression_algorithm deflate;
}
sainfo address ::1 icmp6 address ::1 icmp6 { pfs_group 2; encryption_algorithm null; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
sainfo subnet 10.0.0.1-10.0.0.9 tcp anonymous group "staff" { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
sainfo anonymous clientaddr { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
sainfo user_fqdn "a@b" address 10.9.9.9 47 { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }
"#,
    );
    let s = &c.sainfos;
    assert_eq!(s.len(), 6);
    assert_eq!(
        (&s[0].local, &s[0].remote),
        (&SainfoId::Anonymous, &SainfoId::Anonymous)
    );
    let enc: Vec<(&str, Option<u16>)> = s[0]
        .encryption
        .iter()
        .map(|a| (a.algorithm.racoon_names[0], a.key_length))
        .collect();
    assert_eq!(
        enc,
        [("aes", Some(256)), ("3des", None), ("blowfish", Some(448))]
    );
    let auth: Vec<&str> = s[0]
        .authentication
        .iter()
        .map(|a| a.racoon_names[0])
        .collect();
    assert_eq!(auth, ["hmac_sha1", "hmac_sha2_256", "non_auth"]);
    assert_eq!(s[0].lifetime, 3600);
    assert_eq!(s[0].pfs_group, None);
    assert_eq!(s[1].local.to_string(), "address 10.0.0.0/24[any] any");
    assert_eq!(s[1].remote.to_string(), "address 10.1.0.0/16[500] 17");
    assert_eq!(s[1].from, Some(Identifier::Fqdn("peer.example".into())));
    assert_eq!(s[1].pfs_group, Some(DhGroup(5)));
    assert_eq!(s[1].remoteid, Some(7));
    assert_eq!(s[1].lifetime, 1800);
    assert_eq!(s[1].encryption[0].key_length, Some(128));
    assert_eq!(s[2].local.to_string(), "address ::1 58");
    assert_eq!(s[2].encryption[0].algorithm.racoon_names[0], "null_enc");
    assert_eq!(s[3].local.to_string(), "address 10.0.0.1-10.0.0.9 6");
    assert_eq!(s[3].remote, SainfoId::Anonymous);
    assert_eq!(s[3].group.as_deref(), Some("staff"));
    assert_eq!(s[4].remote, SainfoId::ClientAddr);
    assert_eq!(s[5].local.to_string(), "user_fqdn \"a@b\"");
    assert_eq!(s[5].remote.to_string(), "address 10.9.9.9 47");
    let features: Vec<Feature> = c.unimplemented.iter().map(|u| u.feature).collect();
    assert_eq!(features, [Feature::SainfoGroup, Feature::ModeCfgRemote]);
}

#[test]
fn mode_cfg_ldap_radius() {
    let c = parse(
        r#"
mode_cfg {
    network4 10.8.0.1; netmask4 255.255.255.0; pool_size 250;
    dns4 10.8.0.53, 10.8.0.54; dns4 10.8.0.55; wins4 10.8.0.60; nbns4 10.8.0.61;
    split_network include 10.0.0.0/8, 192.168.0.0/16;
    split_dns "corp.example", "lab.example";
    default_domain "corp.example";
    auth_source radius; auth_groups "vpn", "admins"; group_source system;
    accounting pam; conf_source ldap;
    pfs_group 2; save_passwd on; auth_throttle 5; banner "/etc/motd";
}
ldapcfg { version 3; debug 1; timeout 5; uri "ldap://x"; host "x"; port 389; base "dc=x";
          subtree on; bind_dn "cn=a"; bind_pw "pw"; attr_user "uid"; attr_addr "a";
          attr_mask "m"; attr_group "g"; attr_member "member"; attr_device "d"; }
radiuscfg { auth "r1" "s1"; auth "r2" 1812 "s2"; acct "r3" "s3"; timeout 9; retries 2; }
"#,
    );
    let m = c.mode_cfg.unwrap();
    assert_eq!(m.network4, Some(Ipv4Addr::new(10, 8, 0, 1)));
    assert_eq!(m.netmask4, Some(Ipv4Addr::new(255, 255, 255, 0)));
    assert_eq!(m.pool_size, Some(250));
    assert_eq!(m.dns4.len(), 3);
    assert_eq!(m.wins4.len(), 2);
    let split = m.split_network.unwrap();
    assert!(!split.local_lan);
    assert_eq!(
        split.networks,
        [
            (Ipv4Addr::new(10, 0, 0, 0), 8),
            (Ipv4Addr::new(192, 168, 0, 0), 16)
        ]
    );
    assert_eq!(m.split_dns, ["corp.example", "lab.example"]);
    assert_eq!(m.default_domain.as_deref(), Some("corp.example"));
    assert_eq!(m.auth_source, Some(Source::Radius));
    assert_eq!(m.auth_groups, ["vpn", "admins"]);
    assert_eq!(m.group_source, Some(Source::System));
    assert_eq!(m.accounting, Some(Source::Pam));
    assert_eq!(m.conf_source, Some(Source::Ldap));
    assert_eq!(
        (m.pfs_group, m.save_passwd, m.auth_throttle),
        (Some(2), Some(true), Some(5))
    );
    assert_eq!(m.banner.as_deref(), Some("/etc/motd"));
    let l = c.ldap.unwrap();
    assert_eq!(
        (l.version, l.port, l.subtree),
        (Some(3), Some(389), Some(true))
    );
    assert_eq!(l.attr_member.as_deref(), Some("member"));
    let r = c.radius.unwrap();
    assert_eq!(r.auth.len(), 2);
    assert_eq!(r.auth[1].port, Some(1812));
    assert_eq!(r.acct[0].secret, "s3");
    assert_eq!((r.timeout, r.retries), (9, 2));
    let features: Vec<Feature> = c.unimplemented.iter().map(|u| u.feature).collect();
    assert_eq!(features, [Feature::Ldap, Feature::Radius]);
}

#[test]
fn identifiers() {
    let ids = [
        ("address", Identifier::Address(None)),
        (
            "address 10.0.0.1",
            Identifier::Address(Some("10.0.0.1".parse().unwrap())),
        ),
        (
            "address \"fe80::1\"",
            Identifier::Address(Some("fe80::1".parse().unwrap())),
        ),
        ("fqdn \"a.example\"", Identifier::Fqdn("a.example".into())),
        (
            "user_fqdn \"u@a.example\"",
            Identifier::UserFqdn("u@a.example".into()),
        ),
        (
            "keyid \"/etc/keyid\"",
            Identifier::KeyIdFile("/etc/keyid".into()),
        ),
        (
            "keyid file \"/etc/keyid\"",
            Identifier::KeyIdFile("/etc/keyid".into()),
        ),
        ("keyid tag \"grp\"", Identifier::KeyIdTag("grp".into())),
        ("asn1dn \"CN=x\"", Identifier::Asn1Dn(Some("CN=x".into()))),
    ];
    for (text, expected) in ids {
        let config = parse(&MINIMAL_REMOTE.replace(
            "exchange_mode main;",
            &format!("exchange_mode main; my_identifier {text};"),
        ));
        assert_eq!(config.remotes[0].my_identifier, Some(expected), "{text}");
    }
}

#[test]
fn lexer_quirks() {
    // Comments anywhere, CRLF, commas ignored in remote blocks, parentheses dropped.
    let c = parse(
        "# top\r\nremote anonymous { # trailing\r\n exchange_mode main aggressive,; proposal { encryption_algorithm aes256; hash_algorithm sha1; authentication_method pre_shared_key 1; dh_group modp1024; } , }\r\n\
         sainfo (anonymous) { encryption_algorithm aes 192; authentication_algorithm hmac_sha1; compression_algorithm deflate; }",
    );
    assert_eq!(
        c.remotes[0].exchange_modes,
        [ExchangeMode::Main, ExchangeMode::Aggressive]
    );
    assert_eq!(c.remotes[0].proposals[0].key_length, Some(256));
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.sainfos[0].encryption[0].key_length, Some(192));
}

#[test]
fn includes_with_globs() {
    let mut includer = MemIncluder::new()
        .with("/etc/racoon/remote.d/a.conf", MINIMAL_REMOTE)
        .with("/etc/racoon/remote.d/b.conf", "log info;\n")
        .with("/etc/racoon/other/c.conf", "log error;\n")
        .with("/abs.conf", "log notify;\n");
    let c = parse_str(
        "/etc/racoon/racoon.conf",
        "path include \"/etc/racoon\";\ninclude \"remote.d/*.conf\";\n",
        &mut includer,
    )
    .unwrap();
    assert_eq!(c.remotes.len(), 1);
    assert_eq!(&*c.remotes[0].location.file, "/etc/racoon/remote.d/a.conf");
    assert_eq!(c.log.as_ref().unwrap().value, LogLevel::Info);
    let c = parse_str("/x/racoon.conf", "include \"/abs.conf\";", &mut includer).unwrap();
    assert_eq!(c.log.unwrap().value, LogLevel::Notify);
    // Without `path include`, relative names are looked up beside the including file.
    let c = parse_str(
        "/etc/racoon/racoon.conf",
        "include \"other/c.conf\";",
        &mut includer,
    )
    .unwrap();
    assert_eq!(c.log.unwrap().value, LogLevel::Error);
}

#[test]
fn load_from_the_file_system() {
    let dir = std::env::temp_dir().join(format!("racoon-conf-load-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("peers")).unwrap();
    let main = dir.join("racoon.conf");
    std::fs::write(
        &main,
        format!(
            "path include \"{}\";\ninclude \"peers/*.conf\";\n",
            dir.display()
        ),
    )
    .unwrap();
    std::fs::write(dir.join("peers/1.conf"), MINIMAL_REMOTE).unwrap();
    std::fs::write(dir.join("peers/2.conf"), "log debug;").unwrap();
    let c = Config::load(main.to_str().unwrap()).unwrap();
    assert_eq!(c.remotes.len(), 1);
    assert_eq!(c.log.unwrap().value, LogLevel::Debug);
    let missing = Config::load(dir.join("nope.conf").to_str().unwrap()).unwrap_err();
    assert!(missing.to_string().contains("cannot read"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}
