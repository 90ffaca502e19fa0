//! Dead peer detection (RFC 3706), as ipsec-tools racoon does it.
//!
//! Phase 1 carries the DPD vendor ID whenever the `remote` section leaves `dpd` on (the
//! default): the initiator offers it in its first message, the responder answers with it
//! when the initiator offered it. DPD is in use on an ISAKMP SA when the peer's first
//! message carried it. An R-U-THERE is always answered with an R-U-THERE-ACK carrying
//! the same sequence number.
//!
//! With `dpd_delay` above 0 the ISAKMP SA is probed: `dpd_delay` seconds after it is
//! established, and again `dpd_delay` seconds after each accepted ACK, an R-U-THERE
//! goes out (isakmp_info_send_r_u; like the original we probe on that fixed schedule,
//! whether or not other traffic came from the peer meanwhile). Unanswered, it is
//! resent every `dpd_retry` seconds; once `dpd_maxfail` have gone unanswered the peer
//! is declared dead: the ISAKMP SA and the IPsec SAs negotiated with the peer are
//! purged from the kernel and forgotten (purge_remote), so that the next ACQUIRE
//! negotiates afresh. The sequence numbers start at a small random value; an ACK counts
//! only if its number is above the last one accepted and not above the last one sent.

use super::ph2::Ph2State;
use super::{vendor_id, Engine, KernelRequest};
use crate::conf::LogLevel;
use crate::isakmp::{Notification, NotifyType, Payload, ProtocolId};
use std::time::{Duration, Instant};

/// How many ISAKMP SAs declared dead are remembered for the admin socket's events.
const DEAD_KEPT: usize = 64;

/// The DPD state of one ISAKMP SA (the ph1handle's dpd_* fields).
#[derive(Debug, Clone, Default)]
pub(crate) struct DpdState {
    /// The peer sent the DPD vendor ID and our `remote` section has `dpd` on.
    pub peer: bool,
    /// The last sequence number sent (0: none yet).
    pub seq: u32,
    /// The last sequence number acknowledged.
    pub last_ack: u32,
    /// R-U-THEREs sent since the last accepted ACK.
    pub fails: u64,
    /// When the next R-U-THERE is due (or the peer is declared dead).
    pub next_at: Option<Instant>,
}

impl Engine {
    /// The DPD vendor ID for a first message: an initiator's (`peer` is `None`) when
    /// the `remote` section has `dpd` on, a responder's when the initiator's message
    /// (`peer`) carried one too.
    pub(super) fn dpd_vid(&self, rmconf: usize, peer: Option<&[Payload]>) -> Option<Payload> {
        let on = self.config.remotes.get(rmconf).is_some_and(|r| r.dpd);
        let answered = peer.is_none_or(peer_offers_dpd);
        (on && answered).then(|| Payload::VendorId(vendor_id::dpd()))
    }

    /// The peer's first message was `payloads`: DPD is in use with it if it carried the
    /// DPD vendor ID and our `remote` section has `dpd` on (handle_vendorid).
    pub(super) fn dpd_peer_vids(&mut self, i: usize, payloads: &[Payload]) {
        let on = self
            .config
            .remotes
            .get(self.ph1s[i].rmconf)
            .is_some_and(|r| r.dpd);
        if on && peer_offers_dpd(payloads) && !self.ph1s[i].dpd.peer {
            self.ph1s[i].dpd.peer = true;
            self.log(LogLevel::Debug, "remote supports DPD".to_owned());
        }
    }

    /// The ISAKMP SA `ph1s[i]` was established: its first R-U-THERE is scheduled when
    /// DPD is in use and `dpd_delay` is set (isakmp_sched_r_u).
    pub(super) fn dpd_start(&mut self, now: Instant, i: usize) {
        let delay = self.dpd_delay(i);
        let p = &mut self.ph1s[i];
        if p.dpd.peer && delay > 0 {
            p.dpd.next_at = Some(now + Duration::from_secs(delay));
        }
    }

    /// The ids of the ISAKMP SAs lately declared dead, oldest first (for the
    /// admin socket's "dead peer detected" event).
    pub fn dpd_dead(&self) -> &[u64] {
        &self.dpd_dead
    }

    fn dpd_delay(&self, i: usize) -> u64 {
        self.config
            .remotes
            .get(self.ph1s[i].rmconf)
            .map_or(0, |r| r.dpd_delay)
    }

