//! Informational exchanges (RFC 2408 4.8, RFC 2409 5.7): notifications and deletions.
//! Once an ISAKMP SA exists they travel as HDR*, HASH(1), N/D with their own message ID
//! and IV; before that only an error notify may go in clear (NO-PROPOSAL-CHOSEN to a
//! first message).

use super::{wire, Engine, KernelRequest};
use crate::conf::LogLevel;
use crate::crypto::{ct_eq, informational_hash, message_iv};
use crate::isakmp::{
    Delete, ExchangeType, Flags, Header, Message, Notification, NotifyType, Payload, ProtocolId,
    DOI_IPSEC,
};
use std::net::SocketAddr;
use std::time::Instant;

impl Engine {
    /// An error notify in clear, for a first message we refuse.
    pub(super) fn send_plain_notify(
        &mut self,
        local: SocketAddr,
        remote: SocketAddr,
        received: &Header,
        kind: NotifyType,
    ) {
        let msg = Message {
            header: Header::new(
                received.initiator_cookie,
                received.responder_cookie,
                ExchangeType::Informational,
                Flags(0),
                0,
            ),
            payloads: vec![Payload::Notification(Notification {
                doi: DOI_IPSEC,
                protocol: ProtocolId::Isakmp,
                spi: [received.initiator_cookie, received.responder_cookie].concat(),
                message_type: kind,
                data: Vec::new(),
            })],
        };
        if let Ok(bytes) = msg.encode() {
            self.send(local, remote, bytes);
        }
    }

    /// Sends HDR*, HASH(1), payloads over the ISAKMP SA of `ph1s[i]`.
    pub(super) fn send_info(&mut self, i: usize, payloads: Vec<Payload>) {
        let msgid = self.random_u32_nonzero();
        let p = &self.ph1s[i];
        let Some(c) = p.crypto.as_ref() else { return };
        let Ok(iv) = message_iv(&c.hash, &p.iv, msgid, c.cipher.block_size()) else {
            return;
        };
        if let Some((bytes, _)) =
            self.seal_hashed(i, ExchangeType::Informational, msgid, &iv, &payloads)
        {
            let (l, r) = (p.local, p.remote);
            self.send(l, r, bytes);
        }
    }

    /// HDR*, HASH, payloads of an `exchange` with `msgid` over the ISAKMP SA of
    /// `ph1s[i]`, HASH = prf(SKEYID_a, M-ID | payloads) as informational and transaction
    /// exchanges have it, encrypted from `iv`: the datagram and the IV that follows it.
    pub(super) fn seal_hashed(
        &self,
        i: usize,
        exchange: ExchangeType,
        msgid: u32,
        iv: &[u8],
        payloads: &[Payload],
    ) -> Option<(Vec<u8>, Vec<u8>)> {
        let p = &self.ph1s[i];
        let c = p.crypto.as_ref()?;
        let first = payloads.first()?.payload_type();
        let after = wire::encode_after_hash(payloads).ok()?;
        let hash = informational_hash(&c.prf, &c.keys.skeyid_a, msgid, &after).ok()?;
        let header = Header::new(p.icookie, p.rcookie, exchange, Flags::ENCRYPTION, msgid);
        wire::encrypt_hashed(&header, &hash, first, &after, &c.cipher, iv).ok()
    }

    pub(super) fn send_notify(
        &mut self,
        i: usize,
        protocol: ProtocolId,
        spi: Vec<u8>,
        kind: NotifyType,
        data: Vec<u8>,
    ) {
        let n = Notification {
            doi: DOI_IPSEC,
            protocol,
            spi,
            message_type: kind,
            data,
        };
        self.send_info(i, vec![Payload::Notification(n)]);
    }

    pub(super) fn send_initial_contact(&mut self, _now: Instant, i: usize) {
        let spi = [self.ph1s[i].icookie, self.ph1s[i].rcookie].concat();
        self.send_notify(
            i,
            ProtocolId::Isakmp,
            spi,
            NotifyType::InitialContact,
            Vec::new(),
        );
    }

    pub(super) fn send_delete_isakmp(&mut self, _now: Instant, i: usize) {
        let spi = [self.ph1s[i].icookie, self.ph1s[i].rcookie].concat();
        let d = Delete {
            doi: DOI_IPSEC,
            protocol: ProtocolId::Isakmp,
            spi_size: 16,
            spis: vec![spi],
        };
        self.send_info(i, vec![Payload::Delete(d)]);
    }

