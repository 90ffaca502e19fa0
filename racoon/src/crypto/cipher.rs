//! The phase-1 ciphers, in CBC mode without OpenSSL's padding: IKEv1 pads by itself
//! (`isakmp::encrypt`) and the IV chains across messages, so every call is one whole
//! CBC run over block-aligned data.

use super::provider::ensure_legacy;
use super::{CryptoError, Secret};
use common::alg::{self, Algorithm, Class, Kind};
use openssl::symm::{self, Crypter, Mode};

/// A cipher with its key.
pub struct Cipher {
    algorithm: &'static Algorithm,
    symm: symm::Cipher,
    key: Secret,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Cipher({}, {}-bit key)",
            self.algorithm.name(),
            self.key.len() * 8
        )
    }
}

impl Cipher {
    /// Keys a cipher row of the table. The key length is checked against the row; single
    /// DES, Blowfish and CAST-128 load OpenSSL's legacy provider first.
    pub fn new(algorithm: &'static Algorithm, key: &[u8]) -> Result<Cipher, CryptoError> {
        let name = algorithm.name();
        let unsupported = CryptoError::Unsupported { algorithm: name };
        if algorithm.kind != Kind::Encrypt || algorithm.block_bytes <= 1 {
            return Err(unsupported);
        }
        algorithm
            .check_key_bytes(key.len())
            .map_err(|_| CryptoError::KeyLength {
                algorithm: name,
                bytes: key.len(),
            })?;
        let phase1 = algorithm.phase1_names.first().copied();
        let (symm, legacy) = match (phase1, key.len()) {
            (Some("des"), _) => (symm::Cipher::des_cbc(), true),
            (Some("3des"), _) => (symm::Cipher::des_ede3_cbc(), false),
            (Some("blowfish"), _) => (symm::Cipher::bf_cbc(), true),
            (Some("cast128"), _) => (symm::Cipher::cast5_cbc(), true),
            (Some("aes"), 16) => (symm::Cipher::aes_128_cbc(), false),
            (Some("aes"), 24) => (symm::Cipher::aes_192_cbc(), false),
            (Some("aes"), 32) => (symm::Cipher::aes_256_cbc(), false),
            (Some("camellia"), 16) => (symm::Cipher::camellia_128_cbc(), false),
            (Some("camellia"), 24) => (symm::Cipher::camellia_192_cbc(), false),
            (Some("camellia"), 32) => (symm::Cipher::camellia_256_cbc(), false),
            _ => return Err(unsupported),
        };
        if legacy {
            ensure_legacy(name)?;
        }
        Ok(Cipher {
            algorithm,
            symm,
            key: Secret::from_slice(key),
        })
    }

    /// The cipher a phase-1 Encryption Algorithm value names, with `key`.
    pub fn from_ike(value: u16, key: &[u8]) -> Result<Cipher, CryptoError> {
        let algorithm = alg::find_ike(Class::Encrypt, value).ok_or(CryptoError::Unsupported {
            algorithm: "unknown cipher",
        })?;
        Cipher::new(algorithm, key)
    }

    /// Bytes of key a proposal needs: its Key Length attribute (bits) where it has one,
    /// else the table's default for the cipher.
    pub fn key_bytes(
        algorithm: &'static Algorithm,
        key_length_attr: Option<u16>,
    ) -> Result<usize, CryptoError> {
        let bits = key_length_attr.unwrap_or(algorithm.default_key_bits);
        algorithm
            .check_key_bits(u32::from(bits))
            .map_err(|_| CryptoError::KeyLength {
                algorithm: algorithm.name(),
                bytes: usize::from(bits) / 8,
            })?;
        if bits == 0 || bits % 8 != 0 {
            return Err(CryptoError::KeyLength {
                algorithm: algorithm.name(),
                bytes: usize::from(bits) / 8,
            });
        }
        Ok(usize::from(bits) / 8)
    }

    pub fn algorithm(&self) -> &'static Algorithm {
        self.algorithm
    }

    /// Block size in bytes, which is also the IV size.
    pub fn block_size(&self) -> usize {
        usize::from(self.algorithm.block_bytes)
    }

    pub fn encrypt(&self, iv: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.run(Mode::Encrypt, iv, data)
    }

    pub fn decrypt(&self, iv: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.run(Mode::Decrypt, iv, data)
    }

    fn run(&self, mode: Mode, iv: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let block = self.block_size();
        if iv.len() != block {
            return Err(CryptoError::IvLength {
                expected: block,
                found: iv.len(),
            });
        }
        if data.len() % block != 0 {
            return Err(CryptoError::NotBlockAligned {
                length: data.len(),
                block,
            });
        }
        let mut c = Crypter::new(self.symm, mode, self.key.as_bytes(), Some(iv))?;
        c.pad(false);
        let mut out = vec![0u8; data.len() + block];
        let mut n = c.update(data, &mut out)?;
        n += c.finalize(out.get_mut(n..).unwrap_or_default())?;
        out.truncate(n);
        Ok(out)
    }
}
