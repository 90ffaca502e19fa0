//! Whole dumps: the entries in the order the kernel sent them, or the empty-table message
//! (setkey's `postproc`).

use std::fmt;

use super::{is_per_socket, policy, sa, DumpOptions};
use crate::policy::Policy;
use crate::sa::{Dumped, Sa, SaState};

/// Which table a dump is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// The SA database: `setkey -D`.
    Sad,
    /// The policy database: `setkey -DP`.
    Spd,
}

/// Writes `No SAD entries.` or `No SPD entries.` and a newline: what setkey printed when
/// the kernel answered a dump with ENOENT. From a script (`setkey -f`, `-c`) the original
/// put `The result of line N: ` before it.
pub fn no_entries(
    out: &mut impl fmt::Write,
    table: Table,
    script_line: Option<u32>,
) -> fmt::Result {
    if let Some(line) = script_line {
        write!(out, "The result of line {line}: ")?;
    }
    out.write_str(match table {
        Table::Sad => "No SAD entries.\n",
        Table::Spd => "No SPD entries.\n",
    })
}

/// Writes a whole `setkey -D`: each SA in the order given, which must be the order the
/// kernel sent them (scripts see the same order the original showed), with nothing
/// between blocks. SAs in state `dead` are left out unless [`DumpOptions::show_dead`]
/// (`-a`). An empty table prints `No SAD entries.`; a table whose every entry was
/// left out prints nothing, as the original did (the kernel had sent entries).
pub fn sa_table(
    out: &mut impl fmt::Write,
    entries: &[Dumped<Sa>],
    opts: &DumpOptions<'_>,
) -> fmt::Result {
    if entries.is_empty() {
        return no_entries(out, Table::Sad, opts.script_line);
    }
    entries.iter().try_for_each(|e| sa_entry(out, e, opts))
}

/// One entry of [`sa_table`]: the SA, or nothing if it is dead and not asked for.
pub fn sa_entry(
    out: &mut impl fmt::Write,
    entry: &Dumped<Sa>,
    opts: &DumpOptions<'_>,
) -> fmt::Result {
    if opts.show_dead || entry.entry.state != SaState::Dead {
        sa(out, entry, opts)?;
    }
    Ok(())
}

/// Writes a whole `setkey -DP`, policies in the order given (the kernel's), leaving out
/// per-socket ones under [`DumpOptions::hide_per_socket`] (`-N`). An empty table prints
/// `No SPD entries.`.
pub fn policy_table(
    out: &mut impl fmt::Write,
    entries: &[Dumped<Policy>],
    opts: &DumpOptions<'_>,
) -> fmt::Result {
    if entries.is_empty() {
        return no_entries(out, Table::Spd, opts.script_line);
    }
    entries.iter().try_for_each(|e| policy_entry(out, e, opts))
}

/// One entry of [`policy_table`]: the policy, or nothing if it is per-socket and those
/// are hidden.
pub fn policy_entry(
    out: &mut impl fmt::Write,
    entry: &Dumped<Policy>,
    opts: &DumpOptions<'_>,
) -> fmt::Result {
    if !(opts.hide_per_socket && is_per_socket(&entry.entry)) {
        policy(out, entry, opts)?;
    }
    Ok(())
}
