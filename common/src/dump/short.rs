//! The one-line SA format of `setkey -D -l` (setkey.c's `shortdump_hdr` and `shortdump`).

use std::fmt;

use super::Clock;
use crate::addr::Address;
use crate::sa::{Sa, SaState, SaType};

/// Writes the header line `time p   s spi      ltime   src -> dst`.
pub fn short_header(out: &mut impl fmt::Write) -> fmt::Result {
    // `"%-4s %-3s %-1s %-8s %-7s %s -> %s\n"` with the column names.
    out.write_str("time p   s spi      ltime   src -> dst\n")
}

/// Writes one SA as a line: `MMSS p s spi age/hard src -> dst`, e.g.
/// `3921 esp M 00001002  45/600 10.0.0.1 -> 10.0.0.2`.
///
/// `MMSS` is the minute and second of now (UTC: the original took them from `time(0)`
/// modulo the hour, not from local time). The protocol is `ah` or `esp`, others `#N` by
/// PF_KEY SA type; the state one letter (`L`arval, `M`ature, `D`ying, `d`ead). The age
/// and the hard lifetime print as 3 digits, or `big` from 1000 on, and `???/???` when the
/// kernel sent no lifetimes. The original ignored `-p` here; SA addresses have port 0,
/// which it never printed.
pub fn short_sa(out: &mut impl fmt::Write, sa: &Sa, clock: &dyn Clock) -> fmt::Result {
    let now = clock.now();
    // `(u_long)(cur % 3600) / 60`: C's remainder keeps the sign, then the cast wraps.
    let minute = u64::from_ne_bytes((now % 3600).to_ne_bytes()) / 60;
    let second = u64::from_ne_bytes((now % 60).to_ne_bytes());
    write!(out, "{minute:02}{second:02}")?;

    let satype = match sa.satype {
        SaType::Ah | SaType::Esp => sa.satype.name().to_owned(),
        // PF_KEY's SADB_X_SATYPE_IPCOMP and SADB_X_SATYPE_TCPSIGNATURE.
        SaType::IpComp => "#9".to_owned(),
        SaType::TcpMd5 => "#11".to_owned(),
    };
    write!(out, " {satype:<3}")?;
    let state = match sa.state {
        SaState::Larval => "L",
        SaState::Mature => "M",
        SaState::Dying => "D",
        SaState::Dead => "d",
    };
    write!(out, " {state:<1} {:08x}", sa.spi)?;

    match &sa.current {
        Some(current) => {
            // The original kept both numbers in a 32-bit `u_int`.
            let age = match current.addtime {
                0 => 0,
                added => u64::from_ne_bytes(now.to_ne_bytes()).wrapping_sub(added) as u32,
            };
            if age >= 1000 {
                out.write_str(" big/")?;
            } else {
                write!(out, " {age:3}/")?;
            }
            let hard = sa.hard.addtime as u32;
            if hard >= 1000 {
                out.write_str("big")?;
            } else {
                write!(out, "{hard:<3}")?;
            }
        }
        None => out.write_str(" ???/???")?,
    }

    writeln!(
        out,
        " {} -> {}",
        Address::from(sa.src),
        Address::from(sa.dst)
    )
}
