//! Phase-1 key derivation and authentication hashes (RFC 2409 section 5 and appendix B).
//! Every function takes the negotiated [`Prf`] (HMAC of the proposal's hash), so the
//! algorithm choice lives in the table row that built it.

use super::{CryptoError, Hash, Prf, Secret};
use crate::isakmp::Cookie;

/// `SKEYID = prf(pre-shared-key, Ni_b | Nr_b)`, for pre-shared key authentication.
pub fn skeyid_psk(prf: &Prf, psk: &[u8], ni_b: &[u8], nr_b: &[u8]) -> Result<Secret, CryptoError> {
    prf.compute(psk, &[ni_b, nr_b])
}

/// `SKEYID = prf(Ni_b | Nr_b, g^xy)`, for signature authentication.
pub fn skeyid_sig(prf: &Prf, ni_b: &[u8], nr_b: &[u8], g_xy: &[u8]) -> Result<Secret, CryptoError> {
    let key = Secret::new([ni_b, nr_b].concat());
    prf.compute(key.as_bytes(), &[g_xy])
}

/// `SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R)`, for public key encryption.
pub fn skeyid_pke(
    prf: &Prf,
    ni_b: &[u8],
    nr_b: &[u8],
    cky_i: &Cookie,
    cky_r: &Cookie,
) -> Result<Secret, CryptoError> {
    let key = Secret::new(prf.hash().digest(&[ni_b, nr_b])?);
    prf.compute(key.as_bytes(), &[cky_i, cky_r])
}

/// The keys of an ISAKMP SA.
#[derive(Debug, Clone)]
pub struct Phase1Keys {
    pub skeyid: Secret,
    /// Keys phase 2: `prf(SKEYID, g^xy | CKY-I | CKY-R | 0)`.
    pub skeyid_d: Secret,
    /// Authenticates phase 2 and informational messages: `prf(SKEYID, SKEYID_d | g^xy |
    /// CKY-I | CKY-R | 1)`.
    pub skeyid_a: Secret,
    /// `prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)`.
    pub skeyid_e: Secret,
    /// The phase-1 cipher key, from SKEYID_e (appendix B).
    pub encryption_key: Secret,
}

impl Phase1Keys {
    /// Derives SKEYID_d, _a, _e and a cipher key of `key_len` bytes from SKEYID.
    pub fn derive(
        prf: &Prf,
        skeyid: Secret,
        g_xy: &[u8],
        cky_i: &Cookie,
        cky_r: &Cookie,
        key_len: usize,
    ) -> Result<Phase1Keys, CryptoError> {
        let k = skeyid.as_bytes();
        let skeyid_d = prf.compute(k, &[g_xy, cky_i, cky_r, &[0]])?;
        let skeyid_a = prf.compute(k, &[skeyid_d.as_bytes(), g_xy, cky_i, cky_r, &[1]])?;
        let skeyid_e = prf.compute(k, &[skeyid_a.as_bytes(), g_xy, cky_i, cky_r, &[2]])?;
        let encryption_key = encryption_key(prf, &skeyid_e, key_len)?;
        Ok(Phase1Keys {
            skeyid,
            skeyid_d,
            skeyid_a,
            skeyid_e,
            encryption_key,
        })
    }
}

/// The cipher key: the first `len` bytes of SKEYID_e when it is long enough; otherwise
/// RFC 2409 appendix B's `K1 | K2 | ...` with `K1 = prf(SKEYID_e, 0)` (one zero byte) and
/// `Kn = prf(SKEYID_e, Kn-1)`, e.g. for 3DES (24 bytes) with MD5 (16).
pub fn encryption_key(prf: &Prf, skeyid_e: &Secret, len: usize) -> Result<Secret, CryptoError> {
    if skeyid_e.len() >= len {
        return Ok(skeyid_e.truncated(len));
    }
    if len > 255 * prf.len() {
        return Err(CryptoError::KeyMaterialTooLong { requested: len });
    }
    // Sized up front so the buffer never reallocates and leaves key bytes behind.
    let mut out = Secret::new(Vec::with_capacity(len + prf.len()));
    let mut block = prf.compute(skeyid_e.as_bytes(), &[&[0]])?;
    loop {
        out.extend_from_slice(block.as_bytes());
        if out.len() >= len {
            return Ok(out.truncated(len));
        }
        block = prf.compute(skeyid_e.as_bytes(), &[block.as_bytes()])?;
    }
}

/// What both phase-1 authentication hashes cover besides SKEYID and the identity.
#[derive(Debug, Clone, Copy)]
pub struct Phase1Transcript<'a> {
    /// The initiator's public value g^xi, as in its KE payload.
    pub g_xi: &'a [u8],
    /// The responder's public value g^xr.
    pub g_xr: &'a [u8],
    pub cky_i: &'a Cookie,
    pub cky_r: &'a Cookie,
    /// The body (after the generic header) of the initiator's SA payload, exactly as sent.
    pub sai_b: &'a [u8],
}

impl Phase1Transcript<'_> {
    /// `HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)`, main and
    /// aggressive mode alike. `idii_b` is the initiator's ID payload body.
    pub fn hash_i(
        &self,
        prf: &Prf,
        skeyid: &Secret,
        idii_b: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let parts: [&[u8]; 6] = [
            self.g_xi, self.g_xr, self.cky_i, self.cky_r, self.sai_b, idii_b,
        ];
        Ok(prf.compute(skeyid.as_bytes(), &parts)?.as_bytes().to_vec())
    }

    /// `HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)`.
    pub fn hash_r(
        &self,
        prf: &Prf,
        skeyid: &Secret,
        idir_b: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let parts: [&[u8]; 6] = [
            self.g_xr, self.g_xi, self.cky_r, self.cky_i, self.sai_b, idir_b,
        ];
        Ok(prf.compute(skeyid.as_bytes(), &parts)?.as_bytes().to_vec())
    }
}

/// The first phase-1 IV: `hash(g^xi | g^xr)` truncated to the cipher block (RFC 2409
/// appendix B). The hash is the proposal's hash, not the PRF.
pub fn phase1_iv(
    hash: &Hash,
    g_xi: &[u8],
    g_xr: &[u8],
    block: usize,
) -> Result<Vec<u8>, CryptoError> {
    truncated(hash.digest(&[g_xi, g_xr])?, block)
}

/// The first IV of a quick-mode or informational exchange: `hash(last phase-1 CBC block |
/// M-ID)` truncated to the block. Later messages of the same exchange chain on from the
/// last ciphertext block instead.
pub fn message_iv(
    hash: &Hash,
    last_phase1_block: &[u8],
    message_id: u32,
    block: usize,
) -> Result<Vec<u8>, CryptoError> {
    truncated(
        hash.digest(&[last_phase1_block, &message_id.to_be_bytes()])?,
        block,
    )
}

fn truncated(mut digest: Vec<u8>, block: usize) -> Result<Vec<u8>, CryptoError> {
    if digest.len() < block {
        return Err(CryptoError::IvLength {
            expected: block,
            found: digest.len(),
        });
    }
    digest.truncate(block);
    Ok(digest)
}
