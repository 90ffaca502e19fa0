//! The Transaction exchange (type 6) that carries XAuth and mode-cfg over an established
//! ISAKMP SA: HDR*, HASH, ATTR with HASH = prf(SKEYID_a, M-ID | ATTR), as informational
//! exchanges hash. Its IV, like quick mode's, starts from the last phase-1 block and the
//! message ID, then chains through every message of the same ID (a REQUEST and its
//! REPLY, a SET and its ACK); a message with another ID starts afresh, as racoon's
//! isakmp_cfg_newiv did.

use super::modecfg::CfgIv;
use super::{wire, Engine};
use crate::conf::LogLevel;
use crate::crypto::{ct_eq, informational_hash, message_iv};
use crate::isakmp::{ConfigPayload, ConfigType, ExchangeType, Flags, Header, Payload};
use std::net::SocketAddr;
use std::time::Instant;

impl Engine {
    /// Sends `cfg` over the ISAKMP SA of `ph1s[i]`: in a new exchange (fresh message ID
    /// and IV) or, with `msgid`, as the answer within the peer's exchange.
    pub(super) fn send_transaction(&mut self, i: usize, msgid: Option<u32>, cfg: &ConfigPayload) {
        let msgid = match msgid {
            Some(m) => m,
            None => {
                let m = self.random_u32_nonzero();
                self.ph1s[i].cfg.ivm = None;
                m
            }
        };
        let payload = match cfg.to_payload() {
            Ok(p) => p,
            Err(e) => {
                self.log(LogLevel::Error, format!("mode config message: {e}"));
                return;
            }
        };
        let p = &self.ph1s[i];
        let Some(c) = p.crypto.as_ref() else { return };
        let iv = match &p.cfg.ivm {
            Some(v) if v.msgid == msgid => Ok(v.iv.clone()),
            _ => message_iv(&c.hash, &p.iv, msgid, c.cipher.block_size()),
        };
        let Ok(iv) = iv else { return };
        let Some((bytes, next_iv)) =
            self.seal_hashed(i, ExchangeType::Transaction, msgid, &iv, &[payload])
        else {
            return;
        };
        let p = &self.ph1s[i];
        let (l, r) = (p.local, p.remote);
        self.ph1s[i].cfg.ivm = Some(CfgIv { msgid, iv: next_iv });
        self.log(LogLevel::Debug, format!("sendto mode config {}.", cfg.kind));
        self.send(l, r, bytes);
    }

    /// A Transaction exchange message from the peer.
    pub(super) fn transaction_packet(
        &mut self,
        now: Instant,
        remote: SocketAddr,
        header: &Header,
        bytes: &[u8],
    ) {
        let Some(i) = self
            .ph1_by_cookies(&header.initiator_cookie, &header.responder_cookie)
            .filter(|&i| self.ph1s[i].remote.ip() == remote.ip())
        else {
            self.log(
                LogLevel::Error,
                format!("mode config packet from {remote} for no known ISAKMP-SA, ignored"),
            );
            return;
        };
        if !header.flags.contains(Flags::ENCRYPTION) {
            self.log(
                LogLevel::Error,
                "User credentials sent in cleartext!".to_owned(),
            );
            return;
        }
        let msgid = header.message_id;
        let p = &self.ph1s[i];
        let Some(c) = p.crypto.as_ref().filter(|_| p.is_established()) else {
            self.log(
                LogLevel::Error,
                "ISAKMP mode config exchange with immature phase 1".to_owned(),
            );
            return;
        };
        let iv = match &p.cfg.ivm {
            Some(v) if v.msgid == msgid => Ok(v.iv.clone()),
            _ => message_iv(&c.hash, &p.iv, msgid, c.cipher.block_size()),
        };
        let Ok(iv) = iv else { return };
        let h = match wire::decrypt_hashed(bytes, &c.cipher, &iv) {
            Ok(h) => h,
            Err(e) => {
                self.log(LogLevel::Error, format!("failed to decrypt message: {e}"));
                return;
            }
        };
        let ok = informational_hash(&c.prf, &c.keys.skeyid_a, msgid, &h.after)
            .is_ok_and(|want| ct_eq(&want, &h.hash));
        if !ok {
            self.log(LogLevel::Error, "Hash verification failed".to_owned());
            return;
        }
        self.ph1s[i].cfg.ivm = Some(CfgIv {
            msgid,
            iv: h.next_iv.clone(),
        });
        self.remember(now, bytes, None);
        let id = self.ph1s[i].id;
        for p in &h.payloads {
            let Some(cfg) = ConfigPayload::from_payload(p) else {
                if !matches!(p, Payload::Hash(_)) {
                    self.log(
                        LogLevel::Warning,
                        format!("Unexpected next payload {}", p.payload_type().value()),
                    );
                }
                continue;
            };
            let cfg = match cfg {
                Ok(cfg) => cfg,
                Err(e) => {
                    self.log(LogLevel::Error, format!("Short attribute {e}"));
                    continue;
                }
            };
            // A failed login removes the handle: stop there.
            let Some(i) = self.ph1s.iter().position(|q| q.id == id) else {
                return;
            };
            self.log(
                LogLevel::Debug,
                format!("Configuration exchange type {}", cfg.kind),
            );
            match cfg.kind {
                ConfigType::Ack => self.ph1s[i].cfg.ivm = None,
                ConfigType::Reply => self.xauth_reply(now, i, &cfg),
                ConfigType::Request => self.modecfg_request(i, msgid, &cfg),
                ConfigType::Set => self.xauth_client_set(now, i, msgid, &cfg),
                ConfigType::Unknown(_) => self.log(
                    LogLevel::Warning,
                    format!(
                        "Unexpected configuration exchange type {}",
                        cfg.kind.value()
                    ),
                ),
            }
        }
    }
}
