//! Events for show-event and establish-sa -w, found by comparing the engine's handles
//! from one turn of the loop to the next: a phase 1 or 2 that became established is
//! "up", one that vanished is "down" if it had been established and "no response"
//! otherwise (the engine does not say why a negotiation ended).

use crate::engine::admin::{Ph1View, Ph2View};
use common::admin::{evt, Event};
use std::collections::HashMap;
use std::net::SocketAddr;

/// One event with the handles it belongs to; `ends` when that handle is gone, which
/// ends the subscriptions on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emitted {
    pub event: Event,
    pub ph1: Option<u64>,
    pub ph2: Option<u64>,
    pub ends: bool,
}

#[derive(Debug, Clone, Copy)]
struct Seen1 {
    established: bool,
    local: SocketAddr,
    remote: SocketAddr,
}

#[derive(Debug, Clone, Copy)]
struct Seen2 {
    established: bool,
    ph1: Option<u64>,
    msgid: u32,
}

#[derive(Debug, Default)]
pub struct Tracker {
    ph1: HashMap<u64, Seen1>,
    ph2: HashMap<u64, Seen2>,
}

impl Tracker {
    /// The events since the last call; `now` is the wall clock for their timestamps.
    pub fn update(&mut self, ph1s: &[Ph1View], ph2s: &[Ph2View], now: i64) -> Vec<Emitted> {
        self.update_with_dpd(ph1s, ph2s, &[], now)
    }

    /// [`Tracker::update`], where `dpd_dead` names the phase-1 handles DPD declared
    /// dead (`Engine::dpd_dead`): one of them that vanished is reported "dead peer
    /// detected" first, as isakmp_info_send_r_u does before purging.
    pub fn update_with_dpd(
        &mut self,
        ph1s: &[Ph1View],
        ph2s: &[Ph2View],
        dpd_dead: &[u64],
        now: i64,
    ) -> Vec<Emitted> {
        let mut out = Vec::new();
        let ev = |kind, ends_at: Option<(SocketAddr, SocketAddr)>, msgid| Event {
            kind,
            timestamp: now,
            ph1src: ends_at.map(|e| e.0),
            ph1dst: ends_at.map(|e| e.1),
            ph2msgid: msgid,
            data: Vec::new(),
        };
        let mut ph1_now: HashMap<u64, Seen1> = HashMap::new();
        for p in ph1s {
            let seen = Seen1 {
                established: p.established,
                local: p.local,
                remote: p.remote,
            };
            let was = self.ph1.get(&p.id).is_some_and(|s| s.established);
            if p.established && !was {
                let ends = Some((p.local, p.remote));
                for kind in [evt::PHASE1_UP, evt::PHASE1_MODE_CFG] {
                    out.push(Emitted {
                        event: ev(kind, ends, 0),
                        ph1: Some(p.id),
                        ph2: None,
                        ends: false,
                    });
                }
            }
            ph1_now.insert(p.id, seen);
        }
        let ends_of = |id: Option<u64>, old: &HashMap<u64, Seen1>| {
            id.and_then(|i| ph1_now.get(&i).or_else(|| old.get(&i)))
                .map(|s| (s.local, s.remote))
        };
        let mut ph2_now: HashMap<u64, Seen2> = HashMap::new();
        for p in ph2s {
            let was = self.ph2.get(&p.id).is_some_and(|s| s.established);
            if p.established && !was {
                out.push(Emitted {
                    event: ev(evt::PHASE2_UP, ends_of(p.ph1, &self.ph1), p.msgid),
                    ph1: p.ph1,
                    ph2: Some(p.id),
                    ends: false,
                });
            }
            ph2_now.insert(
                p.id,
                Seen2 {
                    established: p.established,
                    ph1: p.ph1,
                    msgid: p.msgid,
                },
            );
        }
        let mut dead: Vec<(&u64, &Seen1)> = self
            .ph1
            .iter()
            .filter(|(id, _)| !ph1_now.contains_key(id) && dpd_dead.contains(id))
            .collect();
        dead.sort_by_key(|(id, _)| **id);
        for (id, s) in dead {
            out.push(Emitted {
                event: ev(evt::PHASE1_DPD_TIMEOUT, Some((s.local, s.remote)), 0),
                ph1: Some(*id),
                ph2: None,
                ends: false,
            });
        }
        let mut gone2: Vec<(&u64, &Seen2)> = self
            .ph2
            .iter()
            .filter(|(id, _)| !ph2_now.contains_key(id))
            .collect();
        gone2.sort_by_key(|(id, _)| **id);
        for (id, s) in gone2 {
            let kind = if s.established {
                evt::PHASE2_DOWN
            } else {
                evt::PHASE2_NO_RESPONSE
            };
            out.push(Emitted {
                event: ev(kind, ends_of(s.ph1, &self.ph1), s.msgid),
                ph1: s.ph1,
                ph2: Some(*id),
                ends: true,
            });
        }
        let mut gone1: Vec<(&u64, &Seen1)> = self
            .ph1
            .iter()
            .filter(|(id, _)| !ph1_now.contains_key(id))
            .collect();
        gone1.sort_by_key(|(id, _)| **id);
        for (id, s) in gone1 {
            let kind = if s.established {
                evt::PHASE1_DOWN
            } else {
                evt::PHASE1_NO_RESPONSE
            };
            out.push(Emitted {
                event: ev(kind, Some((s.local, s.remote)), 0),
                ph1: Some(*id),
                ph2: None,
                ends: true,
            });
        }
        self.ph1 = ph1_now;
        self.ph2 = ph2_now;
        out
    }
}
