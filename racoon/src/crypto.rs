//! IKEv1 cryptography through OpenSSL: Diffie-Hellman over the MODP groups, the phase-1
//! ciphers in raw CBC mode, the hashes and their HMACs as IKEv1's PRF, and the key
//! derivation of RFC 2409 (SKEYID and its children, the cipher key expansion of appendix
//! B, IVs, HASH_I/HASH_R, the quick-mode hashes and KEYMAT).
//!
//! Everything is keyed on the rows of [`common::alg`] and [`common::alg::dh`]; nothing
//! here spells an algorithm number. No function touches a clock or a socket; randomness
//! comes in through [`Rng`], and [`OsRng`] is the only place that draws real randomness.
//! Key material is held in [`Secret`], which is zeroed on drop.

mod cert_store;
mod cipher;
mod dh;
mod ecp;
mod error;
mod hash;
mod phase1;
mod phase2;
mod provider;
mod rng;
mod rsa_sig;
mod secret;
pub mod x509;

pub use cert_store::{cert_path, CertStore, MyCert, RemoteCerts};
pub use cipher::Cipher;
pub use dh::{validate_public, DhKeyPair};
pub use error::CryptoError;
pub use hash::{Hash, Prf};
pub use phase1::{
    encryption_key, message_iv, phase1_iv, skeyid_pke, skeyid_psk, skeyid_sig, Phase1Keys,
    Phase1Transcript,
};
pub use phase2::{
    informational_hash, keymat, quick_hash1, quick_hash2, quick_hash3, KeymatInput, KeymatPair,
};
pub use rng::{random_bytes, OsRng, Rng};
pub use rsa_sig::{rsa_sign, rsa_verify};
pub use secret::{ct_eq, wipe, Secret};
