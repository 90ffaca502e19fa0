//! Codec and mapping tests: byte-exact vectors written out by hand from the C structs,
//! round trips, and every decoding error.

mod decode_errors;
mod mapping;
mod round_trip;
#[cfg(target_endian = "little")]
mod vectors;

/// Bytes from a hex string with blanks and newlines anywhere.
fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(|b| b.is_ascii_hexdigit()).collect();
    assert!(digits.len() % 2 == 0, "odd number of hex digits");
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}
