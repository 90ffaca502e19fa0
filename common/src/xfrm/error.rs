//! What can be wrong with a message the kernel (or a fuzzer) hands us.

use std::fmt;

/// A malformed or unrepresentable XFRM netlink message. Decoding never panics: every
/// length is checked against the bytes actually there, and this says which structure
/// was wrong, so a log line can point at the culprit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Fewer bytes than the structure needs.
    Short {
        what: &'static str,
        need: usize,
        have: usize,
    },
    /// A length field that is smaller than its own header or runs past its container.
    BadLength { what: &'static str, len: usize },
    /// A field whose value has no meaning here (an unknown address family, direction,
    /// mode or protocol).
    Invalid { what: &'static str, value: u64 },
    /// Well-formed, but naming something the model has no place for (an algorithm the
    /// table does not know, a BEET-mode SA).
    Unsupported { what: &'static str, detail: String },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Short { what, need, have } => {
                write!(f, "{what}: {have} bytes, need {need}")
            }
            DecodeError::BadLength { what, len } => write!(f, "{what}: bad length {len}"),
            DecodeError::Invalid { what, value } => write!(f, "{what}: invalid value {value}"),
            DecodeError::Unsupported { what, detail } => {
                write!(f, "{what}: not supported: {detail}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// A model value XFRM cannot express. Each maps to the errno the PF_KEY backend's
/// kernel would have answered with for the same request, so setkey reports the same
/// text whichever backend ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// Source and destination (or a tunnel's ends) of different families.
    FamilyMismatch,
    /// An SA type XFRM has no protocol for (TCP-MD5 is a socket option on Linux).
    SaType(crate::sa::SaType),
    /// An algorithm the table knows but Linux's XFRM does not (`keyed-md5`).
    Algorithm(&'static str),
    /// `spdadd tagged "name"`: packet-filter tags do not exist on Linux.
    Tagged,
}

impl EncodeError {
    /// EINVAL where Linux's af_key refuses the same thing, EOPNOTSUPP for what it
    /// cannot even name, ENOSYS for an algorithm with no kernel implementation (what
    /// af_key answers for an unknown algorithm id).
    pub fn errno(&self) -> i32 {
        match self {
            EncodeError::FamilyMismatch | EncodeError::SaType(_) => libc::EINVAL,
            EncodeError::Algorithm(_) => libc::ENOSYS,
            EncodeError::Tagged => libc::EOPNOTSUPP,
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::FamilyMismatch => f.write_str("addresses of different families"),
            EncodeError::SaType(t) => write!(f, "XFRM has no SA type {t}"),
            EncodeError::Algorithm(a) => write!(f, "XFRM has no algorithm {a}"),
            EncodeError::Tagged => f.write_str("tagged policies do not exist on Linux"),
        }
    }
}

impl std::error::Error for EncodeError {}

impl From<EncodeError> for crate::kernel::KernelError {
    fn from(e: EncodeError) -> crate::kernel::KernelError {
        crate::kernel::KernelError::new(e.errno())
    }
}
