//! IKE fragmentation (`ike_frag on|force`, racoon's isakmp_frag.c): the FRAGMENTATION
//! vendor ID, cutting outgoing phase-1 messages into fragment messages and putting
//! received fragments back together.
//!
//! Sending: an initiator with `ike_frag` on or forced announces the capability with
//! the FRAGMENTATION vendor ID (MD5 of the name, then four bytes of capability flags).
//! A phase-1 message longer than [`FRAG_MAXLEN`] is sent as fragments when the peer
//! announced the capability, or from the first message on when this side initiated
//! with `ike_frag force`, as the original does. Fragmenting happens as a datagram
//! leaves the engine, so retransmissions resend every fragment.
//!
//! Receiving: fragments are taken only for phase-1 exchanges of an ISAKMP SA we already
//! hold (so a forged fragment creates no state), one message at a time per SA, and
//! within bounds: [`MAX_FRAGMENTS`] fragments, [`MAX_REASSEMBLED`] bytes, and a
//! half-received message is thrown away after [`REASSEMBLY_TIMEOUT`] (or when fragments
//! of another fragment ID arrive). Duplicates and reordering are fine; a second last
//! fragment, a fragment numbered past the last one, or a different fragment under a
//! number already held are refused (the CVE-2016-10396 class). The whole message then
//! takes the normal path, retransmission detection included.

