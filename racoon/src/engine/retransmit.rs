//! Retransmission per racoon.conf's `timer { counter interval persend }`: each message
//! that expects an answer is sent `persend` times, then resent every `interval` seconds
//! until `counter` resends have gone unanswered.

use crate::conf::Timer;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub(crate) struct Retransmit {
    pub from: SocketAddr,
    pub to: SocketAddr,
    pub bytes: Vec<u8>,
    pub remaining: u64,
    pub interval: Duration,
    pub next_at: Instant,
}

/// What a due retransmission timer asks for.
pub(crate) enum Due {
    Resend,
    GiveUp,
}

impl Retransmit {
    pub fn new(
        now: Instant,
        timer: &Timer,
        from: SocketAddr,
        to: SocketAddr,
        bytes: Vec<u8>,
    ) -> Retransmit {
        let interval = Duration::from_secs(timer.interval.max(1));
        Retransmit {
            from,
            to,
            bytes,
            remaining: timer.counter,
            interval,
            next_at: now + interval,
        }
    }

    /// Called when `next_at` has passed.
    pub fn fire(&mut self, now: Instant) -> Due {
        if self.remaining == 0 {
            return Due::GiveUp;
        }
        self.remaining -= 1;
        self.next_at = now + self.interval;
        Due::Resend
    }
}
