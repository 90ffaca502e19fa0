//! Main mode with RSA signatures (RFC 2409 5.1), as racoon's oakley_validate_auth and
//! friends did it:
//!
//! ```text
//! I: HDR, SA                              -->
//!                                         <--   HDR, SA
//! I: HDR, KE, Ni [, CR]                   -->
//!                                         <--   HDR, KE, Nr [, CR]
//! I: HDR*, IDii, [CERT,] SIG_I            -->
//!                                         <--   HDR*, IDir, [CERT,] SIG_R
//! ```
//!
//! SKEYID = prf(Ni_b | Nr_b, g^xy); SIG_I / SIG_R are HASH_I / HASH_R signed with the
//! key of `certificate_type x509` (PKCS#1 v1.5, no DigestInfo). CR payloads name the
//! `ca_type` CA (or `peers_certfile`'s issuer) when `send_cr` is on; CERT carries our
//! certificate when `send_cert` is on. The peer's certificate (its CERT payload, or
//! `peers_certfile`) is verified against the CAs when `verify_cert` is on, must vouch
//! for the peer's ID, and its key must have made the SIG; any failure ends the
//! negotiation with the original's log line and notify.

use super::ident;
use super::main_mode::Ignore;
use super::Engine;
use crate::conf::{Identifier, LogLevel};
use crate::crypto::x509::{self, AltKind};
use crate::crypto::{rsa_sign, rsa_verify, skeyid_psk, skeyid_sig, CertStore, Prf, Secret};
use crate::isakmp::{
    AuthMethod, CertEncoding, IdData, Identification, NotifyType, Payload, ProtocolId,
};
use openssl::x509::X509;
use std::sync::Arc;

/// Why the peer's certificate does not vouch for its ID: the lines racoon logged and
/// the notify it answered with; `fatal` false when racoon only logged it.
struct CertIdMismatch {
    lines: Vec<String>,
    notify: NotifyType,
    fatal: bool,
}

impl Engine {
    /// Certificates and keys for signature authentication, loaded with the
    /// configuration ([`CertStore::load`]); replaced with it on reload.
    pub fn set_certs(&mut self, certs: Arc<CertStore>) {
        self.certs = certs;
    }

    /// Whether phase 1 `i` authenticates with RSA signatures.
    pub(super) fn uses_rsasig(&self, i: usize) -> bool {
        self.ph1s[i]
            .choice
            .is_some_and(|c| c.auth == AuthMethod::RsaSignature)
    }

    /// The CR payload of messages 3 and 4 with signature authentication and `send_cr`
    /// on: the DN of `peers_certfile`'s issuer, else of the `ca_type` CA; none if neither
    /// is configured (oakley_append_rmconf_cr).
    pub(super) fn cert_requests(&mut self, i: usize) -> Vec<Payload> {
        let rmconf = self.ph1s[i].rmconf;
        let rsasig = self.uses_rsasig(i);
        self.cert_requests_for(rmconf, rsasig)
    }

    /// [`Engine::cert_requests`] before a proposal is chosen (aggressive mode's first
    /// message): `rsasig` says whether the method offered first is signatures.
    pub(super) fn cert_requests_for(&mut self, rmconf: usize, rsasig: bool) -> Vec<Payload> {
        if !rsasig || !self.config.remotes[rmconf].send_cr {
            return Vec::new();
        }
        let Some(r) = self.certs.remote(rmconf) else {
            return Vec::new();
        };
        let authority = if let Some(peer) = &r.peer {
            x509::name_der(peer.issuer_name())
        } else if let Some(ca) = r.ca.first() {
            x509::subject_der(ca)
        } else {
            return Vec::new();
        };
        self.log(
            LogLevel::Debug,
            format!("appending CR: {}", CertEncoding::X509Signature),
        );
        vec![Payload::CertificateRequest {
            encoding: CertEncoding::X509Signature,
            authority,
        }]
    }

    /// SKEYID for the negotiated authentication method: from the pre-shared key, or
    /// `prf(Ni_b | Nr_b, g^xy)` with signatures.
    pub(super) fn skeyid(&mut self, i: usize, prf: &Prf, g_xy: &[u8]) -> Result<Secret, Ignore> {
        let fatal = |e: crate::crypto::CryptoError| Ignore::Fatal(e.to_string());
        if self.uses_rsasig(i) {
            let p = &self.ph1s[i];
            return skeyid_sig(prf, &p.ni, &p.nr, g_xy).map_err(fatal);
        }
        let psk = self.preshared_key(i)?;
        let p = &self.ph1s[i];
        skeyid_psk(prf, &psk, &p.ni, &p.nr).map_err(fatal)
    }

