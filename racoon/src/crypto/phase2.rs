//! Quick-mode and informational authentication hashes and KEYMAT (RFC 2409 5.5, 5.7).
//! "What follows the HASH payload" always means the payloads as sent, generic headers
//! included, without the encryption padding: the codec's `RawPayloads` gives those bytes.

use super::{CryptoError, Prf, Secret};

/// `HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [ | KE ] [ | IDci | IDcr ])`.
pub fn quick_hash1(
    prf: &Prf,
    skeyid_a: &Secret,
    message_id: u32,
    after_hash: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    mac(prf, skeyid_a, &[&message_id.to_be_bytes(), after_hash])
}

/// `HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [ | KE ] [ | IDci | IDcr ])`, where
/// `ni_b` is the initiator's nonce body.
pub fn quick_hash2(
    prf: &Prf,
    skeyid_a: &Secret,
    message_id: u32,
    ni_b: &[u8],
    after_hash: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    mac(
        prf,
        skeyid_a,
        &[&message_id.to_be_bytes(), ni_b, after_hash],
    )
}

/// `HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)`.
pub fn quick_hash3(
    prf: &Prf,
    skeyid_a: &Secret,
    message_id: u32,
    ni_b: &[u8],
    nr_b: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    mac(
        prf,
        skeyid_a,
        &[&[0], &message_id.to_be_bytes(), ni_b, nr_b],
    )
}

/// An informational exchange's `HASH(1) = prf(SKEYID_a, M-ID | N/D)`.
pub fn informational_hash(
    prf: &Prf,
    skeyid_a: &Secret,
    message_id: u32,
    after_hash: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    quick_hash1(prf, skeyid_a, message_id, after_hash)
}

fn mac(prf: &Prf, key: &Secret, parts: &[&[u8]]) -> Result<Vec<u8>, CryptoError> {
    Ok(prf.compute(key.as_bytes(), parts)?.as_bytes().to_vec())
}

/// KEYMAT for one SA, `len` bytes:
/// `K1 = prf(SKEYID_d, [ g(qm)^xy | ] protocol | SPI | Ni_b | Nr_b)`,
/// `Kn = prf(SKEYID_d, Kn-1 | [ g(qm)^xy | ] protocol | SPI | Ni_b | Nr_b)`,
/// with the PFS shared secret when quick mode carried KE payloads. `spi` is the SPI of
/// the SA being keyed, i.e. the one its receiving side chose; the nonces are in
/// initiator-responder order on both sides.
#[allow(clippy::too_many_arguments)]
pub fn keymat(
    prf: &Prf,
    skeyid_d: &Secret,
    pfs_g_xy: Option<&[u8]>,
    protocol: u8,
    spi: &[u8],
    ni_b: &[u8],
    nr_b: &[u8],
    len: usize,
) -> Result<Secret, CryptoError> {
    if len > 255 * prf.len() {
        return Err(CryptoError::KeyMaterialTooLong { requested: len });
    }
    let g = pfs_g_xy.unwrap_or_default();
    let key = skeyid_d.as_bytes();
    // Sized up front so the buffer never reallocates and leaves key bytes behind.
    let mut out = Secret::new(Vec::with_capacity(len + prf.len()));
    let mut previous = Secret::default();
    while out.len() < len {
        let block = prf.compute(key, &[previous.as_bytes(), g, &[protocol], spi, ni_b, nr_b])?;
        out.extend_from_slice(block.as_bytes());
        previous = block;
    }
    Ok(out.truncated(len))
}

/// KEYMAT for both SAs of a quick-mode negotiation.
#[derive(Debug, Clone)]
pub struct KeymatPair {
    /// For the SA we receive on, keyed with our SPI.
    pub inbound: Secret,
    /// For the SA we send on, keyed with the peer's SPI.
    pub outbound: Secret,
}

/// The common inputs of [`keymat`] for both directions.
#[derive(Debug, Clone, Copy)]
pub struct KeymatInput<'a> {
    pub prf: &'a Prf,
    pub skeyid_d: &'a Secret,
    pub pfs_g_xy: Option<&'a [u8]>,
    /// The proposal's protocol id (ESP 3, AH 2, IPCOMP 4).
    pub protocol: u8,
    pub ni_b: &'a [u8],
    pub nr_b: &'a [u8],
}

impl KeymatInput<'_> {
    pub fn pair(
        &self,
        our_spi: &[u8],
        peer_spi: &[u8],
        len: usize,
    ) -> Result<KeymatPair, CryptoError> {
        let k = |spi| {
            keymat(
                self.prf,
                self.skeyid_d,
                self.pfs_g_xy,
                self.protocol,
                spi,
                self.ni_b,
                self.nr_b,
                len,
            )
        };
        Ok(KeymatPair {
            inbound: k(our_spi)?,
            outbound: k(peer_spi)?,
        })
    }
}
