//! What main mode and aggressive mode share around their messages: finding the phase-1
//! handle a datagram belongs to, and acting on a message handler's outcome.

use super::main_mode::Ignore;
use super::ph1::Ph1State;
use super::Engine;
use crate::conf::LogLevel;
use crate::isakmp::{Flags, Header};
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
        if self.ph1s[i].remote != remote {
            self.log(
                LogLevel::Error,
                format!(
                    "remote address mismatched. db={}, act={}",
                    self.ph1s[i].remote, remote
                ),
            );
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
        self.ph1s.remove(i);
    }
}
