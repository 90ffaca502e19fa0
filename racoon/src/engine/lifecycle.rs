//! The life of negotiated SAs after their quick mode: kernel EXPIRE events (soft: the
//! initiator negotiates the replacement; hard: the pair is deleted and the peer told),
//! the daemon's SIGTERM (every peer is told that our SAs are gone) and SIGHUP (a new
//! configuration for the negotiations to come, the existing SAs kept).

use super::ph1::Side;
use super::ph2::Ph2State;
use super::{install, Engine, KernelRequest};
use crate::conf::{Config, LogLevel};
use crate::psk::PskFile;
use common::sa::{Sa, SaId};
use std::sync::Arc;
use std::time::Instant;

impl Engine {
    /// A kernel EXPIRE for one SA of a pair we installed.
    ///
    /// Soft: racoon logs it, and if we initiated the pair, a new quick mode starts at
    /// once; the old pair keeps carrying traffic until its hard expiry while the kernel
    /// sends new packets on the newer outbound SA. The responder waits for the
    /// initiator's new quick mode, as the original does. Hard: the kernel has dropped
    /// the SA; its partner goes too, and the peer is told with a DELETE naming our
    /// inbound SPI, so that it drops exactly that pair (never a newer one).
    pub(super) fn expire(&mut self, now: Instant, sa: &Sa, hard: bool) {
        let Some(i) = self.ph2s.iter().position(|p| {
            p.installed
                .as_ref()
                .is_some_and(|(i, o)| i.id() == sa.id() || o.id() == sa.id())
        }) else {
            return;
        };
        if !hard {
            self.log(
                LogLevel::Info,
                format!("IPsec-SA expired: {}", install::describe(sa)),
            );
            if self.ph2s[i].side == Side::Initiator && !self.superseded(i) {
                let (local, remote, req) = {
                    let p = &self.ph2s[i];
                    (p.local, p.remote, p.request.clone())
                };
                self.acquire(now, local, remote, req);
            }
            return;
        }
        self.delete_pair(now, i);
    }

    /// Whether a newer negotiation for the same traffic exists (under way or done), so
    /// that the second SA of a pair expiring does not start a second replacement.
    fn superseded(&self, i: usize) -> bool {
        let p = &self.ph2s[i];
        self.ph2s.iter().any(|q| {
            q.id > p.id
                && q.remote == p.remote
                && q.request.selector == p.request.selector
                && q.request.satype == p.request.satype
        })
    }

    /// Forgets the quick mode `ph2s[j]`, which did not finish: the inbound SPI GETSPI
    /// reserved for it (a larval SA in the kernel) is released, so that a failed
    /// negotiation leaves nothing in the SAD.
    pub(super) fn abandon_ph2(&mut self, j: usize) {
        let p = &self.ph2s[j];
        if let (None, Some(spi)) = (&p.installed, p.our_spi) {
            let satype = p.choice.map_or(p.request.satype, |c| c.satype);
            let sa = SaId {
                src: p.remote,
                dst: p.local,
                satype,
                spi,
            };
            self.kernel(KernelRequest::Delete { sa });
        }
        self.ph2s.remove(j);
    }

    /// Tells the peer, deletes both SAs of `ph2s[i]` from the kernel and forgets it.
    fn delete_pair(&mut self, now: Instant, i: usize) {
        if let Some((inbound, outbound)) = self.ph2s[i].installed.clone() {
            self.send_delete_ipsec(now, i);
            self.kernel(KernelRequest::Delete { sa: inbound.id() });
            self.kernel(KernelRequest::Delete { sa: outbound.id() });
        }
        self.ph2s.remove(i);
    }

