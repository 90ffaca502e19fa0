//! Algorithms and keys: `-E ealgo key`, `-A aalgo key`, `-C calgo`.
//!
//! Names, key sizes and what Linux can install all come from the one algorithm table
//! (`common::alg`); this file only reads the tokens and turns the table's answers into
//! positioned errors.

use common::alg::{self, Algorithm, Class, KeyBits};

use super::cursor::Cursor;
use super::error::ParseError;
use super::lexer::{Kind, Token};
use super::number;
use crate::ast::AlgKey;

/// The algorithm named by `t` in slot `class`, if Linux can install it.
///
/// The original asked the kernel which algorithms it had while parsing and answered
/// "Not supported" for the rest (keyed-md5 and keyed-sha1 on Linux). Here the table
/// decides: an algorithm with no XFRM name has no Linux implementation behind either
/// kernel interface (KAME's keyed hashes, tcp-md5, the DERIV and 4-byte-IV DES
/// variants that Linux would silently install as plain DES, OUI compression).
pub(crate) fn algorithm(
    c: &Cursor<'_>,
    class: Class,
    t: &Token<'_>,
) -> Result<&'static Algorithm, ParseError> {
    let found = alg::find_setkey(class, t.text).map_err(|e| c.error_at(t, e.to_string()))?;
    if found.xfrm_name.is_none() {
        return Err(c.error_at(
            t,
            format!(
                "{} algorithm `{}' is not supported on Linux",
                class.adjective(),
                t.text
            ),
        ));
    }
    Ok(found)
}

/// Whether an algorithm takes no key at all (`null`).
pub(crate) fn is_keyless(alg: &Algorithm) -> bool {
    alg.key_bits == KeyBits::Fixed(&[0])
}

/// Whether a token could only be meant as a key.
pub(crate) fn looks_like_key(t: &Token<'_>) -> bool {
    t.kind == Kind::Quoted || (t.kind == Kind::Word && number::hex_digits(t.text).is_some())
}

/// The algorithm after `-E` or `-A` with its key, length checked.
pub(crate) fn alg_key(c: &mut Cursor<'_>, class: Class, what: &str) -> Result<AlgKey, ParseError> {
    let name = c.expect_word(what)?;
    let found = algorithm(c, class, &name)?;
    if is_keyless(found) {
        if let Some(t) = c.peek()?.filter(looks_like_key) {
            return Err(c.error_at(&t, format!("{} takes no key", name.text)));
        }
        return Ok(AlgKey {
            alg: found,
            key: Vec::new(),
            pos: name.pos,
        });
    }
    let expected = format!(
        "the key for {} (\"text\" or 0x followed by hex digits)",
        name.text
    );
    let t = match c.peek()? {
        Some(t) if looks_like_key(&t) => {
            c.next()?;
            t
        }
        _ => return Err(c.expected(&expected)),
    };
    let key = decode(&t);
    found
        .check_key_bytes(key.len())
        .map_err(|e| c.error_at(&t, e.to_string()))?;
    Ok(AlgKey {
        alg: found,
        key,
        pos: name.pos,
    })
}

/// The bytes of a key token: a quoted string as it is, or hex digits. An odd number of
/// digits gets a leading zero nibble, as the original's decoder did (`0xabc` is
/// `0a bc`).
fn decode(t: &Token<'_>) -> Vec<u8> {
    if t.kind == Kind::Quoted {
        return t.text.as_bytes().to_vec();
    }
    let digits = number::hex_digits(t.text).unwrap_or("");
    let nibbles: Vec<u8> = digits
        .chars()
        .filter_map(|d| d.to_digit(16))
        .filter_map(|d| u8::try_from(d).ok())
        .collect();
    let (head, pairs) = nibbles.split_at(nibbles.len() % 2);
    head.iter()
        .copied()
        .chain(
            pairs
                .chunks(2)
                .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0)),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Pos;

    fn run(text: &str, class: Class) -> Result<AlgKey, String> {
        let mut c = Cursor::new("t", text, Pos { line: 1, col: 1 });
        alg_key(&mut c, class, "an algorithm").map_err(|e| e.to_string())
    }

    #[test]
    fn keys_decode() {
        let k = run("hmac-md5 \"1234567890123456\"", Class::Auth).unwrap();
        assert_eq!(k.alg.name(), "hmac-md5");
        assert_eq!(k.key, b"1234567890123456");
        let k = run("des-cbc 0x0123456789ABCDEF", Class::Encrypt).unwrap();
        assert_eq!(k.key, [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
        // Odd digit count: the first digit is a byte of its own.
        let k = run("des-cbc 0x123456789abcdef", Class::Encrypt).unwrap();
        assert_eq!(k.key, [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
        let k = run("null", Class::Encrypt).unwrap();
        assert!(k.key.is_empty());
        let k = run(
            "aes-gcm-16 0x3ffe050148193ffe050148193ffe050148193ffe",
            Class::Encrypt,
        )
        .unwrap();
        assert_eq!(k.key.len(), 20);
        assert_eq!(
            run("rijndael-cbc \"1234567890123456\"", Class::Encrypt)
                .unwrap()
                .alg
                .name(),
            "aes-cbc"
        );
    }

    #[test]
    fn errors() {
        let cases = [
            (
                "aes-cbc 0x0011223344556677",
                Class::Encrypt,
                "t,1:9: invalid key length for aes-cbc: 64 bits given, expected 128, 192 or 256 bits at `0x0011223344556677'",
            ),
            (
                "keyed-md5 \"1234567890123456\"",
                Class::Auth,
                "t,1:1: authentication algorithm `keyed-md5' is not supported on Linux at `keyed-md5'",
            ),
            (
                "keyed-sha1 \"12341234123412341234\"",
                Class::Auth,
                "t,1:1: authentication algorithm `keyed-sha1' is not supported on Linux at `keyed-sha1'",
            ),
            (
                "des-deriv \"12341234\"",
                Class::Encrypt,
                "t,1:1: encryption algorithm `des-deriv' is not supported on Linux at `des-deriv'",
            ),
            (
                "aes-cbc kamekame",
                Class::Encrypt,
                "t,1:9: syntax error: expected the key for aes-cbc (\"text\" or 0x followed by hex digits) at `kamekame'",
            ),
            (
                "aes-cbc",
                Class::Encrypt,
                "t,1:8: syntax error: expected the key for aes-cbc (\"text\" or 0x followed by hex digits), found the end of the file",
            ),
            ("null 0x00", Class::Encrypt, "t,1:6: null takes no key at `0x00'"),
            (
                "null \"x\"",
                Class::Auth,
                "t,1:6: null takes no key at `\"x\"'",
            ),
        ];
        for (text, class, message) in cases {
            assert_eq!(run(text, class).unwrap_err(), message, "{text:?}");
        }
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let e = run("hmac-sha3 \"x\"", Class::Auth).unwrap_err();
        assert!(
            e.starts_with(
                "t,1:1: unknown authentication algorithm `hmac-sha3'; valid: hmac-md5, hmac-sha1,"
            ),
            "{e}"
        );
        assert!(e.ends_with(" at `hmac-sha3'"), "{e}");
        let e = run("rc5-cbc \"kamekame\"", Class::Encrypt).unwrap_err();
        assert!(
            e.starts_with("t,1:1: unknown encryption algorithm `rc5-cbc'; valid: des-cbc,"),
            "{e}"
        );
    }
}
