//! The certificates and keys a configuration names, read once when it loads (racoon
//! read them while parsing, and a file that did not load failed the configuration):
//! per `remote`, its `certificate_type x509` pair, its `ca_type x509` file and its
//! `peers_certfile x509`; and the CAs of the hashed directory `path certificate`
//! (c_rehash's `<hash>.<n>` links), which every remote trusts.

use super::x509::{load_cert, load_certs, load_private_key, subject_der};
use crate::conf::{Certificate, Config, PeersCert};
use openssl::pkey::{PKey, Private};
use openssl::x509::X509;
use std::path::Path;

/// This host's certificate and the key that signs for it.
pub struct MyCert {
    pub cert: X509,
    /// The certificate as DER, the data of our CERT payload.
    pub der: Vec<u8>,
    pub key: PKey<Private>,
}

impl MyCert {
    /// The subject DN (DER): our ID for `my_identifier asn1dn` without a name.
    pub fn subject(&self) -> Vec<u8> {
        subject_der(&self.cert)
    }
}

/// What one `remote` section loaded.
#[derive(Default)]
pub struct RemoteCerts {
    pub mine: Option<MyCert>,
    /// `ca_type x509`: the CAs this remote trusts besides the hashed directory's.
    pub ca: Vec<X509>,
    /// `peers_certfile x509`: the peer's certificate, used instead of its CERT payload.
    pub peer: Option<X509>,
}

/// Every remote's certificates, by the remote's index in [`Config::remotes`].
#[derive(Default)]
pub struct CertStore {
    pub remotes: Vec<RemoteCerts>,
    /// The CA certificates of `path certificate`'s hashed links.
    pub dir_cas: Vec<X509>,
}

/// A file name as racoon's getpathname resolved it: absolute as written, otherwise
/// under `path certificate` when set.
pub fn cert_path(config: &Config, file: &str) -> String {
    match &config.paths.certificate {
        Some(dir) if !file.starts_with('/') => Path::new(&dir.value)
            .join(file)
            .to_string_lossy()
            .into_owned(),
        _ => file.to_owned(),
    }
}

/// Whether a file name is one of c_rehash's links: eight hex digits, a dot, a number.
fn hashed_name(name: &str) -> bool {
    let Some((hash, n)) = name.split_once('.') else {
        return false;
    };
    hash.len() == 8
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
}

impl CertStore {
    /// Reads every file the configuration names. The error is the line racoon prints:
    /// where the directive is, the file, and why.
    pub fn load(config: &Config) -> Result<CertStore, String> {
        let mut store = CertStore::default();
        for rm in &config.remotes {
            let at = &rm.location;
            let mut r = RemoteCerts::default();
            if let Some(Certificate::X509 { cert, key }) = &rm.certificate {
                let cert = load_cert(&cert_path(config, cert))
                    .map_err(|e| format!("{at}: failed to load certificate {e}"))?;
                let key = load_private_key(&cert_path(config, key))
                    .map_err(|e| format!("{at}: failed to load private key {e}"))?;
                let der = cert.to_der().unwrap_or_default();
                r.mine = Some(MyCert { cert, der, key });
            }
            if let Some(ca) = &rm.ca_file {
                r.ca = load_certs(&cert_path(config, ca))
                    .map_err(|e| format!("{at}: failed to load CA certificate {e}"))?;
            }
            if let Some(PeersCert::X509(peer)) = &rm.peers_certfile {
                r.peer = Some(
                    load_cert(&cert_path(config, peer))
                        .map_err(|e| format!("{at}: failed to load certificate {e}"))?,
                );
            }
            store.remotes.push(r);
        }
        if let Some(dir) = &config.paths.certificate {
            store.dir_cas = hashed_dir(&dir.value);
        }
        Ok(store)
    }

    /// The certificates of remote `i`, or none.
    pub fn remote(&self, i: usize) -> Option<&RemoteCerts> {
        self.remotes.get(i)
    }

    /// The CAs remote `i` trusts: its `ca_type` file and the hashed directory.
    pub fn trusted(&self, i: usize) -> Vec<X509> {
        let mut v: Vec<X509> = self.remote(i).map(|r| r.ca.clone()).unwrap_or_default();
        v.extend(self.dir_cas.iter().cloned());
        v
    }
}

/// The certificates behind the hashed links of a directory; files that are not
/// certificates are skipped, as OpenSSL's hash-directory lookup skips them.
fn hashed_dir(dir: &str) -> Vec<X509> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|e| hashed_name(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    names.sort();
    names
        .iter()
        .filter_map(|p| load_certs(&p.to_string_lossy()).ok())
        .flatten()
        .collect()
}

impl std::fmt::Debug for CertStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertStore")
            .field("remotes", &self.remotes.len())
            .field("dir_cas", &self.dir_cas.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::hashed_name;

    #[test]
    fn only_c_rehash_links_are_read() {
        assert!(hashed_name("1a2b3c4d.0"));
        assert!(hashed_name("ABCDEF01.12"));
        assert!(!hashed_name("ca.crt"));
        assert!(!hashed_name("1a2b3c4d"));
        assert!(!hashed_name("1a2b3c4.0"));
        assert!(!hashed_name("1a2b3c4d.r0"));
    }
}
