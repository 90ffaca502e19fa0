//! The setkey -D / -DP text format, shared by setkey and racoonctl.
//!
//! Scripts parse this text, so it is reproduced byte for byte from ipsec-tools'
//! libipsec (`pfkey_dump.c`: `pfkey_sadump1`, `pfkey_spdump1`; `ipsec_dump_policy.c`;
//! `key_debug.c`: `ipsec_hexdump`) and setkey's `postproc` and `shortdump`, trailing
//! spaces and tabs included. Each function here names the part of the original it
//! follows; where the model cannot say what the kernel message said, the choice made is
//! documented at the spot.
//!
//! | text                                   | function         | original                   |
//! |----------------------------------------|------------------|----------------------------|
//! | one SA of `setkey -D`, `show-sa esp`   | [`sa`]           | `pfkey_sadump1`            |
//! | one policy of `setkey -DP`             | [`policy`]       | `pfkey_spdump1`            |
//! | the policy text (`in prio def ipsec…`) | [`policy_text`]  | `ipsec_dump_policy1`       |
//! | a whole `setkey -D` / `-DP`            | [`sa_table`], [`policy_table`] | `postproc` |
//! | one entry of it, as it arrives         | [`sa_entry`], [`policy_entry`] | `postproc` |
//! | `No SAD entries.` / `No SPD entries.`  | [`no_entries`]   | `postproc`                 |
//! | one line of `setkey -D -l`             | [`short_sa`], [`short_header`] | `shortdump` |
//!
//! Nothing here reads the clock or the time zone: [`DumpOptions::clock`] supplies both.

mod clock;
mod ctime;
mod hex;
mod names;
mod policy;
mod policy_text;
mod sa;
mod sa_lifetime;
mod short;
mod table;
#[cfg(test)]
mod tests;

pub use clock::{CachedClock, Clock, FixedClock, LocalTime, SystemClock};
pub use policy::{is_per_socket, policy};
pub use policy_text::{policy_text, PolicyTextError};
pub use sa::sa;
pub use short::{short_header, short_sa};
pub use table::{no_entries, policy_entry, policy_table, sa_entry, sa_table, Table};

/// How to print: setkey's flags that change the text, and where times come from.
#[derive(Clone, Copy)]
pub struct DumpOptions<'a> {
    /// `-p`: ports after every address (`pfkey_sadump_withports`,
    /// `ipsec_dump_policy_withports`).
    pub with_ports: bool,
    /// `-a`: include SAs in state `dead`, which a plain `setkey -D` skips.
    pub show_dead: bool,
    /// `-N`: leave out per-socket policies (the maintained fork's `-DPN`).
    pub hide_per_socket: bool,
    /// Set when the dump runs as a command from a file or stdin (`setkey -f`, `-c`): the
    /// line number the original put before a kernel error such as "No SAD entries."
    pub script_line: Option<u32>,
    /// The current time (`current:`, `diff:`) and the zone timestamps print in.
    pub clock: &'a dyn Clock,
}

impl<'a> DumpOptions<'a> {
    /// Plain `setkey -D` / `-DP`: no ports, no dead SAs, all policies.
    pub fn new(clock: &'a dyn Clock) -> DumpOptions<'a> {
        DumpOptions {
            with_ports: false,
            show_dead: false,
            hide_per_socket: false,
            script_line: None,
            clock,
        }
    }
}

impl std::fmt::Debug for DumpOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DumpOptions")
            .field("with_ports", &self.with_ports)
            .field("show_dead", &self.show_dead)
            .field("hide_per_socket", &self.hide_per_socket)
            .field("script_line", &self.script_line)
            .field("now", &self.clock.now())
            .finish()
    }
}