    /// Every due R-U-THERE is sent; a peer that let `dpd_maxfail` of them go unanswered
    /// is declared dead.
    pub(super) fn dpd_timeouts(&mut self, now: Instant) {
        let mut i = 0;
        while i < self.ph1s.len() {
            let due = self.ph1s[i].dpd.next_at.is_some_and(|t| t <= now);
            if due && self.ph1s[i].is_established() && self.dpd_fire(now, i) {
                self.dpd_declare_dead(i);
            } else {
                i += 1;
            }
        }
    }

    /// isakmp_info_send_r_u: returns whether the peer is dead.
    fn dpd_fire(&mut self, now: Instant, i: usize) -> bool {
        self.log(LogLevel::Debug, "DPD monitoring....".to_owned());
        let Some(rm) = self.config.remotes.get(self.ph1s[i].rmconf) else {
            self.ph1s[i].dpd.next_at = None;
            return false;
        };
        let (delay, retry, maxfail) = (rm.dpd_delay, rm.dpd_retry, rm.dpd_maxfail);
        if delay == 0 {
            // A reloaded configuration turned the checks off.
            self.ph1s[i].dpd.next_at = None;
            return false;
        }
        if self.ph1s[i].dpd.fails >= maxfail {
            return true;
        }
        if self.ph1s[i].dpd.seq == 0 {
            let r = self.random(2);
            let start = u32::from(u16::from_be_bytes([r[0], r[1]]) & 0x0fff);
            self.ph1s[i].dpd.seq = start;
            self.ph1s[i].dpd.last_ack = start;
        }
        let p = &mut self.ph1s[i];
        p.dpd.seq = p.dpd.seq.wrapping_add(1);
        p.dpd.fails += 1;
        p.dpd.next_at = Some(now + Duration::from_secs(retry.max(1)));
        let seq = p.dpd.seq;
        let spi = [p.icookie, p.rcookie].concat();
        self.send_notify(
            i,
            ProtocolId::Isakmp,
            spi,
            NotifyType::DpdRUThere,
            seq.to_be_bytes().to_vec(),
        );
        self.log(LogLevel::Debug, "DPD R-U-There sent (0)".to_owned());
        self.log(LogLevel::Debug, format!("rescheduling send_r_u ({retry})."));
        false
    }

    /// A protected R-U-THERE: answered with an ACK carrying the same cookies and
    /// sequence number (isakmp_info_recv_r_u).
    pub(super) fn dpd_r_u_there(&mut self, i: usize, n: &Notification) {
        self.log(LogLevel::Debug, "DPD R-U-There received".to_owned());
        if n.spi.len() != 16 || n.data.len() != 4 {
            self.log(
                LogLevel::Error,
                format!(
                    "invalid R-U-THERE (SPI of {} bytes, data of {} bytes), ignored.",
                    n.spi.len(),
                    n.data.len()
                ),
            );
            return;
        }
        self.send_notify(
            i,
            ProtocolId::Isakmp,
            n.spi.clone(),
            NotifyType::DpdRUThereAck,
            n.data.clone(),
        );
        self.log(
            LogLevel::Debug,
            "received a valid R-U-THERE, ACK sent".to_owned(),
        );
    }

    /// A protected R-U-THERE-ACK (isakmp_info_recv_r_u_ack): one for an R-U-THERE we
    /// sent since the last accepted ACK resets the failure count and schedules the
    /// next probe `dpd_delay` from now; any other is logged and ignored.
    pub(super) fn dpd_ack(&mut self, now: Instant, i: usize, n: &Notification) {
        self.log(LogLevel::Debug, "DPD R-U-There-Ack received".to_owned());
        let Ok(data) = <[u8; 4]>::try_from(n.data.as_slice()) else {
            self.log(
                LogLevel::Error,
                format!(
                    "invalid R-U-THERE-ACK (data of {} bytes), ignored.",
                    n.data.len()
                ),
            );
            return;
        };
        let seq = u32::from_be_bytes(data);
        let (last_ack, sent) = (self.ph1s[i].dpd.last_ack, self.ph1s[i].dpd.seq);
        if seq <= last_ack || seq > sent {
            // The original prints the three numbers with %d.
            self.log(
                LogLevel::Error,
                format!(
                    "Wrong DPD sequence number ({}; last_ack={}, seq={}).",
                    seq as i32, last_ack as i32, sent as i32
                ),
            );
            return;
        }
        let p = &self.ph1s[i];
        let (ic, rc) = (&p.icookie[..], &p.rcookie[..]);
        let (si, sr) = n.spi.split_at(n.spi.len().min(8));
        let matches = (si == ic && sr == rc) || (si == rc && sr == ic);
        if !matches {
            self.log(LogLevel::Error, "Cookie mismatch in DPD ACK!.".to_owned());
            return;
        }
        let delay = self.dpd_delay(i);
        let p = &mut self.ph1s[i];
        p.dpd.fails = 0;
        p.dpd.last_ack = seq;
        p.dpd.next_at = (delay > 0).then(|| now + Duration::from_secs(delay));
        self.log(LogLevel::Debug, "received an R-U-THERE-ACK".to_owned());
    }

