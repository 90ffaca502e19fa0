//! Crypto errors. OpenSSL's error stack is kept as text: the engine only logs it.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CryptoError {
    /// The table row names an algorithm this module cannot run (Tiger, IDEA, RC5, ...).
    Unsupported { algorithm: &'static str },
    /// OpenSSL 3 keeps DES, Blowfish and CAST-128 in its legacy provider, which could
    /// not be loaded (is `ossl-modules/legacy.so` installed?).
    LegacyProviderUnavailable {
        algorithm: &'static str,
        detail: String,
    },
    /// A key of the wrong size for its cipher.
    KeyLength {
        algorithm: &'static str,
        bytes: usize,
    },
    /// An IV that is not one block long.
    IvLength { expected: usize, found: usize },
    /// Data for CBC without padding that is not a whole number of blocks.
    NotBlockAligned { length: usize, block: usize },
    /// A Diffie-Hellman public value that is not the prime's length.
    PublicValueLength { expected: usize, found: usize },
    /// A Diffie-Hellman public value outside 1 < y < p-1 (a small-subgroup or
    /// degenerate value that would make the shared secret predictable).
    PublicValueRange,
    /// An elliptic-curve public value that is not a point of the group's curve, or is
    /// its point at infinity (RFC 6989 section 2.3).
    InvalidCurvePoint,
    /// More keying material than the expansion can produce (255 PRF blocks).
    KeyMaterialTooLong { requested: usize },
    /// The random source failed.
    Random(String),
    /// OpenSSL reported an error.
    OpenSsl(String),
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CryptoError::Unsupported { algorithm } => {
                write!(f, "algorithm {algorithm} is not supported")
            }
            CryptoError::LegacyProviderUnavailable { algorithm, detail } => write!(
                f,
                "{algorithm} needs OpenSSL's legacy provider, which failed to load: {detail}"
            ),
            CryptoError::KeyLength { algorithm, bytes } => {
                write!(f, "invalid key length for {algorithm}: {bytes} bytes")
            }
            CryptoError::IvLength { expected, found } => {
                write!(f, "IV of {found} bytes, expected {expected}")
            }
            CryptoError::NotBlockAligned { length, block } => {
                write!(
                    f,
                    "{length} bytes is not a multiple of the {block}-byte block"
                )
            }
            CryptoError::PublicValueLength { expected, found } => write!(
                f,
                "Diffie-Hellman public value of {found} bytes, expected {expected}"
            ),
            CryptoError::PublicValueRange => {
                f.write_str("Diffie-Hellman public value out of range")
            }
            CryptoError::InvalidCurvePoint => {
                f.write_str("Diffie-Hellman public value is not a point on the curve")
            }
            CryptoError::KeyMaterialTooLong { requested } => {
                write!(f, "{requested} bytes of keying material requested")
            }
            CryptoError::Random(e) => write!(f, "random number generator failed: {e}"),
            CryptoError::OpenSsl(e) => write!(f, "OpenSSL: {e}"),
        }
    }
}

impl std::error::Error for CryptoError {}

impl From<openssl::error::ErrorStack> for CryptoError {
    fn from(e: openssl::error::ErrorStack) -> Self {
        CryptoError::OpenSsl(e.to_string())
    }
}
