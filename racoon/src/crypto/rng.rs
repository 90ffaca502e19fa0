//! The random source. Everything that needs randomness (DH private exponents, nonces,
//! cookies, SPIs) takes a `&mut dyn Rng`, so tests and the engine's simulations can run on
//! a deterministic source; [`OsRng`] is the one place that reaches for real randomness.

use super::CryptoError;

/// A source of random bytes.
pub trait Rng {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), CryptoError>;
}

/// OpenSSL's CSPRNG (`RAND_bytes`), seeded by the operating system.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRng;

impl Rng for OsRng {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), CryptoError> {
        // The only call into a real random source in the racoon library.
        openssl::rand::rand_bytes(buf).map_err(|e| CryptoError::Random(e.to_string()))
    }
}

/// `len` random bytes, e.g. a nonce (racoon's default nonce_size is 16).
pub fn random_bytes(rng: &mut dyn Rng, len: usize) -> Result<Vec<u8>, CryptoError> {
    let mut out = vec![0u8; len];
    rng.fill(&mut out)?;
    Ok(out)
}
