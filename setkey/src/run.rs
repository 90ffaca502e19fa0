//! setkey's modes: a file (`-f`, or file operands), statements typed at `-c`, `-D`,
//! `-F`, each against a kernel, with the original's messages and exit statuses.

use crate::apply::{DumpPrinter, Executor, Source};
use crate::parse;
use crate::resolve::{resolve_all, Resolver, Semantics};
use common::dump::{self, DumpOptions, Table};
use common::kernel::{Kernel, KernelError, Op};
use std::fmt::Write as _;
use std::io::{self, BufRead, Write};

/// Everything a mode needs besides its input.
pub struct Ctx<'a> {
    /// `setkey` as invoked, for message prefixes.
    pub name: &'a str,
    pub semantics: Semantics,
    pub resolver: &'a dyn Resolver,
    pub printer: &'a dyn DumpPrinter,
    pub out: &'a mut (dyn Write + 'static),
    pub err: &'a mut (dyn Write + 'static),
}

/// Parses and resolves the whole file, then applies it (unless `kernel` is `None`, as
/// under `-n`). A syntax or resolution error anywhere leaves the kernel untouched and
/// exits 1; kernel refusals are reported per line and, as in the original, do not
/// change the exit status.
pub fn file(
    cx: &mut Ctx<'_>,
    kernel: Option<&mut (dyn Kernel + 'static)>,
    file: &str,
    text: &str,
) -> io::Result<u8> {
    let statements = match parse::parse_str(file, text) {
        Ok(s) => s,
        Err(e) => {
            writeln!(cx.err, "{}: {}", cx.name, e)?;
            writeln!(cx.err, "{}: {},{}: parse failed", cx.name, file, e.line)?;
            return Ok(1);
        }
    };
    let steps = match resolve_all(file, &statements, cx.semantics, cx.resolver) {
        Ok(s) => s,
        Err(e) => {
            writeln!(cx.err, "{}: {}", cx.name, e)?;
            writeln!(cx.err, "{}: {},{}: parse failed", cx.name, file, e.pos.line)?;
            return Ok(1);
        }
    };
    let Some(kernel) = kernel else {
        return Ok(0);
    };
    Executor {
        kernel,
        printer: cx.printer,
        source: Source::File(file),
        out: cx.out,
        err: cx.err,
    }
    .run(&steps)?;
    Ok(0)
}

/// `-c`: statements from standard input, each applied as soon as its `;` arrives;
/// errors are reported and reading goes on, until end of input or `exit`.
pub fn stdin(
    cx: &mut Ctx<'_>,
    mut kernel: Option<&mut (dyn Kernel + 'static)>,
    input: &mut dyn BufRead,
) -> io::Result<u8> {
    let mut reader = parse::StatementReader::new("<stdin>");
    let mut line = String::new();
    while !reader.is_done() {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            if let Some(e) = reader.finish() {
                writeln!(cx.out, "{e}")?;
            }
            return Ok(0);
        }
        for parsed in reader.push_line(&line) {
            let statement = match parsed {
                Ok(s) => s,
                Err(e) => {
                    writeln!(cx.out, "{e}")?;
                    continue;
                }
            };
            let steps = match resolve_all("<stdin>", &[statement], cx.semantics, cx.resolver) {
                Ok(s) => s,
                Err(e) => {
                    writeln!(cx.out, "{e}")?;
                    continue;
                }
            };
            if let Some(k) = kernel.as_deref_mut() {
                Executor {
                    kernel: k,
                    printer: cx.printer,
                    source: Source::Stdin,
                    out: cx.out,
                    err: cx.err,
                }
                .run(&steps)?;
            }
        }
    }
    Ok(0)
}

/// `-D` / `-DP`: the whole SAD or SPD as the original prints it (dead SAs only with
/// `-a`, per-socket policies hidden with `-N`: both decided by `opts`). Like the
/// original, each entry is printed as the kernel hands it over, so a dump of any size
/// runs in little memory; a kernel error ends it with the error's line.
pub fn dump(
    cx: &mut Ctx<'_>,
    kernel: &mut (dyn Kernel + 'static),
    policy: bool,
    opts: &DumpOptions<'_>,
) -> io::Result<u8> {
    let mut sink = Sink::new(&mut *cx.out);
    // Writing to a String cannot fail.
    let read = if policy {
        kernel.each_policy(!opts.hide_per_socket, &mut |e| {
            let _ = dump::policy_entry(&mut sink.text, &e, opts);
            sink.entry()
        })
    } else {
        kernel.each_sa(None, &mut |e| {
            let _ = dump::sa_entry(&mut sink.text, &e, opts);
            sink.entry()
        })
    };
    if let Some(e) = sink.failed.take() {
        return Err(e);
    }
    match read {
        Err(e) => {
            let _ = writeln!(sink.text, "{e}.");
        }
        Ok(()) if sink.entries == 0 => {
            let table = if policy { Table::Spd } else { Table::Sad };
            let _ = dump::no_entries(&mut sink.text, table, opts.script_line);
        }
        Ok(()) => {}
    }
    sink.out.write_all(sink.text.as_bytes())?;
    Ok(0)
}

/// Bytes of dump text gathered per write.
const CHUNK: usize = 32 * 1024;

/// Where a streamed dump's text goes: gathered in [`CHUNK`]s, then written.
struct Sink<'o> {
    out: &'o mut dyn Write,
    text: String,
    entries: usize,
    /// The write that failed; the dump is stopped with a stand-in kernel error.
    failed: Option<io::Error>,
}

impl<'o> Sink<'o> {
    fn new(out: &'o mut dyn Write) -> Sink<'o> {
        Sink {
            out,
            text: String::with_capacity(CHUNK + 4096),
            entries: 0,
            failed: None,
        }
    }

    /// Counts an entry whose text is in `text`, writing the chunk once it is full.
    fn entry(&mut self) -> Result<(), KernelError> {
        self.entries += 1;
        if self.text.len() < CHUNK {
            return Ok(());
        }
        let written = self.out.write_all(self.text.as_bytes());
        self.text.clear();
        written.map_err(|e| {
            let stop = KernelError::from(io::Error::from(e.kind()));
            self.failed = Some(e);
            stop
        })
    }
}

/// `-D -l`: the original's loop: the short header once, then every `pause` the table
/// again, SAs one line each (`-DP -l` prints policies in full), forever, or `rounds`
/// times for tests.
pub fn dump_forever(
    cx: &mut Ctx<'_>,
    kernel: &mut (dyn Kernel + 'static),
    policy: bool,
    opts: &DumpOptions<'_>,
    rounds: Option<u32>,
    pause: std::time::Duration,
) -> io::Result<u8> {
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = dump::short_header(&mut text);
    cx.out.write_all(text.as_bytes())?;
    let mut done = 0u32;
    loop {
        text.clear();
        if policy {
            let _ = match kernel.dump_policy(!opts.hide_per_socket) {
                Ok(v) => dump::policy_table(&mut text, &v, opts),
                Err(e) => writeln!(text, "{e}."),
            };
        } else {
            let _ = match kernel.dump_sa(None) {
                Ok(v) if v.is_empty() => writeln!(text, "No SAD entries."),
                Ok(v) => v
                    .iter()
                    .filter(|e| opts.show_dead || e.entry.state != common::sa::SaState::Dead)
                    .try_for_each(|e| dump::short_sa(&mut text, &e.entry, opts.clock)),
                Err(e) => writeln!(text, "{e}."),
            };
        }
        cx.out.write_all(text.as_bytes())?;
        cx.out.flush()?;
        done += 1;
        if rounds.is_some_and(|r| done >= r) {
            return Ok(0);
        }
        std::thread::sleep(pause);
    }
}

/// `-F` / `-FP`: empty the SAD or the SPD.
pub fn flush(
    cx: &mut Ctx<'_>,
    kernel: &mut (dyn Kernel + 'static),
    policy: bool,
) -> io::Result<u8> {
    let op = if policy {
        Op::FlushPolicy
    } else {
        Op::FlushSa(None)
    };
    if let Some(Err(e)) = kernel.apply(&[op]).into_iter().next() {
        report_kernel(cx, e)?;
    }
    Ok(0)
}

fn report_kernel(cx: &mut Ctx<'_>, e: KernelError) -> io::Result<()> {
    writeln!(cx.out, "{e}.")
}
