//! Whole statements through [`super::parse_str`]: one case per grammar rule, and the
//! exact text of every error with its line and column.

use common::addr::Port;
use common::policy::{Action, Direction, Level, PRIORITY_DEFAULT};
use common::sa::{flags, Mode, SaType};

use super::{parse_statement, parse_str};
use crate::ast::*;

fn one(text: &str) -> Command {
    let mut statements = parse_str("t", text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    assert_eq!(statements.len(), 1, "{text:?}");
    statements.remove(0).command
}

fn err(text: &str) -> String {
    match parse_str("t", text) {
        Ok(s) => panic!("{text:?} parsed: {s:?}"),
        Err(e) => e.to_string(),
    }
}

fn sa(text: &str) -> SaSpec {
    match one(text) {
        Command::Add(spec) | Command::Update(spec) => spec,
        other => panic!("{other:?}"),
    }
}

fn spd(text: &str) -> SpdSpec {
    match one(text) {
        Command::SpdAdd(spec) | Command::SpdUpdate(spec) | Command::SpdDelete(spec) => spec,
        other => panic!("{other:?}"),
    }
}

#[test]
fn empty_files_and_comments() {
    assert_eq!(parse_str("t", ""), Ok(vec![]));
    assert_eq!(
        parse_str("t", "#!/usr/sbin/setkey -f\n# only comments\n\n"),
        Ok(vec![])
    );
}

#[test]
fn simple_commands() {
    assert_eq!(one("flush;"), Command::Flush(None));
    assert_eq!(one("flush esp ;"), Command::Flush(Some(SaType::Esp)));
    assert_eq!(one("flush ah-old;"), Command::Flush(Some(SaType::Ah)));
    assert_eq!(one("flush ipcomp;"), Command::Flush(Some(SaType::IpComp)));
    assert_eq!(one("dump;"), Command::Dump(None));
    assert_eq!(one("dump esp-udp;"), Command::Dump(Some(SaType::Esp)));
    assert_eq!(one("dump tcp;"), Command::Dump(Some(SaType::TcpMd5)));
    assert_eq!(one("spdflush;"), Command::SpdFlush);
    assert_eq!(one("spddump ;"), Command::SpdDump);
    for word in ["exit", "quit", "bye"] {
        assert_eq!(one(&format!("{word};")), Command::Exit);
    }
}

#[test]
fn several_statements_per_line_and_statements_across_lines() {
    let s = parse_str(
        "t",
        "flush; spdflush;\nspdadd 10.0.0.1\n 10.0.0.2 any\n-P out\nnone\n;",
    )
    .unwrap();
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].pos, Pos { line: 1, col: 1 });
    assert_eq!(s[1].pos, Pos { line: 1, col: 8 });
    assert_eq!(s[2].pos, Pos { line: 2, col: 1 });
}

#[test]
fn exit_stops_parsing() {
    let s = parse_str("t", "flush;\nexit;\nthis is \\ not setkey {").unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[1].command, Command::Exit);
}