    /// Tells the peer that the SA pair of `ph2s[j]` is gone (our inbound SPI).
    pub(super) fn send_delete_ipsec(&mut self, _now: Instant, j: usize) {
        let p2 = &self.ph2s[j];
        let Some((inbound, _)) = p2.installed.as_ref() else {
            return;
        };
        let protocol = match inbound.satype {
            common::sa::SaType::Ah => ProtocolId::Ah,
            _ => ProtocolId::Esp,
        };
        let spi = inbound.spi.to_be_bytes().to_vec();
        let Some(i) = self
            .ph1_index(p2.ph1)
            .filter(|&i| self.ph1s[i].is_established())
            .or_else(|| self.established_ph1(p2.local, p2.remote))
        else {
            return;
        };
        let d = Delete {
            doi: DOI_IPSEC,
            protocol,
            spi_size: 4,
            spis: vec![spi],
        };
        self.send_info(i, vec![Payload::Delete(d)]);
    }

    pub(super) fn info_packet(
        &mut self,
        now: Instant,
        _local: SocketAddr,
        remote: SocketAddr,
        header: &Header,
        bytes: &[u8],
    ) {
        let found = self
            .ph1_by_cookies(&header.initiator_cookie, &header.responder_cookie)
            .or_else(|| {
                self.ph1s
                    .iter()
                    .position(|p| p.icookie == header.initiator_cookie && !p.is_established())
            });
        let Some(i) = found.filter(|&i| self.ph1s[i].remote.ip() == remote.ip()) else {
            self.log(
                LogLevel::Debug,
                format!("informational from {remote} for no known ISAKMP-SA, ignored"),
            );
            return;
        };
        if !header.flags.contains(Flags::ENCRYPTION) {
            self.plain_info(i, bytes);
            return;
        }
        let msgid = header.message_id;
        let p = &self.ph1s[i];
        let Some(c) = p.crypto.as_ref().filter(|_| p.is_established()) else {
            self.log(
                LogLevel::Error,
                "ignore information because ISAKMP-SA has not been established yet.".to_owned(),
            );
            return;
        };
        let iv = match message_iv(&c.hash, &p.iv, msgid, c.cipher.block_size()) {
            Ok(iv) => iv,
            Err(_) => return,
        };
        let h = match wire::decrypt_hashed(bytes, &c.cipher, &iv) {
            Ok(h) => h,
            Err(e) => {
                self.log(
                    LogLevel::Error,
                    format!("invalid informational from {remote}: {e}"),
                );
                return;
            }
        };
        let ok = informational_hash(&c.prf, &c.keys.skeyid_a, msgid, &h.after)
            .is_ok_and(|want| ct_eq(&want, &h.hash));
        if !ok {
            self.log(
                LogLevel::Error,
                "ignore information due to hash mismatch".to_owned(),
            );
            return;
        }
        let id = self.ph1s[i].id;
        for p in h.payloads {
            let Some(i) = self.ph1s.iter().position(|q| q.id == id) else {
                return;
            };
            match p {
                Payload::Notification(n) if n.message_type == NotifyType::DpdRUThere => {
                    self.dpd_r_u_there(i, &n)
                }
                Payload::Notification(n) if n.message_type == NotifyType::DpdRUThereAck => {
                    self.dpd_ack(now, i, &n)
                }
                Payload::Notification(n) => self.notified(i, &n),
                Payload::Delete(d) => self.deleted(i, &d),
                _ => {}
            }
        }
    }

    /// An informational in clear: only an error notify about a phase 1 in progress.
    fn plain_info(&mut self, i: usize, bytes: &[u8]) {
        let Ok(msg) = Message::decode(bytes) else {
            return;
        };
        if self.ph1s[i].is_established() {
            self.log(
                LogLevel::Error,
                "ignore the unencrypted informational for an established ISAKMP-SA.".to_owned(),
            );
            return;
        }
        for p in &msg.payloads {
            if let Payload::Notification(n) = p {
                if n.message_type.is_error() {
                    self.log(
                        LogLevel::Error,
                        format!(
                            "fatal {} notify messsage, phase1 should be deleted.",
                            n.message_type
                        ),
                    );
                    self.log(
                        LogLevel::Error,
                        format!("phase1 negotiation failed. {}", self.ph1s[i].index()),
                    );
                    self.remove_ph1(i);
                    return;
                }
            }
        }
    }

