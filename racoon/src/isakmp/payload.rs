//! The payload chain of a message body: each generic header names the type of the payload
//! after it, the ISAKMP header names the first. [`RawPayloads`] walks the chain without
//! interpreting bodies, for the hashes that must cover exactly the bytes received
//! (SAi_b, IDii_b, the quick-mode HASH(1) input); [`Payload`] is the typed view.

use super::attr::Attribute;
use super::error::{DecodeError, EncodeError, ErrorKind};
use super::frame::{read_frame, write_frame};
use super::id::{decode_nat_oa, encode_nat_oa, Identification};
use super::notify::{Delete, Notification};
use super::reader::Reader;
use super::sa::SecurityAssociation;
use super::{CertEncoding, ConfigType, PayloadType};
use std::net::IpAddr;

/// One payload of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Sa(SecurityAssociation),
    /// A Diffie-Hellman public value.
    KeyExchange(Vec<u8>),
    Identification(Identification),
    Certificate {
        encoding: CertEncoding,
        data: Vec<u8>,
    },
    CertificateRequest {
        encoding: CertEncoding,
        /// A DER distinguished name, or empty for "any CA".
        authority: Vec<u8>,
    },
    Hash(Vec<u8>),
    Signature(Vec<u8>),
    Nonce(Vec<u8>),
    Notification(Notification),
    Delete(Delete),
    VendorId(Vec<u8>),
    /// The mode-cfg / XAuth attribute payload.
    Attributes {
        kind: ConfigType,
        identifier: u16,
        attributes: Vec<Attribute>,
    },
    /// A NAT discovery hash; `draft` selects payload type 130 instead of 20.
    NatD {
        draft: bool,
        hash: Vec<u8>,
    },
    /// A NAT original address; `draft` selects payload type 131 instead of 21.
    NatOa {
        draft: bool,
        addr: IpAddr,
    },
    /// A payload type this codec does not know, kept as received (RFC 2408 5.1 lets
    /// the engine decide whether that is INVALID-PAYLOAD-TYPE).
    Unknown {
        payload_type: u8,
        body: Vec<u8>,
    },
}

impl Payload {
    pub fn payload_type(&self) -> PayloadType {
        match self {
            Payload::Sa(_) => PayloadType::Sa,
            Payload::KeyExchange(_) => PayloadType::KeyExchange,
            Payload::Identification(_) => PayloadType::Identification,
            Payload::Certificate { .. } => PayloadType::Certificate,
            Payload::CertificateRequest { .. } => PayloadType::CertificateRequest,
            Payload::Hash(_) => PayloadType::Hash,
            Payload::Signature(_) => PayloadType::Signature,
            Payload::Nonce(_) => PayloadType::Nonce,
            Payload::Notification(_) => PayloadType::Notification,
            Payload::Delete(_) => PayloadType::Delete,
            Payload::VendorId(_) => PayloadType::VendorId,
            Payload::Attributes { .. } => PayloadType::Attribute,
            Payload::NatD { draft: false, .. } => PayloadType::NatD,
            Payload::NatD { draft: true, .. } => PayloadType::NatDDraft,
            Payload::NatOa { draft: false, .. } => PayloadType::NatOa,
            Payload::NatOa { draft: true, .. } => PayloadType::NatOaDraft,
            Payload::Unknown { payload_type, .. } => PayloadType::from(*payload_type),
        }
    }

    /// Decodes the body of a payload of type `ty`.
    fn decode_body(ty: PayloadType, raw: &RawPayload<'_>) -> Result<Payload, DecodeError> {
        let mut r = Reader::at(raw.body(), raw.offset + super::frame::GENERIC_LEN);
        let rest = |r: &mut Reader<'_>| r.rest().to_vec();
        let payload = match ty {
            PayloadType::Sa => Payload::Sa(SecurityAssociation::decode(&mut r)?),
            PayloadType::KeyExchange => Payload::KeyExchange(rest(&mut r)),
            PayloadType::Identification => Payload::Identification(Identification::decode(&mut r)?),
            PayloadType::Certificate => Payload::Certificate {
                encoding: CertEncoding::from(r.u8("certificate encoding")?),
                data: rest(&mut r),
            },
            PayloadType::CertificateRequest => Payload::CertificateRequest {
                encoding: CertEncoding::from(r.u8("certificate type")?),
                authority: rest(&mut r),
            },
            PayloadType::Hash => Payload::Hash(rest(&mut r)),
            PayloadType::Signature => Payload::Signature(rest(&mut r)),
            PayloadType::Nonce => Payload::Nonce(rest(&mut r)),
            PayloadType::Notification => Payload::Notification(Notification::decode(&mut r)?),
            PayloadType::Delete => Payload::Delete(Delete::decode(&mut r)?),
            PayloadType::VendorId => Payload::VendorId(rest(&mut r)),
            PayloadType::Attribute => {
                let kind = ConfigType::from(r.u8("attribute payload type")?);
                let _reserved = r.u8("attribute payload reserved")?;
                let identifier = r.u16("attribute payload identifier")?;
                Payload::Attributes {
                    kind,
                    identifier,
                    attributes: Attribute::decode_all(&mut r)?,
                }
            }
            PayloadType::NatD | PayloadType::NatDDraft => Payload::NatD {
                draft: ty == PayloadType::NatDDraft,
                hash: rest(&mut r),
            },
            PayloadType::NatOa | PayloadType::NatOaDraft => Payload::NatOa {
                draft: ty == PayloadType::NatOaDraft,
                addr: decode_nat_oa(&mut r)?,
            },
            PayloadType::Proposal | PayloadType::Transform | PayloadType::None => {
                return Err(DecodeError {
                    offset: raw.offset,
                    kind: ErrorKind::MisplacedPayload {
                        payload: ty,
                        inside: PayloadType::None,
                    },
                })
            }
            PayloadType::Unknown(payload_type) => Payload::Unknown {
                payload_type,
                body: rest(&mut r),
            },
        };
        r.finish("payload")?;
        Ok(payload)
    }

