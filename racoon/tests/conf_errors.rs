//! Every error message of the racoon.conf parser, with its line and column: the
//! exact text is the interface a person editing the file sees.

use racoon::conf::{parse_str, ConfError, ErrorKind, MemIncluder};

const REMOTE_VALID: &str = "remote_address, exchange_mode, doi, situation, my_identifier, \
    peers_identifier, verify_identifier, xauth_login, certificate_type, ca_type, peers_certfile, \
    send_cert, send_cr, match_empty_cr, verify_cert, mode_cfg, weak_phase1_check, script, \
    lifetime, ike_frag, esp_frag, initial_contact, passive, proposal_check, support_proxy, \
    generate_policy, nat_traversal, dpd, dpd_delay, dpd_retry, dpd_maxfail, rekey, nonce_size, \
    ph1id, proposal, dh_group";

fn error(text: &str) -> ConfError {
    let mut includer = MemIncluder::new().with("/etc/loop.conf", "include \"loop.conf\";");
    match parse_str("/etc/racoon.conf", text, &mut includer) {
        Ok(_) => panic!("accepted: {text:?}"),
        Err(e) => e,
    }
}

#[test]
fn messages() {
    let cases: &[(&str, &str)] = &[
        ("remote anonymous {\n  exchange_mode main\n}",
         "/etc/racoon.conf:3:1: expected `;' after `exchange_mode main', found `}'"),
        ("bogus;",
         "/etc/racoon.conf:1:1: unknown directive `bogus' in the top level; valid: path, include, log, privsep, padding, listen, timer, remote, sainfo, mode_cfg, ldapcfg, radiuscfg, gss_id_enc, pfkey_buffer, complex_bundle"),
        ("log verbose;",
         "/etc/racoon.conf:1:5: unknown log level `verbose'; valid: error, warning, notify, info, debug, debug2"),
        ("log debug",
         "/etc/racoon.conf:1:10: expected `;' after `log debug', found end of file"),
        ("path foo \"x\";",
         "/etc/racoon.conf:1:6: unknown path type `foo'; valid: include, pre_shared_key, certificate, backupsa, script, pidfile"),
        ("path include x;",
         "/etc/racoon.conf:1:14: expected a quoted path, found `x'"),
        ("timer { auto_exit_delay 3 sec; }",
         "/etc/racoon.conf:1:9: unknown directive `auto_exit_delay' in timer; valid: counter, interval, persend, phase1, phase2, natt_keepalive"),
        ("timer { interval 10; }",
         "/etc/racoon.conf:1:20: expected a time unit (sec, min or hour) after `10', found `;'"),
        ("timer { interval ten sec; }",
         "/etc/racoon.conf:1:18: expected a number of seconds, minutes or hours, found `ten'"),
        ("timer { counter 99999999999999999999999; }",
         "/etc/racoon.conf:1:17: number `99999999999999999999999' is too large"),
        ("timer { phase1 99999999999999999 hours; }",
         "/etc/racoon.conf:1:16: number `99999999999999999' is too large"),
        ("padding { randomize yes; }",
         "/etc/racoon.conf:1:21: expected `on' or `off', found `yes'"),
        ("listen { isakmp 300.1.1.1; }",
         "/etc/racoon.conf:1:17: invalid address `300.1.1.1': `300.1.1.1` is not a numeric IPv4 or IPv6 address"),
        ("listen { isakmp [500]; }",
         "/etc/racoon.conf:1:17: expected an address, found `[500]'"),
        ("listen { isakmp 1.2.3.4 [ 500 ]; }",
         "/etc/racoon.conf:1:25: invalid port `[ 500 ': expected a number or `any' in brackets, without spaces"),
        ("listen { isakmp 1.2.3.4[70000]; }",
         "/etc/racoon.conf:1:17: invalid address `1.2.3.4[70000]': port 70000 out of range (0-65535)"),
        ("listen { adminsock \"/s\" \"u\" \"g\" 0999; }",
         "/etc/racoon.conf:1:33: invalid mode `0999': expected octal digits, at most 07777"),
        ("listen {",
         "/etc/racoon.conf:1:9: expected `}' closing listen, found end of file"),
        ("privsep { user -1; }",
         "/etc/racoon.conf:1:16: expected a quoted user name or a number, found `-1'"),
        ("gss_id_enc utf8;",
         "/etc/racoon.conf:1:12: unknown GSS-API id encoding `utf8'; valid: latin1, utf-16le"),
        ("include \"/nowhere/*.conf\";",
         "/etc/racoon.conf:1:9: include \"/nowhere/*.conf\": no file matches"),
        ("include \"loop.conf\";",
         "/etc/loop.conf:1:9: include \"/etc/loop.conf\": includes nested more than 10 deep"),
        ("x ! y",
         "/etc/racoon.conf:1:1: unknown directive `x' in the top level; valid: path, include, log, privsep, padding, listen, timer, remote, sainfo, mode_cfg, ldapcfg, radiuscfg, gss_id_enc, pfkey_buffer, complex_bundle"),
        ("path include \"abc",
         "/etc/racoon.conf:1:14: unterminated string: no closing `\"'"),
        ("remote anonymous { exchange_mode main; }",
         "/etc/racoon.conf:1:1: remote anonymous: no proposal block"),
        ("remote anonymous { proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; } }",
         "/etc/racoon.conf:1:1: remote anonymous: no exchange_mode given"),
        ("remote anonymous { exchange_mode fast; }",
         "/etc/racoon.conf:1:34: unknown exchange mode `fast'; valid: main, aggressive, base"),
        ("remote anonymous { exchange_mode aggressive; proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; } proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 14; } }",
         "/etc/racoon.conf:1:1: remote anonymous: with aggressive mode every proposal must use the same dh_group"),
        ("remote anonymous { exchange_mode main; my_identifier asn1dn; proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; } }",
         "/etc/racoon.conf:1:1: remote anonymous: my_identifier asn1dn needs a DN or a certificate_type to take it from"),
        ("remote anonymous { dh_group 2; }",
         "/etc/racoon.conf:1:20: `dh_group' is not allowed here: it belongs in a `proposal' block"),
        ("remote anonymous { lifetime byte 100 XB; }",
         "/etc/racoon.conf:1:38: expected a byte unit (B, KB, MB or GB) after `100', found `XB'"),
        ("remote anonymous { lifetime bytes 100 KB; }",
         "/etc/racoon.conf:1:29: expected `time' or `byte', found `bytes'"),
        ("remote anonymous { lifetime 3600 sec; }",
         "/etc/racoon.conf:1:29: expected `time' or `byte', found `3600'"),
        ("remote anonymous { support_mip6 on; }",
         "/etc/racoon.conf:1:20: unknown directive `support_mip6' in remote; valid: REMOTE_VALID"),
        ("remote anonymous { passive yes; }",
         "/etc/racoon.conf:1:28: expected `on' or `off', found `yes'"),
        ("remote anonymous { nat_traversal maybe; }",
         "/etc/racoon.conf:1:34: expected `on', `off' or `force', found `maybe'"),
        ("remote 10.0.0.1 { remote_address 10.0.0.2; }",
         "/etc/racoon.conf:1:19: `remote_address' is not allowed here: this remote is already given by its address"),
        ("remote 10.0.0.1 inherit 10.0.0.2 { }",
         "/etc/racoon.conf:1:25: cannot inherit from 10.0.0.2: no such remote is defined before this one"),
        ("remote \"a\" inherit b { }",
         "/etc/racoon.conf:1:20: expected a quoted remote name, found `b'"),
        ("remote \"a\" { exchange_mode main; proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; } }\nremote \"a\" { }",
         "/etc/racoon.conf:2:8: remote \"a\" already given"),
        ("remote anonymous { exchange_mode main; proposal { encryption_algorithm aes129; } }",
         "/etc/racoon.conf:1:72: invalid key length 129 for `aes': expected 128, 192 or 256 bits"),
        ("remote anonymous { exchange_mode main; proposal { encryption_algorithm aes 100; } }",
         "/etc/racoon.conf:1:76: invalid key length 100 for `aes': expected 128, 192 or 256 bits"),
        ("remote anonymous { exchange_mode main; proposal { encryption_algorithm 3des 192; } }",
         "/etc/racoon.conf:1:77: key length 192 not allowed after `3des'"),
        ("remote anonymous { exchange_mode main; proposal { hash_algorithm sha3; } }",
         "/etc/racoon.conf:1:66: unknown hash algorithm `sha3'; valid: md5, sha1, sha2_256, sha256, sha2_384, sha384, sha2_512, sha512, tiger"),
        ("remote anonymous { exchange_mode main; proposal { authentication_method psk; } }",
         "/etc/racoon.conf:1:73: unknown authentication method `psk'; valid: pre_shared_key, rsasig, dsssig, rsaenc, rsarev, gssapi_krb, hybrid_rsa_server, hybrid_rsa_client, hybrid_dss_server, hybrid_dss_client, xauth_psk_server, xauth_psk_client, xauth_rsa_server, xauth_rsa_client"),
        ("remote anonymous { exchange_mode main; proposal { dh_group 22; } }",
         "/etc/racoon.conf:1:60: unknown DH group `22'; valid: modp768, modp1024, ec2n155, ec2n185, modp1536, modp2048, modp3072, modp4096, modp6144, modp8192, ecp256, ecp384, ecp521, or their numbers 1 to 5, 14 to 21"),
        ("remote anonymous { exchange_mode main; proposal { encryption_algorithm aes; } }",
         "/etc/racoon.conf:1:40: proposal: no hash_algorithm given"),
        ("remote anonymous { exchange_mode main; proposal { gss_id \"x\"; encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; } }",
         "/etc/racoon.conf:1:40: proposal: gss_id needs `authentication_method gssapi_krb'"),
        ("remote anonymous { exchange_mode main; my_identifier fqdn; }",
         "/etc/racoon.conf:1:58: expected a quoted fqdn value, found `;'"),
        ("remote anonymous { exchange_mode main; my_identifier address tag \"x\"; }",
         "/etc/racoon.conf:1:62: invalid qualifier `tag': only keyid identifiers take `file' or `tag'"),
        ("remote anonymous { exchange_mode main; my_identifier address 1.2.3; }",
         "/etc/racoon.conf:1:62: invalid address `1.2.3': `1.2.3` is not a numeric IPv4 or IPv6 address"),
        ("remote anonymous { exchange_mode main; certificate_type x509 \"a\"; }",
         "/etc/racoon.conf:1:65: expected a quoted private key file, found `;'"),
        ("sainfo address any address any { }",
         "/etc/racoon.conf:1:16: invalid address `any': write `anonymous' for any address"),
        ("sainfo anonymous { encryption_algorithm aes; authentication_algorithm hmac_sha1; }",
         "/etc/racoon.conf:1:1: sainfo anonymous: no compression_algorithm given"),
        ("sainfo anonymous { encryption_algorithm aes 3des; }",
         "/etc/racoon.conf:1:45: expected `;' after `encryption_algorithm aes', found `3des'"),
        ("sainfo anonymous { encryption_algorithm blowfish 449; }",
         "/etc/racoon.conf:1:50: invalid key length 449 for `blowfish': expected 40 to 448 bits"),
        ("sainfo anonymous { authentication_algorithm hmac_sha1_96; }",
         "/etc/racoon.conf:1:45: key length 96 not allowed after `hmac_sha1'"),
        ("sainfo anonymous { authentication_algorithm md5; }",
         "/etc/racoon.conf:1:45: unknown authentication algorithm `md5'; valid: hmac_md5, hmac_sha1, non_auth, hmac_sha2_256, hmac_sha256, hmac_sha2_384, hmac_sha384, hmac_sha2_512, hmac_sha512, hmac_ripemd160, aes_xcbc_mac, des_mac, kpdk"),
        ("sainfo anonymous { compression_algorithm lz4; }",
         "/etc/racoon.conf:1:42: unknown compression algorithm `lz4'; valid: deflate, oui, lzs"),
        ("sainfo anonymous { pfs_group modp1000; }",
         "/etc/racoon.conf:1:30: unknown DH group `modp1000'; valid: modp768, modp1024, ec2n155, ec2n185, modp1536, modp2048, modp3072, modp4096, modp6144, modp8192, ecp256, ecp384, ecp521, or their numbers 1 to 5, 14 to 21"),
        ("sainfo anonymous { lifetime byte 1000 B; }",
         "/etc/racoon.conf:1:34: invalid byte lifetime: byte size should be more than 1024B"),
        ("sainfo anonymous { my_identifier address; }",
         "/etc/racoon.conf:1:20: unknown directive `my_identifier' in sainfo; valid: pfs_group, remoteid, lifetime, encryption_algorithm, authentication_algorithm, compression_algorithm"),
        ("sainfo address 10.0.0.0/33 any anonymous { }",
         "/etc/racoon.conf:1:16: invalid address `10.0.0.0/33': prefix length 33 out of range for IPv4 (0-32)"),
        ("sainfo address 10.0.0.1[80] icmp anonymous { }",
         "/etc/racoon.conf:1:29: invalid port: with icmp or icmp6 the port must be `any'"),
        ("sainfo address 10.0.0.1 icmp6 anonymous { }",
         "/etc/racoon.conf:1:25: invalid upper-layer protocol `icmp6': it does not match the address family"),
        ("sainfo address 10.0.0.1 foo anonymous { }",
         "/etc/racoon.conf:1:25: unknown upper-layer protocol `foo'; valid: any, icmp, tcp, udp, gre, esp, ah, icmp6, ipcomp, a number"),
        ("sainfo address 10.0.0.1 any { }",
         "/etc/racoon.conf:1:29: expected `anonymous', `clientaddr' or the remote identifier after `sainfo address 10.0.0.1 any', found `{'"),
        ("sainfo asn1dn \"x\" anonymous { }",
         "/etc/racoon.conf:1:8: invalid sainfo identifier `asn1dn \"x\"': only fqdn, user_fqdn and keyid take a quoted value"),
        ("sainfo address 10.0.0.1 any address 10.0.0.2 any { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }\nsainfo address 10.0.0.1 any address 10.0.0.2 any { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm deflate; }",
         "/etc/racoon.conf:2:1: sainfo address 10.0.0.1 any address 10.0.0.2 any already given"),
        ("mode_cfg { dns4 1.2.3.4, ; }",
         "/etc/racoon.conf:1:26: expected an IPv4 address, found `;'"),
        ("mode_cfg { network4 fe80::1; }",
         "/etc/racoon.conf:1:21: invalid IPv4 address `fe80::1': expected four decimal numbers separated by dots"),
        ("mode_cfg { auth_source local; }",
         "/etc/racoon.conf:1:24: unknown auth_source `local'; valid: system, radius, pam, ldap"),
        ("mode_cfg { split_network include 10.0.0.0; }",
         "/etc/racoon.conf:1:42: expected a prefix length such as /24, found `;'"),
        ("ldapcfg { version 4; }",
         "/etc/racoon.conf:1:19: invalid LDAP version 4: expected 2 or 3"),
        ("radiuscfg { auth \"h\"; }",
         "/etc/racoon.conf:1:21: expected a quoted secret, found `;'"),
        ("remote anonymous { exchange_mode main; proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; } }\nsainfo anonymous { encryption_algorithm aes; }",
         "/etc/racoon.conf:2:1: sainfo anonymous: no authentication_algorithm given"),
    ];
    for (text, expected) in cases {
        let expected = expected.replace("REMOTE_VALID", REMOTE_VALID);
        assert_eq!(error(text).to_string(), expected, "{text:?}");
    }
}

#[test]
fn typed_kinds() {
    let e =
        error("remote anonymous { exchange_mode main; proposal { encryption_algorithm aes129; } }");
    assert!(matches!(
        e.kind,
        ErrorKind::InvalidKeyLength { bits: 129, .. }
    ));
    assert_eq!((e.location.line, e.location.column), (1, 72));
    let e = error("sainfo anonymous { encryption_algorithm twofishy; }");
    match e.kind {
        ErrorKind::Algorithm(unknown) => assert_eq!(unknown.name, "twofishy"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        error("log debug").kind,
        ErrorKind::ExpectedAfter { .. }
    ));
}

#[test]
fn include_bombs_stop() {
    // Each file includes itself three times: 3^10 parses without a bound.
    let text = "include \"/b.conf\"; include \"/b.conf\"; include \"/b.conf\";";
    let mut includer = MemIncluder::new().with("/b.conf", text);
    let e = parse_str("/b.conf", text, &mut includer).unwrap_err();
    assert!(
        matches!(
            e.kind,
            ErrorKind::TooManyIncludes { .. } | ErrorKind::IncludeDepth { .. }
        ),
        "{e}"
    );
}
