//! Typed decode and encode errors. A decode error says what was wrong and at which byte
//! offset of the message (of the decrypted body, for encrypted messages), so the engine can
//! log the peer and the place and drop the packet; [`DecodeError::notify_type`] gives the
//! RFC 2408 notification a responder may send back.

use super::{IdType, NotifyType, PayloadType};
use std::fmt;

/// Why received bytes are not a valid ISAKMP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Offset from the first byte of the message (the ISAKMP header), or of the decrypted
    /// body when the message was encrypted.
    pub offset: usize,
    pub kind: ErrorKind,
}

/// What was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Fewer bytes than the structure needs.
    Truncated {
        what: &'static str,
        needed: usize,
        available: usize,
    },
    /// Bytes after a structure that should have ended.
    TrailingData { what: &'static str, bytes: usize },
    /// ISAKMP major version other than 1 (IKEv2 is 2).
    UnsupportedVersion { major: u8, minor: u8 },
    /// The header's length field disagrees with the datagram.
    MessageLength { header: u32, actual: usize },
    /// A payload's length field is shorter than its fixed part.
    PayloadTooShort {
        payload: PayloadType,
        length: u16,
        minimum: usize,
    },
    /// A payload's length field runs past the end of its enclosing message, SA or
    /// proposal.
    PayloadOverrun {
        payload: PayloadType,
        length: u16,
        available: usize,
    },
    /// A proposal or transform outside an SA, or something else inside one.
    MisplacedPayload {
        payload: PayloadType,
        inside: PayloadType,
    },
    /// A proposal's transform count disagrees with the transforms it holds.
    TransformCount { declared: u8, found: usize },
    /// An SA without proposals, or a proposal without transforms.
    Empty { what: &'static str },
    /// An SA payload of a DOI other than IPsec.
    UnsupportedDoi(u32),
    /// An IPsec DOI situation other than SIT_IDENTITY_ONLY.
    UnsupportedSituation(u32),
    /// A delete payload whose SPI count and size disagree with its length.
    SpiCount {
        count: u16,
        spi_size: u8,
        bytes: usize,
    },
    /// Identification data of the wrong length for its type.
    IdLength { id_type: IdType, length: usize },
    /// A NAT-OA payload with an ID type other than IPV4_ADDR or IPV6_ADDR.
    NatOaType(IdType),
    /// A payload the caller asked for as plaintext is encrypted, or the other way round.
    EncryptionFlag { encrypted: bool },
}

impl DecodeError {
    /// The notification a responder sends for this error (racoon sends few of them, and
    /// only after phase 1 is authenticated; the engine decides).
    pub fn notify_type(&self) -> NotifyType {
        match self.kind {
            ErrorKind::UnsupportedVersion { .. } => NotifyType::InvalidMajorVersion,
            ErrorKind::UnsupportedDoi(_) => NotifyType::DoiNotSupported,
            ErrorKind::UnsupportedSituation(_) => NotifyType::SituationNotSupported,
            ErrorKind::MisplacedPayload { .. }
            | ErrorKind::TransformCount { .. }
            | ErrorKind::Empty { .. } => NotifyType::BadProposalSyntax,
            ErrorKind::IdLength { .. } | ErrorKind::NatOaType(_) => {
                NotifyType::InvalidIdInformation
            }
            ErrorKind::MessageLength { .. } => NotifyType::UnequalPayloadLengths,
            ErrorKind::EncryptionFlag { .. } => NotifyType::InvalidFlags,
            _ => NotifyType::PayloadMalformed,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at offset {}: ", self.offset)?;
        match &self.kind {
            ErrorKind::Truncated {
                what,
                needed,
                available,
            } => write!(
                f,
                "truncated {what}: {needed} bytes needed, {available} left"
            ),
            ErrorKind::TrailingData { what, bytes } => {
                write!(f, "{bytes} bytes of trailing data after {what}")
            }
            ErrorKind::UnsupportedVersion { major, minor } => {
                write!(f, "unsupported ISAKMP version {major}.{minor}")
            }
            ErrorKind::MessageLength { header, actual } => {
                write!(f, "header says {header} bytes, datagram has {actual}")
            }
            ErrorKind::PayloadTooShort {
                payload,
                length,
                minimum,
            } => write!(
                f,
                "{payload} payload length {length} is less than its minimum {minimum}"
            ),
            ErrorKind::PayloadOverrun {
                payload,
                length,
                available,
            } => write!(
                f,
                "{payload} payload length {length} runs past the {available} bytes left"
            ),
            ErrorKind::MisplacedPayload { payload, inside } => {
                write!(f, "{payload} payload not allowed inside {inside}")
            }
            ErrorKind::TransformCount { declared, found } => write!(
                f,
                "proposal declares {declared} transforms but holds {found}"
            ),
            ErrorKind::Empty { what } => write!(f, "empty {what}"),
            ErrorKind::UnsupportedDoi(doi) => write!(f, "unsupported DOI {doi}"),
            ErrorKind::UnsupportedSituation(sit) => {
                write!(f, "unsupported situation {sit:#010x}")
            }
            ErrorKind::SpiCount {
                count,
                spi_size,
                bytes,
            } => write!(
                f,
                "{count} SPIs of {spi_size} bytes do not fill {bytes} bytes"
            ),
            ErrorKind::IdLength { id_type, length } => {
                write!(f, "{id_type} identification of {length} bytes")
            }
            ErrorKind::NatOaType(t) => write!(f, "NAT-OA with ID type {t}"),
            ErrorKind::EncryptionFlag { encrypted: true } => f.write_str("message is encrypted"),
            ErrorKind::EncryptionFlag { encrypted: false } => {
                f.write_str("message is not encrypted")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Why a message cannot be encoded: a field too long for its length field, or values that
/// contradict each other. Never produced for messages that came from [`super::Message::decode`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    TooLong {
        what: &'static str,
        length: usize,
        max: usize,
    },
    /// A delete payload SPI whose length differs from the payload's SPI size.
    SpiSize { spi_size: u8, found: usize },
    /// An attribute type that does not fit in 15 bits.
    AttributeType(u16),
    /// An algorithm row without a number in the space this attribute needs.
    NoWireValue {
        what: &'static str,
        algorithm: &'static str,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::TooLong { what, length, max } => {
                write!(f, "{what} of {length} bytes exceeds the maximum of {max}")
            }
            EncodeError::SpiSize { spi_size, found } => {
                write!(
                    f,
                    "SPI of {found} bytes in a payload of {spi_size}-byte SPIs"
                )
            }
            EncodeError::AttributeType(t) => write!(f, "attribute type {t} exceeds 15 bits"),
            EncodeError::NoWireValue { what, algorithm } => {
                write!(f, "{algorithm} has no {what} value")
            }
        }
    }
}

impl std::error::Error for EncodeError {}
