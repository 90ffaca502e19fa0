//! PF_KEY lifetimes (`sadb_lifetime`: hard, soft, current) to and from XFRM's
//! `xfrm_lifetime_cfg` and `xfrm_lifetime_cur`, as Linux's af_key converts them.

use super::consts::XFRM_INF;
use super::selector::{LifetimeCfg, LifetimeCur};
use crate::sa::Lifetime;

/// af_key's `_KEY2X`: PF_KEY says "no limit" with 0, XFRM with all ones.
fn key2x(v: u64) -> u64 {
    if v == 0 {
        XFRM_INF
    } else {
        v
    }
}

/// af_key's `_X2KEY`.
fn x2key(v: u64) -> u64 {
    if v == XFRM_INF {
        0
    } else {
        v
    }
}

/// Hard and soft limits into one `xfrm_lifetime_cfg`. `allocations` is the packet
/// limit: af_key maps `sadb_lifetime_allocations` to `*_packet_limit`.
pub fn to_cfg(hard: &Lifetime, soft: &Lifetime) -> LifetimeCfg {
    LifetimeCfg {
        soft_byte_limit: key2x(soft.bytes),
        hard_byte_limit: key2x(hard.bytes),
        soft_packet_limit: key2x(u64::from(soft.allocations)),
        hard_packet_limit: key2x(u64::from(hard.allocations)),
        soft_add_expires_seconds: soft.addtime,
        hard_add_expires_seconds: hard.addtime,
        soft_use_expires_seconds: soft.usetime,
        hard_use_expires_seconds: hard.usetime,
    }
}

fn allocations(packets: u64) -> u32 {
    u32::try_from(x2key(packets)).unwrap_or(u32::MAX)
}

/// The hard and soft limits af_key would report for `cfg`.
pub fn from_cfg(cfg: &LifetimeCfg) -> (Lifetime, Lifetime) {
    let hard = Lifetime {
        allocations: allocations(cfg.hard_packet_limit),
        bytes: x2key(cfg.hard_byte_limit),
        addtime: cfg.hard_add_expires_seconds,
        usetime: cfg.hard_use_expires_seconds,
    };
    let soft = Lifetime {
        allocations: allocations(cfg.soft_packet_limit),
        bytes: x2key(cfg.soft_byte_limit),
        addtime: cfg.soft_add_expires_seconds,
        usetime: cfg.soft_use_expires_seconds,
    };
    (hard, soft)
}

/// The current lifetime as af_key reports it: packets counted as allocations.
pub fn from_cur(cur: &LifetimeCur) -> Lifetime {
    Lifetime {
        allocations: u32::try_from(cur.packets).unwrap_or(u32::MAX),
        bytes: cur.bytes,
        addtime: cur.add_time,
        usetime: cur.use_time,
    }
}

/// Whether usage `cur` has reached the limits of one side (hard or soft) of `cfg` at
/// Unix time `now`, by the rules of the kernel's `xfrm_state_check_expire` and timer.
/// A zero byte or packet limit counts as none: the kernel only checks them when a
/// packet passes, so an idle SA with such a limit is still alive.
fn reached(cur: &LifetimeCur, bytes: u64, packets: u64, add: u64, use_: u64, now: u64) -> bool {
    let limit = |v: u64| v != 0 && v != XFRM_INF;
    (limit(bytes) && cur.bytes >= bytes)
        || (limit(packets) && cur.packets >= packets)
        || (add != 0 && now >= cur.add_time.saturating_add(add))
        || (use_ != 0 && cur.use_time != 0 && now >= cur.use_time.saturating_add(use_))
}

/// Past the hard limits: the state af_key reports as DEAD.
pub fn hard_reached(cfg: &LifetimeCfg, cur: &LifetimeCur, now: u64) -> bool {
    reached(
        cur,
        cfg.hard_byte_limit,
        cfg.hard_packet_limit,
        cfg.hard_add_expires_seconds,
        cfg.hard_use_expires_seconds,
        now,
    )
}

/// Past the soft limits: af_key's DYING (`km.dying`).
pub fn soft_reached(cfg: &LifetimeCfg, cur: &LifetimeCur, now: u64) -> bool {
    reached(
        cur,
        cfg.soft_byte_limit,
        cfg.soft_packet_limit,
        cfg.soft_add_expires_seconds,
        cfg.soft_use_expires_seconds,
        now,
    )
}
