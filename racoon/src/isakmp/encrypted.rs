//! Encrypted messages (RFC 2408 3.1 E flag, RFC 2409 appendix B): everything after the
//! header is CBC-encrypted with the phase-1 cipher. The IV is the caller's state: the
//! first of an exchange comes from `crypto::phase1_iv` or `crypto::message_iv`, and each
//! message's last ciphertext block, returned here, is the IV of the next one.
//!
//! Padding follows racoon's defaults: 1 to one block of zero bytes whose last byte holds
//! the padding length minus one (`exclusive_tail`). On receipt padding is not checked,
//! as with racoon's default `strict_check off`; the payload chain says where it begins.

use super::error::{DecodeError, EncodeError, ErrorKind};
use super::message::finish_header;
use super::payload::{decode_payloads, encode_payloads, Trailing};
use super::{Flags, Header, Message};
use crate::crypto::{Cipher, CryptoError};
use std::fmt;

/// Why an encrypted message could not be opened or sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncryptedError {
    Decode(DecodeError),
    Encode(EncodeError),
    Crypto(CryptoError),
}

impl fmt::Display for EncryptedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncryptedError::Decode(e) => e.fmt(f),
            EncryptedError::Encode(e) => e.fmt(f),
            EncryptedError::Crypto(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for EncryptedError {}

impl From<DecodeError> for EncryptedError {
    fn from(e: DecodeError) -> Self {
        EncryptedError::Decode(e)
    }
}

impl From<EncodeError> for EncryptedError {
    fn from(e: EncodeError) -> Self {
        EncryptedError::Encode(e)
    }
}

impl From<CryptoError> for EncryptedError {
    fn from(e: CryptoError) -> Self {
        EncryptedError::Crypto(e)
    }
}

/// A decrypted message before payload decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted {
    pub header: Header,
    /// The plaintext after the header, padding included; walk it with
    /// [`super::RawPayloads`] (offsets from [`Header::LEN`]).
    pub body: Vec<u8>,
    /// The last ciphertext block: the IV for the next message of this exchange.
    pub next_iv: Vec<u8>,
}

/// An encrypted datagram ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encrypted {
    pub datagram: Vec<u8>,
    /// The last ciphertext block: the IV for the next message of this exchange.
    pub next_iv: Vec<u8>,
}

/// Decrypts the body of a datagram whose header has the E flag.
pub fn decrypt(datagram: &[u8], cipher: &Cipher, iv: &[u8]) -> Result<Decrypted, EncryptedError> {
    let header = Header::decode(datagram)?;
    if header.length as usize != datagram.len() {
        return Err(DecodeError {
            offset: 24,
            kind: ErrorKind::MessageLength {
                header: header.length,
                actual: datagram.len(),
            },
        }
        .into());
    }
    if !header.flags.contains(Flags::ENCRYPTION) {
        return Err(DecodeError {
            offset: 19,
            kind: ErrorKind::EncryptionFlag { encrypted: false },
        }
        .into());
    }
    let ciphertext = datagram.get(Header::LEN..).unwrap_or_default();
    let block = cipher.block_size();
    if ciphertext.is_empty() {
        return Err(DecodeError {
            offset: Header::LEN,
            kind: ErrorKind::Truncated {
                what: "encrypted body",
                needed: block,
                available: 0,
            },
        }
        .into());
    }
    let body = cipher.decrypt(iv, ciphertext)?;
    let next_iv = last_block(ciphertext, block);
    Ok(Decrypted {
        header,
        body,
        next_iv,
    })
}

/// Decrypts and decodes a datagram. The returned [`Decrypted`] keeps the plaintext for
/// the hash checks.
pub fn decrypt_message(
    datagram: &[u8],
    cipher: &Cipher,
    iv: &[u8],
) -> Result<(Message, Decrypted), EncryptedError> {
    let d = decrypt(datagram, cipher, iv)?;
    let payloads = decode_payloads(
        d.header.next_payload,
        &d.body,
        Header::LEN,
        Trailing::Padding,
    )?;
    Ok((
        Message {
            header: d.header.clone(),
            payloads,
        },
        d,
    ))
}

/// Pads and encrypts `body` (the encoded payload chain) behind `header`, whose next-payload
/// field must already name the first payload. Sets the E flag and the length.
pub fn encrypt(
    header: &Header,
    body: &[u8],
    cipher: &Cipher,
    iv: &[u8],
) -> Result<Encrypted, EncryptedError> {
    let block = cipher.block_size();
    let pad = block - body.len() % block;
    let mut plain = Vec::with_capacity(body.len() + pad);
    plain.extend_from_slice(body);
    plain.resize(body.len() + pad, 0);
    if let Some(last) = plain.last_mut() {
        *last = (pad - 1) as u8;
    }
    let ciphertext = cipher.encrypt(iv, &plain)?;
    crate::crypto::wipe(&mut plain);
    let mut h = header.clone();
    h.flags = h.flags.with(Flags::ENCRYPTION);
    let mut datagram = Vec::with_capacity(Header::LEN + ciphertext.len());
    h.encode(&mut datagram);
    datagram.extend_from_slice(&ciphertext);
    finish_header(&mut datagram, h.next_payload)?;
    Ok(Encrypted {
        datagram,
        next_iv: last_block(&ciphertext, block),
    })
}

/// Encodes and encrypts a message.
pub fn encrypt_message(
    message: &Message,
    cipher: &Cipher,
    iv: &[u8],
) -> Result<Encrypted, EncryptedError> {
    let mut body = Vec::new();
    let first = encode_payloads(&message.payloads, &mut body)?;
    let mut header = message.header.clone();
    header.next_payload = first;
    let out = encrypt(&header, &body, cipher, iv);
    crate::crypto::wipe(&mut body);
    out
}

fn last_block(ciphertext: &[u8], block: usize) -> Vec<u8> {
    ciphertext
        .get(ciphertext.len().saturating_sub(block)..)
        .unwrap_or_default()
        .to_vec()
}
