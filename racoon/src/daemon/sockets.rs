//! The IKE sockets: one UDP socket per listen address, bound with SO_REUSEADDR, so the
//! address a datagram arrived on is the socket's own (no IP_PKTINFO needed).

use std::io;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// Which families to listen on (`-4` / `-6`); `None` is both.
pub type FamilyFilter = Option<bool>;

/// One bound IKE socket.
pub struct IkeSocket {
    pub local: SocketAddr,
    pub sock: UdpSocket,
}

/// Binds a non-blocking UDP socket to `addr` with SO_REUSEADDR (and IPV6_V6ONLY).
pub fn bind(addr: SocketAddr) -> io::Result<IkeSocket> {
    let family = match addr {
        SocketAddr::V4(_) => libc::AF_INET,
        SocketAddr::V6(_) => libc::AF_INET6,
    };
    // SAFETY: plain socket(2); the descriptor is owned at once.
    let fd = unsafe {
        libc::socket(
            family,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK,
            0,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fd was just returned by socket(2) and is owned by nobody else.
    let owned = unsafe { OwnedFd::from_raw_fd(fd) };
    setsockopt_int(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1)?;
    if family == libc::AF_INET6 {
        setsockopt_int(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 1)?;
    }
    // Our own IKE datagrams must not wait for the SAs they negotiate.
    super::bypass::bypass_ipsec(fd, family)
        .map_err(|e| io::Error::new(e.kind(), format!("setsockopt IP_XFRM_POLICY: {e}")))?;
    let (storage, len) = sockaddr(addr);
    // SAFETY: storage holds a sockaddr of `len` bytes for this family.
    let rc = unsafe { libc::bind(fd, std::ptr::addr_of!(storage).cast(), len) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    let sock = UdpSocket::from(owned);
    let local = sock.local_addr()?;
    Ok(IkeSocket { local, sock })
}

fn setsockopt_int(fd: i32, level: i32, name: i32, value: i32) -> io::Result<()> {
    // SAFETY: value outlives the call and its size is passed.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            std::ptr::addr_of!(value).cast(),
            std::mem::size_of::<i32>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn sockaddr(addr: SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: an all-zero sockaddr_storage is valid.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match addr {
        SocketAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes(a.ip().octets()),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_in fits in sockaddr_storage.
            unsafe { std::ptr::write(std::ptr::addr_of_mut!(storage).cast(), sin) };
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: 0,
                sin6_addr: libc::in6_addr {
                    s6_addr: a.ip().octets(),
                },
                sin6_scope_id: a.scope_id(),
            };
            // SAFETY: sockaddr_in6 fits in sockaddr_storage.
            unsafe { std::ptr::write(std::ptr::addr_of_mut!(storage).cast(), sin6) };
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (storage, len as libc::socklen_t)
}

/// Every address of every interface that is up (getifaddrs), IPv6 link-local ones
/// left out (they need a scope per interface and carry no IKE in practice).
pub fn local_addresses(family: FamilyFilter) -> io::Result<Vec<IpAddr>> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills head with a list freed below.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let mut out = Vec::new();
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: cur is a node of the list getifaddrs returned.
        let ifa = unsafe { &*cur };
        cur = ifa.ifa_next;
        if ifa.ifa_addr.is_null() || ifa.ifa_flags & libc::IFF_UP as u32 == 0 {
            continue;
        }
        // SAFETY: ifa_addr is non-null and points at a sockaddr of its family.
        let ip = unsafe {
            match i32::from((*ifa.ifa_addr).sa_family) {
                libc::AF_INET => {
                    let sin = &*(ifa.ifa_addr as *const libc::sockaddr_in);
                    IpAddr::from(sin.sin_addr.s_addr.to_ne_bytes())
                }
                libc::AF_INET6 => {
                    let sin6 = &*(ifa.ifa_addr as *const libc::sockaddr_in6);
                    IpAddr::from(sin6.sin6_addr.s6_addr)
                }
                _ => continue,
            }
        };
        let wanted = match (family, ip) {
            (_, IpAddr::V6(v6)) if v6.segments()[0] & 0xffc0 == 0xfe80 => false,
            (Some(v4_only), ip) => ip.is_ipv4() == v4_only,
            (None, _) => true,
        };
        if wanted && !out.contains(&ip) {
            out.push(ip);
        }
    }
    // SAFETY: head came from getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    Ok(out)
}

impl IkeSocket {
    pub fn fd(&self) -> i32 {
        self.sock.as_raw_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_loopback() {
        let a = bind("127.0.0.1:0".parse().unwrap()).unwrap();
        assert_ne!(a.local.port(), 0);
        a.sock.send_to(b"x", a.local).unwrap();
        let mut buf = [0u8; 4];
        std::thread::sleep(std::time::Duration::from_millis(20));
        let (n, from) = a.sock.recv_from(&mut buf).unwrap();
        assert_eq!((n, from), (1, a.local));
    }

    #[test]
    fn loopback_is_local() {
        let v4 = local_addresses(Some(true)).unwrap();
        assert!(v4.iter().all(IpAddr::is_ipv4));
    }
}
