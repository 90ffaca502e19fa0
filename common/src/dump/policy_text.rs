//! A policy's rule as text (`ipsec_dump_policy1` and `ipsec_dump_ipsecrequest` in
//! ipsec_dump_policy.c): `fwd prio def ipsec` and its requests.

use std::fmt;
use std::net::IpAddr;

use crate::addr::Address;
use crate::digits::write_u32;
use crate::policy::{Action, Policy, Request, PRIORITY_DEFAULT, PRIORITY_HIGH, PRIORITY_LOW};
use crate::sa::SaType;

/// Request ids up to this were set by hand (`unique:N`) and print `:N`; above it the
/// kernel or racoon chose them and they print `#N` (KAME's `IPSEC_MANUAL_REQID_MAX`).
const MANUAL_REQID_MAX: u32 = 0x3fff;

/// Why the original could not print a policy; it printed `Policy:[message]` instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyTextError {
    /// A request for a protocol a policy cannot ask for (here: `tcp`): `EIPSEC_INVAL_PROTO`.
    InvalidProto,
}

impl fmt::Display for PolicyTextError {
    /// The `ipsec_strerror` message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PolicyTextError::InvalidProto => "Invalid ipsec protocol",
        })
    }
}

impl std::error::Error for PolicyTextError {}

/// The text `DIR [PRIO] ACTION`, then `delimiter` and one request per element of the
/// bundle: `out prio def ipsec\n\tesp/tunnel/10.0.0.1-10.0.0.2/require`. setkey uses
/// `"\n\t"` as the delimiter, racoon's log lines `" "`. `with_ports` is setkey's `-p`.
///
/// A per-socket policy's direction prints `in(socket)` / `out(socket)`, the names Linux's
/// PF_KEY directions 4 and 5 have in the original's table.
///
/// Like the original, builds the whole text first: a policy it could not print yields
/// only the error.
pub fn policy_text(
    policy: &Policy,
    delimiter: &str,
    with_ports: bool,
) -> Result<String, PolicyTextError> {
    printable(policy)?;
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = write_policy_text(&mut text, policy, delimiter, with_ports);
    Ok(text)
}

/// Whether the original could print `policy`: every request's protocol can be in one.
pub(super) fn printable(policy: &Policy) -> Result<(), PolicyTextError> {
    if policy
        .requests
        .iter()
        .any(|r| proto_name(r.proto).is_none())
    {
        return Err(PolicyTextError::InvalidProto);
    }
    Ok(())
}

/// [`policy_text`]'s text, written to `out`; a request [`printable`] refuses fails it.
pub(super) fn write_policy_text(
    out: &mut dyn fmt::Write,
    policy: &Policy,
    delimiter: &str,
    with_ports: bool,
) -> fmt::Result {
    out.write_str(policy.dir.name())?;
    if super::is_per_socket(policy) {
        out.write_str("(socket)")?;
    }
    out.write_char(' ')?;
    if let Some((base, operator, offset)) = priority(policy.priority) {
        out.write_str(base)?;
        if offset != 0 {
            write!(out, " {operator} {offset}")?;
        }
        out.write_char(' ')?;
    }
    out.write_str(policy.action.name())?;
    if policy.action != Action::Ipsec {
        return Ok(());
    }
    for request in &policy.requests {
        out.write_str(delimiter)?;
        write_request(out, request, with_ports)?;
    }
    Ok(())
}

/// The priority as the user would have written it: `prio def`, `prio low + 10`,
/// `prio high - 5`; `None` for priority 0, which prints nothing.
///
/// The original picked the nearest of the three bases (boundaries at 3/4 and 5/4 of the
/// default) and printed the base minus the priority: on Linux a lower number wins, so
/// `prio def + 10` was installed as `PRIORITY_DEFAULT - 10`.
fn priority(priority: u32) -> Option<(&'static str, char, u32)> {
    const HIGH_DEF_BOUNDARY: u32 = PRIORITY_DEFAULT / 4 * 3;
    const DEF_LOW_BOUNDARY: u32 = PRIORITY_DEFAULT / 4 * 5;
    let (name, base) = match priority {
        0 => return None,
        p if p < HIGH_DEF_BOUNDARY => ("prio high", PRIORITY_HIGH),
        p if p < DEF_LOW_BOUNDARY => ("prio def", PRIORITY_DEFAULT),
        _ => ("prio low", PRIORITY_LOW),
    };
    let offset = i64::from(base) - i64::from(priority);
    let operator = if offset < 0 { '-' } else { '+' };
    let magnitude = u32::try_from(offset.unsigned_abs()).unwrap_or(u32::MAX);
    Some((name, operator, magnitude))
}

/// `esp/tunnel/SRC-DST/require`, `esp/transport//unique:5`, `ah/tunnel/A-B/unique#16385`.
fn write_request(out: &mut dyn fmt::Write, request: &Request, with_ports: bool) -> fmt::Result {
    let proto = proto_name(request.proto).ok_or(fmt::Error)?;
    out.write_str(proto)?;
    out.write_char('/')?;
    out.write_str(request.mode.name())?;
    out.write_char('/')?;
    if let Some((src, dst)) = request.tunnel {
        write_tunnel_end(out, src, with_ports)?;
        out.write_char('-')?;
        write_tunnel_end(out, dst, with_ports)?;
    }
    out.write_char('/')?;
    out.write_str(request.level.name())?;
    match request.reqid {
        0 => return Ok(()),
        id if id > MANUAL_REQID_MAX => out.write_char('#')?,
        _ => out.write_char(':')?,
    }
    write_u32(out, request.reqid)
}

/// A tunnel end; with `-p` also its port, which the kernel reports as 0.
fn write_tunnel_end(out: &mut dyn fmt::Write, ip: IpAddr, with_ports: bool) -> fmt::Result {
    Address::from(ip).write(out)?;
    if with_ports {
        out.write_str("[0]")?;
    }
    Ok(())
}

/// The protocols a request may name; TCP-MD5 has no place in a policy bundle.
fn proto_name(proto: SaType) -> Option<&'static str> {
    match proto {
        SaType::Esp | SaType::Ah | SaType::IpComp => Some(proto.name()),
        SaType::TcpMd5 => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prio(p: u32) -> String {
        match priority(p) {
            None => String::new(),
            Some((name, _, 0)) => name.to_owned(),
            Some((name, op, n)) => format!("{name} {op} {n}"),
        }
    }

    #[test]
    fn priorities() {
        assert_eq!(prio(0), "");
        assert_eq!(prio(PRIORITY_DEFAULT), "prio def");
        assert_eq!(prio(PRIORITY_DEFAULT - 10), "prio def + 10");
        assert_eq!(prio(PRIORITY_DEFAULT + 10), "prio def - 10");
        assert_eq!(prio(PRIORITY_HIGH), "prio high");
        assert_eq!(prio(PRIORITY_HIGH + 5), "prio high - 5");
        assert_eq!(prio(PRIORITY_HIGH - 5), "prio high + 5");
        assert_eq!(prio(PRIORITY_LOW), "prio low");
        assert_eq!(prio(PRIORITY_LOW - 1), "prio low + 1");
        assert_eq!(prio(1), "prio high + 1073741823");
        assert_eq!(prio(0x5fff_ffff), "prio high - 536870911");
        assert_eq!(prio(0x6000_0000), "prio def + 536870912");
        assert_eq!(prio(0x9fff_ffff), "prio def - 536870911");
        assert_eq!(prio(0xa000_0000), "prio low + 536870912");
        assert_eq!(prio(u32::MAX), "prio low - 1073741823");
    }
}
