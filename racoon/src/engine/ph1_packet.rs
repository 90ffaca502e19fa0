//! What main mode and aggressive mode share around their messages: starting a phase 1,
//! finding the handle a datagram belongs to, and acting on a message handler's outcome.

use super::main_mode::Ignore;
use super::ph1::Ph1State;
use super::proposal::{self, Ph1Choice};
use super::Engine;
use crate::conf::LogLevel;
use crate::isakmp::{Flags, Header, SecurityAssociation};
use common::addr::Endpoint;
use std::net::SocketAddr;

/// Where a phase-1 datagram goes.
pub(super) enum Ph1Target {
    /// The handle at this index, from the expected peer.
    Handle(usize),
    /// Nobody's yet: the first message of an exchange the peer starts.
    New,
    /// Logged and dropped (an unknown SA, or a known one from another address).
    Dropped,
}

impl Engine {
    /// The start of a phase 1 we initiate, in either mode: the original's two log lines
    /// and the SA payload of the remote's proposals (with the offers it was built from).
    /// None, logged, when the remote has no usable proposal.
    pub(super) fn ph1_initiate(
        &mut self,
        local: SocketAddr,
        remote: SocketAddr,
        rmconf: usize,
        mode: &str,
    ) -> Option<(Vec<Ph1Choice>, SecurityAssociation)> {
        let (l, r) = (Endpoint::from(local), Endpoint::from(remote));
        self.log(
            LogLevel::Info,
            format!("initiate new phase 1 negotiation: {l}<=>{r}"),
        );
        self.log(LogLevel::Info, format!("begin {mode} mode."));
        let offers = proposal::ph1_offers(&self.config.remotes[rmconf]);
        match proposal::ph1_sa(&offers) {
            Ok(sa) if !offers.is_empty() => Some((offers, sa)),
            Ok(_) => {
                self.log(
                    LogLevel::Error,
                    format!("no proposal in {}.", self.config.remotes[rmconf].describe()),
                );
                None
            }
            Err(e) => {
                self.log(
                    LogLevel::Error,
                    format!("failed to build the SA payload: {e}"),
                );
                None
            }
        }
    }

    /// The handle for `header`'s cookies. The responder's first answer carries a
    /// cookie the initiator does not know yet, so a handle still in `first_sent` with
    /// no responder cookie matches on the initiator cookie alone.
    pub(super) fn ph1_target(
        &mut self,
        remote: SocketAddr,
        header: &Header,
        first_sent: Ph1State,
    ) -> Ph1Target {
        let found = self
            .ph1_by_cookies(&header.initiator_cookie, &header.responder_cookie)
            .or_else(|| {
                self.ph1s.iter().position(|p| {
                    p.icookie == header.initiator_cookie
                        && p.rcookie == [0; 8]
                        && p.state == first_sent
                })
            });
        let Some(i) = found else {
            if header.responder_cookie == [0; 8] && !header.flags.contains(Flags::ENCRYPTION) {
                return Ph1Target::New;
            }
            self.log(
                LogLevel::Debug,
                format!(
                    "unknown ISAKMP-SA {} from {remote}, ignored",
                    super::ph1::hex(&header.initiator_cookie)
                ),
            );
            return Ph1Target::Dropped;
        };
        if self.remote_mismatched(i, remote) {
            return Ph1Target::Dropped;
        }
        Ph1Target::Handle(i)
    }

    /// A message handler's outcome: noise is logged, a fatal error ends the
    /// negotiation with the original's "phase1 negotiation failed." line.
    pub(super) fn ph1_outcome(&mut self, i: usize, result: Result<(), Ignore>) {
        match result {
            Ok(()) => {}
            Err(Ignore::Quiet(why)) => self.log(LogLevel::Debug, why),
            Err(Ignore::Loud(why)) => self.log(LogLevel::Error, why),
            Err(Ignore::Fatal(why)) => self.ph1_failed(i, why),
        }
    }

    /// Ends negotiation `i` after logging why.
    pub(super) fn ph1_failed(&mut self, i: usize, why: String) {
        self.log(LogLevel::Error, why);
        self.log(
            LogLevel::Error,
            format!("phase1 negotiation failed. {}", self.ph1s[i].index()),
        );
        self.remove_ph1(i);
    }
}

impl Engine {
    /// Whether a packet for phase 1 `i` came from another address than its peer's
    /// (logged, as isakmp_main did before dropping it).
    pub(super) fn remote_mismatched(&mut self, i: usize, remote: SocketAddr) -> bool {
        let known = self.ph1s[i].remote;
        if known == remote {
            return false;
        }
        self.log(
            LogLevel::Error,
            format!("remote address mismatched. db={known}, act={remote}"),
        );
        true
    }
}