    /// Our phase-1 ID with certificates: `my_identifier asn1dn` is the certificate's
    /// subject, or the DN written; other identifiers as without certificates.
    fn cert_phase1_id(&self, i: usize) -> Result<Identification, Ignore> {
        let p = &self.ph1s[i];
        self.phase1_id_for(p.rmconf, p.local.ip())
    }

    /// Our phase-1 ID for remote `rmconf`, sent from `local`: `my_identifier asn1dn` as
    /// above, any other identifier as [`ident::phase1_id`] makes it.
    pub(super) fn phase1_id_for(
        &self,
        rmconf: usize,
        local: std::net::IpAddr,
    ) -> Result<Identification, Ignore> {
        let rm = &self.config.remotes[rmconf];
        let dn = |der| Identification {
            protocol: 0,
            port: 0,
            data: IdData::DerAsn1Dn(der),
        };
        match &rm.my_identifier {
            Some(Identifier::Asn1Dn(None)) => {
                let mine = self
                    .certs
                    .remote(rmconf)
                    .and_then(|r| r.mine.as_ref())
                    .ok_or_else(|| Ignore::Fatal("failed to get subjectName".to_owned()))?;
                Ok(dn(mine.subject()))
            }
            Some(Identifier::Asn1Dn(Some(text))) => x509::dn_text_to_der(text)
                .map(dn)
                .ok_or_else(|| Ignore::Fatal(format!("failed to set ID: invalid DN {text}"))),
            other => Ok(ident::phase1_id(other.as_ref(), local)),
        }
    }

    /// HDR*, ID, [CERT,] SIG: message 5 or 6 with signature authentication.
    pub(super) fn id_sig_message(&mut self, i: usize) -> Result<Vec<u8>, Ignore> {
        let rmconf = self.ph1s[i].rmconf;
        let id = self.cert_phase1_id(i)?;
        self.id_auth_message(i, id, |e, hash| e.sig_payloads(rmconf, &hash))
    }

    /// [CERT,] SIG: our certificate (when `send_cert`) and `hash` signed with its key.
    fn sig_payloads(&self, rmconf: usize, hash: &[u8]) -> Result<Vec<Payload>, Ignore> {
        let mine = self
            .certs
            .remote(rmconf)
            .and_then(|r| r.mine.as_ref())
            .ok_or_else(|| Ignore::Fatal("Unknown certtype #0".to_owned()))?;
        let sig =
            rsa_sign(&mine.key, hash).map_err(|_| Ignore::Fatal("failed to sign.".to_owned()))?;
        let mut payloads = Vec::new();
        if self.config.remotes[rmconf].send_cert {
            payloads.push(Payload::Certificate {
                encoding: CertEncoding::X509Signature,
                data: mine.der.clone(),
            });
        }
        payloads.push(Payload::Signature(sig));
        Ok(payloads)
    }

    /// Aggressive mode: HASH_I / HASH_R over our ID as sent (`id_b`), as a HASH payload,
    /// or signed ([CERT,] SIG) with signature authentication.
    pub(super) fn own_auth_payloads(&self, i: usize) -> Result<Vec<Payload>, Ignore> {
        let hash = self.own_auth_hash(i, &self.ph1s[i].id_b)?;
        if self.uses_rsasig(i) {
            self.sig_payloads(self.ph1s[i].rmconf, &hash)
        } else {
            Ok(vec![Payload::Hash(hash)])
        }
    }

    /// Aggressive mode: authenticates the peer whose ID came in its first message by
    /// the CERT and SIG of `payloads`.
    pub(super) fn aggressive_peer_sig(
        &mut self,
        i: usize,
        payloads: &[Payload],
        received_iv: Option<&[u8]>,
    ) -> Result<(), Ignore> {
        let peer = self.ph1s[i]
            .peer_id
            .clone()
            .ok_or_else(|| Ignore::Fatal("no ID payload was passed.".to_owned()))?;
        self.authenticate_peer(i, &peer.id, &peer.body, payloads, received_iv)
    }

