//! Building and reading encrypted messages whose first payload is a HASH computed over
//! the payloads after it (quick mode, informational): the hash covers exactly the bytes
//! sent or received, so both directions work on the encoded chain.

use crate::crypto::Cipher;
use crate::isakmp::{
    decrypt, encode_payloads, encrypt, EncryptedError, Header, Payload, PayloadType, RawPayloads,
};

/// The payload chain after a leading HASH: the bytes the hash covers.
pub(crate) fn encode_after_hash(payloads: &[Payload]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    encode_payloads(payloads, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Encrypts `HASH, rest...` where `after` is `encode_after_hash(rest)` and `first_rest`
/// the type of its first payload. Returns the datagram and the next IV.
pub(crate) fn encrypt_hashed(
    header: &Header,
    hash: &[u8],
    first_rest: PayloadType,
    after: &[u8],
    cipher: &Cipher,
    iv: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), EncryptedError> {
    let mut body = Vec::with_capacity(4 + hash.len() + after.len());
    body.push(first_rest.value());
    body.push(0);
    let len = u16::try_from(4 + hash.len()).unwrap_or(u16::MAX);
    body.extend_from_slice(&len.to_be_bytes());
    body.extend_from_slice(hash);
    body.extend_from_slice(after);
    let mut h = header.clone();
    h.next_payload = PayloadType::Hash;
    let e = encrypt(&h, &body, cipher, iv)?;
    Ok((e.datagram, e.next_iv))
}

/// A decrypted message led by a HASH.
pub(crate) struct Hashed {
    pub hash: Vec<u8>,
    /// The bytes after the HASH payload, up to the end of the chain (no padding).
    pub after: Vec<u8>,
    pub payloads: Vec<Payload>,
    pub next_iv: Vec<u8>,
}

/// Decrypts and parses a message that must begin with a HASH payload.
pub(crate) fn decrypt_hashed(
    datagram: &[u8],
    cipher: &Cipher,
    iv: &[u8],
) -> Result<Hashed, String> {
    let d = decrypt(datagram, cipher, iv).map_err(|e| e.to_string())?;
    if d.header.next_payload != PayloadType::Hash {
        return Err(format!(
            "the first payload is {}, not HASH",
            d.header.next_payload
        ));
    }
    let mut chain = RawPayloads::new(d.header.next_payload, &d.body, 0);
    let mut payloads = Vec::new();
    let mut hash = Vec::new();
    let mut hash_end = 0;
    for (n, raw) in chain.by_ref().enumerate() {
        let raw = raw.map_err(|e| e.to_string())?;
        let p = raw.decode().map_err(|e| e.to_string())?;
        if n == 0 {
            if let Payload::Hash(h) = &p {
                hash.clone_from(h);
            }
            hash_end = raw.offset + raw.bytes.len();
        } else {
            payloads.push(p);
        }
    }
    let end = chain.offset();
    let after = d.body.get(hash_end..end).unwrap_or_default().to_vec();
    Ok(Hashed {
        hash,
        after,
        payloads,
        next_iv: d.next_iv,
    })
}
