//! `setkey -D` / `-DP` print each entry as the kernel hands it over: the text is the
//! same as formatting the whole table at once, a kernel error part way leaves what was
//! printed and ends with the error's line, and a failed write stops the dump.

use common::dump::{self, DumpOptions, FixedClock};
use common::kernel::memory::MemoryKernel;
use common::kernel::{Kernel, KernelError};
use common::policy::Policy;
use common::sa::{Dumped, Sa};
use setkey::apply::{DumpPrinter, Executor, Source};
use setkey::resolve::{resolve_all, Semantics, SystemResolver};
use setkey::run::{dump, Ctx};
use std::io::{self, Write};

struct Unused;
impl DumpPrinter for Unused {
    fn sa(&self, _: &Dumped<Sa>, _: &mut String) {}
    fn policy(&self, _: &Dumped<Policy>, _: &mut String) {}
}

/// A kernel holding `n` tunnel policies and `n` SAs, loaded through setkey's own path.
fn loaded(n: u32) -> MemoryKernel {
    let mut text = String::new();
    for i in 0..n {
        let (a, b) = (i / 250, i % 250);
        text.push_str(&format!(
            "spdadd 10.{a}.{b}.0/24 10.200.{a}.{b} any -P out ipsec \
             esp/tunnel/192.168.0.1-192.168.0.2/require;\n\
             add 192.168.0.1 192.168.0.2 esp {} -m tunnel -E aes-cbc 0x{};\n",
            0x1000 + i,
            "11".repeat(16),
        ));
    }
    let statements = setkey::parse::parse_str("gen.conf", &text).unwrap();
    let steps = resolve_all(
        "gen.conf",
        &statements,
        Semantics { rfc_fwd: false },
        &SystemResolver,
    )
    .unwrap();
    let mut k = MemoryKernel::new();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    Executor {
        kernel: &mut k,
        printer: &Unused,
        source: Source::File("gen.conf"),
        out: &mut out,
        err: &mut err,
    }
    .run(&steps)
    .unwrap();
    assert_eq!((out, err), (vec![], vec![]));
    k
}

fn run_dump(
    k: &mut (dyn Kernel + 'static),
    policy: bool,
    out: &mut (dyn Write + 'static),
) -> io::Result<u8> {
    let clock = FixedClock::utc(1_700_000_000);
    let opts = DumpOptions::new(&clock);
    let mut err = Vec::new();
    let mut cx = Ctx {
        name: "setkey",
        semantics: Semantics { rfc_fwd: false },
        resolver: &SystemResolver,
        printer: &Unused,
        out,
        err: &mut err,
    };
    dump(&mut cx, k, policy, &opts)
}

fn whole(k: &mut MemoryKernel, policy: bool) -> String {
    let clock = FixedClock::utc(1_700_000_000);
    let opts = DumpOptions::new(&clock);
    let mut text = String::new();
    if policy {
        dump::policy_table(&mut text, &k.dump_policy(true).unwrap(), &opts).unwrap();
    } else {
        dump::sa_table(&mut text, &k.dump_sa(None).unwrap(), &opts).unwrap();
    }
    text
}

#[test]
fn a_streamed_dump_prints_what_the_whole_table_prints() {
    // 600 entries are some 85 kB of text or more: several of the dump's 32 kB writes.
    let mut k = loaded(600);
    for policy in [true, false] {
        let mut out = Vec::new();
        assert_eq!(run_dump(&mut k, policy, &mut out).unwrap(), 0);
        let text = String::from_utf8(out).unwrap();
        assert!(text.len() > 80_000, "{}", text.len());
        assert_eq!(text, whole(&mut k, policy));
        assert!(text.contains("seq=599 ") && text.contains("seq=0 "));
    }
}

#[test]
fn empty_tables_say_so() {
    let mut k = MemoryKernel::new();
    for (policy, said) in [(true, "No SPD entries.\n"), (false, "No SAD entries.\n")] {
        let mut out = Vec::new();
        run_dump(&mut k, policy, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), said);
    }
}

#[test]
fn a_kernel_error_part_way_keeps_what_was_printed_and_ends_with_the_reason() {
    let mut k = loaded(3);
    let first_two = {
        let clock = FixedClock::utc(1_700_000_000);
        let opts = DumpOptions::new(&clock);
        let mut text = String::new();
        for e in k.dump_policy(true).unwrap().iter().take(2) {
            dump::policy(&mut text, e, &opts).unwrap();
        }
        text
    };
    k.dump_fails_after = Some((2, KernelError::new(105)));
    let mut out = Vec::new();
    assert_eq!(run_dump(&mut k, true, &mut out).unwrap(), 0);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{first_two}No buffer space available.\n")
    );
}

/// Takes `room` bytes, then fails every write.
struct Full {
    room: usize,
}

impl Write for Full {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::Error::from_raw_os_error(28));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failed_write_stops_the_dump_with_its_error() {
    let mut k = loaded(600);
    let mut out = Full { room: 1000 };
    let e = run_dump(&mut k, true, &mut out).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(28), "{e}");
}