    /// Decrypts HDR*, ID, [CERT,] SIG and authenticates the peer; returns the next IV.
    pub(super) fn check_id_sig(&mut self, i: usize, bytes: &[u8]) -> Result<Vec<u8>, Ignore> {
        let m = self.decrypt_id_message(i, bytes)?;
        let (Some(id), Some(idp_b)) = (m.id().cloned(), m.idp_b.as_deref()) else {
            return Err(self.auth_failed(
                i,
                Some(&m.next_iv),
                "no ID payload was passed.",
                Some(NotifyType::PayloadMalformed),
            ));
        };
        self.authenticate_peer(i, &id, idp_b, &m.msg.payloads, Some(&m.next_iv))?;
        self.ph1s[i].id_p = Some(id);
        self.initial_contacts(i, &m.msg.payloads);
        Ok(m.next_iv)
    }

    /// The peer's CERT (the first X.509 signature one) and SIG among `payloads`.
    fn cert_and_sig(&mut self, payloads: &[Payload]) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
        let mut sig = None;
        let mut cert_der = None;
        for pl in payloads {
            match pl {
                Payload::Signature(s) if sig.is_none() => sig = Some(s.clone()),
                Payload::Certificate { encoding, data } => {
                    if *encoding != CertEncoding::X509Signature {
                        self.log(
                            LogLevel::Error,
                            format!("No supported such CERT type {}", encoding.value()),
                        );
                    } else if cert_der.is_some() {
                        self.log(LogLevel::Warning, "ignore 2nd CERT payload.".to_owned());
                    } else {
                        cert_der = Some(data.clone());
                    }
                }
                _ => {}
            }
        }
        (cert_der, sig)
    }

    /// oakley_validate_auth for signatures: the peer whose ID payload is `id` (body
    /// `idp_b`) sent `payloads` with its CERT and SIG. `received_iv` is the IV after the
    /// encrypted message they came in, for the notify of a failure.
    pub(super) fn authenticate_peer(
        &mut self,
        i: usize,
        id: &Identification,
        idp_b: &[u8],
        payloads: &[Payload],
        received_iv: Option<&[u8]>,
    ) -> Result<(), Ignore> {
        let (cert_der, sig) = self.cert_and_sig(payloads);
        let rmconf = self.ph1s[i].rmconf;
        let rm = &self.config.remotes[rmconf];
        let (verify_cert, verify_identifier) = (rm.verify_cert, rm.verify_identifier);
        // oakley_savecert: a certificate that does not vouch for the ID is dropped.
        let mut cert = match cert_der.as_deref().map(x509::parse_cert) {
            Some(Ok(x)) => Some(x),
            Some(Err(why)) => {
                self.log(
                    LogLevel::Error,
                    format!("failed to parse the peer's certificate: {why}"),
                );
                None
            }
            None => None,
        };
        if let (Some(x), true) = (&cert, verify_cert) {
            if let Err(m) = cert_vouches_for(x, id, verify_identifier) {
                for line in m.lines {
                    self.log(LogLevel::Error, line);
                }
                if m.fatal {
                    self.log(
                        LogLevel::Debug,
                        "Discarding CERT: does not match ID.".to_owned(),
                    );
                    cert = None;
                }
            }
        }
        self.check_peer_id(rmconf, id)?;
        let Some(sig) = sig else {
            return Err(self.auth_failed(
                i,
                received_iv,
                "no SIG payload was passed.",
                Some(NotifyType::PayloadMalformed),
            ));
        };
        let certs = Arc::clone(&self.certs);
        let peer_file = certs.remote(rmconf).and_then(|r| r.peer.clone());
        let cert: X509 = match (peer_file, cert) {
            (Some(file), _) => file,
            (None, Some(x)) => {
                if verify_cert {
                    if let Err(f) = x509::verify_chain(&x, &certs.trusted(rmconf), &[]) {
                        self.log(LogLevel::Error, f.to_string());
                        return Err(self.auth_failed(
                            i,
                            received_iv,
                            "the peer's certificate is not verified.",
                            Some(NotifyType::InvalidCertAuthority),
                        ));
                    }
                }
                x
            }
            (None, None) => {
                return Err(self.auth_failed(i, received_iv, "no peer's CERT payload found.", None))
            }
        };
        if verify_cert {
            if let Err(m) = cert_vouches_for(&cert, id, verify_identifier) {
                let last = m.lines.len().saturating_sub(1);
                for (n, line) in m.lines.iter().enumerate() {
                    if !(m.fatal && n == last) {
                        self.log(LogLevel::Error, line.clone());
                    }
                }
                if m.fatal {
                    let why = m.lines.last().cloned().unwrap_or_default();
                    return Err(self.auth_failed(i, received_iv, &why, Some(m.notify)));
                }
            }
            self.log(LogLevel::Debug, "CERT validated".to_owned());
        } else {
            self.log(
                LogLevel::Warning,
                "CERT validation disabled by configuration".to_owned(),
            );
        }
        let expected = self.peer_auth_hash(i, idp_b)?;
        let good = x509::rsa_public_key(&cert).is_some_and(|k| rsa_verify(&k, &expected, &sig));
        if !good {
            return Err(self.auth_failed(
                i,
                received_iv,
                "Invalid SIG.",
                Some(NotifyType::InvalidSignature),
            ));
        }
        self.log(LogLevel::Debug, "SIG authenticated".to_owned());
        Ok(())
    }

    /// Tells the peer why (unless racoon had no notify for it, an internal error) and
    /// ends the negotiation with `why` as its reason.
    fn auth_failed(
        &mut self,
        i: usize,
        received_iv: Option<&[u8]>,
        why: &str,
        notify: Option<NotifyType>,
    ) -> Ignore {
        if let Some(kind) = notify {
            let saved = received_iv.map(|iv| std::mem::replace(&mut self.ph1s[i].iv, iv.to_vec()));
            self.send_notify(i, ProtocolId::Isakmp, Vec::new(), kind, Vec::new());
            if let Some(iv) = saved {
                self.ph1s[i].iv = iv;
            }
        }
        Ignore::Fatal(why.to_owned())
    }
}