#[test]
fn add_esp_with_everything() {
    let s = sa(
        "add -4n 10.0.0.1 10.0.0.2 esp 0x1000 -m tunnel -r 32 -u 7 -f random-pad \
                -f nocyclic-seq -lh 3600 -ls 3000 -bh 100000 -bs 90000 \
                -ctx 1 2 \"system_u:object_r:x\" \
                -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha256 \
                \"0123456789abcdef0123456789abcdef\";",
    );
    assert_eq!(
        s.opts_addr,
        AddrOpts {
            family: FamilyFilter::Inet,
            numeric_only: true
        }
    );
    assert_eq!(
        (s.src.text.as_str(), s.dst.text.as_str()),
        ("10.0.0.1", "10.0.0.2")
    );
    assert_eq!(s.src.pos, Pos { line: 1, col: 9 });
    assert_eq!((s.src_port, s.dst_port), (None, None));
    assert_eq!(
        s.proto,
        ProtoSpec {
            satype: SaType::Esp,
            old: false,
            udp_encap: false
        }
    );
    assert_eq!(s.spi, 0x1000);
    let o = &s.opts;
    assert_eq!(o.mode, Some(Mode::Tunnel));
    assert_eq!((o.replay, o.reqid), (Some(32), Some(7)));
    assert_eq!(o.flags, flags::PRAND | flags::CYCSEQ);
    assert_eq!(
        (o.lifetime_hard_secs, o.lifetime_soft_secs),
        (Some(3600), Some(3000))
    );
    assert_eq!((o.bytes_hard, o.bytes_soft), (Some(100000), Some(90000)));
    let ctx = o.sec_ctx.as_ref().unwrap();
    assert_eq!(
        (ctx.doi, ctx.alg, ctx.label.as_str()),
        (1, 2, "system_u:object_r:x")
    );
    let AlgSpec::Esp {
        enc,
        auth: Some(auth),
    } = &s.algs
    else {
        panic!("{:?}", s.algs)
    };
    assert_eq!((enc.alg.name(), enc.key.len()), ("aes-cbc", 16));
    assert_eq!(enc.key[..3], [0x00, 0x11, 0x22]);
    assert_eq!((auth.alg.name(), auth.key.len()), ("hmac-sha256", 32));
}

#[test]
fn sa_options_in_any_order() {
    let before = sa("add 10.0.0.1 10.0.0.2 esp 1 -m transport -u 3 -E null -A hmac-sha1 \"12345678901234567890\";");
    let after = sa("add 10.0.0.1 10.0.0.2 esp 1 -E null -m transport -A hmac-sha1 \"12345678901234567890\" -u 3;");
    assert_eq!(before.opts, after.opts);
    let keys = |s: &SaSpec| match &s.algs {
        AlgSpec::Esp { enc, auth } => (enc.alg.name(), auth.as_ref().map(|a| a.key.clone())),
        other => panic!("{other:?}"),
    };
    assert_eq!(keys(&before), keys(&after));
    // Padding choices replace each other; -m any is explicit.
    let s = sa("add ::1 ::1 esp 2 -f zero-pad -f seq-pad -m any -E null;");
    assert_eq!(s.opts.flags & flags::PMASK, flags::PSEQ);
    assert_eq!(s.opts.mode, Some(Mode::Any));
    let s = sa("add ::1 ::1 esp 2 -f zero-pad -E null;");
    assert_eq!(s.opts.flags, flags::PZERO);
}

#[test]
fn protocols_and_algorithms() {
    let s = sa("add 10.0.0.1 10.0.0.2 ah 0x200 -A hmac-md5 0xc0291ff014dccdd03874d9e8e4cdf3e6;");
    assert_eq!(s.proto.satype, SaType::Ah);
    assert!(matches!(&s.algs, AlgSpec::Auth(k) if k.alg.name() == "hmac-md5" && k.key.len() == 16));
    let s = sa("add 10.0.0.1 10.0.0.2 ah-old 0x200 -A hmac-sha1 \"12345678901234567890\";");
    assert!(s.proto.old);
    let s = sa("add 10.0.0.1 10.0.0.2 esp-old 0x200 -E des-cbc \"12345678\";");
    assert!(s.proto.old && s.proto.satype == SaType::Esp);
    let s = sa("add 10.0.0.1[4500] 10.0.0.2[any] esp-udp 0x200 -E aes-gcm-16 0x3ffe050148193ffe050148193ffe050148193ffe;");
    assert!(s.proto.udp_encap);
    assert_eq!((s.src_port, s.dst_port), (Some(4500), Some(0)));
    assert!(matches!(&s.algs, AlgSpec::Esp { enc, auth: None } if enc.alg.name() == "aes-gcm-16"));
    let s = sa("add 10.0.0.1 10.0.0.2 ipcomp 0x2000 -C deflate -R;");
    assert!(matches!(&s.algs, AlgSpec::Comp { alg, raw_cpi: true } if alg.name() == "deflate"));
    let s = sa("add 10.0.0.1 10.0.0.2 ipcomp 30001 -C deflate ;");
    assert!(matches!(&s.algs, AlgSpec::Comp { raw_cpi: false, .. }));
    let s = sa("add 10.0.0.1 10.0.0.2 esp 4294967295 -E 3des-cbc \"123456789012123456789012\";");
    assert_eq!(s.spi, u32::MAX);
    let s = sa("add ::1 ::1 esp 10004 -m transport -E null -A null ;");
    assert!(matches!(&s.algs, AlgSpec::Esp { auth: Some(a), .. } if a.key.is_empty()));
    let s = sa("add 10.0.0.1 10.0.0.2 esp 5 -E simple;");
    assert!(matches!(&s.algs, AlgSpec::Esp { enc, .. } if enc.alg.name() == "null"));
    let s = sa("add myhost.example.com yourhost.example.com ah 123456 -A hmac-sha1 \"AH SA configuration!\";");
    assert_eq!(s.src.text, "myhost.example.com");
}