use super::ph1::{Ph1State, Side};
use super::{natt, vendor_id, Engine};
use crate::conf::{IkeFrag, LogLevel};
use crate::isakmp::{split_fragments, ExchangeType, Fragment, Header, Payload, FRAGMENT_PAYLOAD};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Messages longer than this are fragmented, and no fragment is longer (ISAKMP header
/// included): racoon's ISAKMP_FRAG_MAXLEN.
pub(crate) const FRAG_MAXLEN: usize = 552;

/// Fragments of one message at most (a 64 KiB message in 552-byte fragments needs 128).
pub(crate) const MAX_FRAGMENTS: u8 = 128;

/// Bytes of fragment data held for one message at most.
pub(crate) const MAX_REASSEMBLED: usize = 64 * 1024;

/// A message whose fragments have not all arrived within this time is dropped.
pub(crate) const REASSEMBLY_TIMEOUT: Duration = Duration::from_secs(30);

/// The capability flag racoon sets: fragmentation in main mode (VENDORID_FRAG_IDENT)
/// and in aggressive mode (VENDORID_FRAG_AGG) are the same bit.
pub(crate) const CAP_FRAG: u32 = 0x8000_0000;

/// racoon numbers every fragmented message's fragments under ID 1.
const FRAGMENT_ID: u16 = 1;

/// A phase-1 negotiation's fragmentation state.
#[derive(Debug, Default)]
pub(crate) struct Ph1Frag {
    /// The peer announced the capability.
    pub peer: bool,
    chain: Option<Chain>,
}

/// The fragments of one message received so far.
#[derive(Debug)]
struct Chain {
    id: u16,
    started: Instant,
    parts: BTreeMap<u8, Vec<u8>>,
    last: Option<u8>,
    bytes: usize,
}

/// What a received fragment led to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Added {
    /// Queued (or a duplicate of one held); more are needed.
    Incomplete,
    /// The message is whole.
    Complete(Vec<u8>),
    /// Refused, with racoon's reason.
    Refused(&'static str),
}

impl Ph1Frag {
    /// Adds a fragment to the message being put together.
    pub(crate) fn add(&mut self, now: Instant, f: &Fragment) -> Added {
        if self
            .chain
            .as_ref()
            .is_some_and(|c| c.id != f.id || now.duration_since(c.started) > REASSEMBLY_TIMEOUT)
        {
            self.chain = None;
        }
        if f.number > MAX_FRAGMENTS {
            return Added::Refused("Fragment number too large");
        }
        let c = self.chain.get_or_insert_with(|| Chain {
            id: f.id,
            started: now,
            parts: BTreeMap::new(),
            last: None,
            bytes: 0,
        });
        if let Some(held) = c.parts.get(&f.number) {
            return if *held == f.data {
                Added::Incomplete
            } else {
                Added::Refused("Duplicate fragment number")
            };
        }
        match c.last {
            Some(_) if f.last => return Added::Refused("Message has multiple tail fragments"),
            Some(last) if f.number > last => {
                return Added::Refused("Fragment number greater than tail fragment number")
            }
            None if f.last && c.parts.keys().any(|&n| n > f.number) => {
                return Added::Refused("Fragment number greater than tail fragment number")
            }
            _ => {}
        }
        if c.bytes + f.data.len() > MAX_REASSEMBLED {
            self.chain = None;
            return Added::Refused("Reassembled message too large");
        }
        c.bytes += f.data.len();
        c.parts.insert(f.number, f.data.clone());
        if f.last {
            c.last = Some(f.number);
        }
        // Numbers are distinct, at least 1 and at most `last`: all present when counted.
        if c.last.is_some_and(|l| c.parts.len() == usize::from(l)) {
            let whole = c.parts.values().flatten().copied().collect();
            self.chain = None;
            return Added::Complete(whole);
        }
        Added::Incomplete
    }

    /// Bytes of a partly received message held (for tests of the bounds).
    #[cfg(test)]
    fn holding(&self) -> usize {
        self.chain.as_ref().map_or(0, |c| c.bytes)
    }
}

/// Whether an exchange is a phase-1 one, the only ones fragmented.
fn phase1_exchange(e: ExchangeType) -> bool {
    matches!(
        e,
        ExchangeType::IdentityProtection | ExchangeType::Aggressive
    )
}

impl Engine {
    /// The FRAGMENTATION vendor ID an initiator sends when its `remote` section has
    /// `ike_frag` on or forced.
    pub(super) fn frag_vid(&self, rmconf: usize) -> Option<Payload> {
        if self.config.remotes[rmconf].ike_frag == IkeFrag::Off {
            return None;
        }
        vendor_id::fragmentation(CAP_FRAG).map(Payload::VendorId)
    }

    /// Notes whether the peer's vendor IDs announce fragmentation, as racoon does
    /// whatever its own `ike_frag` says.
    pub(super) fn frag_peer_vids(&mut self, i: usize, payloads: &[Payload]) {
        let capable = payloads.iter().any(|p| match p {
            Payload::VendorId(v) => {
                vendor_id::fragmentation_caps(v).is_some_and(|c| c & CAP_FRAG != 0)
            }
            _ => false,
        });
        if capable {
            self.ph1s[i].frag.peer = true;
            self.log(LogLevel::Debug, "remote supports FRAGMENTATION".to_owned());
        }
    }

    /// An outgoing datagram as it goes on the wire: itself, or its fragments when it
    /// is a long phase-1 message to a peer we fragment for.
    pub(super) fn frag_outgoing(&self, bytes: Vec<u8>) -> Vec<Vec<u8>> {
        if bytes.len() <= FRAG_MAXLEN {
            return vec![bytes];
        }
        let Ok(header) = Header::decode(&bytes) else {
            return vec![bytes];
        };
        let on = phase1_exchange(header.exchange)
            && self.ph1s.iter().any(|p| {
                p.icookie == header.initiator_cookie
                    && p.rcookie == header.responder_cookie
                    && (p.frag.peer
                        || (p.side == Side::Initiator
                            && self.config.remotes[p.rmconf].ike_frag == IkeFrag::Force))
            });
        if !on {
            return vec![bytes];
        }
        split_fragments(&bytes, &header, FRAGMENT_ID, FRAG_MAXLEN)
    }

    /// A datagram whose first payload is a fragment.
    pub(super) fn fragment_received(
        &mut self,
        now: Instant,
        local: SocketAddr,
        remote: SocketAddr,
        header: &Header,
        bytes: &[u8],
    ) {
        let f = match Fragment::decode(bytes) {
            Ok(f) => f,
            Err(e) => {
                self.log(LogLevel::Error, format!("{e}"));
                return;
            }
        };
        let (ic, rc) = (header.initiator_cookie, header.responder_cookie);
        let found = phase1_exchange(header.exchange)
            .then(|| {
                self.ph1s.iter().position(|p| {
                    p.icookie == ic
                        && (p.rcookie == rc
                            || (p.rcookie == [0; 8]
                                && matches!(p.state, Ph1State::MainI1 | Ph1State::AggI1)))
                })
            })
            .flatten();
        let Some(i) = found else {
            self.log(
                LogLevel::Debug,
                format!(
                    "fragment for unknown ISAKMP-SA {} from {remote}, ignored",
                    super::ph1::hex(&ic)
                ),
            );
            return;
        };
        if self.remote_mismatched(i, remote) {
            return;
        }
        match self.ph1s[i].frag.add(now, &f) {
            Added::Incomplete => self.log(
                LogLevel::Debug,
                format!("fragment payload #{} queued", f.number),
            ),
            Added::Refused(why) => self.log(LogLevel::Error, why.to_owned()),
            Added::Complete(whole) => {
                let fits = Header::decode(&whole).is_ok_and(|h| {
                    h.initiator_cookie == ic
                        && h.responder_cookie == rc
                        && h.exchange == header.exchange
                        && h.next_payload.value() != FRAGMENT_PAYLOAD
                });
                if !fits {
                    self.log(LogLevel::Error, "Packet reassembly failed".to_owned());
                    return;
                }
                self.log(
                    LogLevel::Debug,
                    format!("Fragment #{} completed payload.", f.number),
                );
                let whole = natt::wrap_datagram(local, self.natt_port, whole);
                self.datagram(now, local, remote, &whole);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::isakmp::Flags;

    fn frag(number: u8, last: bool, data: &[u8]) -> Fragment {
        Fragment {
            header: Header::new(
                [1; 8],
                [2; 8],
                ExchangeType::IdentityProtection,
                Flags(0),
                0,
            ),
            id: FRAGMENT_ID,
            number,
            last,
            data: data.to_vec(),
        }
    }

    #[test]
    fn out_of_order_and_duplicates_reassemble() {
        let t = Instant::now();
        let mut s = Ph1Frag::default();
        assert_eq!(s.add(t, &frag(3, true, b"cc")), Added::Incomplete);
        assert_eq!(s.add(t, &frag(1, false, b"aa")), Added::Incomplete);
        assert_eq!(s.add(t, &frag(1, false, b"aa")), Added::Incomplete);
        // A resent tail is a duplicate; another tail is forged.
        assert_eq!(s.add(t, &frag(3, true, b"cc")), Added::Incomplete);
        assert_eq!(
            s.add(t, &frag(4, true, b"dd")),
            Added::Refused("Message has multiple tail fragments")
        );
        assert_eq!(
            s.add(t, &frag(2, false, b"bb")),
            Added::Complete(b"aabbcc".to_vec())
        );
        assert_eq!(s.holding(), 0);
    }

    #[test]
    fn forged_fragments_are_refused() {
        let t = Instant::now();
        let mut s = Ph1Frag::default();
        assert_eq!(s.add(t, &frag(5, false, b"e")), Added::Incomplete);
        assert_eq!(
            s.add(t, &frag(2, true, b"b")),
            Added::Refused("Fragment number greater than tail fragment number")
        );
        assert_eq!(s.add(t, &frag(6, true, b"f")), Added::Incomplete);
        assert_eq!(
            s.add(t, &frag(7, false, b"g")),
            Added::Refused("Fragment number greater than tail fragment number")
        );
        assert_eq!(
            s.add(t, &frag(5, false, b"X")),
            Added::Refused("Duplicate fragment number")
        );
        assert_eq!(
            s.add(t, &frag(200, false, b"x")),
            Added::Refused("Fragment number too large")
        );
        assert_eq!(s.holding(), 2);
    }

    #[test]
    fn memory_and_time_are_bounded() {
        let t = Instant::now();
        let mut s = Ph1Frag::default();
        let big = vec![0u8; 60_000];
        assert_eq!(s.add(t, &frag(1, false, &big)), Added::Incomplete);
        assert_eq!(
            s.add(t, &frag(2, false, &big)),
            Added::Refused("Reassembled message too large")
        );
        assert_eq!(s.holding(), 0);
        assert_eq!(s.add(t, &frag(1, false, b"old")), Added::Incomplete);
        let later = t + REASSEMBLY_TIMEOUT + Duration::from_secs(1);
        assert_eq!(s.add(later, &frag(2, true, b"new")), Added::Incomplete);
        assert_eq!(s.holding(), 3);
        let mut other = frag(1, false, b"z");
        other.id = 9;
        assert_eq!(s.add(later, &other), Added::Incomplete);
        assert_eq!(s.holding(), 1);
    }
}
