//! The errors of the PF_KEY module: decoding bytes, encoding messages, mapping between
//! messages and the model, and opening the socket.

use std::fmt;

use crate::kernel::KernelError;

/// Why bytes are not a PF_KEY v2 message. `offset` is where in the message the problem
/// is, so a hex dump of a bad message can be read against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub offset: usize,
    pub kind: DecodeErrorKind,
}

/// What is wrong; see [`DecodeError`]. The checks are the kernel's own
/// (`pfkey_get_base_msg`, `parse_exthdrs`, `verify_*_len` in `net/key/af_key.c`), plus
/// the ones that make every field that is read lie inside its extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// Fewer bytes than a `sadb_msg` header (16).
    ShortMessage(usize),
    /// `sadb_msg_version` is not `PF_KEY_V2`.
    BadVersion(u8),
    /// `sadb_msg_type` is 0 or above `SADB_MAX`.
    BadType(u8),
    /// `sadb_msg_len` (in bytes here) disagrees with the bytes received.
    LengthMismatch { header: usize, actual: usize },
    /// Bytes left after the last extension that cannot hold an extension header.
    TrailingBytes(usize),
    /// An extension length below 8 bytes, beyond the message, or below the minimum of
    /// its type.
    BadExtLength { ext_type: u16, len: usize },
    /// Extension type 0 (`SADB_EXT_RESERVED`).
    ReservedExtType,
    /// A second extension of a type the kernel allows once.
    DuplicateExt(u16),
    /// A sockaddr of a family other than AF_INET / AF_INET6.
    UnsupportedFamily(u16),
    /// An extension whose own fields are inconsistent (a key longer than its extension,
    /// an address length that does not fit its family, ...).
    Invalid { ext_type: u16, reason: &'static str },
}

impl DecodeError {
    pub(crate) fn new(offset: usize, kind: DecodeErrorKind) -> DecodeError {
        DecodeError { offset, kind }
    }

    pub(crate) fn invalid(offset: usize, ext_type: u16, reason: &'static str) -> DecodeError {
        DecodeError::new(offset, DecodeErrorKind::Invalid { ext_type, reason })
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed PF_KEY message at byte {}: ", self.offset)?;
        match &self.kind {
            DecodeErrorKind::ShortMessage(n) => write!(f, "{n} bytes, shorter than a header"),
            DecodeErrorKind::BadVersion(v) => write!(f, "version {v}, expected 2"),
            DecodeErrorKind::BadType(t) => write!(f, "unknown message type {t}"),
            DecodeErrorKind::LengthMismatch { header, actual } => {
                write!(f, "header says {header} bytes, {actual} received")
            }
            DecodeErrorKind::TrailingBytes(n) => {
                write!(f, "{n} stray bytes after the last extension")
            }
            DecodeErrorKind::BadExtLength { ext_type, len } => {
                write!(f, "extension type {ext_type} has bad length {len}")
            }
            DecodeErrorKind::ReservedExtType => f.write_str("extension type 0"),
            DecodeErrorKind::DuplicateExt(t) => write!(f, "extension type {t} appears twice"),
            DecodeErrorKind::UnsupportedFamily(af) => write!(f, "address family {af}"),
            DecodeErrorKind::Invalid { ext_type, reason } => {
                write!(f, "extension type {ext_type}: {reason}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// A message too large for PF_KEY's 16-bit length fields (in 8-byte units: 512 KiB for
/// a message or an extension, 64 KiB for an ipsecrequest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeError {
    pub what: &'static str,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PF_KEY {} too long for its length field", self.what)
    }
}

impl std::error::Error for EncodeError {}

/// Why a model value cannot become a PF_KEY message, or a message a model value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapError {
    /// Something PF_KEY on Linux cannot express: a TCP-MD5 SA, a tagged policy, a
    /// replay window over 255, BEET mode.
    Unsupported(String),
    /// An algorithm Linux's PF_KEY cannot install (no id, an AEAD, KAME flags).
    NotInstallable(&'static str),
    /// An algorithm id the table does not know.
    UnknownAlgorithm {
        class: crate::alg::Class,
        id: u8,
    },
    /// A message without an extension its type needs.
    Missing(&'static str),
    /// A value out of range for the model (unknown SA type, direction, level...).
    Invalid(String),
    Encode(EncodeError),
}

impl MapError {
    /// The errno an [`crate::kernel::Op`] that fails here reports, as if the kernel had
    /// refused it: EOPNOTSUPP for what PF_KEY cannot do, EINVAL otherwise.
    pub fn errno(&self) -> i32 {
        match self {
            MapError::Unsupported(_) | MapError::NotInstallable(_) => libc::EOPNOTSUPP,
            MapError::Encode(_) => libc::EMSGSIZE,
            _ => libc::EINVAL,
        }
    }
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MapError::Unsupported(what) => write!(f, "not supported over PF_KEY: {what}"),
            MapError::NotInstallable(alg) => {
                write!(
                    f,
                    "algorithm {alg} cannot be installed over PF_KEY on Linux"
                )
            }
            MapError::UnknownAlgorithm { class, id } => {
                write!(f, "unknown {} algorithm id {id}", class.adjective())
            }
            MapError::Missing(what) => write!(f, "PF_KEY message without {what}"),
            MapError::Invalid(what) => f.write_str(what),
            MapError::Encode(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for MapError {}

impl From<EncodeError> for MapError {
    fn from(e: EncodeError) -> MapError {
        MapError::Encode(e)
    }
}

impl From<MapError> for KernelError {
    fn from(e: MapError) -> KernelError {
        KernelError::new(e.errno())
    }
}

/// Why an AF_KEY socket could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// The kernel has no AF_KEY (built without `CONFIG_NET_KEY`, or `af_key` not
    /// loadable): use the XFRM backend.
    Unavailable,
    /// AF_KEY exists but needs CAP_NET_ADMIN.
    PermissionDenied,
    /// Any other failure of socket(2) or setsockopt(2).
    Os(KernelError),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Unavailable => f.write_str(
                "PF_KEY (AF_KEY) is not available in this kernel (CONFIG_NET_KEY); use the XFRM backend",
            ),
            OpenError::PermissionDenied => {
                f.write_str("PF_KEY socket: Operation not permitted (CAP_NET_ADMIN needed)")
            }
            OpenError::Os(e) => write!(f, "PF_KEY socket: {e}"),
        }
    }
}

impl std::error::Error for OpenError {}

impl From<OpenError> for KernelError {
    fn from(e: OpenError) -> KernelError {
        match e {
            OpenError::Unavailable => KernelError::new(libc::EAFNOSUPPORT),
            OpenError::PermissionDenied => KernelError::new(libc::EPERM),
            OpenError::Os(e) => e,
        }
    }
}
