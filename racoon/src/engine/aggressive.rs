//! Aggressive mode (RFC 2409 5.4) with pre-shared keys:
//!
//! ```text
//! I: HDR, SA, KE, Ni, IDii        -->   (AggI1)
//!                                 <--   HDR, SA, KE, Nr, IDir, HASH_R   (AggR2)
//! I: HDR, HASH_I                  -->   (established on both sides)
//! ```
//!
//! Both IDs travel in the clear before the keys exist, so the pre-shared key is looked
//! up by the peer's ID (then, failing that, by its address) as racoon's oakley_skeyid()
//! did. The third message goes out unencrypted, as racoon sent it; the responder takes
//! it either way (other implementations encrypt it).
//!
//! Which exchange a peer may use is the `remote` section's `exchange_mode` list: the
//! initiator starts with its first entry, the responder refuses an exchange the list
//! does not name.

use super::main_mode::{raw_body, Ignore};
use super::ph1::{PeerId, Ph1, Ph1State, Side};
use super::ph1_packet::Ph1Target;
use super::proposal::{self, Ph1Choice};
use super::retransmit::Retransmit;
use super::{ident, vendor_id, Engine};
use crate::conf::{ExchangeMode, LogLevel, Remote, RemoteSelector};
use crate::crypto::{ct_eq, DhKeyPair};
use crate::isakmp::{
    decrypt_message, ExchangeType, Flags, Header, Identification, Message, Payload, PayloadType,
    SecurityAssociation,
};
use common::addr::Endpoint;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

/// What the first message of an aggressive exchange carries.
struct FirstPayloads {
    sa: Option<SecurityAssociation>,
    ke: Option<Vec<u8>>,
    nonce: Option<Vec<u8>>,
    id: Option<Identification>,
    hash: Option<Vec<u8>>,
}

impl Engine {
    /// Starts phase 1 with the exchange the remote section names first.
    pub(super) fn begin_phase1(
        &mut self,
        now: Instant,
        local: SocketAddr,
        remote: SocketAddr,
        rmconf: usize,
    ) {
        match self.config.remotes[rmconf].exchange_modes.first() {
            Some(ExchangeMode::Aggressive) => self.begin_aggressive(now, local, remote, rmconf),
            Some(ExchangeMode::Base) => self.log(
                LogLevel::Error,
                format!(
                    "exchange mode base is not supported, {}.",
                    self.config.remotes[rmconf].describe()
                ),
            ),
            _ => self.begin_main_mode(now, local, remote, rmconf),
        }
    }

    /// The `remote` section a peer's new phase 1 runs under: `found` (the section for
    /// its address) if its `exchange_mode` list names the exchange, else the first
    /// other section that applies to the peer and names it (racoon accepted an
    /// exchange that any applicable section allowed). Logs the refusal.
    pub(super) fn remote_for_exchange(
        &mut self,
        found: usize,
        peer: IpAddr,
        exchange: ExchangeType,
    ) -> Option<usize> {
        let mode = match exchange {
            ExchangeType::Aggressive => ExchangeMode::Aggressive,
            ExchangeType::Base => ExchangeMode::Base,
            _ => ExchangeMode::Main,
        };
        let rs = &self.config.remotes;
        let allows = |r: &Remote| r.exchange_modes.contains(&mode);
        let by_address = |r: &Remote| match &r.selector {
            RemoteSelector::Address(e) => e.ip() == peer,
            RemoteSelector::Named(_) => r.remote_address.is_some_and(|e| e.ip() == peer),
            RemoteSelector::Anonymous { .. } => false,
        };
        let anonymous = |r: &Remote| matches!(r.selector, RemoteSelector::Anonymous { .. });
        let chosen = Some(found)
            .filter(|&i| allows(&rs[i]))
            .or_else(|| rs.iter().position(|r| by_address(r) && allows(r)))
            .or_else(|| rs.iter().position(|r| anonymous(r) && allows(r)));
        if chosen.is_none() {
            self.log(
                LogLevel::Error,
                format!("exchange {exchange} not allowed in any applicable rmconf."),
            );
        }
        chosen
    }

