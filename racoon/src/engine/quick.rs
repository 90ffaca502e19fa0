//! Quick mode (RFC 2409 5.5), both sides, with optional PFS:
//!
//! ```text
//! I: HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]  -->
//!       <--  HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, N(RESPONDER-LIFETIME)]
//! I: HDR*, HASH(3)                                -->
//! ```
//!
//! Each side asks the kernel for its inbound SPI (GETSPI) before it can name it in its
//! SA payload; the answer comes back through `Engine::handle_spi`.

use super::main_mode::Ignore;
use super::ph1::Side;
use super::ph2::{Ph2, Ph2Request, Ph2State};
use super::proposal;
use super::retransmit::Retransmit;
use super::{ident, natt, wire, Engine, KernelRequest};
use crate::conf::LogLevel;
use crate::crypto::{ct_eq, message_iv, quick_hash1, quick_hash2, quick_hash3, DhKeyPair};
use crate::isakmp::{
    Attribute, ExchangeType, Flags, Header, IpsecAttribute, LifeType, NotifyType, Payload,
    PayloadType, ProtocolId, SecurityAssociation,
};
use common::addr::{Endpoint, Selector};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

impl Engine {
    /// Starts quick mode for `ph2s[j]`, whose ISAKMP-SA is established.
    pub(super) fn begin_quick(&mut self, now: Instant, j: usize) {
        let Some(p1) = self.ph1_index(self.ph2s[j].ph1) else {
            return;
        };
        let (l, r) = (
            Endpoint::new(self.ph1s[p1].local.ip(), 0),
            Endpoint::new(self.ph1s[p1].remote.ip(), 0),
        );
        self.log(
            LogLevel::Info,
            format!("initiate new phase 2 negotiation: {l}<=>{r}"),
        );
        let Some(si) = self.ph2s[j].sainfo else {
            return;
        };
        let req = self.ph2s[j].request.clone();
        let offers = proposal::ph2_offers(&self.config.sainfos[si], req.satype, req.mode);
        if offers.is_empty() {
            self.log(LogLevel::Error, "no proposal in the sainfo.".to_owned());
            self.ph2s.remove(j);
            return;
        }
        let msgid = self.random_u32_nonzero();
        let request = self.new_id();
        let timer = self.timer();
        let p2 = &mut self.ph2s[j];
        p2.offers = offers;
        p2.msgid = msgid;
        p2.state = Ph2State::InitSpi;
        p2.spi_request = Some(request);
        p2.expire_at = now + Duration::from_secs(timer.phase2.max(1));
        let (src, dst) = (p2.remote, p2.local);
        self.kernel(KernelRequest::GetSpi {
            id: request,
            src,
            dst,
            satype: req.satype,
            reqid: req.reqid,
        });
    }

    pub(super) fn spi_ready(&mut self, now: Instant, j: usize) {
        let result = match self.ph2s[j].state {
            Ph2State::InitSpi => self.quick_i1(now, j),
            Ph2State::RespSpi => self.quick_r2(now, j),
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.ph2_failed(j, e);
        }
    }

    fn ph2_failed(&mut self, j: usize, why: Ignore) {
        match why {
            Ignore::Quiet(w) => self.log(LogLevel::Debug, w),
            Ignore::Loud(w) => self.log(LogLevel::Error, w),
            Ignore::Fatal(w) => {
                self.log(LogLevel::Error, w);
                let text = self.ph2_index(j);
                self.log(
                    LogLevel::Error,
                    format!("phase2 negotiation failed. {text}"),
                );
                self.ph2s.remove(j);
            }
        }
    }

    fn nonce_size(&self, p1: usize) -> usize {
        let n = self.config.remotes[self.ph1s[p1].rmconf].nonce_size;
        usize::try_from(n.clamp(8, 256)).unwrap_or(16)
    }

    /// Encrypts `HASH, rest` for `ph2s[j]` with its IV, which it advances.
    fn seal(
        &mut self,
        j: usize,
        p1: usize,
        hash: &[u8],
        first: PayloadType,
        after: &[u8],
    ) -> Result<Vec<u8>, Ignore> {
        let c = self.ph1s[p1]
            .crypto
            .as_ref()
            .ok_or_else(|| Ignore::Fatal("no keys".into()))?;
        let p2 = &self.ph2s[j];
        let header = Header::new(
            self.ph1s[p1].icookie,
            self.ph1s[p1].rcookie,
            ExchangeType::Quick,
            Flags::ENCRYPTION,
            p2.msgid,
        );
        let (bytes, next_iv) = wire::encrypt_hashed(&header, hash, first, after, &c.cipher, &p2.iv)
            .map_err(|e| Ignore::Fatal(e.to_string()))?;
        self.ph2s[j].iv = next_iv;
        Ok(bytes)
    }

