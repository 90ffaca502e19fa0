//! Main mode (Identity Protection, RFC 2409 5) with pre-shared keys:
//!
//! ```text
//! I: HDR, SA                      -->   (MainI1)
//!                                 <--   HDR, SA            (MainR2)
//! I: HDR, KE, Ni                  -->   (MainI3)
//!                                 <--   HDR, KE, Nr        (MainR4)
//! I: HDR*, IDii, HASH_I           -->   (MainI5)
//!                                 <--   HDR*, IDir, HASH_R (established)
//! ```

use super::ph1::{Ph1, Ph1Crypto, Ph1State, Side};
use super::ph1_packet::Ph1Target;
use super::proposal::{self, Ph1Choice};
use super::retransmit::Retransmit;
use super::{ident, vendor_id, Engine};
use crate::conf::LogLevel;
use crate::crypto::{ct_eq, phase1_iv, Cipher, DhKeyPair, Hash, Phase1Keys};
use crate::isakmp::{ExchangeType, Flags, Header, Message, Payload, PayloadType, RawPayloads};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// The body of the first payload of type `ty` in an encoded message.
pub(super) fn raw_body(datagram: &[u8], ty: PayloadType) -> Option<Vec<u8>> {
    let header = Header::decode(datagram).ok()?;
    let body = datagram.get(Header::LEN..)?;
    RawPayloads::new(header.next_payload, body, Header::LEN)
        .map_while(Result::ok)
        .find(|r| r.payload_type == ty)
        .map(|r| r.body().to_vec())
}

impl Engine {
    pub(super) fn begin_main_mode(
        &mut self,
        now: Instant,
        local: SocketAddr,
        remote: SocketAddr,
        rmconf: usize,
    ) {
        let Some((_, sa)) = self.ph1_initiate(local, remote, rmconf, "Identity Protection") else {
            return;
        };
        let icookie: [u8; 8] = self.random(8).try_into().unwrap_or([1; 8]);
        let mut payloads = vec![Payload::Sa(sa)];
        if let Some(v) = vendor_id::ours() {
            payloads.push(Payload::VendorId(v));
        }
        payloads.extend(self.natt_vids(rmconf));
        payloads.extend(self.frag_vid(rmconf));
        payloads.extend(self.xauth_initiator_vids(rmconf));
        payloads.extend(self.dpd_vid(rmconf, None));
        let msg = Message {
            header: Header::new(
                icookie,
                [0; 8],
                ExchangeType::IdentityProtection,
                Flags(0),
                0,
            ),
            payloads,
        };
        let Ok(bytes) = msg.encode() else {
            self.log(LogLevel::Error, "failed to encode message 1".to_owned());
            return;
        };
        let sai_b = raw_body(&bytes, PayloadType::Sa).unwrap_or_default();
        let id = self.new_id();
        let timer = self.timer();
        self.ph1s.push(Ph1 {
            icookie,
            sai_b,
            retx: Some(Retransmit::new(now, &timer, local, remote, bytes.clone())),
            ..Ph1::start(
                id,
                Side::Initiator,
                Ph1State::MainI1,
                local,
                remote,
                rmconf,
                now,
                &timer,
            )
        });
        for _ in 0..timer.persend.max(1) {
            self.send(local, remote, bytes.clone());
        }
    }

    pub(super) fn main_mode_packet(
        &mut self,
        now: Instant,
        local: SocketAddr,
        remote: SocketAddr,
        header: &Header,
        bytes: &[u8],
    ) {
        let i = match self.ph1_target(remote, header, Ph1State::MainI1) {
            Ph1Target::Handle(i) => i,
            Ph1Target::New => return self.main_r1(now, local, remote, bytes),
            Ph1Target::Dropped => return,
        };
        let result = match self.ph1s[i].state {
            Ph1State::MainI1 => self.main_i2(now, i, bytes),
            Ph1State::MainR2 => self.main_r3(now, i, bytes),
            Ph1State::MainI3 => self.main_i4(now, i, bytes),
            Ph1State::MainR4 => self.main_r5(now, i, bytes),
            Ph1State::MainI5 => self.main_i6(now, i, bytes),
            _ => Err(Ignore::Quiet(
                "the packet arrived after the exchange ended".into(),
            )),
        };
        self.ph1_outcome(i, result);
    }