    /// The pre-shared key of a negotiation about to derive its keys: in aggressive mode
    /// by the peer's ID first, else (and in main mode always) by the peer's address.
    pub(super) fn preshared_key(&mut self, i: usize) -> Result<Vec<u8>, Ignore> {
        let p = &self.ph1s[i];
        let peer_ip = p.remote.ip();
        let verify = self.config.remotes[p.rmconf].verify_identifier;
        let name = p
            .peer_id
            .as_ref()
            .filter(|_| p.is_aggressive())
            .map(|peer| ident::psk_name(&peer.id));
        if let Some(name) = name {
            match self.psk.lookup(&name) {
                Ok(Some(key)) => return Ok(key),
                Ok(None) if verify => {
                    return Err(Ignore::Fatal("couldn't find the pskey.".to_owned()))
                }
                Ok(None) => self.log(
                    LogLevel::Notify,
                    "couldn't find the proper pskey, try to get one by the peer's address."
                        .to_owned(),
                ),
                Err(e) => return Err(Ignore::Fatal(format!("psk file: {e}"))),
            }
        }
        match self.psk.lookup(peer_ip.to_string().as_bytes()) {
            Ok(Some(key)) => Ok(key),
            Ok(None) => Err(Ignore::Fatal(format!(
                "couldn't find the pskey for {peer_ip}."
            ))),
            Err(e) => Err(Ignore::Fatal(format!("psk file: {e}"))),
        }
    }

    /// Checks a received phase-1 ID against `peers_identifier` (racoon's
    /// ipsecdoi_checkid1): a mismatch is a warning, and fatal with `verify_identifier`.
    pub(super) fn check_peer_id(
        &mut self,
        rmconf: usize,
        id: &Identification,
    ) -> Result<(), Ignore> {
        let rm = &self.config.remotes[rmconf];
        if rm.peers_identifiers.is_empty()
            || ident::peers_identifier_matches(&rm.peers_identifiers, id)
        {
            return Ok(());
        }
        let verify = rm.verify_identifier;
        self.log(LogLevel::Warning, "No ID match.".to_owned());
        if verify {
            return Err(Ignore::Fatal("invalid ID payload.".to_owned()));
        }
        Ok(())
    }

