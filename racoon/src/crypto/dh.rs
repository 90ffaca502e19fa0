//! Diffie-Hellman for the groups of [`common::alg::dh`]. For MODP groups, public values
//! and shared secrets are always the prime's length, left-padded with zeros, as RFC 2409
//! requires on the wire and as the key derivation expects; a peer's public value must have
//! exactly that length and lie in 1 < y < p-1. The ECP groups live in [`super::ecp`].

use super::ecp::{self, EcpKey};
use super::rng::Rng;
use super::secret::wipe;
use super::{CryptoError, Secret};
use common::alg::dh::{DhGroup, GroupKind, Modp};
use openssl::bn::BigNum;
use openssl::derive::Deriver;
use openssl::dh::Dh;
use openssl::pkey::{PKey, Params, Private};

/// Our half of one Diffie-Hellman exchange.
pub struct DhKeyPair {
    group: &'static DhGroup,
    key: Key,
}

enum Key {
    Modp {
        modp: Modp,
        key: PKey<Private>,
        public: Vec<u8>,
    },
    Ecp(EcpKey),
}

impl std::fmt::Debug for DhKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DhKeyPair({})", self.group.name())
    }
}

fn params(group: &Modp) -> Result<Dh<Params>, CryptoError> {
    let p = BigNum::from_hex_str(group.prime_hex)?;
    let g = BigNum::from_u32(group.generator)?;
    Ok(Dh::from_pqg(p, None, g)?)
}

impl DhKeyPair {
    /// A fresh key pair drawn from `rng`: for MODP a private exponent of exactly the
    /// group's [`Modp::exponent_bits`], for ECP a scalar below the curve's order.
    pub fn generate(group: &'static DhGroup, rng: &mut dyn Rng) -> Result<DhKeyPair, CryptoError> {
        let modp = match group.kind {
            GroupKind::Modp(m) => m,
            GroupKind::Ecp(curve) => {
                let key = Key::Ecp(ecp::generate(curve, rng)?);
                return Ok(DhKeyPair { group, key });
            }
        };
        let bits = usize::from(modp.exponent_bits);
        let mut x = Secret::new(vec![0u8; bits.div_ceil(8)]);
        rng.fill(x.as_mut_bytes())?;
        let excess = x.len() * 8 - bits;
        if let Some(top) = x.as_mut_bytes().first_mut() {
            *top &= 0xff >> excess;
            *top |= 0x80 >> excess;
        }
        DhKeyPair::from_private(group, x.as_bytes())
    }

    /// The key pair for a given private exponent or scalar (big-endian): for known-answer
    /// tests and for restoring state; must satisfy 1 < x < p-1 (MODP) or 0 < d < n (ECP).
    pub fn from_private(group: &'static DhGroup, private: &[u8]) -> Result<DhKeyPair, CryptoError> {
        let modp = match group.kind {
            GroupKind::Modp(m) => m,
            GroupKind::Ecp(curve) => {
                let key = Key::Ecp(ecp::from_private(curve, private)?);
                return Ok(DhKeyPair { group, key });
            }
        };
        let x = BigNum::from_slice(private)?;
        let p = BigNum::from_hex_str(modp.prime_hex)?;
        let one = BigNum::from_u32(1)?;
        let p_minus_1 = &p - &one;
        if x <= one || x >= p_minus_1 {
            return Err(CryptoError::PublicValueRange);
        }
        // The DH object owns x from here and clears it when freed (BN_clear_free).
        let dh = params(&modp)?.set_private_key(x)?;
        let public = dh.public_key().to_vec_padded(modp.prime_bytes() as i32)?;
        let key = PKey::from_dh(dh)?;
        Ok(DhKeyPair {
            group,
            key: Key::Modp { modp, key, public },
        })
    }

    pub fn group(&self) -> &'static DhGroup {
        self.group
    }

    /// The KE payload's data: g^x mod p padded to the prime's length, or the public
    /// point's x | y padded to the field size.
    pub fn public_value(&self) -> &[u8] {
        match &self.key {
            Key::Modp { public, .. } => public,
            Key::Ecp(k) => k.public_value(),
        }
    }

    /// g^xy from the peer's public value: for MODP padded to the prime's length, for ECP
    /// the x coordinate padded to the field size.
    pub fn shared_secret(&self, peer_public: &[u8]) -> Result<Secret, CryptoError> {
        let (key, modp) = match &self.key {
            Key::Ecp(k) => return k.shared_secret(peer_public),
            Key::Modp { key, modp, .. } => (key, modp),
        };
        validate_modp(modp, peer_public)?;
        let y = BigNum::from_slice(peer_public)?;
        let peer = PKey::from_dh(params(modp)?.set_public_key(y)?)?;
        let mut deriver = Deriver::new(key)?;
        deriver.set_peer(&peer)?;
        let mut raw = deriver.derive_to_vec()?;
        let len = modp.prime_bytes();
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

/// Checks a peer's public value. MODP: the prime's length, and 1 < y < p-1, which rules
/// out the values that force the shared secret to 0, 1 or p-1. ECP: x | y of the field's
/// length, a point on the curve other than infinity.
pub fn validate_public(group: &DhGroup, y: &[u8]) -> Result<(), CryptoError> {
    match group.kind {
        GroupKind::Modp(m) => validate_modp(&m, y),
        GroupKind::Ecp(curve) => ecp::validate_public(curve, y),
    }
}

fn validate_modp(group: &Modp, y: &[u8]) -> Result<(), CryptoError> {
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