#[test]
fn nat_oa_after_esp_udp() {
    let s = sa("add 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 192.168.0.7 0x200 -E null;");
    assert!(s.proto.udp_encap);
    let oa = s.nat_oa.expect("NAT-OA");
    assert_eq!(
        (oa.text.as_str(), oa.pos),
        ("192.168.0.7", Pos { line: 1, col: 43 })
    );
    assert_eq!(s.spi, 0x200);
    // A host name, under -6 an IPv6 address, and none at all.
    let s = sa("add 10.0.0.1 10.0.0.2 esp-udp natbox.example 513 -E null;");
    assert_eq!(s.nat_oa.map(|h| h.text), Some("natbox.example".to_owned()));
    assert_eq!(s.spi, 513);
    let s = sa("add -6 fec0::1 fec0::2 esp-udp fec0::9 1 -E null;");
    assert_eq!(s.nat_oa.map(|h| h.text), Some("fec0::9".to_owned()));
    assert_eq!(sa("add 10.0.0.1 10.0.0.2 esp-udp 1 -E null;").nat_oa, None);
    // Only esp-udp takes one.
    assert_eq!(sa("add 10.0.0.1 10.0.0.2 esp 1 -E null;").nat_oa, None);
    // get and delete take it too, as the original's grammar did, and ignore it.
    assert!(matches!(
        one("delete 10.0.0.1 10.0.0.2 esp-udp 192.168.0.7 0x200;"),
        Command::Delete { spi: 0x200, .. }
    ));
}

#[test]
fn getspi() {
    let Command::GetSpi(g) = one("getspi 10.0.0.1 10.0.0.2 esp 0;") else {
        panic!()
    };
    assert_eq!(
        (g.src.text.as_str(), g.dst.text.as_str()),
        ("10.0.0.1", "10.0.0.2")
    );
    assert_eq!(
        (g.proto.satype, g.spi, g.opts.clone()),
        (SaType::Esp, 0, SaOpts::default())
    );
    let Command::GetSpi(g) =
        one("getspi -6 fec0::1[4500] fec0::2[4500] esp-udp 0x1000 -m tunnel -u 7 -lh 30;")
    else {
        panic!()
    };
    assert_eq!(g.opts_addr.family, FamilyFilter::Inet6);
    assert!(g.proto.udp_encap);
    assert_eq!(g.spi, 0x1000);
    assert_eq!(g.opts.mode, Some(Mode::Tunnel));
    assert_eq!(g.opts.reqid, Some(7));
    assert_eq!(g.opts.lifetime_hard_secs, Some(30));
    let Command::GetSpi(g) = one("getspi 10.0.0.1 10.0.0.2 ah-old 300;") else {
        panic!()
    };
    assert!(g.proto.old && g.proto.satype == SaType::Ah);
    let Command::GetSpi(g) = one("getspi a.example b.example ipcomp 0x4000 ;") else {
        panic!()
    };
    assert_eq!(g.proto.satype, SaType::IpComp);
}

