//! `struct sockaddr_storage` as Linux lays it out: the family in host order, then for
//! AF_INET the port (network order) and address, for AF_INET6 the port, flow info,
//! address and scope id. The rest is zero.

use super::error::{take, AdminError};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

pub const SOCKADDR_STORAGE_LEN: usize = 128;

const AF_UNSPEC: u16 = 0;
const AF_INET: u16 = 2;
const AF_INET6: u16 = 10;

/// Writes `addr` (or an all-zero AF_UNSPEC storage for `None`) into 128 bytes.
pub fn encode_sockaddr(addr: Option<SocketAddr>) -> [u8; SOCKADDR_STORAGE_LEN] {
    let mut b = [0; SOCKADDR_STORAGE_LEN];
    match addr {
        None => {}
        Some(SocketAddr::V4(a)) => {
            b[0..2].copy_from_slice(&AF_INET.to_ne_bytes());
            b[2..4].copy_from_slice(&a.port().to_be_bytes());
            b[4..8].copy_from_slice(&a.ip().octets());
        }
        Some(SocketAddr::V6(a)) => {
            b[0..2].copy_from_slice(&AF_INET6.to_ne_bytes());
            b[2..4].copy_from_slice(&a.port().to_be_bytes());
            b[4..8].copy_from_slice(&a.flowinfo().to_be_bytes());
            b[8..24].copy_from_slice(&a.ip().octets());
            b[24..28].copy_from_slice(&a.scope_id().to_ne_bytes());
        }
    }
    b
}

/// Reads a storage from the first 128 bytes; AF_UNSPEC (a zeroed storage) is `None`.
pub fn decode_sockaddr(bytes: &[u8]) -> Result<Option<SocketAddr>, AdminError> {
    let what = "sockaddr_storage";
    let _ = take::<SOCKADDR_STORAGE_LEN>(bytes, 0, what)?;
    let family = u16::from_ne_bytes(take::<2>(bytes, 0, what)?);
    let port = u16::from_be_bytes(take::<2>(bytes, 2, what)?);
    match family {
        AF_UNSPEC => Ok(None),
        AF_INET => {
            let ip = Ipv4Addr::from(take::<4>(bytes, 4, what)?);
            Ok(Some(SocketAddr::V4(SocketAddrV4::new(ip, port))))
        }
        AF_INET6 => {
            let flow = u32::from_be_bytes(take::<4>(bytes, 4, what)?);
            let ip = Ipv6Addr::from(take::<16>(bytes, 8, what)?);
            let scope = u32::from_ne_bytes(take::<4>(bytes, 24, what)?);
            Ok(Some(SocketAddr::V6(SocketAddrV6::new(
                ip, port, flow, scope,
            ))))
        }
        other => Err(AdminError::BadFamily(other)),
    }
}