    fn send_ph2(&mut self, now: Instant, j: usize, p1: usize, bytes: Vec<u8>, retransmit: bool) {
        let (local, remote) = (self.ph1s[p1].local, self.ph1s[p1].remote);
        let timer = self.timer();
        self.ph2s[j].retx =
            retransmit.then(|| Retransmit::new(now, &timer, local, remote, bytes.clone()));
        for _ in 0..if retransmit { timer.persend.max(1) } else { 1 } {
            self.send(local, remote, bytes.clone());
        }
    }

    /// Initiator, message 1.
    fn quick_i1(&mut self, now: Instant, j: usize) -> Result<(), Ignore> {
        let p1 = self
            .ph1_index(self.ph2s[j].ph1)
            .ok_or_else(|| Ignore::Fatal("the ISAKMP-SA is gone".into()))?;
        let ni = self.random(self.nonce_size(p1));
        let group = self.ph2s[j].offers.first().and_then(|o| o.group);
        let dh = match group {
            Some(g) => Some(
                DhKeyPair::generate(g, self.rng.as_mut())
                    .map_err(|e| Ignore::Fatal(e.to_string()))?,
            ),
            None => None,
        };
        let p2 = &self.ph2s[j];
        let spi = p2.our_spi.ok_or_else(|| Ignore::Fatal("no SPI".into()))?;
        let mut sa = proposal::ph2_sa(&p2.offers, spi).map_err(Ignore::Fatal)?;
        if let Some(v) = self.natt_encapsulating(p1) {
            natt::udp_encap_sa(&mut sa, v);
        }
        let mut rest = vec![Payload::Sa(sa), Payload::Nonce(ni.clone())];
        if let Some(dh) = &dh {
            rest.push(Payload::KeyExchange(dh.public_value().to_vec()));
        }
        if let (Some(ci), Some(cr)) = (&p2.idci, &p2.idcr) {
            rest.push(Payload::Identification(ci.clone()));
            rest.push(Payload::Identification(cr.clone()));
        }
        rest.extend(self.nat_oa_payloads(p1, p2.request.mode));
        let after = wire::encode_after_hash(&rest).map_err(Ignore::Fatal)?;
        let c = self.ph1s[p1]
            .crypto
            .as_ref()
            .ok_or_else(|| Ignore::Fatal("no keys".into()))?;
        let hash = quick_hash1(&c.prf, &c.keys.skeyid_a, p2.msgid, &after)
            .map_err(|e| Ignore::Fatal(e.to_string()))?;
        let iv = message_iv(&c.hash, &self.ph1s[p1].iv, p2.msgid, c.cipher.block_size())
            .map_err(|e| Ignore::Fatal(e.to_string()))?;
        let p2 = &mut self.ph2s[j];
        p2.iv = iv;
        p2.ni = ni;
        p2.dh = dh;
        let bytes = self.seal(j, p1, &hash, PayloadType::Sa, &after)?;
        self.ph2s[j].state = Ph2State::I1Sent;
        self.send_ph2(now, j, p1, bytes, true);
        Ok(())
    }