    /// Responder, message 1: HDR, SA.
    fn main_r1(&mut self, now: Instant, local: SocketAddr, remote: SocketAddr, bytes: &[u8]) {
        let msg = match Message::decode(bytes) {
            Ok(m) => m,
            Err(e) => {
                self.log(
                    LogLevel::Error,
                    format!("invalid packet from {remote}: {e}"),
                );
                return;
            }
        };
        let Some(rmconf) = self.find_remote(remote.ip()) else {
            self.log(
                LogLevel::Error,
                format!(
                    "couldn't find configuration for {}.",
                    common::addr::Endpoint::from(remote)
                ),
            );
            return;
        };
        let Some(rmconf) =
            self.remote_for_exchange(rmconf, remote.ip(), ExchangeType::IdentityProtection)
        else {
            return;
        };
        let (l, r) = (
            common::addr::Endpoint::from(local),
            common::addr::Endpoint::from(remote),
        );
        self.log(
            LogLevel::Info,
            format!("respond new phase 1 negotiation: {l}<=>{r}"),
        );
        self.log(LogLevel::Info, "begin Identity Protection mode.".to_owned());
        let mut sa = None;
        for p in &msg.payloads {
            match p {
                Payload::Sa(s) if sa.is_none() => sa = Some(s.clone()),
                Payload::VendorId(v) => self.log_vendor_id(v),
                _ => {}
            }
        }
        let Some(sa) = sa else {
            self.log(LogLevel::Error, "few isakmp message received.".to_owned());
            return;
        };
        let mut reasons = Vec::new();
        let Some((transform, choice, claim)) =
            proposal::select_ph1(&sa, &self.config.remotes[rmconf], &mut reasons)
        else {
            for why in reasons {
                self.log(LogLevel::Error, why);
            }
            self.log(LogLevel::Error, "no suitable proposal found.".to_owned());
            self.log(
                LogLevel::Error,
                format!("{} failed to get valid proposal.", remote.ip()),
            );
            // isakmp.c's ph1_main for a responder's first message, then isakmp_main.
            self.log(
                LogLevel::Error,
                format!(
                    "{} failed to pre-process ph1 packet (side: 1, status 1).",
                    remote.ip()
                ),
            );
            self.log(
                LogLevel::Error,
                format!("{} phase1 negotiation failed.", remote.ip()),
            );
            self.send_plain_notify(
                local,
                remote,
                &msg.header,
                crate::isakmp::NotifyType::NoProposalChosen,
            );
            return;
        };
        let rcookie: [u8; 8] = self.random(8).try_into().unwrap_or([2; 8]);
        let mut reply_sa = sa.clone();
        if let Some(p) = reply_sa.proposals.first_mut() {
            p.transforms = vec![transform];
        }
        reply_sa.proposals.truncate(1);
        let mut payloads = vec![Payload::Sa(reply_sa)];
        if let Some(v) = vendor_id::ours() {
            payloads.push(Payload::VendorId(v));
        }
        let natt = self.natt_offered(rmconf, &msg.payloads);
        payloads.extend(natt.map(|v| Payload::VendorId(v.vid())));
        payloads.extend(self.dpd_vid(rmconf, Some(&msg.payloads)));
        let (xauth, unity) = super::xauth::peer_vid_flags(&msg.payloads);
        payloads.extend(self.xauth_vids_for(xauth, unity));
        let reply = Message {
            header: Header::new(
                msg.header.initiator_cookie,
                rcookie,
                ExchangeType::IdentityProtection,
                Flags(0),
                0,
            ),
            payloads,
        };
        let Ok(out) = reply.encode() else { return };
        let id = self.new_id();
        let timer = self.timer();
        self.ph1s.push(Ph1 {
            icookie: msg.header.initiator_cookie,
            rcookie,
            sai_b: raw_body(bytes, PayloadType::Sa).unwrap_or_default(),
            choice: Some(choice),
            retx: Some(Retransmit::new(now, &timer, local, remote, out.clone())),
            claim_lifetime: claim,
            ..Ph1::start(
                id,
                Side::Responder,
                Ph1State::MainR2,
                local,
                remote,
                rmconf,
                now,
                &timer,
            )
        });
        self.dpd_peer_vids(self.ph1s.len() - 1, &msg.payloads);
        self.frag_peer_vids(self.ph1s.len() - 1, &msg.payloads);
        self.xauth_peer_vids(self.ph1s.len() - 1, &msg.payloads);
        let last = self.ph1s.len() - 1;
        self.ph1s[last].natt.version = natt;
        self.remember(now, bytes, Some((local, remote, out.clone())));
        self.send(local, remote, out);
    }

