//! IPv4 or IPv6.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The address family of an address or selector.
///
/// Both kernel interfaces key their address structures on it (`sa_family` in PF_KEY,
/// `family` in XFRM), and the prefix-length bound depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// IPv4: 32-bit addresses.
    Ipv4,
    /// IPv6: 128-bit addresses. IPv4-mapped addresses (`::ffff:1.2.3.4`) belong here,
    /// as they do for the kernel.
    Ipv6,
}

/// Linux `AF_INET`.
const AF_INET: u16 = 2;
/// Linux `AF_INET6`.
const AF_INET6: u16 = 10;

impl Family {
    /// The family of `ip`.
    pub const fn of(ip: &IpAddr) -> Family {
        match ip {
            IpAddr::V4(_) => Family::Ipv4,
            IpAddr::V6(_) => Family::Ipv6,
        }
    }

    /// Address length in bits: the longest prefix, and the one setkey leaves unprinted.
    pub const fn max_prefix_len(self) -> u8 {
        match self {
            Family::Ipv4 => 32,
            Family::Ipv6 => 128,
        }
    }

    /// Address length in bytes, as carried in kernel messages.
    pub const fn addr_len(self) -> usize {
        match self {
            Family::Ipv4 => 4,
            Family::Ipv6 => 16,
        }
    }

    /// The Linux `AF_*` constant, for `sockaddr` and XFRM `family` fields.
    pub const fn af(self) -> u16 {
        match self {
            Family::Ipv4 => AF_INET,
            Family::Ipv6 => AF_INET6,
        }
    }

    /// The family for a Linux `AF_*` constant; `None` for any other family.
    pub const fn from_af(af: u16) -> Option<Family> {
        match af {
            AF_INET => Some(Family::Ipv4),
            AF_INET6 => Some(Family::Ipv6),
            _ => None,
        }
    }

    /// `0.0.0.0` or `::`, the wildcard address of the family.
    pub const fn unspecified(self) -> IpAddr {
        match self {
            Family::Ipv4 => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            Family::Ipv6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        }
    }
}

/// `IPv4` or `IPv6`, for messages.
impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Family::Ipv4 => "IPv4",
            Family::Ipv6 => "IPv6",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(Family::Ipv4.max_prefix_len(), 32);
        assert_eq!(Family::Ipv6.max_prefix_len(), 128);
        assert_eq!(Family::Ipv4.addr_len(), 4);
        assert_eq!(Family::Ipv6.addr_len(), 16);
    }

    #[test]
    fn of_ip() {
        assert_eq!(Family::of(&"10.0.0.1".parse().unwrap()), Family::Ipv4);
        assert_eq!(Family::of(&"::1".parse().unwrap()), Family::Ipv6);
        assert_eq!(Family::of(&"::ffff:1.2.3.4".parse().unwrap()), Family::Ipv6);
    }

    #[test]
    fn af_round_trip() {
        for family in [Family::Ipv4, Family::Ipv6] {
            assert_eq!(Family::from_af(family.af()), Some(family));
        }
        assert_eq!(Family::Ipv4.af(), 2);
        assert_eq!(Family::Ipv6.af(), 10);
        assert_eq!(Family::from_af(0), None);
        assert_eq!(Family::from_af(1), None);
        assert_eq!(Family::from_af(u16::MAX), None);
    }

    #[test]
    fn unspecified() {
        assert_eq!(Family::Ipv4.unspecified().to_string(), "0.0.0.0");
        assert_eq!(Family::Ipv6.unspecified().to_string(), "::");
    }

    #[test]
    fn display() {
        assert_eq!(Family::Ipv4.to_string(), "IPv4");
        assert_eq!(Family::Ipv6.to_string(), "IPv6");
        assert_eq!(format!("{:>5}", Family::Ipv4), " IPv4");
    }
}