    pub(super) fn quick_packet(
        &mut self,
        now: Instant,
        local: SocketAddr,
        remote: SocketAddr,
        header: &Header,
        bytes: &[u8],
    ) {
        let Some(p1) = self
            .ph1_by_cookies(&header.initiator_cookie, &header.responder_cookie)
            .filter(|&i| self.ph1s[i].is_established() && self.ph1s[i].remote == remote)
        else {
            self.log(
                LogLevel::Error,
                format!(
                    "can't start the quick mode, there is no ISAKMP-SA, {}",
                    Endpoint::from(remote)
                ),
            );
            return;
        };
        if !header.flags.contains(Flags::ENCRYPTION) {
            self.log(
                LogLevel::Error,
                "reject the packet, expecting the packet encrypted.".to_owned(),
            );
            return;
        }
        let ph1_id = self.ph1s[p1].id;
        let found = self
            .ph2s
            .iter()
            .position(|p| p.ph1 == Some(ph1_id) && p.msgid == header.message_id);
        let result = match found {
            None => self.quick_r1(now, local, p1, header, bytes),
            Some(j) => match self.ph2s[j].state {
                Ph2State::I1Sent => self.quick_i2(now, j, p1, bytes),
                Ph2State::R2Sent => self.quick_r3(now, j, p1, bytes),
                _ => Err(Ignore::Quiet(
                    "quick mode packet in an unexpected state, ignored".into(),
                )),
            },
        };
        match (result, found) {
            (Ok(()), _) => {}
            (Err(e), Some(j)) => self.ph2_failed(j, e),
            (Err(e), None) => {
                match e {
                    Ignore::Quiet(w) => self.log(LogLevel::Debug, w),
                    Ignore::Loud(w) | Ignore::Fatal(w) => self.log(LogLevel::Error, w),
                }
                // isakmp_ph2begin_r: the new responder ph2 (side 1, PHASE2ST_START) failed.
                self.log(
                    LogLevel::Error,
                    "failed to pre-process ph2 packet (side: 1, status: 1).".to_owned(),
                );
            }
        }
    }