    fn encode_body(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match self {
            Payload::Sa(sa) => sa.encode(out)?,
            Payload::Identification(id) => id.encode(out),
            Payload::Certificate { encoding, data } => {
                out.push(encoding.value());
                out.extend_from_slice(data);
            }
            Payload::CertificateRequest {
                encoding,
                authority,
            } => {
                out.push(encoding.value());
                out.extend_from_slice(authority);
            }
            Payload::KeyExchange(d)
            | Payload::Hash(d)
            | Payload::Signature(d)
            | Payload::Nonce(d)
            | Payload::VendorId(d)
            | Payload::NatD { hash: d, .. }
            | Payload::Unknown { body: d, .. } => out.extend_from_slice(d),
            Payload::Notification(n) => n.encode(out)?,
            Payload::Delete(d) => d.encode(out)?,
            Payload::Attributes {
                kind,
                identifier,
                attributes,
            } => {
                out.extend_from_slice(&[kind.value(), 0]);
                out.extend_from_slice(&identifier.to_be_bytes());
                Attribute::encode_all(attributes, out)?;
            }
            Payload::NatOa { addr, .. } => encode_nat_oa(addr, out),
        }
        Ok(())
    }
}

/// One payload of the chain, undecoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawPayload<'a> {
    pub payload_type: PayloadType,
    /// Offset of the generic header in the buffer that was walked, plus the base given.
    pub offset: usize,
    /// The whole payload, generic header included.
    pub bytes: &'a [u8],
}

impl<'a> RawPayload<'a> {
    /// The payload without its generic header: what RFC 2409 calls `SAi_b`, `IDii_b`.
    pub fn body(&self) -> &'a [u8] {
        self.bytes
            .get(super::frame::GENERIC_LEN..)
            .unwrap_or_default()
    }

    /// Decodes the body.
    pub fn decode(&self) -> Result<Payload, DecodeError> {
        Payload::decode_body(self.payload_type, self)
    }
}

/// Iterator over the payload chain of a body; stops after the first error. Bytes after
/// the last payload are left for [`RawPayloads::remainder`]: padding in a decrypted body,
/// an error in a plaintext one.
pub struct RawPayloads<'a> {
    reader: Reader<'a>,
    next: PayloadType,
    failed: bool,
}

impl<'a> RawPayloads<'a> {
    /// Walks `body`, whose first payload is of type `first`; offsets in errors and payloads
    /// are counted from `base` (use [`super::Header::LEN`] for a message body).
    pub fn new(first: PayloadType, body: &'a [u8], base: usize) -> Self {
        RawPayloads {
            reader: Reader::at(body, base),
            next: first,
            failed: false,
        }
    }

    /// Bytes after the last payload, once the chain has ended.
    pub fn remainder(&self) -> usize {
        self.reader.remaining()
    }

    /// Offset just after the last payload read so far.
    pub fn offset(&self) -> usize {
        self.reader.offset()
    }
}

impl<'a> Iterator for RawPayloads<'a> {
    type Item = Result<RawPayload<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.next == PayloadType::None {
            return None;
        }
        let this = self.next;
        match read_frame(&mut self.reader, this, 0) {
            Ok(frame) => {
                self.next = frame.next;
                Some(Ok(RawPayload {
                    payload_type: this,
                    offset: frame.offset,
                    bytes: frame.bytes,
                }))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// Whether bytes may follow the last payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trailing {
    /// A plaintext message ends with its last payload.
    Forbidden,
    /// A decrypted body ends with cipher padding.
    Padding,
}

/// Decodes the chain of a message body into typed payloads.
pub fn decode_payloads(
    first: PayloadType,
    body: &[u8],
    base: usize,
    trailing: Trailing,
) -> Result<Vec<Payload>, DecodeError> {
    let mut chain = RawPayloads::new(first, body, base);
    let mut out = Vec::new();
    for raw in chain.by_ref() {
        out.push(raw?.decode()?);
    }
    if trailing == Trailing::Forbidden && chain.remainder() > 0 {
        return Err(DecodeError {
            offset: chain.offset(),
            kind: ErrorKind::TrailingData {
                what: "last payload",
                bytes: chain.remainder(),
            },
        });
    }
    Ok(out)
}

/// Appends the payloads as a chain and returns the type of the first, for the header.
pub fn encode_payloads(
    payloads: &[Payload],
    out: &mut Vec<u8>,
) -> Result<PayloadType, EncodeError> {
    for (i, p) in payloads.iter().enumerate() {
        let next = payloads
            .get(i + 1)
            .map_or(PayloadType::None, Payload::payload_type);
        write_frame(out, next, "payload", |out| p.encode_body(out))?;
    }
    Ok(payloads
        .first()
        .map_or(PayloadType::None, Payload::payload_type))
}