    pub(super) fn log_vendor_id(&mut self, v: &[u8]) {
        match vendor_id::name(v) {
            Some(n) if v.len() > 16 && n != "DPD" => {
                self.log(LogLevel::Info, format!("received broken Microsoft ID: {n}"))
            }
            Some(n) => self.log(LogLevel::Info, format!("received Vendor ID: {n}")),
            None => self.log(LogLevel::Debug, "received unknown Vendor ID".to_owned()),
        }
    }

    /// Initiator, message 2: HDR, SA. Answers with HDR, KE, Ni.
    fn main_i2(&mut self, now: Instant, i: usize, bytes: &[u8]) -> Result<(), Ignore> {
        let msg = Message::decode(bytes).map_err(|e| Ignore::Loud(e.to_string()))?;
        let offers = proposal::ph1_offers(&self.config.remotes[self.ph1s[i].rmconf]);
        let mut choice = None;
        for p in &msg.payloads {
            match p {
                Payload::Sa(sa) => choice = proposal::accept_ph1_reply(sa, &offers),
                Payload::VendorId(v) => self.log_vendor_id(v),
                Payload::Notification(n) => {
                    return Err(Ignore::Fatal(format!(
                        "fatal {} notify messsage, phase1 should be deleted.",
                        n.message_type
                    )))
                }
                _ => {}
            }
        }
        let choice = choice.ok_or_else(|| {
            Ignore::Fatal("the responder's SA is none of our proposals.".to_owned())
        })?;
        self.ph1s[i].rcookie = msg.header.responder_cookie;
        self.ph1s[i].choice = Some(choice);
        self.natt_take_vids(i, &msg.payloads);
        self.dpd_peer_vids(i, &msg.payloads);
        self.frag_peer_vids(i, &msg.payloads);
        self.xauth_peer_vids(i, &msg.payloads);
        let out = self.ke_nonce_message(i, choice)?;
        self.ph1s[i].state = Ph1State::MainI3;
        self.next_message(now, i, bytes, out, true);
        Ok(())
    }

    /// Builds HDR, KE, N with fresh DH and nonce values.
    fn ke_nonce_message(&mut self, i: usize, choice: Ph1Choice) -> Result<Vec<u8>, Ignore> {
        let natd = self.natd_payloads(i).map_err(Ignore::Fatal)?;
        let cr = self.cert_requests(i);
        let dh = DhKeyPair::generate(choice.group, self.rng.as_mut())
            .map_err(|e| Ignore::Fatal(format!("failed to generate DH: {e}")))?;
        let nonce_size = self.config.remotes[self.ph1s[i].rmconf].nonce_size;
        let nonce = self.random(usize::try_from(nonce_size.clamp(8, 256)).unwrap_or(16));
        let p = &mut self.ph1s[i];
        if p.side == Side::Initiator {
            p.g_xi = dh.public_value().to_vec();
            p.ni.clone_from(&nonce);
        } else {
            p.g_xr = dh.public_value().to_vec();
            p.nr.clone_from(&nonce);
        }
        let msg = Message {
            header: Header::new(
                p.icookie,
                p.rcookie,
                ExchangeType::IdentityProtection,
                Flags(0),
                0,
            ),
            payloads: [
                vec![
                    Payload::KeyExchange(dh.public_value().to_vec()),
                    Payload::Nonce(nonce),
                ],
                natd,
                cr,
            ]
            .concat(),
        };
        p.dh = Some(dh);
        msg.encode().map_err(|e| Ignore::Fatal(e.to_string()))
    }

    /// Records `received` as answered by `out`, sends it, and (if `retransmit`) keeps
    /// resending it until the next message arrives.
    pub(super) fn next_message(
        &mut self,
        now: Instant,
        i: usize,
        received: &[u8],
        out: Vec<u8>,
        retransmit: bool,
    ) {
        let (local, remote) = (self.ph1s[i].local, self.ph1s[i].remote);
        let timer = self.timer();
        self.ph1s[i].retx =
            retransmit.then(|| Retransmit::new(now, &timer, local, remote, out.clone()));
        self.remember(now, received, Some((local, remote, out.clone())));
        self.send(local, remote, out);
    }

    fn ke_nonce(msg: &Message) -> Option<(Vec<u8>, Vec<u8>)> {
        let mut ke = None;
        let mut nonce = None;
        for p in &msg.payloads {
            match p {
                Payload::KeyExchange(k) => ke = Some(k.clone()),
                Payload::Nonce(n) => nonce = Some(n.clone()),
                _ => {}
            }
        }
        Some((ke?, nonce?))
    }