#[test]
fn update_is_add() {
    let text = "10.0.0.1 10.0.0.2 esp 7 -E null;";
    assert_eq!(
        one(&format!("update {text}")),
        Command::Update(sa(&format!("add    {text}")))
    );
}

#[test]
fn get_delete_deleteall() {
    let Command::Get {
        src,
        dst,
        proto,
        spi,
        ..
    } = one("get 3ffe:501:4819::1 3ffe:501:481d::1 ah 123456 ;")
    else {
        panic!()
    };
    assert_eq!(
        (src.text.as_str(), dst.text.as_str(), proto.satype, spi),
        ("3ffe:501:4819::1", "3ffe:501:481d::1", SaType::Ah, 123456)
    );
    // Extensions are accepted and ignored, as the original did with a warning.
    let Command::Delete { spi, opts_addr, .. } = one("delete -6 ::1 ::2 esp 0x10 -m tunnel;")
    else {
        panic!()
    };
    assert_eq!((spi, opts_addr.family), (0x10, FamilyFilter::Inet6));
    let Command::DeleteAll { src, proto, .. } = one("deleteall 10.0.0.1 10.0.0.2 esp;") else {
        panic!()
    };
    assert_eq!((src.text.as_str(), proto.satype), ("10.0.0.1", SaType::Esp));
}

#[test]
fn spdadd_forms() {
    let s = spd("spdadd 10.0.11.41/32[21] 10.0.11.33/32[any] any -P out ipsec esp/tunnel/192.168.0.1-192.168.1.2/require ;");
    let SelectorSpec::Addresses { src, dst, upper } = &s.selector else {
        panic!()
    };
    assert_eq!((src.prefix_len, src.port), (Some(32), Some(Port::new(21))));
    assert_eq!((dst.prefix_len, dst.port), (Some(32), Some(Port::ANY)));
    assert_eq!(*upper, UpperSpec::Any);
    assert_eq!(
        (s.policy.dir, s.policy.action, s.policy.priority),
        (Direction::Out, Action::Ipsec, None)
    );
    let r = &s.policy.requests[0];
    assert_eq!(
        (r.proto, r.mode, r.level),
        (SaType::Esp, Mode::Tunnel, Level::Require)
    );
    let (a, b) = r.tunnel.as_ref().unwrap();
    assert_eq!(
        (a.text.as_str(), b.text.as_str()),
        ("192.168.0.1", "192.168.1.2")
    );

    let s = spd("spdadd ::/0 ::/0 icmp6 135,0 -P in none ;");
    let SelectorSpec::Addresses { upper, .. } = &s.selector else {
        panic!()
    };
    assert_eq!(
        *upper,
        UpperSpec::Icmp6 {
            icmp_type: Some(135),
            code: Some(0)
        }
    );
    assert_eq!(s.policy.action, Action::None);

    let s = spd("spdadd 0.0.0.0 0.0.0.0 gre 1234 -P out ipsec esp/transport//require ;");
    let SelectorSpec::Addresses { upper, .. } = &s.selector else {
        panic!()
    };
    assert_eq!(*upper, UpperSpec::Gre { key: Some(1234) });

    let s = spd("spdadd 10.0.11.41 10.0.11.33 any -ctx 1 1 \"system_u:system_r:unconfined_t:SystemLow-SystemHigh\" -P out ipsec esp/transport//require ;");
    assert_eq!(
        s.sec_ctx.as_ref().map(|c| c.label.as_str()),
        Some("system_u:system_r:unconfined_t:SystemLow-SystemHigh")
    );

    let s = spd("spdadd tagged \"pf-tag\" -P in prio high + 5 ipsec esp/transport//unique:3;");
    assert_eq!(s.selector, SelectorSpec::Tagged("pf-tag".into()));
    assert_eq!(s.policy.priority, Some(common::policy::PRIORITY_HIGH - 5));
    assert_eq!(
        (s.policy.requests[0].level, s.policy.requests[0].reqid),
        (Level::Unique, Some(3))
    );

    let s = spd("spdupdate -4 10.0.0.0/8 10.1.0.0/16 udp -P fwd prio -10 discard;");
    assert_eq!(s.opts_addr.family, FamilyFilter::Inet);
    assert_eq!(s.policy.priority, Some(PRIORITY_DEFAULT + 10));
    assert_eq!(s.policy.dir, Direction::Fwd);

    let s = spd("spddelete fec0:0:0:1::/64 fec0:0:0:2::/64 any -P out;");
    assert_eq!(
        (s.policy.dir, s.policy.action),
        (Direction::Out, Action::Discard)
    );

    // ICMP type and code ride in the ports.
    let s = spd("spdadd 0.0.0.0/0 0.0.0.0/0 icmp 8 -P in none;");
    let SelectorSpec::Addresses { src, dst, upper } = &s.selector else {
        panic!()
    };
    assert_eq!(
        (*upper, src.port, dst.port),
        (UpperSpec::Proto(1), Some(Port::new(8)), Some(Port::ANY))
    );
}

