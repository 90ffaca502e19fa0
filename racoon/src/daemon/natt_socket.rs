//! The NAT-T sockets (RFC 3948): IKE floats to port 4500, where ESP in UDP arrives too.
//! Each is an IKE socket (IPsec bypass included) with the UDP_ENCAP option set to
//! UDP_ENCAP_ESPINUDP, so that the kernel takes the datagrams that are ESP (the first
//! four bytes, the SPI, not zero) and decapsulates them, and hands racoon the rest: IKE
//! behind the non-ESP marker, and keepalives.
//!
//! They are opened where racoon.conf asks (`listen { isakmp_natt ADDR [PORT]; }`) or,
//! when some `remote` has `nat_traversal` on or forced, beside every IKE socket.

use super::log::Logger;
use super::sockets::{self, IkeSocket};
use crate::conf::{Config, LogLevel, NatTraversal};
use std::io;
use std::net::SocketAddr;

/// The NAT-T port when `isakmp_natt` names none.
pub const NATT_PORT: u16 = 4500;

const SOL_UDP: i32 = 17;
const UDP_ENCAP: i32 = 100;
const UDP_ENCAP_ESPINUDP: i32 = 2;

/// Binds `addr` as an IKE socket and marks it for ESP-in-UDP decapsulation.
pub fn bind(addr: SocketAddr) -> io::Result<IkeSocket> {
    let s = sockets::bind(addr)?;
    let value = UDP_ENCAP_ESPINUDP;
    // SAFETY: value outlives the call and its size is passed.
    let rc = unsafe {
        libc::setsockopt(
            s.fd(),
            SOL_UDP,
            UDP_ENCAP,
            std::ptr::addr_of!(value).cast(),
            std::mem::size_of::<i32>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        let e = io::Error::last_os_error();
        return Err(io::Error::new(
            e.kind(),
            format!("setsockopt UDP_ENCAP_ESPINUDP: {e}"),
        ));
    }
    Ok(s)
}

/// Where the NAT-T sockets go: the `isakmp_natt` addresses, or the IKE sockets'
/// addresses on `port` (4500, `racoon -P`) when a remote uses NAT-T; none otherwise.
pub fn addresses(config: &Config, ike: &[IkeSocket], port: u16) -> Result<Vec<SocketAddr>, String> {
    if !config.listen.isakmp_natt.is_empty() {
        return config
            .listen
            .isakmp_natt
            .iter()
            .map(|ep| {
                ep.value
                    .to_socket_addr()
                    .map_err(|e| format!("{}: {e}", ep.location))
            })
            .collect();
    }
    if config
        .remotes
        .iter()
        .all(|r| r.nat_traversal == NatTraversal::Off)
    {
        return Ok(Vec::new());
    }
    let mut out: Vec<SocketAddr> = Vec::new();
    for s in ike {
        let a = SocketAddr::new(s.local.ip(), port);
        if !out.contains(&a) {
            out.push(a);
        }
    }
    Ok(out)
}

/// Opens the NAT-T sockets beside the IKE ones in `out`, logging each as the original;
/// with `strict_address` one that does not bind is fatal.
pub fn open(
    config: &Config,
    out: &mut Vec<IkeSocket>,
    port: u16,
    logger: &mut Logger,
) -> Result<(), String> {
    let strict = config.listen.strict_address;
    for a in addresses(config, out, port)? {
        match bind(a) {
            Ok(s) => {
                let (ip, port) = (s.local.ip(), s.local.port());
                logger.log(
                    LogLevel::Info,
                    &format!("{ip}[{port}] used as isakmp port (fd={})", s.fd()),
                );
                logger.log(LogLevel::Info, &format!("{ip}[{port}] used for NAT-T"));
                out.push(s);
            }
            Err(e) if strict => return Err(format!("failed to bind to {a}: {e}")),
            Err(e) => logger.log(LogLevel::Error, &format!("failed to bind to {a}: {e}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_encap_socket_still_receives_ike_datagrams() {
        let s = bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let mut v: i32 = 0;
        let mut len = std::mem::size_of::<i32>() as libc::socklen_t;
        // SAFETY: v and len are valid for getsockopt to fill.
        let rc = unsafe {
            libc::getsockopt(
                s.fd(),
                SOL_UDP,
                UDP_ENCAP,
                std::ptr::addr_of_mut!(v).cast(),
                &mut len,
            )
        };
        assert_eq!((rc, v), (0, UDP_ENCAP_ESPINUDP));
        // A datagram with the non-ESP marker is left to the socket.
        s.sock.send_to(&[0, 0, 0, 0, 1, 2, 3], s.local).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut buf = [0u8; 16];
        let (n, _) = s.sock.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], &[0, 0, 0, 0, 1, 2, 3]);
    }

    #[test]
    fn natt_addresses_follow_the_configuration() {
        let ike = vec![sockets::bind("127.0.0.1:0".parse().unwrap()).unwrap()];
        let parse = |t: &str| {
            crate::conf::parse_str("racoon.conf", t, &mut crate::conf::NoIncludes).unwrap()
        };
        let remote = |natt: &str| {
            format!(
                "remote anonymous {{ exchange_mode main; {natt} proposal {{ \
                 encryption_algorithm aes; hash_algorithm sha1; \
                 authentication_method pre_shared_key; dh_group 2; }} }}"
            )
        };
        let off = parse(&remote(""));
        assert!(addresses(&off, &ike, 4500).unwrap().is_empty());
        let on = parse(&remote("nat_traversal on;"));
        assert_eq!(
            addresses(&on, &ike, 4500).unwrap(),
            vec!["127.0.0.1:4500".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            addresses(&on, &ike, 4501).unwrap(),
            vec!["127.0.0.1:4501".parse::<SocketAddr>().unwrap()]
        );
        let listed = parse("listen { isakmp_natt 127.0.0.1 [4600]; }");
        assert_eq!(
            addresses(&listed, &ike, 4500).unwrap(),
            vec!["127.0.0.1:4600".parse::<SocketAddr>().unwrap()]
        );
    }
}
