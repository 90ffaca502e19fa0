//! X.509 certificates for signature authentication: reading certificate and key files
//! (PEM, or DER as racoon also took), distinguished names as ID payloads carry them (DER)
//! and as racoon.conf writes them (`C=JP, O=KAME, CN=gw`), chain verification against
//! the configured CAs, and the names a certificate vouches for (subject, subjectAltName).
//!
//! Nothing here reads a clock of its own: verification uses OpenSSL's notion of now,
//! as racoon's eay_check_x509cert did.

use openssl::pkey::{PKey, Private, Public};
use openssl::stack::Stack;
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::{X509Name, X509NameRef, X509StoreContext, X509};
use std::fmt;
use std::net::IpAddr;

/// Why a certificate or key file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertFileError {
    /// The file could not be read.
    Read { path: String, reason: String },
    /// Neither PEM nor DER of the expected kind.
    Parse { path: String, reason: String },
    /// A private key that is not RSA (racoon signs with RSA only).
    NotRsa { path: String, kind: String },
}

impl fmt::Display for CertFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertFileError::Read { path, reason } => write!(f, "\"{path}\": {reason}"),
            CertFileError::Parse { path, reason } => write!(f, "\"{path}\": {reason}"),
            CertFileError::NotRsa { path, kind } => {
                write!(f, "\"{path}\": a {kind} key, only RSA keys can sign")
            }
        }
    }
}

impl std::error::Error for CertFileError {}

fn read(path: &str) -> Result<Vec<u8>, CertFileError> {
    std::fs::read(path).map_err(|e| {
        let s = e.to_string();
        CertFileError::Read {
            path: path.to_owned(),
            reason: s.split(" (os error").next().unwrap_or(&s).to_owned(),
        }
    })
}

fn ssl_text(e: &openssl::error::ErrorStack) -> String {
    e.errors()
        .first()
        .and_then(|e| e.reason().map(str::to_owned))
        .unwrap_or_else(|| "not a certificate".to_owned())
}

/// Parses one certificate, PEM first, then DER.
pub fn parse_cert(bytes: &[u8]) -> Result<X509, String> {
    X509::from_pem(bytes)
        .or_else(|_| X509::from_der(bytes))
        .map_err(|e| ssl_text(&e))
}

/// Reads the first certificate of a file.
pub fn load_cert(path: &str) -> Result<X509, CertFileError> {
    let bytes = read(path)?;
    parse_cert(&bytes).map_err(|reason| CertFileError::Parse {
        path: path.to_owned(),
        reason,
    })
}

/// Every certificate of a PEM file (a CA bundle), or the one of a DER file.
pub fn load_certs(path: &str) -> Result<Vec<X509>, CertFileError> {
    let bytes = read(path)?;
    let parse_err = |reason| CertFileError::Parse {
        path: path.to_owned(),
        reason,
    };
    match X509::stack_from_pem(&bytes) {
        Ok(v) if !v.is_empty() => Ok(v),
        _ => X509::from_der(&bytes)
            .map(|c| vec![c])
            .map_err(|e| parse_err(ssl_text(&e))),
    }
}

/// Reads an RSA private key (PEM: PKCS#1 or PKCS#8; or DER); other key types are refused.
pub fn load_private_key(path: &str) -> Result<PKey<Private>, CertFileError> {
    let bytes = read(path)?;
    let key = PKey::private_key_from_pem(&bytes)
        .or_else(|_| PKey::private_key_from_der(&bytes))
        .map_err(|e| CertFileError::Parse {
            path: path.to_owned(),
            reason: ssl_text(&e),
        })?;
    if key.rsa().is_err() {
        return Err(CertFileError::NotRsa {
            path: path.to_owned(),
            kind: key_kind(key.id()),
        });
    }
    Ok(key)
}

fn key_kind(id: openssl::pkey::Id) -> String {
    use openssl::pkey::Id;
    match id {
        Id::DSA => "DSA".into(),
        Id::EC => "EC".into(),
        Id::ED25519 => "Ed25519".into(),
        Id::ED448 => "Ed448".into(),
        other => format!("type {}", other.as_raw()),
    }
}