    /// Responder, message 1: choose a sainfo and a proposal, then ask for an SPI.
    fn quick_r1(
        &mut self,
        now: Instant,
        _local: SocketAddr,
        p1: usize,
        header: &Header,
        bytes: &[u8],
    ) -> Result<(), Ignore> {
        let msgid = header.message_id;
        if !self.xauth_check(p1) {
            return Err(Ignore::Loud(
                "Attempt to start phase 2 whereas Xauth failed".to_owned(),
            ));
        }
        let c = self.ph1s[p1]
            .crypto
            .as_ref()
            .ok_or_else(|| Ignore::Fatal("no keys".into()))?;
        let iv = message_iv(&c.hash, &self.ph1s[p1].iv, msgid, c.cipher.block_size())
            .map_err(|e| Ignore::Fatal(e.to_string()))?;
        let h = wire::decrypt_hashed(bytes, &c.cipher, &iv).map_err(Ignore::Loud)?;
        let want = quick_hash1(&c.prf, &c.keys.skeyid_a, msgid, &h.after)
            .map_err(|e| Ignore::Fatal(e.to_string()))?;
        if !ct_eq(&want, &h.hash) {
            self.send_invalid_hash(p1, None);
            return Err(Ignore::Loud("HASH(1) mismatch.".to_owned()));
        }
        let (mut sa, mut ni, mut ke, mut ids) = (None, None, None, Vec::new());
        let mut nat_oas = Vec::new();
        for p in h.payloads {
            match p {
                Payload::Sa(s) if sa.is_none() => sa = Some(natt::plain_encap_sa(&s).0),
                Payload::Nonce(n) => ni = Some(n),
                Payload::KeyExchange(k) => ke = Some(k),
                Payload::Identification(id) => ids.push(id),
                Payload::NatOa { addr, .. } => nat_oas.push(addr),
                _ => {}
            }
        }
        let (Some(sa), Some(ni)) = (sa, ni) else {
            return Err(Ignore::Loud("few isakmp message received.".to_owned()));
        };
        let (local_ip, remote_ip) = (self.ph1s[p1].local.ip(), self.ph1s[p1].remote.ip());
        self.log(
            LogLevel::Info,
            format!(
                "respond new phase 2 negotiation: {}<=>{}",
                Endpoint::new(local_ip, 0),
                Endpoint::new(remote_ip, 0)
            ),
        );
        let (idci, idcr) = match ids.as_slice() {
            [ci, cr] => (Some(ci.clone()), Some(cr.clone())),
            [] => (None, None),
            _ => {
                self.send_notify(
                    p1,
                    ProtocolId::Isakmp,
                    Vec::new(),
                    NotifyType::InvalidIdInformation,
                    Vec::new(),
                );
                return Err(Ignore::Loud(
                    "the number of ID payloads must be 0 or 2.".to_owned(),
                ));
            }
        };
        // Without IDs the traffic is between the phase-1 addresses.
        let host = |ip| ident::from_selector(&Selector::host(ip), common::policy::UL_ANY);
        let their = idci.clone().unwrap_or_else(|| host(remote_ip));
        let mine = idcr.clone().unwrap_or_else(|| host(local_ip));
        let Some(si) = self.find_sainfo(&mine, &their) else {
            self.log(
                LogLevel::Error,
                format!(
                    "failed to get sainfo for {} {}.",
                    ident::describe(&mine),
                    ident::describe(&their)
                ),
            );
            self.send_notify(
                p1,
                ProtocolId::Isakmp,
                Vec::new(),
                NotifyType::InvalidIdInformation,
                Vec::new(),
            );
            return Err(Ignore::Loud(
                "failed to get proposal for responder.".to_owned(),
            ));
        };
        let check = self.config.remotes[self.ph1s[p1].rmconf].proposal_check;
        let mut reasons = Vec::new();
        let Some((prop, transform, choice, claim)) =
            proposal::select_ph2(&sa, &self.config.sainfos[si], check, &mut reasons)
        else {
            for r in reasons {
                self.log(LogLevel::Error, r);
            }
            self.log(LogLevel::Error, "no suitable proposal found.".to_owned());
            let first = sa.proposals.first();
            let (proto, spi) = first.map_or((ProtocolId::Esp, Vec::new()), |p| {
                (p.protocol, p.spi.clone())
            });
            self.send_notify(p1, proto, spi, NotifyType::NoProposalChosen, Vec::new());
            return Err(Ignore::Loud(
                "failed to get proposal for responder.".to_owned(),
            ));
        };
        if choice.group.is_some() && ke.is_none() {
            return Err(Ignore::Loud("no KE payload for the PFS group.".to_owned()));
        }
        let peer_spi = <[u8; 4]>::try_from(prop.spi.as_slice())
            .map(u32::from_be_bytes)
            .map_err(|_| Ignore::Loud("invalid SPI size.".to_owned()))?;
        let id = self.new_id();
        let reqid = match self.plan_policies(p1, id, &their, &mine, &choice) {
            Some(reqid) => reqid,
            None => self.inbound_reqid(Some(&their), Some(&mine), choice.satype),
        };
        let request = self.new_id();
        let timer = self.timer();
        let mut chosen = prop.clone();
        chosen.transforms = vec![transform];
        self.ph2s.push(Ph2 {
            id,
            side: Side::Responder,
            ph1: Some(self.ph1s[p1].id),
            state: Ph2State::RespSpi,
            msgid,
            local: local_ip,
            remote: remote_ip,
            request: Ph2Request {
                selector: None,
                satype: choice.satype,
                mode: choice.mode,
                reqid,
            },
            sainfo: Some(si),
            idci,
            idcr,
            offers: Vec::new(),
            choice: Some(choice),
            claim_lifetime: claim,
            our_spi: None,
            peer_spi: Some(peer_spi),
            spi_request: Some(request),
            ni,
            nr: Vec::new(),
            dh: None,
            peer_ke: ke.unwrap_or_default(),
            peer_sa: Some(SecurityAssociation::ipsec(vec![chosen])),
            iv: h.next_iv,
            qm1: bytes.to_vec(),
            retx: None,
            expire_at: now + Duration::from_secs(timer.phase2.max(1)),
            installed: None,
            keyed: None,
            peer_natoa: nat_oas.first().copied(),
        });
        self.kernel(KernelRequest::GetSpi {
            id: request,
            src: remote_ip,
            dst: local_ip,
            satype: choice.satype,
            reqid,
        });
        Ok(())
    }

