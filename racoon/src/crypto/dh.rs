//! MODP Diffie-Hellman for the groups of [`common::alg::dh`]. Public values and shared
//! secrets are always the prime's length, left-padded with zeros, as RFC 2409 requires on
//! the wire and as the key derivation expects; a peer's public value must have exactly that
//! length and lie in 1 < y < p-1.

use super::rng::Rng;
use super::secret::wipe;
use super::{CryptoError, Secret};
use common::alg::dh::DhGroup;
use openssl::bn::BigNum;
use openssl::derive::Deriver;
use openssl::dh::Dh;
use openssl::pkey::{PKey, Params, Private};

/// Our half of one Diffie-Hellman exchange.
pub struct DhKeyPair {
    group: &'static DhGroup,
    key: PKey<Private>,
    public: Vec<u8>,
}

impl std::fmt::Debug for DhKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DhKeyPair({})", self.group.name())
    }
}

fn params(group: &DhGroup) -> Result<Dh<Params>, CryptoError> {
    let p = BigNum::from_hex_str(group.prime_hex)?;
    let g = BigNum::from_u32(group.generator)?;
    Ok(Dh::from_pqg(p, None, g)?)
}

impl DhKeyPair {
    /// A fresh key pair whose private exponent has exactly the group's
    /// [`DhGroup::exponent_bits`], drawn from `rng`.
    pub fn generate(group: &'static DhGroup, rng: &mut dyn Rng) -> Result<DhKeyPair, CryptoError> {
        let bits = usize::from(group.exponent_bits);
        let mut x = Secret::new(vec![0u8; bits.div_ceil(8)]);
        rng.fill(x.as_mut_bytes())?;
        let excess = x.len() * 8 - bits;
        if let Some(top) = x.as_mut_bytes().first_mut() {
            *top &= 0xff >> excess;
            *top |= 0x80 >> excess;
        }
        DhKeyPair::from_private(group, x.as_bytes())
    }

    /// The key pair for a given private exponent (big-endian): for known-answer tests and
    /// for restoring state; must satisfy 1 < x < p-1.
    pub fn from_private(group: &'static DhGroup, private: &[u8]) -> Result<DhKeyPair, CryptoError> {
        let x = BigNum::from_slice(private)?;
        let p = BigNum::from_hex_str(group.prime_hex)?;
        let one = BigNum::from_u32(1)?;
        let p_minus_1 = &p - &one;
        if x <= one || x >= p_minus_1 {
            return Err(CryptoError::PublicValueRange);
        }
        // The DH object owns x from here and clears it when freed (BN_clear_free).
        let dh = params(group)?.set_private_key(x)?;
        let public = dh.public_key().to_vec_padded(group.prime_bytes() as i32)?;
        let key = PKey::from_dh(dh)?;
        Ok(DhKeyPair { group, key, public })
    }

    pub fn group(&self) -> &'static DhGroup {
        self.group
    }

    /// g^x mod p, padded to the prime's length: the KE payload's data.
    pub fn public_value(&self) -> &[u8] {
        &self.public
    }

    /// g^xy mod p from the peer's public value, padded to the prime's length.
    pub fn shared_secret(&self, peer_public: &[u8]) -> Result<Secret, CryptoError> {
        validate_public(self.group, peer_public)?;
        let y = BigNum::from_slice(peer_public)?;
        let peer = PKey::from_dh(params(self.group)?.set_public_key(y)?)?;
        let mut deriver = Deriver::new(&self.key)?;
        deriver.set_peer(&peer)?;
        let mut raw = deriver.derive_to_vec()?;
        let len = self.group.prime_bytes();
        let mut out = vec![0u8; len];
        if raw.len() > len {
            wipe(&mut raw);
            return Err(CryptoError::OpenSsl(
                "shared secret longer than the prime".into(),
            ));
        }
        if let Some(tail) = out.get_mut(len - raw.len()..) {
            tail.copy_from_slice(&raw);
        }
        wipe(&mut raw);
        Ok(Secret::new(out))
    }
}

/// Checks a peer's public value: the prime's length, and 1 < y < p-1, which rules out
/// the values that force the shared secret to 0, 1 or p-1.
pub fn validate_public(group: &DhGroup, y: &[u8]) -> Result<(), CryptoError> {
    if y.len() != group.prime_bytes() {
        return Err(CryptoError::PublicValueLength {
            expected: group.prime_bytes(),
            found: y.len(),
        });
    }
    let y = BigNum::from_slice(y)?;
    let p = BigNum::from_hex_str(group.prime_hex)?;
    let one = BigNum::from_u32(1)?;
    let p_minus_1 = &p - &one;
    if y <= one || y >= p_minus_1 {
        return Err(CryptoError::PublicValueRange);
    }
    Ok(())
}
