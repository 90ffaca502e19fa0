//! HASH_I / HASH_R (RFC 2409 5) and the encrypted ID message of main mode around them,
//! shared by main and aggressive mode, with pre-shared keys and with signatures:
//!
//! ```text
//! HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
//! HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
//! ```

use super::main_mode::{raw_body, Ignore};
use super::ph1::{Ph1, Ph1Crypto, Side};
use super::Engine;
use crate::crypto::Phase1Transcript;
use crate::isakmp::{
    decrypt_message, encrypt_message, ExchangeType, Flags, Header, Identification, Message,
    NotifyType, Payload, PayloadType, RawPayloads,
};

/// The keys of phase 1 `p`, which exist once its KE and nonces are exchanged.
fn keys(p: &Ph1) -> Result<&Ph1Crypto, Ignore> {
    p.crypto
        .as_ref()
        .ok_or_else(|| Ignore::Fatal("no keys".into()))
}

/// What HASH_I and HASH_R of phase 1 `p` are computed over, but for the ID.
fn transcript(p: &Ph1) -> Phase1Transcript<'_> {
    Phase1Transcript {
        g_xi: &p.g_xi,
        g_xr: &p.g_xr,
        cky_i: &p.icookie,
        cky_r: &p.rcookie,
        sai_b: &p.sai_b,
    }
}

/// The body of `id` as an Identification payload carries it (IDii_b / IDir_b).
fn id_body(id: &Identification) -> Result<Vec<u8>, Ignore> {
    let msg = Message {
        header: Header::new(
            [0; 8],
            [0; 8],
            ExchangeType::IdentityProtection,
            Flags(0),
            0,
        ),
        payloads: vec![Payload::Identification(id.clone())],
    };
    let encoded = msg.encode().map_err(|e| Ignore::Fatal(e.to_string()))?;
    Ok(raw_body(&encoded, PayloadType::Identification).unwrap_or_default())
}

/// A main mode message 5 or 6 decrypted: its payloads, the body of its ID payload
/// (if any) and the IV for the next message.
pub(super) struct IdMessage {
    pub msg: Message,
    pub idp_b: Option<Vec<u8>>,
    pub next_iv: Vec<u8>,
}

impl IdMessage {
    /// The peer's ID: the first Identification payload.
    pub fn id(&self) -> Option<&Identification> {
        self.msg.payloads.iter().find_map(|p| match p {
            Payload::Identification(id) => Some(id),
            _ => None,
        })
    }
}

impl Engine {
    /// Our hash over our ID payload body `id_b`: HASH_I when we initiated, else HASH_R.
    pub(super) fn own_auth_hash(&self, i: usize, id_b: &[u8]) -> Result<Vec<u8>, Ignore> {
        self.auth_hash(i, self.ph1s[i].side == Side::Initiator, id_b)
    }

    /// The hash the peer must have made over its ID payload body `idp_b`: HASH_R when
    /// we initiated, else HASH_I.
    pub(super) fn peer_auth_hash(&self, i: usize, idp_b: &[u8]) -> Result<Vec<u8>, Ignore> {
        self.auth_hash(i, self.ph1s[i].side != Side::Initiator, idp_b)
    }

    /// HASH_I over the initiator's ID body `id_b` (`by_initiator`), else HASH_R over
    /// the responder's.
    fn auth_hash(&self, i: usize, by_initiator: bool, id_b: &[u8]) -> Result<Vec<u8>, Ignore> {
        let p = &self.ph1s[i];
        let c = keys(p)?;
        let t = transcript(p);
        if by_initiator {
            t.hash_i(&c.prf, &c.keys.skeyid, id_b)
        } else {
            t.hash_r(&c.prf, &c.keys.skeyid, id_b)
        }
        .map_err(|e| Ignore::Fatal(e.to_string()))
    }

    /// HDR*, ID, AUTH: main mode message 5 or 6 with our ID `id`, where `auth` turns
    /// our hash over it into the payloads that follow (HASH, or [CERT,] SIG).
    /// Encrypted; advances the IV and keeps the ID body for later hashes.
    pub(super) fn id_auth_message(
        &mut self,
        i: usize,
        id: Identification,
        auth: impl FnOnce(&Self, Vec<u8>) -> Result<Vec<Payload>, Ignore>,
    ) -> Result<Vec<u8>, Ignore> {
        let id_b = id_body(&id)?;
        let hash = self.own_auth_hash(i, &id_b)?;
        let mut payloads = vec![Payload::Identification(id)];
        payloads.extend(auth(self, hash)?);
        let p = &self.ph1s[i];
        let c = keys(p)?;
        let msg = Message {
            header: Header::new(
                p.icookie,
                p.rcookie,
                ExchangeType::IdentityProtection,
                Flags::ENCRYPTION,
                0,
            ),
            payloads,
        };
        let e =
            encrypt_message(&msg, &c.cipher, &p.iv).map_err(|e| Ignore::Fatal(e.to_string()))?;
        let p = &mut self.ph1s[i];
        p.iv = e.next_iv;
        p.id_b = id_b;
        Ok(e.datagram)
    }

    /// Decrypts main mode message 5 or 6 (HDR*, ID, ...), which must be encrypted.
    pub(super) fn decrypt_id_message(&self, i: usize, bytes: &[u8]) -> Result<IdMessage, Ignore> {
        let p = &self.ph1s[i];
        let c = keys(p)?;
        let header = Header::decode(bytes).map_err(|e| Ignore::Loud(e.to_string()))?;
        if !header.flags.contains(Flags::ENCRYPTION) {
            return Err(Ignore::Loud(
                "reject the packet, expecting the packet encrypted.".to_owned(),
            ));
        }
        // A wrong pre-shared key gives wrong keys, and the body decrypts to garbage whose
        // first payload length is out of range: the original's isakmp_parse says so at
        // debug level only and keeps waiting (the exchange then times out).
        let (msg, d) = decrypt_message(bytes, &c.cipher, &p.iv)
            .map_err(|_| Ignore::Quiet("invalid length of payload".to_owned()))?;
        let idp_b = RawPayloads::new(d.header.next_payload, &d.body, 0)
            .map_while(Result::ok)
            .find(|r| r.payload_type == PayloadType::Identification)
            .map(|r| r.body().to_vec());
        Ok(IdMessage {
            msg,
            idp_b,
            next_iv: d.next_iv,
        })
    }

    /// Acts on each INITIAL-CONTACT notify among `payloads`.
    pub(super) fn initial_contacts(&mut self, i: usize, payloads: &[Payload]) {
        for p in payloads {
            if let Payload::Notification(n) = p {
                if n.message_type == NotifyType::InitialContact {
                    self.initial_contact_received(i);
                }
            }
        }
    }
}