/// The public key of a certificate, if it is RSA.
pub fn rsa_public_key(cert: &X509) -> Option<PKey<Public>> {
    cert.public_key().ok().filter(|k| k.rsa().is_ok())
}

/// A certificate's subject as DER, the body of an ID_DER_ASN1_DN.
pub fn subject_der(cert: &X509) -> Vec<u8> {
    cert.subject_name().to_der().unwrap_or_default()
}

/// A name as DER.
pub fn name_der(name: &X509NameRef) -> Vec<u8> {
    name.to_der().unwrap_or_default()
}

/// Splits racoon.conf's DN text (`C=JP, O=KAME, CN=gw`) at unescaped commas into
/// trimmed `(field, value)` pairs; `\,` keeps a comma in a value.
fn dn_fields(text: &str) -> Option<Vec<(String, String)>> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => cur.push(chars.next()?),
            ',' => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    parts
        .into_iter()
        .map(|p| {
            let (k, v) = p.split_once('=')?;
            let (k, v) = (k.trim(), v.trim());
            (!k.is_empty()).then(|| (k.to_owned(), v.to_owned()))
        })
        .collect()
}

/// racoon.conf's DN text as an X.509 name, entries in the order written (UTF8String
/// values, as `openssl req` writes them).
pub fn parse_dn(text: &str) -> Option<X509Name> {
    let fields = dn_fields(text)?;
    let mut b = X509Name::builder().ok()?;
    for (k, v) in fields {
        b.append_entry_by_text(&k, &v).ok()?;
    }
    Some(b.build())
}

/// DER of racoon.conf's DN text, or `None` if a field is unknown.
pub fn dn_text_to_der(text: &str) -> Option<Vec<u8>> {
    parse_dn(text).map(|n| name_der(&n))
}

/// The value of a name entry as text.
fn entry_text(e: &openssl::x509::X509NameEntryRef) -> String {
    e.data().to_string().unwrap_or_default()
}

/// A name in OpenSSL's one-line form, `/C=JP/O=KAME/CN=gw`, as racoon logged subjects.
pub fn oneline(name: &X509NameRef) -> String {
    name.entries()
        .map(|e| {
            let key = e.object().nid().short_name().unwrap_or("?").to_owned();
            let val = entry_text(e);
            format!("/{key}={val}")
        })
        .collect()
}

/// Human-readable DN of DER bytes (`C=JP, O=KAME, CN=gw`), for log lines.
pub fn describe_dn(der: &[u8]) -> String {
    match X509Name::from_der(der) {
        Ok(n) => n
            .entries()
            .map(|e| {
                let key = e.object().nid().short_name().unwrap_or("?");
                let val = entry_text(e);
                format!("{key}={val}")
            })
            .collect::<Vec<_>>()
            .join(", "),
        Err(_) => "(invalid DN)".to_owned(),
    }
}

/// Whether a received DN (DER) is the one racoon.conf names, as racoon's
/// eay_cmp_asn1dn compared them: the same fields in the same order with equal values
/// (case and surrounding blanks aside); a value `*` on either side matches any value of
/// that field.
pub fn dn_matches(want_text: &str, got_der: &[u8]) -> bool {
    let (Some(want), Ok(got)) = (parse_dn(want_text), X509Name::from_der(got_der)) else {
        return false;
    };
    let a: Vec<_> = want.entries().collect();
    let b: Vec<_> = got.entries().collect();
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(&b).all(|(x, y)| {
        if x.object().nid() != y.object().nid() {
            return false;
        }
        let (vx, vy) = (entry_text(x), entry_text(y));
        vx == "*" || vy == "*" || vx.trim().eq_ignore_ascii_case(vy.trim())
    })
}

/// The subjectAltName entries of one kind a certificate carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AltKind {
    Dns,
    Email,
    Ip,
}

