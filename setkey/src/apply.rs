//! Runs resolved statements against a kernel and reports as the original does.
//!
//! Consecutive changes from many statements go to the kernel as one batch (loading
//! 10,000 SAs waits for the kernel once, not 10,000 times); each failure is still
//! reported against the line it came from, and later statements still run, because
//! the original goes on after a kernel error and exits 0.

use crate::resolve::{Resolved, Step};
use common::kernel::{Kernel, KernelError, Op};
use common::policy::Policy;
use common::sa::{Dumped, Sa};
use std::io::{self, Write};

const ENOENT: i32 = 2;

/// Turns dump entries into `setkey -D` / `-DP` text.
pub trait DumpPrinter {
    fn sa(&self, entry: &Dumped<Sa>, out: &mut String);
    fn policy(&self, entry: &Dumped<Policy>, out: &mut String);
}

/// Where statements come from, which decides how kernel errors are reported: from a
/// file `setkey: FILE,LINE: reason` on stderr; typed at `-c`, `reason.` on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    File(&'a str),
    Stdin,
}

/// What running the statements came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    /// Statements the kernel refused (reported, not fatal).
    pub kernel_errors: usize,
    /// An `exit`/`quit`/`bye` was reached.
    pub exited: bool,
}

/// The trait objects are `'static` (they own their data) so that the borrows can be
/// shorter than the objects: `&mut` makes a trait object's own lifetime invariant.
pub struct Executor<'a> {
    pub kernel: &'a mut (dyn Kernel + 'static),
    pub printer: &'a dyn DumpPrinter,
    pub source: Source<'a>,
    pub out: &'a mut (dyn Write + 'static),
    pub err: &'a mut (dyn Write + 'static),
}

/// What kind of request an error answers, for the original's wording of ENOENT.
#[derive(Clone, Copy)]
enum Asked {
    Change,
    Lookup,
    Dump,
    SpdDump,
    GetSpi,
}

impl Executor<'_> {
    pub fn run(&mut self, steps: &[Resolved]) -> io::Result<Outcome> {
        let mut outcome = Outcome::default();
        let mut batch: Vec<Op> = Vec::new();
        let mut lines: Vec<u32> = Vec::new();
        for r in steps {
            if let Step::Ops(ops) = &r.step {
                batch.extend(ops.iter().cloned());
                lines.extend(std::iter::repeat_n(r.pos.line, ops.len()));
                continue;
            }
            self.flush(&mut batch, &mut lines, &mut outcome)?;
            let line = r.pos.line;
            match &r.step {
                Step::Ops(_) => {}
                Step::Exit => {
                    outcome.exited = true;
                    return Ok(outcome);
                }
                Step::Get(ids) => {
                    for id in ids {
                        match self.kernel.get_sa(id) {
                            Ok(e) => self.print_sa(&e)?,
                            Err(e) => self.report(line, e, Asked::Lookup, &mut outcome)?,
                        }
                    }
                }
                Step::GetSpi(reqs) => {
                    for req in reqs {
                        if let Err(e) = self.kernel.reserve_spi(req) {
                            self.report(line, e, Asked::GetSpi, &mut outcome)?;
                        }
                    }
                }
                Step::Dump(t) => match self.kernel.dump_sa(*t) {
                    Ok(v) if v.is_empty() => {
                        self.report(line, KernelError::new(ENOENT), Asked::Dump, &mut outcome)?
                    }
                    Ok(v) => v.iter().try_for_each(|e| self.print_sa(e))?,
                    Err(e) => self.report(line, e, Asked::Dump, &mut outcome)?,
                },
                Step::SpdDump => match self.kernel.dump_policy(false) {
                    Ok(v) if v.is_empty() => {
                        self.report(line, KernelError::new(ENOENT), Asked::SpdDump, &mut outcome)?
                    }
                    Ok(v) => v.iter().try_for_each(|e| self.print_policy(e))?,
                    Err(e) => self.report(line, e, Asked::SpdDump, &mut outcome)?,
                },
                Step::DeleteAll { satype, pairs } => match self.kernel.dump_sa(Some(*satype)) {
                    Ok(v) => {
                        for e in v {
                            let sa = &e.entry;
                            if pairs.contains(&(sa.src, sa.dst)) {
                                batch.push(Op::DeleteSa(sa.id()));
                                lines.push(line);
                            }
                        }
                        self.flush(&mut batch, &mut lines, &mut outcome)?;
                    }
                    Err(e) => self.report(line, e, Asked::Change, &mut outcome)?,
                },
            }
        }
        self.flush(&mut batch, &mut lines, &mut outcome)?;
        Ok(outcome)
    }

    fn flush(
        &mut self,
        batch: &mut Vec<Op>,
        lines: &mut Vec<u32>,
        outcome: &mut Outcome,
    ) -> io::Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let results = self.kernel.apply(batch);
        for ((op, line), result) in batch.iter().zip(lines.iter()).zip(results) {
            if let Err(e) = result {
                let asked = match op {
                    Op::DeleteSa(_) | Op::DeletePolicy(_) => Asked::Lookup,
                    _ => Asked::Change,
                };
                self.report(*line, e, asked, outcome)?;
            }
        }
        batch.clear();
        lines.clear();
        Ok(())
    }

    fn report(
        &mut self,
        line: u32,
        e: KernelError,
        asked: Asked,
        outcome: &mut Outcome,
    ) -> io::Result<()> {
        outcome.kernel_errors += 1;
        let text = match (e.errno, asked) {
            (ENOENT, Asked::Lookup) => "No entry".to_owned(),
            (ENOENT, Asked::Dump) => "No SAD entries".to_owned(),
            (ENOENT, Asked::SpdDump) => "No SPD entries".to_owned(),
            // The original has no text for ENOENT on GETSPI (the SPI asked for is
            // taken) and hands printf a null pointer, which glibc prints so.
            (ENOENT, Asked::GetSpi) => "(null)".to_owned(),
            _ => e.to_string(),
        };
        match self.source {
            Source::File(f) => writeln!(self.err, "setkey: {f},{line}: {text}"),
            Source::Stdin => writeln!(self.out, "{text}."),
        }
    }

    fn print_sa(&mut self, e: &Dumped<Sa>) -> io::Result<()> {
        let mut s = String::new();
        self.printer.sa(e, &mut s);
        self.out.write_all(s.as_bytes())
    }

    fn print_policy(&mut self, e: &Dumped<Policy>) -> io::Result<()> {
        let mut s = String::new();
        self.printer.policy(e, &mut s);
        self.out.write_all(s.as_bytes())
    }
}