    /// SIGTERM: every IPsec SA pair we installed is announced deleted to its peer and
    /// deleted from the kernel, then every established ISAKMP SA is announced deleted;
    /// negotiations under way are dropped. The engine is empty afterwards.
    pub fn shutdown(&mut self, now: Instant) {
        while let Some(i) = self.ph2s.iter().rposition(|p| p.installed.is_some()) {
            self.delete_pair(now, i);
        }
        while !self.ph2s.is_empty() {
            self.abandon_ph2(self.ph2s.len() - 1);
        }
        for i in 0..self.ph1s.len() {
            if self.ph1s[i].is_established() {
                let p = &self.ph1s[i];
                let (l, r, idx) = (p.local_ep(), p.remote_ep(), p.index());
                self.send_delete_isakmp(now, i);
                self.log(
                    LogLevel::Info,
                    format!("ISAKMP-SA deleted {l}-{r} spi:{idx}"),
                );
            }
        }
        for i in 0..self.ph1s.len() {
            self.script_hook(i, super::script::ScriptEvent::Phase1Down);
        }
        self.ph1s.clear();
        self.recvd.clear();
        self.finish();
    }

    /// SIGHUP: negotiations from now on use `config` and `psk`. Established SAs stay.
    /// A phase 1 whose peer no longer has a `remote` section is deleted (and the peer
    /// told, if it was established); a quick mode under way whose traffic no longer has
    /// an `sainfo` is dropped.
    pub fn set_config(&mut self, now: Instant, config: Arc<Config>, psk: Arc<PskFile>) {
        // The phase 1s the new file has no remote for go below; their phase1_down hooks
        // are the ones of the file they were negotiated under, so they are queued first.
        let old = std::mem::replace(&mut self.config, config);
        let doomed: Vec<usize> = (0..self.ph1s.len())
            .filter(|&i| self.find_remote(self.ph1s[i].remote.ip()).is_none())
            .collect();
        let new = std::mem::replace(&mut self.config, old);
        for i in doomed {
            self.script_hook(i, super::script::ScriptEvent::Phase1Down);
        }
        self.config = new;
        self.psk = psk;
        let mut i = 0;
        while i < self.ph1s.len() {
            if let Some(rm) = self.find_remote(self.ph1s[i].remote.ip()) {
                self.ph1s[i].rmconf = rm;
                i += 1;
                continue;
            }
            let p = &self.ph1s[i];
            let (l, r, idx, established) =
                (p.local_ep(), p.remote_ep(), p.index(), p.is_established());
            if established {
                self.send_delete_isakmp(now, i);
                self.log(
                    LogLevel::Info,
                    format!("ISAKMP-SA deleted {l}-{r} spi:{idx}"),
                );
            } else {
                self.log(
                    LogLevel::Info,
                    format!("phase1 negotiation with {r} dropped: no remote configuration"),
                );
            }
            let id = self.ph1s[i].id;
            // Its rmconf indexes the old configuration; its hook was queued above.
            self.ph1s.remove(i);
            for p in self.ph2s.iter_mut().filter(|p| p.ph1 == Some(id)) {
                p.ph1 = None;
            }
        }
        let mut j = 0;
        while j < self.ph2s.len() {
            let p = &self.ph2s[j];
            let (mine, theirs) = match p.side {
                Side::Initiator => (p.idci.clone(), p.idcr.clone()),
                Side::Responder => (p.idcr.clone(), p.idci.clone()),
            };
            let sainfo = match (&mine, &theirs) {
                (Some(m), Some(t)) => self.find_sainfo(m, t),
                _ => p.sainfo.filter(|&s| s < self.config.sainfos.len()),
            };
            let negotiating = p.state != Ph2State::Established;
            let orphan = negotiating && p.ph1.is_none() && p.state != Ph2State::WaitPh1;
            if negotiating && (sainfo.is_none() || orphan) {
                let (l, r) = (p.local, p.remote);
                self.log(
                    LogLevel::Info,
                    format!("phase2 negotiation {l}->{r} dropped by the new configuration"),
                );
                self.abandon_ph2(j);
                continue;
            }
            self.ph2s[j].sainfo = sainfo;
            j += 1;
        }
        self.finish();
    }
}