#[test]
fn parse_statement_takes_exactly_one() {
    let start = Pos { line: 5, col: 3 };
    let s = parse_statement("<stdin>", "flush; # done", start)
        .unwrap()
        .unwrap();
    assert_eq!((s.pos, s.command), (start, Command::Flush(None)));
    assert_eq!(parse_statement("<stdin>", " # nothing", start), Ok(None));
    assert_eq!(
        parse_statement("<stdin>", "flush; dump;", start)
            .unwrap_err()
            .to_string(),
        "<stdin>,5:10: syntax error: expected one statement only at `dump'"
    );
}

/// Every message the parser produces, with its position.
#[test]
fn error_messages() {
    let cases: &[(&str, &str)] = &[
        // Commands and statement ends.
        ("frobnicate;", "t,1:1: syntax error: expected a command (add, update, getspi, get, delete, deleteall, flush, dump, spdadd, spdupdate, spddelete, spdflush, spddump or exit) at `frobnicate'"),
        (";", "t,1:1: syntax error: expected a command (add, update, getspi, get, delete, deleteall, flush, dump, spdadd, spdupdate, spddelete, spdflush, spddump or exit) at `;'"),
        ("flush\nspdflush;", "t,2:1: syntax error: expected a protocol (esp, esp-old, esp-udp, ah, ah-old, ipcomp or tcp) or `;' at `spdflush'"),
        ("spdflush", "t,1:9: syntax error: expected `;', found the end of the file"),
        ("spddump now;", "t,1:9: syntax error: expected `;' at `now'"),
        ("exit now;", "t,1:6: syntax error: expected `;' at `now'"),
        // Lexical errors.
        ("add 10.0.0.1 10.0.0.2 esp 1 -m tunnel \\\n -E null;", "t,1:39: syntax error: `\\' does not continue a line in setkey.conf (a statement may span lines as it is, up to its `;')"),
        ("add 10.0.0.1 10.0.0.2 ah 1 -A hmac-md5 \"abc;", "t,1:40: syntax error: missing closing `\"'"),
        ("flush {;", "t,1:7: syntax error: unexpected character '{'"),
        // Addresses.
        ("add 10.0.0.1", "t,1:13: syntax error: expected the destination address, found the end of the file"),
        ("add 10.0.0.1 ::1 esp 1 -E null;", "t,1:14: source and destination are of different address families (IPv4 and IPv6) at `::1'"),
        ("add -4 ::1 ::2 esp 1 -E null;", "t,1:8: `::1' is an IPv6 address, but -4 allows only IPv4 at `::1'"),
        ("add -6 10.0.0.1 10.0.0.2 esp 1 -E null;", "t,1:8: `10.0.0.1' is an IPv4 address, but -6 allows only IPv6 at `10.0.0.1'"),
        ("add -n gw 10.0.0.2 esp 1 -E null;", "t,1:8: `gw` is not a numeric IPv4 or IPv6 address (-n forbids host names) at `gw'"),
        ("add -x 10.0.0.1 10.0.0.2 esp 1 -E null;", "t,1:5: unknown address option `-x'; expected -4, -6 or -n at `-x'"),
        ("add 10.0.0.1/24 10.0.0.2 esp 1 -E null;", "t,1:13: a prefix length is not allowed here at `/'"),
        ("add 10.0.0.1[x] 10.0.0.2 esp 1 -E null;", "t,1:14: port `x` must be a number (0-65535) or `any` at `x'"),
        ("deleteall 10.0.0.1[500] 10.0.0.2 esp;", "t,1:19: a port is not allowed here at `['"),
        ("spdadd 10.0.0.0/33 10.0.1.0/24 any -P out none;", "t,1:17: prefix length 33 out of range for IPv4 (0-32) at `33'"),
        ("spdadd 10.0.0.300 10.0.1.0/24 any -P out none;", "t,1:8: `10.0.0.300` is not a numeric IPv4 or IPv6 address at `10.0.0.300'"),
        ("spdadd any -P out ipsec", "t,1:8: syntax error: expected the source address at `any'"),
        // Protocols and SPIs.
        ("add 10.0.0.1 10.0.0.2 esb 1 -E null;", "t,1:23: syntax error: expected a protocol (esp, esp-old, esp-udp, ah, ah-old, ipcomp or tcp) at `esb'"),
        ("add 10.0.0.1 10.0.0.2 esp-udp 192.168.0.300 1 -E null;", "t,1:31: `192.168.0.300` is not a numeric IPv4 or IPv6 address at `192.168.0.300'"),
        ("add -n 10.0.0.1 10.0.0.2 esp-udp gw 1 -E null;", "t,1:34: `gw` is not a numeric IPv4 or IPv6 address (-n forbids host names) at `gw'"),
        ("add 10.0.0.1 10.0.0.2 esp-udp 192.168.0.1 -E null;", "t,1:43: syntax error: expected the SPI (a decimal number or 0x followed by hex digits) at `-E'"),
        ("add 10.0.0.1 10.0.0.2 esp-udp 192.168.0.1 192.168.0.2 1 -E null;", "t,1:43: syntax error: expected the SPI (a decimal number or 0x followed by hex digits) at `192.168.0.2'"),
        ("add 10.0.0.1 10.0.0.2 esp 192.168.0.1 1 -E null;", "t,1:27: syntax error: expected the SPI (a decimal number or 0x followed by hex digits) at `192.168.0.1'"),
        // getspi: add's grammar without the algorithms.
        ("getspi 10.0.0.1 10.0.0.2 esp;", "t,1:29: syntax error: expected the SPI (a decimal number or 0x followed by hex digits) at `;'"),
        ("getspi 10.0.0.1 10.0.0.2 0x100;", "t,1:26: syntax error: expected a protocol (esp, esp-old, esp-udp, ah, ah-old, ipcomp or tcp) at `0x100'"),
        ("getspi 10.0.0.1 10.0.0.2 esp 0x100 -E aes-cbc \"1234567890123456\";", "t,1:36: `-E' is not allowed with getspi at `-E'"),
        ("getspi 10.0.0.1 10.0.0.2 esp 0x100 -m both;", "t,1:39: syntax error: expected a mode (transport, tunnel or any) at `both'"),
        ("getspi 10.0.0.1 10.0.0.2 esp 0x100", "t,1:35: syntax error: expected an SA option (-m, -r, -u, -f, -lh, -ls, -bh, -bs, -ctx) or `;', found the end of the file"),
        ("getspi 10.0.0.1\n  fec0::1 esp 0;", "t,2:3: source and destination are of different address families (IPv4 and IPv6) at `fec0::1'"),
        ("add 10.0.0.1 10.0.0.2 esp spi -E null;", "t,1:27: syntax error: expected the SPI (a decimal number or 0x followed by hex digits) at `spi'"),
        ("add 10.0.0.1 10.0.0.2 esp 0x100000000 -E null;", "t,1:27: SPI 0x100000000 out of range (at most 0xffffffff) at `0x100000000'"),
        ("add 10.0.0.1 10.0.0.2 esp 4294967296 -E null;", "t,1:27: SPI 4294967296 out of range (at most 0xffffffff) at `4294967296'"),
        ("deleteall 10.0.0.1 10.0.0.2 esp 0x100;", "t,1:33: syntax error: expected `;' (deleteall takes no SPI: it deletes every esp SA between the two addresses) at `0x100'"),
        // SA options.
        ("add 10.0.0.1 10.0.0.2 esp 1 -m both -E null;", "t,1:32: syntax error: expected a mode (transport, tunnel or any) at `both'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -r x -E null;", "t,1:32: syntax error: expected the replay window size (a decimal number) at `x'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -r 4294967296 -E null;", "t,1:32: the replay window size 4294967296 out of range (0-4294967295) at `4294967296'"),
        ("add 10.0.0.1 10.0.0.2 esp-old 1 -r 4 -E des-cbc \"12345678\";", "t,1:33: replay prevention cannot be used with esp-old at `-r'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -u;", "t,1:31: syntax error: expected the reqid (a decimal number) at `;'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -f one-pad -E null;", "t,1:32: syntax error: expected zero-pad, random-pad, seq-pad or nocyclic-seq at `one-pad'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -lh 0x10 -E null;", "t,1:33: syntax error: expected the hard lifetime in seconds (a decimal number) at `0x10'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -bs 99999999999999999999 -E null;", "t,1:33: the soft lifetime in bytes 99999999999999999999 out of range (0-18446744073709551615) at `99999999999999999999'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -ctx 256 1 \"x\" -E null;", "t,1:34: the security context DOI 256 out of range (0-255) at `256'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -ctx 1 1 label -E null;", "t,1:38: syntax error: expected the security context label (a quoted string) at `label'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -x -E null;", "t,1:29: unknown SA option `-x'; expected -m, -r, -u, -f, -lh, -ls, -bh, -bs, -ctx, -E, -A or -C at `-x'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 tunnel;", "t,1:29: syntax error: expected an SA option (-m, -r, -u, -f, -lh, -ls, -bh, -bs, -ctx), an algorithm (-E, -A, -C) or `;' at `tunnel'"),
        ("get 10.0.0.1 10.0.0.2 esp 1 x;", "t,1:29: syntax error: expected an SA option (-m, -r, -u, -f, -lh, -ls, -bh, -bs, -ctx) or `;' at `x'"),
        ("get 10.0.0.1 10.0.0.2 esp 1 -E null;", "t,1:29: `-E' is not allowed with get at `-E'"),
        ("delete 10.0.0.1 10.0.0.2 ah 1 -A null;", "t,1:31: `-A' is not allowed with delete at `-A'"),
        // Algorithms.
        ("add 10.0.0.1 10.0.0.2 esp 1;", "t,1:28: syntax error: esp needs `-E ALGORITHM KEY' (`-E null' for no encryption) at `;'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -A hmac-md5 \"1234567890123456\";", "t,1:59: syntax error: esp needs `-E ALGORITHM KEY' (`-E null' for no encryption) at `;'"),
        ("add 10.0.0.1 10.0.0.2 ah 1 ;", "t,1:28: syntax error: ah needs `-A ALGORITHM KEY' at `;'"),
        ("add 10.0.0.1 10.0.0.2 tcp 0x1000 -A tcp-md5 \"TCP-MD5 BGP secret\";", "t,1:37: authentication algorithm `tcp-md5' is not supported on Linux at `tcp-md5'"),
        ("add 10.0.0.1 10.0.0.2 ipcomp 1;", "t,1:31: syntax error: ipcomp needs `-C ALGORITHM' at `;'"),
        ("add 10.0.0.1 10.0.0.2 ah 1 -E null;", "t,1:28: `-E' is not allowed with ah at `-E'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -C deflate;", "t,1:29: `-C' is not allowed with esp at `-C'"),
        ("add 10.0.0.1 10.0.0.2 ipcomp 1 -A null;", "t,1:32: `-A' is not allowed with ipcomp at `-A'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -E null -E null;", "t,1:37: `-E' given twice at `-E'"),
        ("add 10.0.0.1 10.0.0.2 ah 1 -A null -A null;", "t,1:36: `-A' given twice at `-A'"),
        ("add 10.0.0.1 10.0.0.2 ipcomp 1 -C deflate -C deflate;", "t,1:43: `-C' given twice at `-C'"),
        ("add 10.0.0.1 10.0.0.2 ipcomp 1 -R -C deflate;", "t,1:32: `-R' must follow `-C ALGORITHM' at `-R'"),
        ("add 10.0.0.1 10.0.0.2 ipcomp 1 -C oui;", "t,1:35: compression algorithm `oui' is not supported on Linux at `oui'"),
        ("add 10.0.0.1 10.0.0.2 ipcomp 1 -C zlib;", "t,1:35: unknown compression algorithm `zlib'; valid: deflate, oui, lzs at `zlib'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-16 0x3ffe050148193ffe050148193ffe050148193ffe -A hmac-sha1 \"12345678901234567890\";", "t,1:86: aes-gcm-16 authenticates by itself: `-A' is not allowed with it at `-A'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -E aes-cbc 0x0011223344556677;", "t,1:40: invalid key length for aes-cbc: 64 bits given, expected 128, 192 or 256 bits at `0x0011223344556677'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -E blowfish-cbc \"abcd\";", "t,1:45: invalid key length for blowfish-cbc: 32 bits given, expected 40 to 448 bits at `\"abcd\"'"),
        ("add 10.0.0.1 10.0.0.2 ah 1 -A keyed-md5 \"1234567890123456\";", "t,1:31: authentication algorithm `keyed-md5' is not supported on Linux at `keyed-md5'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -E null 0x00;", "t,1:37: null takes no key at `0x00'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -E aes-cbc;", "t,1:39: syntax error: expected the key for aes-cbc (\"text\" or 0x followed by hex digits) at `;'"),
        ("add 10.0.0.1 10.0.0.2 esp 1 -E aes-cbc 0x;", "t,1:40: syntax error: expected the key for aes-cbc (\"text\" or 0x followed by hex digits) at `0x'"),
        // Policies.
        ("spdadd 10.0.0.0/24 10.0.1.0/24 -P out none;", "t,1:32: syntax error: expected an upper-layer protocol (any, a protocol name or a number) at `-P'"),
        ("spdadd 10.0.0.0/24 10.0.1.0/24 any out none;", "t,1:36: syntax error: expected `-P' and a direction at `out'"),
        ("spdadd 10.0.0.0/24 10.0.1.0/24 any;", "t,1:35: syntax error: expected `-P' and a direction at `;'"),
        ("spdadd 10.0.0.0/24 10.0.1.0/24 foo -P out none;", "t,1:32: unknown upper-layer protocol `foo' at `foo'"),
        ("spdadd 10.0.0.0/24 10.0.1.0/24 any -P sideways none;", "t,1:39: syntax error: expected a direction (in, out or fwd) at `sideways'"),
        ("spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/tunnel//require;", "t,1:53: tunnel mode needs its end points: protocol/tunnel/SRC-DST/level at `tunnel'"),
        ("spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/transport//require ah;", "t,1:74: syntax error: expected `/' and a mode after `ah' (protocol/mode/src-dst/level) at `;'"),
        ("spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/transport//require\n  foo/transport//require;", "t,2:3: syntax error: expected a request (esp, ah or ipcomp/mode/src-dst/level) or `;' at `foo'"),
        ("spdadd tagged tag -P out none;", "t,1:15: syntax error: expected the tag (a quoted string) at `tag'"),
        ("spdadd 10.0.0.0/24 10.0.1.0/24 any -ctx 1 -P out none;", "t,1:43: syntax error: expected the security context algorithm (a decimal number) at `-P'"),
    ];
    for (text, message) in cases {
        assert_eq!(err(text), *message, "{text:?}");
    }
}
