//! IKEv1 RSA signatures (RFC 2409 5.1): the SIG payload is the PKCS#1 v1.5 type-1
//! padded HASH_I / HASH_R itself, with no DigestInfo around it, as racoon's
//! eay_rsa_sign (EVP_PKEY_sign without a digest) and strongSwan's IKEv1
//! `SIGN_RSA_EMSA_PKCS1_NULL` make it.

use super::CryptoError;
use openssl::pkey::{HasPublic, PKey, PKeyRef, Private};
use openssl::rsa::Padding;

fn ssl(e: openssl::error::ErrorStack) -> CryptoError {
    CryptoError::OpenSsl(e.to_string())
}

/// Signs `hash` (HASH_I or HASH_R) with an RSA private key.
pub fn rsa_sign(key: &PKey<Private>, hash: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let rsa = key.rsa().map_err(ssl)?;
    let mut out = vec![0; usize::try_from(rsa.size()).unwrap_or(0)];
    let n = rsa
        .private_encrypt(hash, &mut out, Padding::PKCS1)
        .map_err(ssl)?;
    out.truncate(n);
    Ok(out)
}

/// Whether `sig` is an RSA signature of exactly `hash` by the key. Anything else — a
/// wrong key, a tampered or truncated signature, padding that does not decode, a
/// different hash — is `false`.
pub fn rsa_verify<T: HasPublic>(key: &PKeyRef<T>, hash: &[u8], sig: &[u8]) -> bool {
    let Ok(rsa) = key.rsa() else {
        return false;
    };
    let size = usize::try_from(rsa.size()).unwrap_or(0);
    if sig.len() != size || hash.is_empty() {
        return false;
    }
    let mut out = vec![0; size];
    match rsa.public_decrypt(sig, &mut out, Padding::PKCS1) {
        Ok(n) => super::ct_eq(&out[..n], hash),
        Err(_) => false,
    }
}
