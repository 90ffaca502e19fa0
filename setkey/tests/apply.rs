//! The apply step against the in-memory kernel: batching, error reporting per line,
//! RFC-semantics fwd twins. Statements are built by hand here; the parser's own tests
//! cover the text.

use common::alg::{find_setkey, Class};
use common::kernel::memory::MemoryKernel;
use common::kernel::Op;
use common::policy::{Action, Direction, Level};
use common::sa::{Dumped, Mode, Sa, SaType};
use setkey::apply::{DumpPrinter, Executor, Source};
use setkey::ast::*;
use setkey::resolve::{resolve_all, Semantics, SystemResolver};

struct Terse;
impl DumpPrinter for Terse {
    fn sa(&self, e: &Dumped<Sa>, out: &mut String) {
        out.push_str(&format!(
            "{} {} {} {:#x}\n",
            e.entry.src, e.entry.dst, e.entry.satype, e.entry.spi
        ));
    }
    fn policy(&self, e: &Dumped<common::policy::Policy>, out: &mut String) {
        out.push_str(&format!("{} {}\n", e.entry.dir, e.entry.action.name()));
    }
}

fn host(t: &str, line: u32) -> HostSpec {
    HostSpec {
        text: t.into(),
        pos: Pos { line, col: 5 },
    }
}

fn add(line: u32, spi: u32) -> Statement {
    let alg = find_setkey(Class::Encrypt, "aes-cbc").unwrap();
    Statement {
        pos: Pos { line, col: 1 },
        command: Command::Add(SaSpec {
            opts_addr: AddrOpts::default(),
            src: host("10.0.0.1", line),
            dst: host("10.0.0.2", line),
            src_port: None,
            dst_port: None,
            proto: ProtoSpec {
                satype: SaType::Esp,
                old: false,
                udp_encap: false,
            },
            nat_oa: None,
            spi,
            opts: SaOpts {
                mode: Some(Mode::Tunnel),
                reqid: Some(7),
                ..Default::default()
            },
            algs: AlgSpec::Esp {
                enc: AlgKey {
                    alg,
                    key: vec![0x11; 16],
                    pos: Pos { line, col: 30 },
                },
                auth: None,
            },
        }),
    }
}

fn spdadd_in(line: u32) -> Statement {
    let prefix = |t: &str| PrefixSpec {
        host: host(t, line),
        prefix_len: Some(24),
        port: None,
    };
    Statement {
        pos: Pos { line, col: 1 },
        command: Command::SpdAdd(SpdSpec {
            opts_addr: AddrOpts::default(),
            selector: SelectorSpec::Addresses {
                src: prefix("172.16.2.0"),
                dst: prefix("172.16.1.0"),
                upper: UpperSpec::Any,
            },
            policy: PolicySpec {
                dir: Direction::In,
                priority: None,
                action: Action::Ipsec,
                requests: vec![RequestSpec {
                    proto: SaType::Esp,
                    mode: Mode::Tunnel,
                    tunnel: Some((host("192.168.2.100", line), host("192.168.1.100", line))),
                    level: Level::Unique,
                    reqid: Some(5),
                }],
            },
            sec_ctx: None,
        }),
    }
}

