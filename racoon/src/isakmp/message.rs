//! A whole plaintext ISAKMP message: header and payload chain.

use super::error::{DecodeError, EncodeError, ErrorKind};
use super::payload::{decode_payloads, encode_payloads, Payload, Trailing};
use super::{Flags, Header};

/// A decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub header: Header,
    pub payloads: Vec<Payload>,
}

impl Message {
    /// Decodes one datagram (after the non-ESP marker on port 4500 is removed). The
    /// header's length must equal the datagram's, as racoon requires. An encrypted message
    /// is refused here: decrypt it with [`super::decrypt`] first.
    pub fn decode(datagram: &[u8]) -> Result<Message, DecodeError> {
        let header = Header::decode(datagram)?;
        if header.length as usize != datagram.len() {
            return Err(DecodeError {
                offset: 24,
                kind: ErrorKind::MessageLength {
                    header: header.length,
                    actual: datagram.len(),
                },
            });
        }
        if header.flags.contains(Flags::ENCRYPTION) {
            return Err(DecodeError {
                offset: 19,
                kind: ErrorKind::EncryptionFlag { encrypted: true },
            });
        }
        let body = datagram.get(Header::LEN..).unwrap_or_default();
        let payloads =
            decode_payloads(header.next_payload, body, Header::LEN, Trailing::Forbidden)?;
        Ok(Message { header, payloads })
    }

    /// Encodes the message. The header's next-payload and length fields are computed; every
    /// other header field is written as it stands, the encryption flag included.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(256);
        self.header.encode(&mut out);
        let first = encode_payloads(&self.payloads, &mut out)?;
        finish_header(&mut out, first)?;
        Ok(out)
    }

    /// The payloads of one type, in order.
    pub fn payloads_of(&self, ty: super::PayloadType) -> impl Iterator<Item = &Payload> {
        self.payloads.iter().filter(move |p| p.payload_type() == ty)
    }
}

/// Sets the next-payload and length fields of the header at the start of `out`.
pub(crate) fn finish_header(out: &mut [u8], first: super::PayloadType) -> Result<(), EncodeError> {
    let len = u32::try_from(out.len()).map_err(|_| EncodeError::TooLong {
        what: "message",
        length: out.len(),
        max: u32::MAX as usize,
    })?;
    if let Some(b) = out.get_mut(16) {
        *b = first.value();
    }
    if let Some(slot) = out.get_mut(24..28) {
        slot.copy_from_slice(&len.to_be_bytes());
    }
    Ok(())
}