    /// Responder, message 2, once the SPI is known; the inbound SA goes in with it.
    fn quick_r2(&mut self, now: Instant, j: usize) -> Result<(), Ignore> {
        let p1 = self
            .ph1_index(self.ph2s[j].ph1)
            .ok_or_else(|| Ignore::Fatal("the ISAKMP-SA is gone".into()))?;
        let nr = self.random(self.nonce_size(p1));
        let choice = self.ph2s[j]
            .choice
            .ok_or_else(|| Ignore::Fatal("no proposal".into()))?;
        let dh = match choice.group {
            Some(g) => Some(
                DhKeyPair::generate(g, self.rng.as_mut())
                    .map_err(|e| Ignore::Fatal(e.to_string()))?,
            ),
            None => None,
        };
        let p2 = &self.ph2s[j];
        let spi = p2.our_spi.ok_or_else(|| Ignore::Fatal("no SPI".into()))?;
        let peer_sa = p2
            .peer_sa
            .as_ref()
            .ok_or_else(|| Ignore::Fatal("no SA".into()))?;
        let (prop, t) = peer_sa
            .proposals
            .first()
            .and_then(|p| Some((p, p.transforms.first()?)))
            .ok_or_else(|| Ignore::Fatal("no SA".into()))?;
        let mut sa = proposal::ph2_reply_sa(prop, t, &choice, spi).map_err(Ignore::Fatal)?;
        if let Some(v) = self.natt_encapsulating(p1) {
            natt::udp_encap_sa(&mut sa, v);
        }
        let mut rest = vec![Payload::Sa(sa), Payload::Nonce(nr.clone())];
        if let Some(dh) = &dh {
            rest.push(Payload::KeyExchange(dh.public_value().to_vec()));
        }
        if let (Some(ci), Some(cr)) = (&p2.idci, &p2.idcr) {
            rest.push(Payload::Identification(ci.clone()));
            rest.push(Payload::Identification(cr.clone()));
        }
        rest.extend(self.nat_oa_payloads(p1, choice.mode));
        if p2.claim_lifetime {
            let data = super::main_mode::lifetime_attributes(choice.lifetime, choice.lifebyte);
            rest.push(Payload::Notification(crate::isakmp::Notification {
                doi: crate::isakmp::DOI_IPSEC,
                protocol: prop.protocol,
                spi: prop.spi.clone(),
                message_type: NotifyType::ResponderLifetime,
                data,
            }));
        }
        let after = wire::encode_after_hash(&rest).map_err(Ignore::Fatal)?;
        let c = self.ph1s[p1]
            .crypto
            .as_ref()
            .ok_or_else(|| Ignore::Fatal("no keys".into()))?;
        let hash = quick_hash2(&c.prf, &c.keys.skeyid_a, p2.msgid, &p2.ni, &after)
            .map_err(|e| Ignore::Fatal(e.to_string()))?;
        self.ph2s[j].nr = nr;
        self.ph2s[j].dh = dh;
        let bytes = self.seal(j, p1, &hash, PayloadType::Sa, &after)?;
        self.ph2s[j].state = Ph2State::R2Sent;
        let qm1 = std::mem::take(&mut self.ph2s[j].qm1);
        let (l, r) = (self.ph1s[p1].local, self.ph1s[p1].remote);
        // The inbound SA is in the kernel before message 2 leaves: the initiator starts
        // sending on it as soon as it has answered, possibly before we have read that
        // answer.
        self.send_policies(self.ph2s[j].id, choice.lifetime);
        self.install_inbound(j).map_err(Ignore::Fatal)?;
        self.remember(now, &qm1, Some((l, r, bytes.clone())));
        self.send_ph2(now, j, p1, bytes, true);
        Ok(())
    }

