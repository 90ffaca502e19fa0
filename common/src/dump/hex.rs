//! Keys in hex, as `ipsec_hexdump` in libipsec's key_debug.c writes them.

use std::fmt;

use crate::digits::HEX;

/// Bytes per output line before the dump wraps.
const LINE_BYTES: usize = 32;
/// Bytes per space-separated group.
const GROUP_BYTES: usize = 4;

/// Writes `key` as ` 0011aabb 2233ccdd ...`: every group of four bytes preceded by a space
/// (so the first group follows the algorithm name's own space: `E: aes-cbc  3031...`), and
/// a newline before every 32nd byte, so that a long key continues on a line that starts
/// with the group's space and no tab. No newline at the end: the caller writes it.
///
/// racoon's own `ipsec_hexdump.c` ends with a newline; setkey and racoonctl print through
/// libipsec's version, which does not, and that is the one the dumps show.
pub(super) fn write(out: &mut dyn fmt::Write, key: &[u8]) -> fmt::Result {
    for (i, byte) in key.iter().enumerate() {
        if i != 0 && i % LINE_BYTES == 0 {
            out.write_char('\n')?;
        }
        if i % GROUP_BYTES == 0 {
            out.write_char(' ')?;
        }
        let pair = [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]];
        // Only ASCII hex digits.
        out.write_str(std::str::from_utf8(&pair).map_err(|_| fmt::Error)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(key: &[u8]) -> String {
        let mut text = String::new();
        write(&mut text, key).unwrap();
        text
    }

    #[test]
    fn groups_and_wrapping() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0xab]), " ab");
        assert_eq!(hex(b"0123"), " 30313233");
        assert_eq!(hex(b"01234"), " 30313233 34");
        let key: Vec<u8> = (0..32).collect();
        assert_eq!(
            hex(&key),
            " 00010203 04050607 08090a0b 0c0d0e0f 10111213 14151617 18191a1b 1c1d1e1f"
        );
        let key: Vec<u8> = (0..36).collect();
        assert_eq!(
            hex(&key),
            " 00010203 04050607 08090a0b 0c0d0e0f 10111213 14151617 18191a1b 1c1d1e1f\n 20212223"
        );
        let key: Vec<u8> = (0..64).map(|i| i * 3).collect();
        assert_eq!(hex(&key).matches('\n').count(), 1);
        let key = [0u8; 65];
        assert_eq!(hex(&key).matches('\n').count(), 2);
        assert!(hex(&key).ends_with("\n 00"));
    }
}
