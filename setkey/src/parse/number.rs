//! Numbers as setkey.conf writes them: decimal runs and `0x` hex runs.
//!
//! Values come back as `u128`, saturated, so that any run of digits yields a number the
//! caller can range-check into its own type with a message, never an overflow.

use nom::bytes::complete::{tag_no_case, take_while1};
use nom::character::complete::digit1;
use nom::combinator::all_consuming;
use nom::sequence::preceded;
use nom::IResult;

fn fold(digits: &str, radix: u32) -> u128 {
    digits.chars().fold(0u128, |acc, c| {
        acc.saturating_mul(u128::from(radix))
            .saturating_add(u128::from(c.to_digit(radix).unwrap_or(0)))
    })
}

/// The digits after `0x`/`0X`, at least one, all hex.
fn hex_body(text: &str) -> IResult<&str, &str> {
    all_consuming(preceded(
        tag_no_case("0x"),
        take_while1(|c: char| c.is_ascii_hexdigit()),
    ))(text)
}

/// A run of ASCII decimal digits, leading zeros allowed (the original's `strtoul`).
pub(crate) fn decimal(text: &str) -> Option<u128> {
    all_consuming(digit1::<&str, ()>)(text)
        .ok()
        .map(|(_, d)| fold(d, 10))
}

/// `0x` followed by hex digits: the digits.
pub(crate) fn hex_digits(text: &str) -> Option<&str> {
    hex_body(text).ok().map(|(_, d)| d)
}

/// `0x` followed by hex digits: the value.
pub(crate) fn hex(text: &str) -> Option<u128> {
    hex_digits(text).map(|d| fold(d, 16))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_runs() {
        assert_eq!(decimal("0"), Some(0));
        assert_eq!(decimal("00042"), Some(42));
        assert_eq!(decimal("4294967296"), Some(4_294_967_296));
        assert_eq!(decimal(&"9".repeat(60)), Some(u128::MAX));
        for bad in ["", "-1", "+1", "1a", "0x10", " 1", "١"] {
            assert_eq!(decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hex_runs() {
        assert_eq!(hex("0x10"), Some(16));
        assert_eq!(hex("0XfF"), Some(255));
        assert_eq!(hex_digits("0x0abc"), Some("0abc"));
        assert_eq!(hex(&format!("0x{}", "f".repeat(40))), Some(u128::MAX));
        for bad in ["0x", "x10", "10", "0xg", "0x1 ", "0x-1"] {
            assert_eq!(hex(bad), None, "{bad:?}");
        }
    }
}
