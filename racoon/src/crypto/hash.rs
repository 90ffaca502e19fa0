//! The phase-1 hash functions and the PRF built from them. IKEv1 defines no PRF of its own
//! (RFC 2409 appendix A): the PRF is HMAC with the negotiated hash, which is what
//! [`Prf`] computes.

use super::{CryptoError, Secret};
use common::alg::{self, Algorithm, Class, Kind};
use openssl::hash::{Hasher, MessageDigest};
use openssl::pkey::PKey;
use openssl::sign::Signer;

/// A hash function of the algorithm table.
#[derive(Clone, Copy)]
pub struct Hash {
    algorithm: &'static Algorithm,
    md: MessageDigest,
}

impl std::fmt::Debug for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hash({})", self.algorithm.name())
    }
}

impl Hash {
    /// The hash of an auth row that has a phase-1 name.
    pub fn new(algorithm: &'static Algorithm) -> Result<Hash, CryptoError> {
        let unsupported = CryptoError::Unsupported {
            algorithm: algorithm.name(),
        };
        if algorithm.kind != Kind::Auth {
            return Err(unsupported);
        }
        let md = match algorithm.phase1_names.first() {
            Some(&"md5") => MessageDigest::md5(),
            Some(&"sha1") => MessageDigest::sha1(),
            Some(&"sha2_256") => MessageDigest::sha256(),
            Some(&"sha2_384") => MessageDigest::sha384(),
            Some(&"sha2_512") => MessageDigest::sha512(),
            _ => return Err(unsupported),
        };
        Ok(Hash { algorithm, md })
    }

    /// The hash a phase-1 Hash Algorithm attribute value names.
    pub fn from_ike(value: u16) -> Result<Hash, CryptoError> {
        let algorithm = alg::find_ike(Class::Auth, value).ok_or(CryptoError::Unsupported {
            algorithm: "unknown hash",
        })?;
        Hash::new(algorithm)
    }

    /// The hash with this racoon.conf `hash_algorithm` name (`sha1`, `sha256`, ...).
    pub fn from_name(name: &str) -> Result<Hash, CryptoError> {
        let algorithm =
            alg::find_phase1(Class::Auth, name).map_err(|_| CryptoError::Unsupported {
                algorithm: "unknown hash",
            })?;
        Hash::new(algorithm)
    }

    pub fn algorithm(&self) -> &'static Algorithm {
        self.algorithm
    }

    /// Output length in bytes.
    pub fn len(&self) -> usize {
        self.md.size()
    }

    /// Never true; present because `len` is.
    pub fn is_empty(&self) -> bool {
        self.md.size() == 0
    }

    /// The hash of the concatenation of `parts`.
    pub fn digest(&self, parts: &[&[u8]]) -> Result<Vec<u8>, CryptoError> {
        let mut h = Hasher::new(self.md)?;
        for p in parts {
            h.update(p)?;
        }
        Ok(h.finish()?.to_vec())
    }

    /// The PRF of this hash.
    pub fn prf(self) -> Prf {
        Prf { hash: self }
    }
}

/// HMAC with a phase-1 hash: IKEv1's `prf`.
#[derive(Debug, Clone, Copy)]
pub struct Prf {
    hash: Hash,
}

impl Prf {
    pub fn new(hash: Hash) -> Prf {
        Prf { hash }
    }

    pub fn hash(&self) -> Hash {
        self.hash
    }

    /// Output length in bytes.
    pub fn len(&self) -> usize {
        self.hash.len()
    }

    /// Never true; present because `len` is.
    pub fn is_empty(&self) -> bool {
        self.hash.is_empty()
    }

    /// `prf(key, parts[0] | parts[1] | ...)`.
    pub fn compute(&self, key: &[u8], parts: &[&[u8]]) -> Result<Secret, CryptoError> {
        let pkey = PKey::hmac(key)?;
        let mut signer = Signer::new(self.hash.md, &pkey)?;
        for p in parts {
            signer.update(p)?;
        }
        Ok(Secret::new(signer.sign_to_vec()?))
    }
}
