//! Unsigned numbers in decimal and hex with one `write_str`: dumps print tens of
//! thousands of them, and `Display` for integers goes through the formatting machinery
//! (argument parsing, padding) for each.

use std::fmt;

/// Writes `n` in decimal, as `{n}` would.
pub fn write_u64(out: &mut dyn fmt::Write, n: u64) -> fmt::Result {
    let mut buf = [0u8; 20];
    let mut start = buf.len();
    let mut rest = n;
    loop {
        start -= 1;
        buf[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.write_str(std::str::from_utf8(&buf[start..]).map_err(|_| fmt::Error)?)
}

/// [`write_u64`] for the narrower types.
pub fn write_u32(out: &mut dyn fmt::Write, n: u32) -> fmt::Result {
    write_u64(out, u64::from(n))
}

/// Writes `n` as eight lowercase hex digits, as `%08x` would.
pub fn write_hex8(out: &mut dyn fmt::Write, n: u32) -> fmt::Result {
    let mut buf = [0u8; 8];
    for (i, digit) in buf.iter_mut().enumerate() {
        *digit = HEX[((n >> (28 - 4 * i)) & 0xf) as usize];
    }
    // Only ASCII hex digits were written.
    out.write_str(std::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
}

/// Lowercase hex digits by value.
pub const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_display_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 255, 65_535, 4_294_967_295, u64::MAX] {
            let mut text = String::new();
            write_u64(&mut text, n).unwrap();
            assert_eq!(text, n.to_string());
        }
        let mut text = String::new();
        write_u32(&mut text, 3_600).unwrap();
        assert_eq!(text, "3600");
    }

    #[test]
    fn hex8_as_printf_writes_it() {
        for n in [0, 0x1002, 0xdead_beef, u32::MAX] {
            let mut text = String::new();
            write_hex8(&mut text, n).unwrap();
            assert_eq!(text, format!("{n:08x}"));
        }
    }
}