    /// Initiator, message 1: HDR, SA, KE, Ni, IDii.
    pub(super) fn begin_aggressive(
        &mut self,
        now: Instant,
        local: SocketAddr,
        remote: SocketAddr,
        rmconf: usize,
    ) {
        let Some((offers, sa)) = self.ph1_initiate(local, remote, rmconf, "Aggressive") else {
            return;
        };
        // Every proposal has the same group (the parser checks it): the KE uses it.
        let group = offers[0].group;
        let dh = match DhKeyPair::generate(group, self.rng.as_mut()) {
            Ok(dh) => dh,
            Err(e) => {
                self.log(LogLevel::Error, format!("failed to generate DH: {e}"));
                return;
            }
        };
        let nonce = self.nonce(rmconf);
        let id = match self.phase1_id_for(rmconf, local.ip()) {
            Ok(id) => id,
            Err(Ignore::Fatal(why) | Ignore::Loud(why) | Ignore::Quiet(why)) => {
                self.log(LogLevel::Error, why);
                return;
            }
        };
        let mut id_b = Vec::new();
        id.encode(&mut id_b);
        let rsasig = offers[0].auth == crate::isakmp::AuthMethod::RsaSignature;
        let cr = self.cert_requests_for(rmconf, rsasig);
        let icookie: [u8; 8] = self.random(8).try_into().unwrap_or([1; 8]);
        let mut payloads = vec![
            Payload::Sa(sa),
            Payload::KeyExchange(dh.public_value().to_vec()),
            Payload::Nonce(nonce.clone()),
            Payload::Identification(id),
        ];
        payloads.extend(cr);
        if let Some(v) = vendor_id::ours() {
            payloads.push(Payload::VendorId(v));
        }
        payloads.extend(self.natt_vids(rmconf));
        payloads.extend(self.frag_vid(rmconf));
        payloads.extend(self.xauth_initiator_vids(rmconf));
        payloads.extend(self.dpd_vid(rmconf, None));
        let msg = Message {
            header: Header::new(icookie, [0; 8], ExchangeType::Aggressive, Flags(0), 0),
            payloads,
        };
        let Ok(bytes) = msg.encode() else {
            self.log(LogLevel::Error, "failed to encode message 1".to_owned());
            return;
        };
        let id = self.new_id();
        let timer = self.timer();
        self.ph1s.push(Ph1 {
            icookie,
            sai_b: raw_body(&bytes, PayloadType::Sa).unwrap_or_default(),
            g_xi: dh.public_value().to_vec(),
            dh: Some(dh),
            ni: nonce,
            id_b,
            retx: Some(Retransmit::new(now, &timer, local, remote, bytes.clone())),
            ..Ph1::start(
                id,
                Side::Initiator,
                Ph1State::AggI1,
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

    fn nonce(&mut self, rmconf: usize) -> Vec<u8> {
        let size = self.config.remotes[rmconf].nonce_size.clamp(8, 256);
        self.random(usize::try_from(size).unwrap_or(16))
    }

    /// A datagram of exchange type Aggressive.
    pub(super) fn aggressive_packet(
        &mut self,
        now: Instant,
        local: SocketAddr,
        remote: SocketAddr,
        header: &Header,
        bytes: &[u8],
    ) {
        let i = match self.ph1_target(remote, header, Ph1State::AggI1) {
            Ph1Target::Handle(i) => i,
            Ph1Target::New => return self.aggressive_r1(now, local, remote, bytes),
            Ph1Target::Dropped => return,
        };
        let result = match self.ph1s[i].state {
            Ph1State::AggI1 => self.aggressive_i2(now, i, bytes),
            Ph1State::AggR2 => self.aggressive_r3(now, i, bytes),
            _ => Err(Ignore::Quiet(
                "the packet arrived after the exchange ended".into(),
            )),
        };
        self.ph1_outcome(i, result);
    }

    /// The payloads of messages 1 and 2; vendor IDs are logged, a notification ends
    /// the exchange.
    fn first_payloads(&mut self, msg: &Message) -> Result<FirstPayloads, Ignore> {
        let mut f = FirstPayloads {
            sa: None,
            ke: None,
            nonce: None,
            id: None,
            hash: None,
        };
        for p in &msg.payloads {
            match p {
                Payload::Sa(s) if f.sa.is_none() => f.sa = Some(s.clone()),
                Payload::KeyExchange(k) => f.ke = Some(k.clone()),
                Payload::Nonce(n) => f.nonce = Some(n.clone()),
                Payload::Identification(id) => f.id = Some(id.clone()),
                Payload::Hash(h) => f.hash = Some(h.clone()),
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
        Ok(f)
    }

    /// Responder, message 1: HDR, SA, KE, Ni, IDii. Answers HDR, SA, KE, Nr, IDir, HASH_R.
    fn aggressive_r1(&mut self, now: Instant, local: SocketAddr, remote: SocketAddr, bytes: &[u8]) {
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
                    Endpoint::from(remote)
                ),
            );
            return;
        };
        let Some(rmconf) = self.remote_for_exchange(rmconf, remote.ip(), ExchangeType::Aggressive)
        else {
            return;
        };
        let (l, r) = (Endpoint::from(local), Endpoint::from(remote));
        self.log(
            LogLevel::Info,
            format!("respond new phase 1 negotiation: {l}<=>{r}"),
        );
        self.log(LogLevel::Info, "begin Aggressive mode.".to_owned());
        let f = match self.first_payloads(&msg) {
            Ok(f) => f,
            Err(Ignore::Fatal(why) | Ignore::Loud(why) | Ignore::Quiet(why)) => {
                self.log(LogLevel::Error, why);
                return;
            }
        };
        let (Some(sa), Some(ke), Some(ni)) = (f.sa, f.ke, f.nonce) else {
            self.log(LogLevel::Error, "few isakmp message received.".to_owned());
            return;
        };
        let Some(peer_id) = f.id else {
            self.log(LogLevel::Error, "invalid ID payload.".to_owned());
            return;
        };
        if let Err(Ignore::Fatal(why) | Ignore::Loud(why) | Ignore::Quiet(why)) =
            self.check_peer_id(rmconf, &peer_id)
        {
            self.log(LogLevel::Error, why);
            return;
        }
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
            return;
        };
        let rcookie: [u8; 8] = self.random(8).try_into().unwrap_or([2; 8]);
        let id = self.new_id();
        let timer = self.timer();
        self.ph1s.push(Ph1 {
            icookie: msg.header.initiator_cookie,
            rcookie,
            sai_b: raw_body(bytes, PayloadType::Sa).unwrap_or_default(),
            choice: Some(choice),
            g_xi: ke,
            ni,
            claim_lifetime: claim,
            peer_id: Some(PeerId {
                id: peer_id,
                body: raw_body(bytes, PayloadType::Identification).unwrap_or_default(),
            }),
            ..Ph1::start(
                id,
                Side::Responder,
                Ph1State::AggR2,
                local,
                remote,
                rmconf,
                now,
                &timer,
            )
        });
        let i = self.ph1s.len() - 1;
        self.dpd_peer_vids(i, &msg.payloads);
        self.frag_peer_vids(i, &msg.payloads);
        self.xauth_peer_vids(i, &msg.payloads);
        self.ph1s[i].natt.version = self.natt_offered(rmconf, &msg.payloads);
        match self.aggressive_r2(i, &sa, transform, choice) {
            Ok(out) => {
                self.next_message(now, i, bytes, out, true);
            }
            Err(Ignore::Fatal(why) | Ignore::Loud(why) | Ignore::Quiet(why)) => {
                self.ph1_failed(i, why)
            }
        }
    }

    /// Responder, message 2: fresh DH and nonce, the keys, our ID and HASH_R.
    fn aggressive_r2(
        &mut self,
        i: usize,
        sa: &SecurityAssociation,
        transform: crate::isakmp::Transform,
        choice: Ph1Choice,
    ) -> Result<Vec<u8>, Ignore> {
        let rmconf = self.ph1s[i].rmconf;
        let dh = DhKeyPair::generate(choice.group, self.rng.as_mut())
            .map_err(|e| Ignore::Fatal(format!("failed to generate DH: {e}")))?;
        let nonce = self.nonce(rmconf);
        let id = self.phase1_id_for(rmconf, self.ph1s[i].local.ip())?;
        let mut id_b = Vec::new();
        id.encode(&mut id_b);
        {
            let p = &mut self.ph1s[i];
            p.g_xr = dh.public_value().to_vec();
            p.nr.clone_from(&nonce);
            p.dh = Some(dh);
            p.id_b.clone_from(&id_b);
        }
        self.derive_keys(i)?;
        let auth = self.own_auth_payloads(i)?;
        let cr = self.cert_requests(i);
        let mut reply_sa = sa.clone();
        if let Some(p) = reply_sa.proposals.first_mut() {
            p.transforms = vec![transform];
        }
        reply_sa.proposals.truncate(1);
        let natt_vid = self.ph1s[i]
            .natt
            .version
            .map(|v| Payload::VendorId(v.vid()));
        let natd = self.natd_payloads(i).map_err(Ignore::Fatal)?;
        let (xauth, unity) = (self.ph1s[i].cfg.peer_xauth, self.ph1s[i].cfg.peer_unity);
        let xauth_vids = self.xauth_vids_for(xauth, unity);
        let p = &self.ph1s[i];
        let mut payloads = vec![
            Payload::Sa(reply_sa),
            Payload::KeyExchange(p.g_xr.clone()),
            Payload::Nonce(nonce),
            Payload::Identification(id),
        ];
        payloads.extend(auth);
        payloads.extend(cr);
        if let Some(v) = vendor_id::ours() {
            payloads.push(Payload::VendorId(v));
        }
        payloads.extend(natt_vid);
        payloads.extend(natd);
        if p.dpd.peer {
            payloads.push(Payload::VendorId(vendor_id::dpd()));
        }
        payloads.extend(xauth_vids);
        let msg = Message {
            header: Header::new(p.icookie, p.rcookie, ExchangeType::Aggressive, Flags(0), 0),
            payloads,
        };
        msg.encode().map_err(|e| Ignore::Fatal(e.to_string()))
    }

    /// Whether the peer's HASH_R (we initiated) or HASH_I (we respond) is right.
    fn peer_hash_ok(&self, i: usize, theirs: &[u8]) -> Result<bool, Ignore> {
        let p = &self.ph1s[i];
        let peer_id_b = p.peer_id.as_ref().map_or(&[][..], |x| &x.body[..]);
        let expected = self.peer_auth_hash(i, peer_id_b)?;
        Ok(ct_eq(&expected, theirs))
    }

    /// Initiator, message 2: HDR, SA, KE, Nr, IDir, HASH_R. Answers HDR, HASH_I.
    fn aggressive_i2(&mut self, now: Instant, i: usize, bytes: &[u8]) -> Result<(), Ignore> {
        let msg = Message::decode(bytes).map_err(|e| Ignore::Loud(e.to_string()))?;
        let f = self.first_payloads(&msg)?;
        let (Some(sa), Some(ke), Some(nr)) = (f.sa, f.ke, f.nonce) else {
            return Err(Ignore::Loud("few isakmp message received.".to_owned()));
        };
        let Some(peer_id) = f.id else {
            return Err(Ignore::Loud("few isakmp message received.".to_owned()));
        };
        let rmconf = self.ph1s[i].rmconf;
        self.check_peer_id(rmconf, &peer_id)?;
        let offers = proposal::ph1_offers(&self.config.remotes[rmconf]);
        let choice = proposal::accept_ph1_reply(&sa, &offers).ok_or_else(|| {
            Ignore::Fatal("the responder's SA is none of our proposals.".to_owned())
        })?;
        let p = &mut self.ph1s[i];
        p.rcookie = msg.header.responder_cookie;
        p.choice = Some(choice);
        p.g_xr = ke;
        p.nr = nr;
        p.peer_id = Some(PeerId {
            id: peer_id,
            body: raw_body(bytes, PayloadType::Identification).unwrap_or_default(),
        });
        let checked = self.derive_keys(i).and_then(|()| match &f.hash {
            _ if self.uses_rsasig(i) => self
                .aggressive_peer_sig(i, &msg.payloads, None)
                .map(|()| true),
            Some(their_hash) => self.peer_hash_ok(i, their_hash),
            None => Err(Ignore::Loud("few isakmp message received.".to_owned())),
        });
        if matches!(checked, Ok(false)) {
            self.send_invalid_hash(i, None);
        }
        if !matches!(checked, Ok(true)) {
            // Forget this answer: a forged or garbled one must not block the real one.
            let p = &mut self.ph1s[i];
            p.rcookie = [0; 8];
            p.choice = None;
            p.crypto = None;
            p.peer_id = None;
            return Err(checked
                .err()
                .unwrap_or_else(|| Ignore::Loud("HASH mismatched".to_owned())));
        }
        // NAT-T: the responder's NAT-D decide whether message 3 already goes to 4500,
        // with NAT-D of the ports it goes between.
        self.natt_take_vids(i, &msg.payloads);
        self.natd_check(i, &msg.payloads);
        self.natt_float(now, i);
        let natd = self.natd_payloads(i).map_err(Ignore::Fatal)?;
        let auth = self.own_auth_payloads(i)?;
        let p = &self.ph1s[i];
        let out = Message {
            header: Header::new(p.icookie, p.rcookie, ExchangeType::Aggressive, Flags(0), 0),
            payloads: [auth, natd].concat(),
        }
        .encode()
        .map_err(|e| Ignore::Fatal(e.to_string()))?;
        self.next_message(now, i, bytes, out, false);
        self.dpd_peer_vids(i, &msg.payloads);
        self.frag_peer_vids(i, &msg.payloads);
        self.xauth_peer_vids(i, &msg.payloads);
        self.established(now, i);
        Ok(())
    }

    /// Responder, message 3: HDR, HASH_I, encrypted or not.
    fn aggressive_r3(&mut self, now: Instant, i: usize, bytes: &[u8]) -> Result<(), Ignore> {
        let header = Header::decode(bytes).map_err(|e| Ignore::Loud(e.to_string()))?;
        let (msg, next_iv) = if header.flags.contains(Flags::ENCRYPTION) {
            let p = &self.ph1s[i];
            let c = p
                .crypto
                .as_ref()
                .ok_or_else(|| Ignore::Fatal("no keys".into()))?;
            // A wrong pre-shared key decrypts to garbage: the original's isakmp_parse
            // says "invalid length of payload" at debug level, agg_r2recv fails and
            // ph1_main ignores the packet past PHASE1ST_START (the exchange times out).
            let (msg, d) = decrypt_message(bytes, &c.cipher, &p.iv)
                .map_err(|_| Ignore::Quiet("invalid length of payload".to_owned()))?;
            (msg, Some(d.next_iv))
        } else {
            (
                Message::decode(bytes).map_err(|e| Ignore::Loud(e.to_string()))?,
                None,
            )
        };
        let mut their_hash = None;
        for p in &msg.payloads {
            match p {
                Payload::Hash(h) => their_hash = Some(h.clone()),
                Payload::VendorId(v) => self.log_vendor_id(v),
                _ => {}
            }
        }
        if self.uses_rsasig(i) {
            self.aggressive_peer_sig(i, &msg.payloads, next_iv.as_deref())?;
        } else if !self.peer_hash_ok(
            i,
            &their_hash.ok_or_else(|| Ignore::Loud("few isakmp message received.".to_owned()))?,
        )? {
            self.send_invalid_hash(i, next_iv);
            return Err(Ignore::Loud("HASH mismatched".to_owned()));
        }
        for p in &msg.payloads {
            if let Payload::Notification(n) = p {
                if n.message_type == crate::isakmp::NotifyType::InitialContact {
                    self.initial_contact_received(i);
                }
            }
        }
        self.natd_check(i, &msg.payloads);
        if let Some(iv) = next_iv {
            self.ph1s[i].iv = iv;
        }
        self.remember(now, bytes, None);
        self.established(now, i);
        Ok(())
    }
}
