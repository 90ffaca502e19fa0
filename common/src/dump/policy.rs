//! One policy as `setkey -DP` prints it (`pfkey_spdump1`).

use std::fmt;

use super::{ctime, names, policy_text, sa, DumpOptions};
use crate::addr::Selector;
use crate::digits::{write_u32, write_u64};
use crate::policy::{Policy, PolicySelector};
use crate::sa::Dumped;

/// Upper-layer protocols whose selector ports carry something else, printed after the
/// protocol name: ICMP, ICMPv6 and Mobility Header type and code, or a GRE key.
const ICMP: u8 = 1;
const GRE: u8 = 47;
const ICMPV6: u8 = 58;
const MH: u8 = 135;

/// Whether Linux made this policy for a socket (`setsockopt(IP_IPSEC_POLICY)`): such
/// policies carry a selector too, but their id's low three bits are 3 or more (the
/// kernel stores the direction there, offset by 3 for socket policies).
pub fn is_per_socket(policy: &Policy) -> bool {
    policy.id % 8 >= 3
}

/// Writes one policy block, every line ending in `\n`:
///
/// ```text
/// 10.2.0.0/24[any] 10.1.0.0/24[any] 255
/// \tfwd prio def ipsec
/// \tesp/tunnel/192.168.1.200-192.168.1.100/require
/// \tcreated: Oct  2 09:22:44 2018  lastused: Oct  2 09:22:45 2018
/// \tlifetime: 0(s) validtime: 0(s)
/// \tspid=98 seq=1 pid=707
/// \trefcnt=2
/// ```
///
/// The `created:` line needs the kernel's current lifetime and appears when the model
/// has one. The `lifetime:` line stands for the kernel's hard lifetime extension, which
/// the model cannot tell from zeros: it appears when the current lifetime does (Linux
/// sends both or neither) or when the hard limits are not all zero.
pub fn policy(
    out: &mut impl fmt::Write,
    entry: &Dumped<Policy>,
    opts: &DumpOptions<'_>,
) -> fmt::Result {
    write_policy(out, entry, opts)
}

fn write_policy(
    out: &mut dyn fmt::Write,
    entry: &Dumped<Policy>,
    opts: &DumpOptions<'_>,
) -> fmt::Result {
    let policy = &entry.entry;
    if is_per_socket(policy) {
        out.write_str("(per-socket policy) ")?;
    } else {
        match &policy.selector {
            PolicySelector::Addresses { src, dst, ul_proto } => {
                write_selector(out, src, dst, *ul_proto)?;
            }
            PolicySelector::Tagged(tag) => write!(out, "tagged \"{tag}\" ")?,
        }
    }

    out.write_str("\n\t")?;
    match policy_text::printable(policy) {
        Ok(()) => policy_text::write_policy_text(out, policy, "\n\t", opts.with_ports)?,
        Err(error) => write!(out, "Policy:[{error}]")?,
    }
    out.write_char('\n')?;

    if let Some(current) = &policy.current {
        out.write_str("\tcreated: ")?;
        ctime::write(out, current.addtime, opts.clock)?;
        out.write_str("  lastused: ")?;
        ctime::write(out, current.usetime, opts.clock)?;
        out.write_char('\n')?;
    }
    if policy.current.is_some() || !policy.hard.is_unlimited() {
        out.write_str("\tlifetime: ")?;
        write_u64(out, policy.hard.addtime)?;
        out.write_str("(s) validtime: ")?;
        write_u64(out, policy.hard.usetime)?;
        out.write_str("(s)\n")?;
    }
    if let Some(ctx) = &policy.sec_ctx {
        sa::write_sec_ctx(out, ctx)?;
    }
    out.write_str("\tspid=")?;
    write_u32(out, policy.id)?;
    out.write_str(" seq=")?;
    write_u32(out, entry.seq)?;
    out.write_str(" pid=")?;
    write_u32(out, entry.pid)?;
    out.write_str("\n\trefcnt=")?;
    write_u32(out, entry.refcnt)?;
    out.write_char('\n')
}

/// `SRC/PLEN[PORT] DST/PLEN[PORT] UPPER` and, for ICMP-like protocols with a type or
/// code, ` TYPE,CODE`, for GRE with a key, ` KEY` (`str_prefport`, `str_upperspec`).
fn write_selector(
    out: &mut dyn fmt::Write,
    src: &Selector,
    dst: &Selector,
    ul_proto: u8,
) -> fmt::Result {
    src.write_spd(out, ul_proto)?;
    out.write_char(' ')?;
    dst.write_spd(out, ul_proto)?;
    out.write_char(' ')?;
    match names::protocol(ul_proto) {
        Some(name) => out.write_str(name)?,
        None => write_u32(out, ul_proto.into())?,
    }
    let sport = src.port_or_any().get();
    let dport = dst.port_or_any().get();
    if sport == 0 && dport == 0 {
        return Ok(());
    }
    match ul_proto {
        ICMP | ICMPV6 | MH => write!(out, " {sport},{dport}"),
        GRE => write!(out, " {}", (u32::from(sport) << 16) + u32::from(dport)),
        _ => Ok(()),
    }
}
