//! The structures every XFRM message embeds: `xfrm_address_t`, `xfrm_selector`,
//! `xfrm_id`, `xfrm_lifetime_cfg`, `xfrm_lifetime_cur`, `xfrm_stats`.

use super::consts::{AF_INET, AF_INET6, XFRM_INF};
use super::error::DecodeError;
use super::wire::{Put, Reader};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `xfrm_address_t`: 16 bytes, an IPv4 address in the first 4.
pub type RawAddr = [u8; 16];

pub fn addr_to_raw(ip: IpAddr) -> RawAddr {
    let mut raw = [0u8; 16];
    match ip {
        IpAddr::V4(v4) => raw[..4].copy_from_slice(&v4.octets()),
        IpAddr::V6(v6) => raw = v6.octets(),
    }
    raw
}

/// Reads an address of `family`; anything but `AF_INET`/`AF_INET6` is an error.
pub fn raw_to_addr(raw: &RawAddr, family: u16) -> Result<IpAddr, DecodeError> {
    match family {
        AF_INET => Ok(IpAddr::V4(Ipv4Addr::new(raw[0], raw[1], raw[2], raw[3]))),
        AF_INET6 => Ok(IpAddr::V6(Ipv6Addr::from(*raw))),
        other => Err(DecodeError::Invalid {
            what: "address family",
            value: u64::from(other),
        }),
    }
}

pub fn family_of(ip: IpAddr) -> u16 {
    match ip {
        IpAddr::V4(_) => AF_INET,
        IpAddr::V6(_) => AF_INET6,
    }
}

/// `struct xfrm_selector` (56 bytes): the traffic a policy or an SA applies to.
/// Ports and their masks are in network order on the wire, held here in host order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct XfrmSelector {
    pub daddr: RawAddr,
    pub saddr: RawAddr,
    pub dport: u16,
    pub dport_mask: u16,
    pub sport: u16,
    pub sport_mask: u16,
    pub family: u16,
    pub prefixlen_d: u8,
    pub prefixlen_s: u8,
    pub proto: u8,
    pub ifindex: i32,
    pub user: u32,
}

impl XfrmSelector {
    pub const LEN: usize = 56;

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.daddr);
        out.extend_from_slice(&self.saddr);
        out.put_be16(self.dport);
        out.put_be16(self.dport_mask);
        out.put_be16(self.sport);
        out.put_be16(self.sport_mask);
        out.put_u16(self.family);
        out.put_u8(self.prefixlen_d);
        out.put_u8(self.prefixlen_s);
        out.put_u8(self.proto);
        out.extend_from_slice(&[0; 3]);
        out.put_i32(self.ifindex);
        out.put_u32(self.user);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<XfrmSelector, DecodeError> {
        let daddr = r.array()?;
        let saddr = r.array()?;
        let dport = r.be16()?;
        let dport_mask = r.be16()?;
        let sport = r.be16()?;
        let sport_mask = r.be16()?;
        let family = r.u16()?;
        let prefixlen_d = r.u8()?;
        let prefixlen_s = r.u8()?;
        let proto = r.u8()?;
        r.skip(3)?;
        Ok(XfrmSelector {
            daddr,
            saddr,
            dport,
            dport_mask,
            sport,
            sport_mask,
            family,
            prefixlen_d,
            prefixlen_s,
            proto,
            ifindex: r.i32()?,
            user: r.u32()?,
        })
    }
}

/// `struct xfrm_id` (24 bytes): destination, SPI (network order on the wire), protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct XfrmId {
    pub daddr: RawAddr,
    pub spi: u32,
    pub proto: u8,
}

impl XfrmId {
    pub const LEN: usize = 24;

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.daddr);
        out.put_be32(self.spi);
        out.put_u8(self.proto);
        out.extend_from_slice(&[0; 3]);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<XfrmId, DecodeError> {
        let daddr = r.array()?;
        let spi = r.be32()?;
        let proto = r.u8()?;
        r.skip(3)?;
        Ok(XfrmId { daddr, spi, proto })
    }
}

/// `struct xfrm_lifetime_cfg` (64 bytes): limits. Byte and packet limits use
/// [`XFRM_INF`] for "none", times use 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LifetimeCfg {
    pub soft_byte_limit: u64,
    pub hard_byte_limit: u64,
    pub soft_packet_limit: u64,
    pub hard_packet_limit: u64,
    pub soft_add_expires_seconds: u64,
    pub hard_add_expires_seconds: u64,
    pub soft_use_expires_seconds: u64,
    pub hard_use_expires_seconds: u64,
}

impl Default for LifetimeCfg {
    /// No limits, as `ip xfrm` sends when none are given.
    fn default() -> LifetimeCfg {
        LifetimeCfg {
            soft_byte_limit: XFRM_INF,
            hard_byte_limit: XFRM_INF,
            soft_packet_limit: XFRM_INF,
            hard_packet_limit: XFRM_INF,
            soft_add_expires_seconds: 0,
            hard_add_expires_seconds: 0,
            soft_use_expires_seconds: 0,
            hard_use_expires_seconds: 0,
        }
    }
}

impl LifetimeCfg {
    pub const LEN: usize = 64;

    fn fields(&self) -> [u64; 8] {
        [
            self.soft_byte_limit,
            self.hard_byte_limit,
            self.soft_packet_limit,
            self.hard_packet_limit,
            self.soft_add_expires_seconds,
            self.hard_add_expires_seconds,
            self.soft_use_expires_seconds,
            self.hard_use_expires_seconds,
        ]
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        for v in self.fields() {
            out.put_u64(v);
        }
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<LifetimeCfg, DecodeError> {
        Ok(LifetimeCfg {
            soft_byte_limit: r.u64()?,
            hard_byte_limit: r.u64()?,
            soft_packet_limit: r.u64()?,
            hard_packet_limit: r.u64()?,
            soft_add_expires_seconds: r.u64()?,
            hard_add_expires_seconds: r.u64()?,
            soft_use_expires_seconds: r.u64()?,
            hard_use_expires_seconds: r.u64()?,
        })
    }
}

/// `struct xfrm_lifetime_cur` (32 bytes): usage so far; times are Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LifetimeCur {
    pub bytes: u64,
    pub packets: u64,
    pub add_time: u64,
    pub use_time: u64,
}

impl LifetimeCur {
    pub const LEN: usize = 32;

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.put_u64(self.bytes);
        out.put_u64(self.packets);
        out.put_u64(self.add_time);
        out.put_u64(self.use_time);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<LifetimeCur, DecodeError> {
        Ok(LifetimeCur {
            bytes: r.u64()?,
            packets: r.u64()?,
            add_time: r.u64()?,
            use_time: r.u64()?,
        })
    }
}

/// `struct xfrm_stats` (12 bytes): failure counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub replay_window: u32,
    pub replay: u32,
    pub integrity_failed: u32,
}

impl Stats {
    pub const LEN: usize = 12;

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.put_u32(self.replay_window);
        out.put_u32(self.replay);
        out.put_u32(self.integrity_failed);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<Stats, DecodeError> {
        Ok(Stats {
            replay_window: r.u32()?,
            replay: r.u32()?,
            integrity_failed: r.u32()?,
        })
    }
}