    /// The peer of `ph1s[i]` did not answer: the line admins grep for, then
    /// purge_remote. The IPsec SAs with the peer go from the kernel, both directions,
    /// unless another ISAKMP SA with it is still valid, in which case only the
    /// negotiations bound to the dead one are dropped and established pairs are kept.
    /// No DELETE is sent: nobody would read it.
    fn dpd_declare_dead(&mut self, i: usize) {
        let p = &self.ph1s[i];
        let (id, idx, l, r) = (p.id, p.index(), p.local_ep(), p.remote_ep());
        let (local, remote) = (p.local.ip(), p.remote.ip());
        self.log(
            LogLevel::Info,
            format!("DPD: remote (ISAKMP-SA spi={idx}) seems to be dead."),
        );
        self.script_hook(i, super::script::ScriptEvent::Phase1Dead);
        if self.dpd_dead.len() == DEAD_KEPT {
            self.dpd_dead.remove(0);
        }
        self.dpd_dead.push(id);
        self.log(LogLevel::Info, format!("purging ISAKMP-SA spi={idx}."));
        let other = self
            .ph1s
            .iter()
            .find(|q| {
                q.id != id && q.is_established() && q.local.ip() == local && q.remote.ip() == remote
            })
            .map(|q| q.index());
        for j in (0..self.ph2s.len()).rev() {
            let q = &self.ph2s[j];
            if q.local != local || q.remote != remote {
                continue;
            }
            if let Some(other) = &other {
                if q.ph1.is_some_and(|b| b != id) {
                    continue;
                }
                if q.state == Ph2State::Established {
                    let spis = q.installed.as_ref().map(|(a, b)| [a.spi, b.spi]);
                    for spi in spis.into_iter().flatten() {
                        self.log(
                            LogLevel::Info,
                            format!(
                                "keeping IPsec-SA spi={spi} - found valid ISAKMP-SA spi={other}."
                            ),
                        );
                    }
                    continue;
                }
            }
            self.dpd_purge_ph2(j);
        }
        self.log(LogLevel::Info, format!("purged ISAKMP-SA spi={idx}."));
        self.log(
            LogLevel::Info,
            format!("ISAKMP-SA deleted {l}-{r} spi:{idx}"),
        );
        self.remove_ph1(i);
    }

    /// Deletes what `ph2s[j]` has in the kernel (both SAs of an installed pair, the
    /// inbound half or the reserved SPI of one under way) and forgets it.
    fn dpd_purge_ph2(&mut self, j: usize) {
        let q = &self.ph2s[j];
        let sas = match (&q.installed, &q.keyed) {
            (Some((inb, out)), _) => vec![inb.id(), out.id()],
            (None, Some((inb, _))) => vec![inb.id()],
            (None, None) => Vec::new(),
        };
        if sas.is_empty() {
            if let Some(spi) = q.our_spi {
                self.log(LogLevel::Info, format!("purged IPsec-SA spi={spi}."));
            }
            // abandon_ph2 releases a reserved SPI.
            self.abandon_ph2(j);
            return;
        }
        for sa in sas {
            self.kernel(KernelRequest::Delete { sa });
            self.log(LogLevel::Info, format!("purged IPsec-SA spi={}.", sa.spi));
        }
        self.ph2s.remove(j);
    }
}

/// Whether a first message carries the DPD vendor ID.
fn peer_offers_dpd(payloads: &[Payload]) -> bool {
    payloads
        .iter()
        .any(|p| matches!(p, Payload::VendorId(v) if vendor_id::is_dpd(v)))
}