fn run(statements: &[Statement], rfc_fwd: bool) -> (MemoryKernel, String, String) {
    let steps = resolve_all("t.conf", statements, Semantics { rfc_fwd }, &SystemResolver).unwrap();
    let mut k = MemoryKernel::new();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    Executor {
        kernel: &mut k,
        printer: &Terse,
        source: Source::File("t.conf"),
        out: &mut out,
        err: &mut err,
    }
    .run(&steps)
    .unwrap();
    (
        k,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn consecutive_changes_form_one_batch_and_errors_name_their_line() {
    let (k, _, err) = run(&[add(1, 0x100), add(2, 0x100), add(3, 0x101)], true);
    assert_eq!(
        k.batches, 1,
        "three adds must reach the kernel as one batch"
    );
    assert_eq!(err, "setkey: t.conf,2: File exists\n");
    assert_eq!(k.sas.len(), 2);
    assert_eq!(k.sas[0].reqid, 7);
    assert_eq!(k.sas[0].mode, Mode::Tunnel);
}

#[test]
fn in_policy_gets_a_fwd_twin_under_rfc_semantics_with_unique_as_require() {
    let (k, _, err) = run(&[spdadd_in(4)], true);
    assert_eq!(err, "");
    let dirs: Vec<_> = k.policies.iter().map(|p| p.dir).collect();
    assert_eq!(dirs, [Direction::In, Direction::Fwd]);
    assert_eq!(k.policies[0].requests[0].level, Level::Unique);
    assert_eq!(k.policies[1].requests[0].level, Level::Require);
    assert_eq!(k.policies[1].requests[0].reqid, 5);
    assert_eq!(k.policies[0].priority, common::policy::PRIORITY_DEFAULT);

    let (k, _, _) = run(&[spdadd_in(4)], false);
    assert_eq!(
        k.policies.len(),
        1,
        "-k: kernel semantics add no fwd policy"
    );
}

#[test]
fn dump_prints_entries_and_says_when_there_are_none() {
    let dump = Statement {
        pos: Pos { line: 9, col: 1 },
        command: Command::Dump(None),
    };
    let flush = Statement {
        pos: Pos { line: 8, col: 1 },
        command: Command::Flush(None),
    };
    let (k, out, err) = run(&[add(1, 0x100), dump.clone(), flush, dump], true);
    assert_eq!(out, "10.0.0.1 10.0.0.2 esp 0x100\n");
    assert_eq!(err, "setkey: t.conf,9: No SAD entries\n");
    assert!(matches!(k.log.last(), Some(Op::FlushSa(None))));
    assert_eq!(k.batches, 2, "the dump flushes the pending batch first");
}

#[test]
fn looping_dump_prints_the_short_header_once_then_a_line_per_sa_each_round() {
    use common::dump::{DumpOptions, FixedClock};
    use setkey::run::{dump_forever, Ctx};
    let steps = resolve_all(
        "t.conf",
        &[add(1, 0x100)],
        Semantics { rfc_fwd: true },
        &SystemResolver,
    )
    .unwrap();
    let mut k = MemoryKernel::new();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    Executor {
        kernel: &mut k,
        printer: &Terse,
        source: Source::File("t.conf"),
        out: &mut out,
        err: &mut err,
    }
    .run(&steps)
    .unwrap();
    let clock = FixedClock::utc(3600 * 5 + 61);
    let opts = DumpOptions::new(&clock);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut cx = Ctx {
        name: "setkey",
        semantics: Semantics { rfc_fwd: true },
        resolver: &SystemResolver,
        printer: &Terse,
        out: &mut out,
        err: &mut err,
    };
    dump_forever(
        &mut cx,
        &mut k,
        false,
        &opts,
        Some(2),
        std::time::Duration::ZERO,
    )
    .unwrap();
    let line = "0101 esp M 00000100 ???/??? 10.0.0.1 -> 10.0.0.2\n";
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("time p   s spi      ltime   src -> dst\n{line}{line}")
    );
}

fn run_text(text: &str) -> (MemoryKernel, String, String) {
    let statements = setkey::parse::parse_str("t.conf", text).unwrap();
    run(&statements, true)
}

#[test]
fn getspi_leaves_a_larval_sa_with_the_mode_and_reqid_and_prints_nothing() {
    let (k, out, err) = run_text(
        "getspi 10.0.0.1 10.0.0.2 esp 0x1234 -m tunnel -u 9;\n\
         getspi 10.0.0.2 10.0.0.1 ah 0;\n",
    );
    assert_eq!((out.as_str(), err.as_str()), ("", ""));
    assert_eq!(k.sas.len(), 2);
    let sa = &k.sas[0];
    assert_eq!(
        (sa.satype, sa.spi, sa.mode, sa.reqid),
        (SaType::Esp, 0x1234, Mode::Tunnel, 9)
    );
    assert_eq!(sa.state, common::sa::SaState::Larval);
    // SPI 0: the kernel picks one in its own range.
    assert_eq!((k.sas[1].satype, k.sas[1].mode), (SaType::Ah, Mode::Any));
    assert!((0x100..=0x0fff_ffff).contains(&k.sas[1].spi));
}

#[test]
fn getspi_of_a_taken_spi_reports_what_the_original_printed() {
    // The original has no text for ENOENT after GETSPI and prints glibc's "(null)".
    let (k, _, err) = run_text(
        "getspi 10.0.0.1 10.0.0.2 esp 0x1234;\n\
         getspi 10.0.0.1 10.0.0.2 esp 0x1234;\n\
         getspi 10.0.0.1 10.0.0.2 esp 0x1235;\n",
    );
    assert_eq!(err, "setkey: t.conf,2: (null)\n");
    assert_eq!(k.sas.len(), 2, "the statement after the error still runs");
}

#[test]
fn esp_udp_carries_ports_defaulting_to_4500_and_the_nat_oa() {
    let (k, _, err) = run_text(
        "add 10.0.0.1[4501] 10.0.0.2 esp-udp 192.168.0.7 0x300 -E null;\n\
         add 10.0.0.2[any] 10.0.0.1[0] esp-udp 0x301 -E null;\n",
    );
    assert_eq!(err, "");
    let natt = k.sas[0].natt.unwrap();
    assert_eq!((natt.sport, natt.dport), (4501, 4500));
    assert_eq!(natt.original_address, Some("192.168.0.7".parse().unwrap()));
    let natt = k.sas[1].natt.unwrap();
    assert_eq!(
        (natt.sport, natt.dport, natt.original_address),
        (4500, 4500, None)
    );
}

#[test]
fn a_nat_oa_of_another_family_fails_the_file_before_the_kernel_sees_it() {
    let statements = setkey::parse::parse_str(
        "t.conf",
        "flush;\nadd 10.0.0.1 10.0.0.2 esp-udp fec0::7 0x300 -E null;\n",
    )
    .unwrap();
    let e = resolve_all(
        "t.conf",
        &statements,
        Semantics { rfc_fwd: true },
        &SystemResolver,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.conf,2:31: the NAT-OA has no IPv4 address, unlike the SA's addresses at `fec0::7'"
    );
}
