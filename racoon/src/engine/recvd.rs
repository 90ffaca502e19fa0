//! The packets received and processed lately, each with what we answered, so that a
//! peer's retransmission is answered with the same bytes instead of being processed
//! again (racoon's `recvdpkt` tree). Entries expire after [`RECVD_KEEP`], as the
//! original's do; unlike the original's tree the table is also bounded, in entries and
//! in bytes, so that a flood of distinct packets cannot grow it without limit: past
//! either bound the oldest entries go first.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// How long a received packet and our answer to it are remembered.
pub(super) const RECVD_KEEP: Duration = Duration::from_secs(120);

/// At most this many packets are remembered...
pub(super) const RECVD_MAX_ENTRIES: usize = 4096;

/// ...holding at most this many bytes (received packets and answers together).
pub(super) const RECVD_MAX_BYTES: usize = 8 << 20;

/// Where our answer went and its bytes.
pub(super) type Response = (SocketAddr, SocketAddr, Vec<u8>);

struct Entry {
    response: Option<Response>,
    until: Instant,
    /// When it was remembered: the queue's entry for it carries the same stamp.
    stamp: u64,
}

#[derive(Default)]
pub(super) struct Recvd {
    entries: HashMap<Vec<u8>, Entry>,
    /// Keys in the order they were remembered (so also in expiry order), with their
    /// stamp; a key remembered again leaves a stale pair behind, skipped when met.
    order: VecDeque<(u64, Vec<u8>)>,
    bytes: usize,
    next_stamp: u64,
}

fn size(key: &[u8], response: &Option<Response>) -> usize {
    key.len() + response.as_ref().map_or(0, |r| r.2.len())
}

impl Recvd {
    /// Whether `received` was seen, and if so what we answered to it.
    pub(super) fn get(&self, received: &[u8]) -> Option<&Option<Response>> {
        self.entries.get(received).map(|e| &e.response)
    }

    /// Remembers a processed packet and our answer, dropping the oldest entries past
    /// the bounds.
    pub(super) fn remember(&mut self, now: Instant, received: &[u8], response: Option<Response>) {
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        self.bytes += size(received, &response);
        let entry = Entry {
            response,
            until: now + RECVD_KEEP,
            stamp,
        };
        if let Some(old) = self.entries.insert(received.to_vec(), entry) {
            self.bytes -= size(received, &old.response);
        }
        self.order.push_back((stamp, received.to_vec()));
        while self.entries.len() > RECVD_MAX_ENTRIES || self.bytes > RECVD_MAX_BYTES {
            if !self.drop_oldest() {
                break;
            }
        }
    }

    /// Forgets what has expired by `now`.
    pub(super) fn expire(&mut self, now: Instant) {
        while let Some((stamp, key)) = self.order.front() {
            match self.entries.get(key) {
                Some(e) if e.stamp == *stamp && e.until > now => break,
                _ => {
                    self.drop_oldest();
                }
            }
        }
    }

    pub(super) fn clear(&mut self) {
        *self = Recvd {
            next_stamp: self.next_stamp,
            ..Recvd::default()
        };
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }

    /// Removes the front of the queue (and its entry, unless remembered again since);
    /// false when the queue is empty.
    fn drop_oldest(&mut self) -> bool {
        let Some((stamp, key)) = self.order.pop_front() else {
            return false;
        };
        if self.entries.get(&key).is_some_and(|e| e.stamp == stamp) {
            if let Some(e) = self.entries.remove(&key) {
                self.bytes -= size(&key, &e.response);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(n: usize) -> Option<Response> {
        let a: SocketAddr = "192.168.1.100:500".parse().unwrap();
        let b: SocketAddr = "192.168.2.100:500".parse().unwrap();
        Some((a, b, vec![7; n]))
    }

    #[test]
    fn a_flood_of_distinct_packets_keeps_the_newest_within_the_bounds() {
        let mut r = Recvd::default();
        let now = Instant::now();
        for i in 0..(RECVD_MAX_ENTRIES + 500) as u32 {
            r.remember(now, &i.to_be_bytes(), answer(8));
        }
        assert_eq!(r.len(), RECVD_MAX_ENTRIES);
        assert_eq!(r.bytes, RECVD_MAX_ENTRIES * (4 + 8));
        // The oldest went first; the newest are answered.
        assert!(r.get(&0u32.to_be_bytes()).is_none());
        assert!(r.get(&499u32.to_be_bytes()).is_none());
        assert!(r.get(&500u32.to_be_bytes()).is_some());
        let last = (RECVD_MAX_ENTRIES + 499) as u32;
        assert_eq!(r.get(&last.to_be_bytes()), Some(&answer(8)));
    }

    #[test]
    fn large_packets_are_bounded_by_bytes() {
        let mut r = Recvd::default();
        let now = Instant::now();
        let big = vec![1u8; 60_000];
        for i in 0..400u32 {
            let mut key = big.clone();
            key[..4].copy_from_slice(&i.to_be_bytes());
            r.remember(now, &key, answer(60_000));
        }
        assert!(r.bytes <= RECVD_MAX_BYTES, "{}", r.bytes);
        assert_eq!(r.len(), RECVD_MAX_BYTES / 120_000);
    }

    #[test]
    fn entries_expire_and_a_repeat_is_remembered_afresh() {
        let mut r = Recvd::default();
        let t0 = Instant::now();
        r.remember(t0, b"one", answer(3));
        r.remember(t0 + Duration::from_secs(60), b"two", None);
        // "one" again, later: its first stamp must not expire the new entry.
        r.remember(t0 + Duration::from_secs(90), b"one", answer(5));
        assert_eq!(r.len(), 2);
        assert_eq!(r.bytes, 3 + 5 + 3);
        r.expire(t0 + RECVD_KEEP + Duration::from_secs(1));
        assert_eq!(r.get(b"one"), Some(&answer(5)));
        assert_eq!(r.get(b"two"), Some(&None));
        r.expire(t0 + Duration::from_secs(61) + RECVD_KEEP);
        assert!(r.get(b"two").is_none());
        assert!(r.get(b"one").is_some());
        r.expire(t0 + Duration::from_secs(91) + RECVD_KEEP);
        assert_eq!((r.len(), r.bytes), (0, 0));
        assert!(r.order.is_empty());
    }
}
