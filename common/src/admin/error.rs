//! Why an admin message did not decode.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminError {
    /// Fewer bytes than the structure named needs.
    Short {
        what: &'static str,
        need: usize,
        got: usize,
    },
    /// The header's length is below the header's own size or beyond the bytes given.
    BadLength { declared: usize, available: usize },
    /// A `sockaddr_storage` of a family other than AF_INET, AF_INET6 or AF_UNSPEC.
    BadFamily(u16),
    /// A command code this protocol does not have.
    UnknownCommand(u16),
    /// A string field without its terminating NUL, or not UTF-8.
    BadString(&'static str),
    /// A length inside the payload that points past its end.
    BadInnerLength { what: &'static str, len: u64 },
}

impl fmt::Display for AdminError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdminError::Short { what, need, got } => {
                write!(f, "{what}: {got} bytes, {need} needed")
            }
            AdminError::BadLength {
                declared,
                available,
            } => write!(
                f,
                "admin message length {declared} does not fit {available} bytes"
            ),
            AdminError::BadFamily(n) => write!(f, "unsupported address family {n}"),
            AdminError::UnknownCommand(n) => write!(f, "unknown admin command 0x{n:04x}"),
            AdminError::BadString(what) => write!(f, "{what}: not a NUL-terminated string"),
            AdminError::BadInnerLength { what, len } => {
                write!(f, "{what}: length {len} beyond the message")
            }
        }
    }
}

impl std::error::Error for AdminError {}

/// `bytes[at..at+N]` or a [`AdminError::Short`].
pub(super) fn take<const N: usize>(
    bytes: &[u8],
    at: usize,
    what: &'static str,
) -> Result<[u8; N], AdminError> {
    bytes
        .get(at..at + N)
        .and_then(|s| <[u8; N]>::try_from(s).ok())
        .ok_or(AdminError::Short {
            what,
            need: at + N,
            got: bytes.len(),
        })
}

/// Fails unless `bytes` holds at least `need`.
pub(super) fn need(bytes: &[u8], need: usize, what: &'static str) -> Result<(), AdminError> {
    if bytes.len() < need {
        return Err(AdminError::Short {
            what,
            need,
            got: bytes.len(),
        });
    }
    Ok(())
}