    /// Responder, message 3: HDR, KE, Ni. Answers HDR, KE, Nr and derives the keys.
    fn main_r3(&mut self, now: Instant, i: usize, bytes: &[u8]) -> Result<(), Ignore> {
        let msg = Message::decode(bytes).map_err(|e| Ignore::Loud(e.to_string()))?;
        let (ke, ni) = Self::ke_nonce(&msg)
            .ok_or_else(|| Ignore::Loud("few isakmp message received.".to_owned()))?;
        let choice = self.ph1s[i]
            .choice
            .ok_or_else(|| Ignore::Fatal("no proposal".into()))?;
        self.ph1s[i].g_xi = ke;
        self.ph1s[i].ni = ni;
        self.natd_check(i, &msg.payloads);
        let out = self.ke_nonce_message(i, choice)?;
        self.derive_keys(i)?;
        self.ph1s[i].state = Ph1State::MainR4;
        self.next_message(now, i, bytes, out, true);
        Ok(())
    }

    /// Initiator, message 4: HDR, KE, Nr. Answers HDR*, IDii, HASH_I.
    fn main_i4(&mut self, now: Instant, i: usize, bytes: &[u8]) -> Result<(), Ignore> {
        let msg = Message::decode(bytes).map_err(|e| Ignore::Loud(e.to_string()))?;
        let (ke, nr) = Self::ke_nonce(&msg)
            .ok_or_else(|| Ignore::Loud("few isakmp message received.".to_owned()))?;
        self.ph1s[i].g_xr = ke;
        self.ph1s[i].nr = nr;
        self.natd_check(i, &msg.payloads);
        self.natt_float(now, i);
        self.derive_keys(i)?;
        let out = self.id_hash_message(i)?;
        self.ph1s[i].state = Ph1State::MainI5;
        self.next_message(now, i, bytes, out, true);
        Ok(())
    }

    /// SKEYID and its children, the cipher and the first IV.
    pub(super) fn derive_keys(&mut self, i: usize) -> Result<(), Ignore> {
        let p = &self.ph1s[i];
        let choice = p
            .choice
            .ok_or_else(|| Ignore::Fatal("no proposal".into()))?;
        let fatal = |e: crate::crypto::CryptoError| Ignore::Fatal(e.to_string());
        let p = &self.ph1s[i];
        let dh = p.dh.as_ref().ok_or_else(|| Ignore::Fatal("no DH".into()))?;
        let peer_pub = if p.side == Side::Initiator {
            &p.g_xr
        } else {
            &p.g_xi
        };
        let g_xy = dh.shared_secret(peer_pub).map_err(fatal)?;
        let hash = Hash::new(choice.hash).map_err(fatal)?;
        let prf = hash.prf();
        let skeyid = self.skeyid(i, &prf, g_xy.as_bytes())?;
        let p = &self.ph1s[i];
        let key_len = Cipher::key_bytes(choice.encryption, choice.key_length).map_err(fatal)?;
        let keys = Phase1Keys::derive(
            &prf,
            skeyid,
            g_xy.as_bytes(),
            &p.icookie,
            &p.rcookie,
            key_len,
        )
        .map_err(fatal)?;
        let cipher =
            Cipher::new(choice.encryption, keys.encryption_key.as_bytes()).map_err(fatal)?;
        let iv = phase1_iv(&hash, &p.g_xi, &p.g_xr, cipher.block_size()).map_err(fatal)?;
        let p = &mut self.ph1s[i];
        p.iv = iv;
        p.crypto = Some(Ph1Crypto {
            hash,
            prf,
            keys,
            cipher,
        });
        Ok(())
    }

    /// HDR*, ID, HASH_I (initiator) or HASH_R (responder), encrypted; advances the IV.
    fn id_hash_message(&mut self, i: usize) -> Result<Vec<u8>, Ignore> {
        if self.uses_rsasig(i) {
            return self.id_sig_message(i);
        }
        let rm = &self.config.remotes[self.ph1s[i].rmconf];
        let id = ident::phase1_id(rm.my_identifier.as_ref(), self.ph1s[i].local.ip());
        self.id_auth_message(i, id, |_, hash| Ok(vec![Payload::Hash(hash)]))
    }