    fn notified(&mut self, i: usize, n: &Notification) {
        match n.message_type {
            NotifyType::InitialContact => self.initial_contact_received(i),
            t if t.is_error() => {
                self.log(
                    LogLevel::Error,
                    format!("fatal {t} notify messsage, phase1 should be deleted."),
                );
                // The quick mode it refers to (by our proposal's SPI) is abandoned.
                let spi = <[u8; 4]>::try_from(n.spi.as_slice())
                    .ok()
                    .map(u32::from_be_bytes);
                let ph1 = self.ph1s[i].id;
                if let Some(j) = self.ph2s.iter().position(|p| {
                    p.ph1 == Some(ph1)
                        && p.state != super::ph2::Ph2State::Established
                        && (spi.is_none() || p.our_spi == spi)
                }) {
                    let text = self.ph2_index(j);
                    self.log(
                        LogLevel::Error,
                        format!("phase2 negotiation failed. {text}"),
                    );
                    self.abandon_ph2(j);
                }
            }
            NotifyType::ResponderLifetime if n.protocol == ProtocolId::Isakmp => {
                if let Some((Some(life), _)) = super::quick::responder_lifetime(&n.data) {
                    let p = &mut self.ph1s[i];
                    if let Some(at) = p.established_at {
                        p.expire_at = p
                            .expire_at
                            .min(at + std::time::Duration::from_secs(life.max(1)));
                    }
                }
            }
            t => self.log(LogLevel::Info, format!("received notify {t}.")),
        }
    }

    fn deleted(&mut self, i: usize, d: &Delete) {
        match d.protocol {
            ProtocolId::Isakmp => {
                let mine = [self.ph1s[i].icookie, self.ph1s[i].rcookie].concat();
                if d.spis.contains(&mine) {
                    let p = &self.ph1s[i];
                    let (l, r, idx) = (p.local_ep(), p.remote_ep(), p.index());
                    self.log(LogLevel::Info, format!("purging ISAKMP-SA spi={idx}."));
                    self.log(
                        LogLevel::Info,
                        format!("ISAKMP-SA deleted {l}-{r} spi:{idx}"),
                    );
                    self.remove_ph1(i);
                }
            }
            ProtocolId::Esp | ProtocolId::Ah => {
                let remote = self.ph1s[i].remote.ip();
                for s in &d.spis {
                    let Ok(spi) = <[u8; 4]>::try_from(s.as_slice()) else {
                        continue;
                    };
                    let spi = u32::from_be_bytes(spi);
                    let Some(j) = self.ph2s.iter().position(|p| {
                        p.remote == remote
                            && p.installed
                                .as_ref()
                                .is_some_and(|(i, o)| o.spi == spi || i.spi == spi)
                    }) else {
                        continue;
                    };
                    if let Some((inb, out)) = self.ph2s[j].installed.clone() {
                        self.kernel(KernelRequest::Delete { sa: inb.id() });
                        self.kernel(KernelRequest::Delete { sa: out.id() });
                    }
                    self.log(
                        LogLevel::Info,
                        format!("purged IPsec-SA proto_id={} spi={spi}.", d.protocol),
                    );
                    self.ph2s.remove(j);
                }
            }
            _ => {}
        }
    }

    /// INITIAL-CONTACT: the peer rebooted, so everything older with it is stale.
    pub(super) fn initial_contact_received(&mut self, i: usize) {
        let (id, remote) = (self.ph1s[i].id, self.ph1s[i].remote.ip());
        self.log(LogLevel::Debug, "received INITIAL-CONTACT".to_owned());
        // Older ISAKMP-SAs with the peer expire by themselves; removing them here would
        // move the handle the caller is working on.
        let stale: Vec<_> = self
            .ph2s
            .iter()
            .filter(|p| p.remote == remote && p.ph1 != Some(id))
            .filter_map(|p| p.installed.clone())
            .collect();
        for (inb, out) in stale {
            self.kernel(KernelRequest::Delete { sa: inb.id() });
            self.kernel(KernelRequest::Delete { sa: out.id() });
        }
        self.ph2s
            .retain(|p| !(p.remote == remote && p.ph1 != Some(id) && p.installed.is_some()));
    }
}