/// The certificate's subjectAltNames of `kind`: names as text, addresses as raw bytes.
pub fn alt_names(cert: &X509, kind: AltKind) -> Vec<Vec<u8>> {
    let Some(names) = cert.subject_alt_names() else {
        return Vec::new();
    };
    names
        .iter()
        .filter_map(|n| match kind {
            AltKind::Dns => n.dnsname().map(|s| s.as_bytes().to_vec()),
            AltKind::Email => n.email().map(|s| s.as_bytes().to_vec()),
            AltKind::Ip => n.ipaddress().map(<[u8]>::to_vec),
        })
        .collect()
}

/// The address an IP subjectAltName holds.
pub fn alt_ip(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

/// Why a chain did not verify: OpenSSL's code and text, the depth, and the subject of
/// the certificate there, which racoon logged as
/// `<text>(<code>) at depth:<d> SubjectName:<oneline>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyFailure {
    pub code: i32,
    pub text: String,
    pub depth: u32,
    pub subject: String,
}

impl fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}({}) at depth:{} SubjectName:{}",
            self.text, self.code, self.depth, self.subject
        )
    }
}

/// Verifies `cert` up to one of the trusted `cas` (OpenSSL's default checks: signatures,
/// validity periods, CA flags). Certificates in `untrusted` may complete the chain.
pub fn verify_chain(cert: &X509, cas: &[X509], untrusted: &[X509]) -> Result<(), VerifyFailure> {
    let internal = |what: &str| VerifyFailure {
        code: -1,
        text: what.to_owned(),
        depth: 0,
        subject: oneline(cert.subject_name()),
    };
    let mut b = X509StoreBuilder::new().map_err(|_| internal("no X509 store"))?;
    for ca in cas {
        // The same CA twice (file and directory) is no error.
        let _ = b.add_cert(ca.clone());
    }
    let store = b.build();
    let mut chain = Stack::new().map_err(|_| internal("no stack"))?;
    for c in untrusted {
        let _ = chain.push(c.clone());
    }
    let mut ctx = X509StoreContext::new().map_err(|_| internal("no X509 context"))?;
    let outcome = ctx.init(&store, cert, &chain, |c| {
        let ok = c.verify_cert()?;
        if ok {
            return Ok(Ok(()));
        }
        let depth = c.error_depth();
        let subject = c
            .current_cert()
            .map(|x| oneline(x.subject_name()))
            .unwrap_or_else(|| oneline(cert.subject_name()));
        Ok(Err(VerifyFailure {
            code: c.error().as_raw(),
            text: c.error().error_string().to_owned(),
            depth,
            subject,
        }))
    });
    match outcome {
        Ok(r) => r,
        Err(_) => Err(internal("X509_verify_cert failed")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(fields: &[(&str, &str)]) -> X509Name {
        let mut b = X509Name::builder().unwrap();
        for (k, v) in fields {
            b.append_entry_by_text(k, v).unwrap();
        }
        b.build()
    }

    #[test]
    fn dn_text_as_racoon_conf_writes_it() {
        let der = dn_text_to_der("C=JP, O=KAME\\, Inc., CN=gw.example").unwrap();
        let n = X509Name::from_der(&der).unwrap();
        assert_eq!(oneline(&n), "/C=JP/O=KAME, Inc./CN=gw.example");
        assert_eq!(describe_dn(&der), "C=JP, O=KAME, Inc., CN=gw.example");
        assert!(dn_text_to_der("C=JP, nonsense").is_none());
        assert!(dn_text_to_der("XX=JP").is_none());
    }

    #[test]
    fn dn_comparison_by_field_with_wildcards() {
        let got = name(&[("C", "JP"), ("O", "KAME"), ("CN", "gw2")])
            .to_der()
            .unwrap();
        assert!(dn_matches("C=JP, O=KAME, CN=gw2", &got));
        assert!(dn_matches("C=jp, O=kame, CN=GW2", &got));
        assert!(dn_matches("C=JP, O=KAME, CN=*", &got));
        assert!(!dn_matches("C=JP, O=KAME, CN=gw1", &got));
        assert!(!dn_matches("C=JP, CN=gw2", &got));
        assert!(!dn_matches("C=JP, CN=KAME, O=gw2", &got));
        assert!(!dn_matches("C=JP, O=KAME, CN=gw2", b"\x30\x03junk"));
    }
}
