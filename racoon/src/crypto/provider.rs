//! OpenSSL 3 moved single DES, Blowfish and CAST-128 to the "legacy" provider, which is not
//! loaded by default; IKEv1 peers still negotiate them. It is loaded once, on first use of
//! such a cipher, keeping the default provider available (explicitly loading any provider
//! otherwise switches the implicit default off).

use super::CryptoError;
use openssl::provider::Provider;
use std::sync::OnceLock;

static LEGACY: OnceLock<Result<Provider, String>> = OnceLock::new();

/// Loads the legacy provider if that has not been done; `algorithm` names the cipher in
/// the error.
pub(crate) fn ensure_legacy(algorithm: &'static str) -> Result<(), CryptoError> {
    let loaded =
        LEGACY.get_or_init(|| Provider::try_load(None, "legacy", true).map_err(|e| e.to_string()));
    match loaded {
        Ok(_) => Ok(()),
        Err(detail) => Err(CryptoError::LegacyProviderUnavailable {
            algorithm,
            detail: detail.clone(),
        }),
    }
}