    /// Decrypts HDR*, ID, HASH and checks the peer's HASH_I / HASH_R.
    fn check_id_hash(&mut self, i: usize, bytes: &[u8]) -> Result<Vec<u8>, Ignore> {
        if self.uses_rsasig(i) {
            return self.check_id_sig(i, bytes);
        }
        let m = self.decrypt_id_message(i, bytes)?;
        let their_hash = m.msg.payloads.iter().find_map(|p| match p {
            Payload::Hash(h) => Some(h),
            _ => None,
        });
        let (Some(idp_b), Some(their_hash)) = (&m.idp_b, their_hash) else {
            return Err(Ignore::Loud("few isakmp message received.".to_owned()));
        };
        let expected = self.peer_auth_hash(i, idp_b)?;
        if !ct_eq(&expected, their_hash) {
            self.send_invalid_hash(i, Some(m.next_iv.clone()));
            return Err(Ignore::Loud("HASH mismatched".to_owned()));
        }
        let rmconf = self.ph1s[i].rmconf;
        if let Some(id) = m.id() {
            self.check_peer_id(rmconf, id)?;
            self.ph1s[i].id_p = Some(id.clone());
        }
        self.initial_contacts(i, &m.msg.payloads);
        Ok(m.next_iv)
    }

    /// Responder, message 5: HDR*, IDii, HASH_I. Answers HDR*, IDir, HASH_R.
    fn main_r5(&mut self, now: Instant, i: usize, bytes: &[u8]) -> Result<(), Ignore> {
        let next_iv = self.check_id_hash(i, bytes)?;
        self.ph1s[i].iv = next_iv;
        let out = self.id_hash_message(i)?;
        self.next_message(now, i, bytes, out, false);
        self.established(now, i);
        Ok(())
    }

    /// Initiator, message 6: HDR*, IDir, HASH_R.
    fn main_i6(&mut self, now: Instant, i: usize, bytes: &[u8]) -> Result<(), Ignore> {
        let next_iv = self.check_id_hash(i, bytes)?;
        self.ph1s[i].iv = next_iv;
        self.remember(now, bytes, None);
        self.established(now, i);
        Ok(())
    }

    pub(super) fn established(&mut self, now: Instant, i: usize) {
        let lifetime = self.ph1s[i]
            .choice
            .map_or(crate::conf::DEFAULT_PHASE1_LIFETIME, |c| c.lifetime);
        let p = &mut self.ph1s[i];
        p.state = Ph1State::Established;
        p.retx = None;
        p.established_at = Some(now);
        p.expire_at = now + Duration::from_secs(lifetime.max(1));
        let (l, r, idx) = (p.local_ep(), p.remote_ep(), p.index());
        let initiator = p.side == Side::Initiator;
        let claim = p.claim_lifetime;
        self.log(
            LogLevel::Info,
            format!("ISAKMP-SA established {l}-{r} spi:{idx}"),
        );
        if initiator && self.config.remotes[self.ph1s[i].rmconf].initial_contact {
            let first = !self.ph1s.iter().enumerate().any(|(j, q)| {
                j != i && q.is_established() && q.remote.ip() == self.ph1s[i].remote.ip()
            });
            if first {
                self.send_initial_contact(now, i);
            }
        }
        if claim {
            // We shortened the initiator's lifetime (proposal_check claim): say so.
            let spi = [self.ph1s[i].icookie, self.ph1s[i].rcookie].concat();
            let data = lifetime_attributes(lifetime, 0);
            self.send_notify(
                i,
                crate::isakmp::ProtocolId::Isakmp,
                spi,
                crate::isakmp::NotifyType::ResponderLifetime,
                data,
            );
        }
        self.script_hook(i, super::script::ScriptEvent::Phase1Up);
        self.dpd_start(now, i);
        self.xauth_start(i);
        self.ph1_established(now, i);
    }
}

/// Why a packet was not taken.
pub(super) enum Ignore {
    /// Expected noise (late duplicates): debug log only.
    Quiet(String),
    /// Logged as an error; the negotiation goes on (the peer may retransmit).
    Loud(String),
    /// Logged; the negotiation is abandoned.
    Fatal(String),
}

/// LifeType seconds and LifeDuration (then kilobytes and theirs, unless 0) as the data
/// of a RESPONDER-LIFETIME notify (the phase-1 and IPsec DOI classes have the same
/// numbers for these two).
pub(super) fn lifetime_attributes(seconds: u64, kilobytes: u64) -> Vec<u8> {
    use crate::isakmp::{IpsecAttribute, LifeType};
    let mut data = Vec::new();
    let mut lives = vec![
        IpsecAttribute::LifeType(LifeType::Seconds),
        IpsecAttribute::LifeDuration(seconds),
    ];
    if kilobytes != 0 {
        lives.extend([
            IpsecAttribute::LifeType(LifeType::Kilobytes),
            IpsecAttribute::LifeDuration(kilobytes),
        ]);
    }
    if let Ok(attrs) = IpsecAttribute::to_attributes(&lives) {
        for a in &attrs {
            let _ = a.encode(&mut data);
        }
    }
    data
}
