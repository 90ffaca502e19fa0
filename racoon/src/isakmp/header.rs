//! The fixed 28-byte ISAKMP header (RFC 2408 3.1). It travels in clear even when the rest of
//! the message is encrypted, so it decodes on its own.

use super::error::{DecodeError, ErrorKind};
use super::reader::Reader;
use super::{ExchangeType, PayloadType};

/// An initiator or responder cookie.
pub type Cookie = [u8; 8];

/// The header flags. Unknown bits are kept so that a re-encoded header is byte-exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(pub u8);

impl Flags {
    /// Everything after the header is encrypted with the phase-1 cipher.
    pub const ENCRYPTION: Flags = Flags(0x01);
    /// The commit bit of RFC 2408 3.1, used by some peers to delay SA use (quick mode).
    pub const COMMIT: Flags = Flags(0x02);
    /// Authentication only: the body is not encrypted (RFC 2408 3.1).
    pub const AUTH_ONLY: Flags = Flags(0x04);

    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn with(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }

    pub fn without(self, other: Flags) -> Flags {
        Flags(self.0 & !other.0)
    }
}

/// The ISAKMP header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub initiator_cookie: Cookie,
    pub responder_cookie: Cookie,
    /// Type of the first payload; [`super::Message::encode`] fills it in.
    pub next_payload: PayloadType,
    /// Always 1 for IKEv1; decoding refuses anything else.
    pub major_version: u8,
    /// 0 as sent; received values are kept, as RFC 2408 asks receivers to tolerate them.
    pub minor_version: u8,
    pub exchange: ExchangeType,
    pub flags: Flags,
    pub message_id: u32,
    /// Length of the whole message, header included; [`super::Message::encode`] fills it in.
    pub length: u32,
}

impl Header {
    /// Bytes of the header on the wire.
    pub const LEN: usize = 28;

    /// A version 1.0 header with the given identity; payload type and length are set when
    /// the message is encoded.
    pub fn new(
        initiator_cookie: Cookie,
        responder_cookie: Cookie,
        exchange: ExchangeType,
        flags: Flags,
        message_id: u32,
    ) -> Header {
        Header {
            initiator_cookie,
            responder_cookie,
            next_payload: PayloadType::None,
            major_version: 1,
            minor_version: 0,
            exchange,
            flags,
            message_id,
            length: Header::LEN as u32,
        }
    }

    /// Decodes the header at the start of `buf` without looking at the rest. Refuses major
    /// versions other than 1 and length fields shorter than the header; whether the length
    /// matches the datagram is [`super::Message::decode`]'s check.
    pub fn decode(buf: &[u8]) -> Result<Header, DecodeError> {
        let mut r = Reader::new(buf);
        let initiator_cookie = r.array("initiator cookie")?;
        let responder_cookie = r.array("responder cookie")?;
        let next_payload = PayloadType::from(r.u8("next payload")?);
        let version_at = r.offset();
        let version = r.u8("version")?;
        let exchange = ExchangeType::from(r.u8("exchange type")?);
        let flags = Flags(r.u8("flags")?);
        let message_id = r.u32("message id")?;
        let length_at = r.offset();
        let length = r.u32("length")?;
        let (major_version, minor_version) = (version >> 4, version & 0x0f);
        if major_version != 1 {
            return Err(DecodeError {
                offset: version_at,
                kind: ErrorKind::UnsupportedVersion {
                    major: major_version,
                    minor: minor_version,
                },
            });
        }
        if (length as usize) < Header::LEN {
            return Err(DecodeError {
                offset: length_at,
                kind: ErrorKind::MessageLength {
                    header: length,
                    actual: buf.len(),
                },
            });
        }
        Ok(Header {
            initiator_cookie,
            responder_cookie,
            next_payload,
            major_version,
            minor_version,
            exchange,
            flags,
            message_id,
            length,
        })
    }

    /// Appends the header as it stands.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.initiator_cookie);
        out.extend_from_slice(&self.responder_cookie);
        out.push(self.next_payload.value());
        out.push((self.major_version << 4) | (self.minor_version & 0x0f));
        out.push(self.exchange.value());
        out.push(self.flags.0);
        out.extend_from_slice(&self.message_id.to_be_bytes());
        out.extend_from_slice(&self.length.to_be_bytes());
    }
}