    /// Initiator, message 2: check, install, answer HASH(3).
    fn quick_i2(&mut self, now: Instant, j: usize, p1: usize, bytes: &[u8]) -> Result<(), Ignore> {
        let c = self.ph1s[p1]
            .crypto
            .as_ref()
            .ok_or_else(|| Ignore::Fatal("no keys".into()))?;
        let p2 = &self.ph2s[j];
        let h = wire::decrypt_hashed(bytes, &c.cipher, &p2.iv).map_err(Ignore::Loud)?;
        let want = quick_hash2(&c.prf, &c.keys.skeyid_a, p2.msgid, &p2.ni, &h.after)
            .map_err(|e| Ignore::Fatal(e.to_string()))?;
        if !ct_eq(&want, &h.hash) {
            self.send_invalid_hash(p1, None);
            return Err(Ignore::Loud("HASH(2) mismatch.".to_owned()));
        }
        let (mut accepted, mut nr, mut ke, mut responder_life) = (None, None, None, None);
        let mut peer_natoa = None;
        for p in h.payloads {
            match p {
                Payload::Sa(sa) => {
                    let (sa, _) = natt::plain_encap_sa(&sa);
                    accepted = proposal::accept_ph2_reply(&sa, &p2.offers);
                }
                // NAT-OAi, then NAT-OAr: the responder's own is the last.
                Payload::NatOa { addr, .. } => peer_natoa = Some(addr),
                Payload::Nonce(n) => nr = Some(n),
                Payload::KeyExchange(k) => ke = Some(k),
                Payload::Notification(n) if n.message_type == NotifyType::ResponderLifetime => {
                    responder_life = responder_lifetime(&n.data);
                }
                _ => {}
            }
        }
        let (spi, mut choice) = accepted.ok_or_else(|| {
            Ignore::Fatal("the responder's SA is none of our proposals.".to_owned())
        })?;
        let nr = nr.ok_or_else(|| Ignore::Fatal("few isakmp message received.".to_owned()))?;
        if p2.dh.is_some() && ke.is_none() {
            return Err(Ignore::Fatal("no KE payload for the PFS group.".to_owned()));
        }
        if let Some((seconds, kilobytes)) = responder_life {
            if let Some(life) = seconds {
                choice.lifetime = choice.lifetime.min(life);
            }
            if let Some(kb) = kilobytes {
                choice.lifebyte = proposal::shorter_lifebyte(choice.lifebyte, kb);
            }
        }
        let hash3 = quick_hash3(&c.prf, &c.keys.skeyid_a, p2.msgid, &p2.ni, &nr)
            .map_err(|e| Ignore::Fatal(e.to_string()))?;
        let p2 = &mut self.ph2s[j];
        p2.iv = h.next_iv;
        p2.nr = nr;
        p2.peer_ke = ke.unwrap_or_default();
        p2.peer_spi = Some(spi);
        p2.choice = Some(choice);
        p2.peer_natoa = peer_natoa;
        let out = self.seal(j, p1, &hash3, PayloadType::None, &[])?;
        let (l, r) = (self.ph1s[p1].local, self.ph1s[p1].remote);
        // Both SAs are in the kernel before message 3 leaves: the responder starts
        // sending on its new outbound SA, our new inbound one, as soon as it has read it.
        self.install(now, j).map_err(Ignore::Fatal)?;
        self.remember(now, bytes, Some((l, r, out.clone())));
        self.send_ph2(now, j, p1, out, false);
        self.ph2s[j].state = Ph2State::Established;
        Ok(())
    }

    /// Responder, message 3: HASH(3), then the outbound SA.
    fn quick_r3(&mut self, now: Instant, j: usize, p1: usize, bytes: &[u8]) -> Result<(), Ignore> {
        let c = self.ph1s[p1]
            .crypto
            .as_ref()
            .ok_or_else(|| Ignore::Fatal("no keys".into()))?;
        let p2 = &self.ph2s[j];
        let h = wire::decrypt_hashed(bytes, &c.cipher, &p2.iv).map_err(Ignore::Loud)?;
        let want = quick_hash3(&c.prf, &c.keys.skeyid_a, p2.msgid, &p2.ni, &p2.nr)
            .map_err(|e| Ignore::Fatal(e.to_string()))?;
        if !ct_eq(&want, &h.hash) {
            self.send_invalid_hash(p1, None);
            return Err(Ignore::Loud("HASH(3) mismatch.".to_owned()));
        }
        self.ph2s[j].retx = None;
        self.remember(now, bytes, None);
        self.install_outbound(j).map_err(Ignore::Fatal)?;
        self.ph2s[j].state = Ph2State::Established;
        Ok(())
    }
}

/// The seconds and the kilobytes in a RESPONDER-LIFETIME notify's attributes.
pub(super) fn responder_lifetime(data: &[u8]) -> Option<(Option<u64>, Option<u64>)> {
    let mut attrs = Vec::new();
    let mut rest = data;
    while rest.len() >= 4 {
        let kind = u16::from_be_bytes([rest[0], rest[1]]);
        if kind & 0x8000 != 0 {
            attrs.push(Attribute::basic(
                kind & 0x7fff,
                u16::from_be_bytes([rest[2], rest[3]]),
            ));
            rest = &rest[4..];
        } else {
            let len = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
            let value = rest.get(4..4 + len)?.to_vec();
            attrs.push(Attribute::variable(kind, value));
            rest = &rest[4 + len..];
        }
    }
    let mut life_type = LifeType::Seconds;
    let (mut seconds, mut kilobytes) = (None, None);
    for a in IpsecAttribute::from_attributes(&attrs).ok()? {
        match a {
            IpsecAttribute::LifeType(t) => life_type = t,
            IpsecAttribute::LifeDuration(d) if life_type == LifeType::Seconds => seconds = Some(d),
            IpsecAttribute::LifeDuration(d) if life_type == LifeType::Kilobytes => {
                kilobytes = Some(d)
            }
            _ => {}
        }
    }
    Some((seconds, kilobytes))
}