/// oakley_check_certid: whether the certificate names the peer's ID — its subject for a
/// DN, a subjectAltName of the ID's kind for addresses and names.
fn cert_vouches_for(
    cert: &X509,
    id: &Identification,
    verify_identifier: bool,
) -> Result<(), CertIdMismatch> {
    let refuse = |line: &str, notify| CertIdMismatch {
        lines: vec![line.to_owned()],
        notify,
        fatal: true,
    };
    let (kind, want): (AltKind, Vec<u8>) = match &id.data {
        IdData::DerAsn1Dn(d) => {
            let subject = x509::subject_der(cert);
            if subject.len() != d.len() {
                return Err(refuse(
                    "Invalid ID length in phase 1.",
                    NotifyType::InvalidIdInformation,
                ));
            }
            if subject != *d {
                return Err(CertIdMismatch {
                    lines: vec!["ID mismatched with ASN1 SubjectName.".to_owned()],
                    notify: NotifyType::InvalidIdInformation,
                    fatal: verify_identifier,
                });
            }
            return Ok(());
        }
        IdData::Ipv4(a) => (AltKind::Ip, a.octets().to_vec()),
        IdData::Ipv6(a) => (AltKind::Ip, a.octets().to_vec()),
        IdData::Fqdn(n) => (AltKind::Dns, n.clone()),
        IdData::UserFqdn(n) => (AltKind::Email, n.clone()),
        other => {
            return Err(refuse(
                &format!("Inpropper ID type passed: {}.", other.id_type()),
                NotifyType::InvalidIdInformation,
            ))
        }
    };
    let Some(alt) = x509::alt_names(cert, kind).into_iter().next() else {
        return Err(refuse(
            "no proper subjectAltName.",
            NotifyType::InvalidCertificate,
        ));
    };
    if kind == AltKind::Ip {
        if x509::alt_ip(&alt).is_none() {
            return Err(refuse(
                "no proper subjectAltName.",
                NotifyType::InvalidCertificate,
            ));
        }
        if alt != want {
            return Err(CertIdMismatch {
                lines: vec!["ID mismatched with subjectAltName.".to_owned()],
                notify: NotifyType::InvalidIdInformation,
                fatal: verify_identifier,
            });
        }
        return Ok(());
    }
    if alt.len() != want.len() {
        return Err(refuse(
            "Invalid ID length in phase 1.",
            NotifyType::InvalidIdInformation,
        ));
    }
    if alt != want {
        return Err(refuse("ID mismatched.", NotifyType::InvalidIdInformation));
    }
    Ok(())
}
