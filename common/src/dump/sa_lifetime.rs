//! The five lifetime lines of an SA (the `/* lifetime */` part of `pfkey_sadump1`).

use std::fmt;

use super::{ctime, Clock};
use crate::digits::{write_u32, write_u64};
use crate::sa::Lifetime;

/// Writes, with `\t` between fields:
///
/// ```text
/// \tcreated: Oct  2 09:22:44 2018\tcurrent: Oct  2 10:39:21 2018
/// \tdiff: 4597(s)\thard: 28800(s)\tsoft: 23040(s)
/// \tlast: Oct  2 09:22:45 2018\thard: 0(s)\tsoft: 0(s)
/// \tcurrent: 84(bytes)\thard: 0(bytes)\tsoft: 0(bytes)
/// \tallocated: 1\thard: 0\tsoft: 0
/// ```
///
/// The original printed this block only when the kernel sent a current lifetime; it
/// treated a missing hard or soft one as zeros, which is what the model's defaults hold.
pub(super) fn write(
    out: &mut dyn fmt::Write,
    current: &Lifetime,
    hard: &Lifetime,
    soft: &Lifetime,
    clock: &dyn Clock,
) -> fmt::Result {
    let now = clock.now();
    out.write_str("\tcreated: ")?;
    ctime::write(out, current.addtime, clock)?;
    out.write_str("\tcurrent: ")?;
    ctime::write(out, u64::from_ne_bytes(now.to_ne_bytes()), clock)?;
    out.write_char('\n')?;

    // `time_t - u64` in C: unsigned arithmetic, wrapping when the clock is behind.
    let diff = match current.addtime {
        0 => 0,
        added => u64::from_ne_bytes(now.to_ne_bytes()).wrapping_sub(added),
    };
    out.write_str("\tdiff: ")?;
    write_u64(out, diff)?;
    out.write_str("(s)\thard: ")?;
    write_u64(out, hard.addtime)?;
    out.write_str("(s)\tsoft: ")?;
    write_u64(out, soft.addtime)?;
    out.write_str("(s)\n")?;

    out.write_str("\tlast: ")?;
    ctime::write(out, current.usetime, clock)?;
    out.write_str("\thard: ")?;
    write_u64(out, hard.usetime)?;
    out.write_str("(s)\tsoft: ")?;
    write_u64(out, soft.usetime)?;
    out.write_str("(s)\n")?;

    out.write_str("\tcurrent: ")?;
    write_bytes(out, current.bytes)?;
    out.write_str("(bytes)\thard: ")?;
    write_bytes(out, hard.bytes)?;
    out.write_str("(bytes)\tsoft: ")?;
    write_bytes(out, soft.bytes)?;
    out.write_str("(bytes)\n")?;

    out.write_str("\tallocated: ")?;
    write_u32(out, current.allocations)?;
    out.write_str("\thard: ")?;
    write_u32(out, hard.allocations)?;
    out.write_str("\tsoft: ")?;
    write_u32(out, soft.allocations)?;
    out.write_char('\n')
}

/// Counts up to this convert to `double` exactly, so they print as integers do.
const EXACT_IN_DOUBLE: u64 = 1 << 53;

/// [`Bytes`], with the usual small counts written directly.
fn write_bytes(out: &mut dyn fmt::Write, count: u64) -> fmt::Result {
    if count <= EXACT_IN_DOUBLE {
        write_u64(out, count)
    } else {
        write!(out, "{}", Bytes(count))
    }
}

/// A byte count as `str_lifetime_byte` printed it: converted to `double` and printed with
/// `%.0f`. Counts past 2^53 lose their low bits exactly as they did in C
/// (`u64::MAX` prints `18446744073709551616`).
struct Bytes(u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Intended lossy conversion: it is what the original printed.
        #[allow(clippy::cast_precision_loss)]
        let value = self.0 as f64;
        write!(f, "{value:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_as_double() {
        assert_eq!(Bytes(0).to_string(), "0");
        assert_eq!(Bytes(84).to_string(), "84");
        assert_eq!(Bytes(4_608_000_000).to_string(), "4608000000");
        assert_eq!(Bytes(1 << 53).to_string(), "9007199254740992");
        assert_eq!(Bytes((1 << 53) + 1).to_string(), "9007199254740992");
        assert_eq!(Bytes(u64::MAX).to_string(), "18446744073709551616");
        for n in [0, 84, 1 << 53, (1 << 53) + 1, u64::MAX] {
            let mut text = String::new();
            write_bytes(&mut text, n).unwrap();
            assert_eq!(text, Bytes(n).to_string());
        }
    }
}
