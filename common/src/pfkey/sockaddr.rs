//! The `sockaddr_in` / `sockaddr_in6` that follow a `sadb_address`, sit inside an
//! ipsecrequest, or pair up in a kmaddress.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::consts::{AF_INET, AF_INET6};
use super::wire::{Put, Reader};

/// A socket address as PF_KEY carries it: family in host order, port and IPv6 flow
/// label in network order, scope id in host order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SockAddr {
    pub ip: IpAddr,
    pub port: u16,
    /// `sin6_flowinfo`; always 0 for IPv4.
    pub flowinfo: u32,
    /// `sin6_scope_id`; always 0 for IPv4.
    pub scope_id: u32,
}

/// Why bytes are not a sockaddr of a family PF_KEY on Linux understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SockAddrFault {
    Family(u16),
    Truncated,
}

impl SockAddr {
    /// The address with port 0 and no IPv6 extras.
    pub fn new(ip: IpAddr) -> SockAddr {
        SockAddr::with_port(ip, 0)
    }

    pub fn with_port(ip: IpAddr, port: u16) -> SockAddr {
        SockAddr {
            ip,
            port,
            flowinfo: 0,
            scope_id: 0,
        }
    }

    /// `sizeof(struct sockaddr_in)` or `sizeof(struct sockaddr_in6)`: 16 or 28.
    pub fn wire_len(&self) -> usize {
        family_len(self.family()).unwrap_or(0)
    }

    pub fn family(&self) -> u16 {
        match self.ip {
            IpAddr::V4(_) => AF_INET,
            IpAddr::V6(_) => AF_INET6,
        }
    }

    /// The longest prefix of the family: the `sadb_address_prefixlen` of a host.
    pub fn full_prefix(&self) -> u8 {
        match self.ip {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        }
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.put_u16(self.family());
        out.put_be16(self.port);
        match self.ip {
            IpAddr::V4(ip) => {
                out.extend_from_slice(&ip.octets());
                out.extend_from_slice(&[0; 8]);
            }
            IpAddr::V6(ip) => {
                out.put_be32(self.flowinfo);
                out.extend_from_slice(&ip.octets());
                out.put_u32(self.scope_id);
            }
        }
    }

    /// Reads one sockaddr from the start of `buf`; returns it and its length.
    pub(crate) fn decode(buf: &[u8]) -> Result<(SockAddr, usize), SockAddrFault> {
        let mut r = Reader::new(buf);
        let family = r.u16().ok_or(SockAddrFault::Truncated)?;
        let len = family_len(family).ok_or(SockAddrFault::Family(family))?;
        if buf.len() < len {
            return Err(SockAddrFault::Truncated);
        }
        let port = r.be16().ok_or(SockAddrFault::Truncated)?;
        let addr = if family == AF_INET {
            let octets: [u8; 4] = r.array().ok_or(SockAddrFault::Truncated)?;
            SockAddr::with_port(IpAddr::V4(Ipv4Addr::from(octets)), port)
        } else {
            let flowinfo = r.be32().ok_or(SockAddrFault::Truncated)?;
            let octets: [u8; 16] = r.array().ok_or(SockAddrFault::Truncated)?;
            let scope_id = r.u32().ok_or(SockAddrFault::Truncated)?;
            SockAddr {
                ip: IpAddr::V6(Ipv6Addr::from(octets)),
                port,
                flowinfo,
                scope_id,
            }
        };
        Ok((addr, len))
    }
}

/// The sockaddr length of a family, `None` for families PF_KEY on Linux refuses.
pub(crate) fn family_len(family: u16) -> Option<usize> {
    match family {
        AF_INET => Some(16),
        AF_INET6 => Some(28),
        _ => None,
    }
}
