//! psk.txt: pre-shared keys by peer identity.
//!
//! The format is the original's (`localconf.c`, `getpsk`), read line by line:
//!
//! ```text
//! # comment (only with `#` as the very first character)
//! 192.168.2.100          simple psk
//! 5.0.0.1                0xe10bd52b0529b54aac97db63462850f3
//! ralf@spenneberg.net    This is a psk for an email address
//! *                      the key for every identity not listed above
//! ```
//!
//! The identity runs to the first blank; the key is everything after the blanks that
//! follow, to the end of the line — inner and trailing spaces included, and a CR of a
//! CRLF file too, as the original used them (see [`PskFile::warnings`]). A key starting
//! `0x` is hex, with blanks allowed between the digits. The first line whose identity
//! matches, or is `*`, wins. Lines without a key are skipped.
//!
//! Parsing never fails; a malformed hex key fails only the lookup that reaches it,
//! exactly where the original failed.
//!
//! [`check_file_mode`] is the original's `safefile()` check, which racoon runs before
//! it reads the file.

mod file_mode;

use std::fmt;

pub use file_mode::{check_file_mode, check_file_mode_for, FileModeError};

/// One `identity key` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The identity as written: an address, FQDN, user@FQDN, a key id, or `*`.
    pub identity: Vec<u8>,
    /// The key text after the blanks, as written (without the newline).
    pub key_text: Vec<u8>,
    /// 1-based line number.
    pub line: u32,
}

impl Entry {
    /// The key bytes: the text itself, or the decoded hex of a `0x` key.
    pub fn key(&self) -> Result<Vec<u8>, PskError> {
        match self.key_text.strip_prefix(b"0x") {
            Some(hex) => decode_hex(hex).ok_or(PskError::BadHexKey { line: self.line }),
            None => Ok(self.key_text.clone()),
        }
    }
}

/// A parsed psk.txt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PskFile {
    pub entries: Vec<Entry>,
}

/// Why a lookup found no usable key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PskError {
    /// The matching line's `0x` key is not an even number of hex digits.
    BadHexKey { line: u32 },
}

impl fmt::Display for PskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PskError::BadHexKey { line } => write!(
                f,
                "line {line}: the key after `0x' must be an even number of hex digits"
            ),
        }
    }
}

impl std::error::Error for PskError {}

impl PskFile {
    /// Reads the lines of a psk.txt.
    pub fn parse(text: &[u8]) -> PskFile {
        let mut entries = Vec::new();
        for (index, line) in text.split(|&b| b == b'\n').enumerate() {
            if line.first() == Some(&b'#') {
                continue;
            }
            let Some(id_end) = line.iter().position(|&b| is_space(b)) else {
                continue;
            };
            let Some(key_start) = line[id_end..].iter().position(|&b| !is_space(b)) else {
                continue;
            };
            entries.push(Entry {
                identity: line[..id_end].to_vec(),
                key_text: line[id_end + key_start..].to_vec(),
                line: u32::try_from(index + 1).unwrap_or(u32::MAX),
            });
        }
        PskFile { entries }
    }

    /// The entry for `identity`: the first line naming it or `*`.
    pub fn entry(&self, identity: &[u8]) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.identity == identity || e.identity == b"*")
    }

    /// The key for `identity`; `Ok(None)` when no line matches.
    pub fn lookup(&self, identity: &[u8]) -> Result<Option<Vec<u8>>, PskError> {
        self.entry(identity).map(Entry::key).transpose()
    }

    /// Keys that probably do not say what their author meant: ending in blanks or a
    /// CR (which become part of the key, as with the original), or bad hex.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for e in &self.entries {
            if e.key_text.ends_with(b"\r") {
                warnings.push(format!(
                    "line {}: the key ends with a carriage return (CRLF line end), which is part of the key",
                    e.line
                ));
            } else if e.key_text.last().is_some_and(|&b| is_space(b)) {
                warnings.push(format!(
                    "line {}: the key ends with blanks, which are part of the key",
                    e.line
                ));
            }
            if let Err(err) = e.key() {
                warnings.push(err.to_string());
            }
        }
        warnings
    }
}

/// C's `isspace` in the C locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Hex digits with blanks between them, as the original's `str2val`: an even,
/// nonzero number of digits and nothing else.
fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .iter()
        .filter(|&&b| !is_space(b))
        .map(|&b| (b as char).to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    if digits.is_empty() || digits.len() % 2 != 0 {
        return None;
    }
    Some(digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_keys() {
        assert_eq!(decode_hex(b"e10b"), Some(vec![0xe1, 0x0b]));
        assert_eq!(decode_hex(b"e1 0b\r"), Some(vec![0xe1, 0x0b]));
        assert_eq!(decode_hex(b"e1 0"), None);
        assert_eq!(decode_hex(b""), None);
        assert_eq!(decode_hex(b"zz"), None);
    }
}
