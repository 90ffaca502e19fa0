//! An address and a concrete port: one end of an IKE exchange or a NAT-T SA.

use std::fmt;
use std::net::{IpAddr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::str::FromStr;

use super::{pad_with, AddrError, Address, Family, SelectorParts};

/// An address and port, printed `192.168.1.100[500]` as racoon's log lines
/// (`ISAKMP-SA established 192.168.1.100[500]-192.168.1.200[500] spi:...`) and the
/// NAT-T lines of `setkey -D` (`10.0.0.1[4500]`) write it.
///
/// Unlike a selector's [`super::Port`], the port is a plain number: the original printed
/// a socket's port 0 as `[0]` (`phase 2 negotiation: 192.168.1.100[0]<=>...`). The
/// address keeps its scope, which may still be an interface name; see
/// [`Endpoint::to_socket_addr`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint {
    address: Address,
    port: u16,
}

impl Endpoint {
    /// The endpoint `address[port]`.
    pub fn new(address: impl Into<Address>, port: u16) -> Endpoint {
        Endpoint {
            address: address.into(),
            port,
        }
    }

    /// The address, with its scope.
    pub const fn address(&self) -> Address {
        self.address
    }

    /// The IP address, without scope.
    pub const fn ip(&self) -> IpAddr {
        self.address.ip()
    }

    /// The port.
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// IPv4 or IPv6.
    pub const fn family(&self) -> Family {
        self.address.family()
    }

    /// The same address with another port (NAT-T moves from 500 to 4500).
    pub const fn with_port(self, port: u16) -> Endpoint {
        Endpoint { port, ..self }
    }

    /// The socket address; fails while the scope is an unresolved interface name.
    pub fn to_socket_addr(&self) -> Result<SocketAddr, AddrError> {
        Ok(match self.ip() {
            IpAddr::V4(ip) => SocketAddr::V4(SocketAddrV4::new(ip, self.port)),
            IpAddr::V6(ip) => SocketAddr::V6(SocketAddrV6::new(
                ip,
                self.port,
                0,
                self.address.scope_id()?,
            )),
        })
    }

    /// Reads `ADDRESS[PORT]`, or a bare `ADDRESS` meaning `default_port` (racoon's
    /// `listen { isakmp 172.16.0.1; }` means port 500). Blanks before `[` are allowed
    /// (`remote 172.16.5.4 [500]`); `[any]` is port 0.
    pub fn parse_with_default(text: &str, default_port: u16) -> Result<Endpoint, AddrError> {
        Endpoint::parse(text, Some(default_port))
    }

    /// Reads `ADDRESS[PORT]`; without a default, the port is required.
    fn parse(text: &str, default_port: Option<u16>) -> Result<Endpoint, AddrError> {
        let parts = SelectorParts::parse(text)?;
        if parts.prefix_len.is_some() {
            return Err(AddrError::UnexpectedPrefix);
        }
        let port = match (parts.port, default_port) {
            (Some(port), _) => port.get(),
            (None, Some(port)) => port,
            (None, None) => return Err(AddrError::MissingPort),
        };
        let address = parts.host.parse::<Address>()?;
        Ok(Endpoint::new(address, port))
    }
}

impl From<SocketAddr> for Endpoint {
    /// Keeps a nonzero IPv6 scope id as the zone; drops the flow label.
    fn from(socket: SocketAddr) -> Endpoint {
        match socket {
            SocketAddr::V4(socket) => Endpoint::new(*socket.ip(), socket.port()),
            SocketAddr::V6(socket) => Endpoint::new(
                Address::with_scope_id(*socket.ip(), socket.scope_id()),
                socket.port(),
            ),
        }
    }
}

impl TryFrom<Endpoint> for SocketAddr {
    type Error = AddrError;

    fn try_from(endpoint: Endpoint) -> Result<SocketAddr, AddrError> {
        endpoint.to_socket_addr()
    }
}

/// Reads `ADDRESS[PORT]`; the port is required (see [`Endpoint::parse_with_default`]).
impl FromStr for Endpoint {
    type Err = AddrError;

    fn from_str(text: &str) -> Result<Endpoint, AddrError> {
        Endpoint::parse(text, None)
    }
}

/// `ADDRESS[PORT]`, the port always numeric; IPv6 without brackets around the address
/// (`fe80::1%eth0[500]`), as racoon prints it.
impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        pad_with(f, |out| {
            self.address.write(out)?;
            write!(out, "[{}]", self.port)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    fn ep(text: &str) -> Endpoint {
        text.parse().unwrap()
    }

    #[test]
    fn racoon_log_form() {
        let local = Endpoint::new(Ipv4Addr::new(192, 168, 1, 100), 500);
        let peer = Endpoint::new(Ipv4Addr::new(192, 168, 1, 200), 500);
        assert_eq!(
            format!("ISAKMP-SA established {local}-{peer} spi:"),
            "ISAKMP-SA established 192.168.1.100[500]-192.168.1.200[500] spi:"
        );
        assert_eq!(
            format!("{}<=>{}", local.with_port(0), peer.with_port(0)),
            "192.168.1.100[0]<=>192.168.1.200[0]"
        );
        assert_eq!(ep("192.168.1.1[500]").to_string(), "192.168.1.1[500]");
        assert_eq!(ep("fe80::1%eth0[500]").to_string(), "fe80::1%eth0[500]");
        assert_eq!(
            ep("::ffff:1.2.3.4[4500]").to_string(),
            "::ffff:1.2.3.4[4500]"
        );
        assert_eq!(format!("{:<22}|", local), "192.168.1.100[500]    |");
    }

    /// The NAT-T SA line of `setkey -D`: `SRC[sport] DST[dport] `.
    #[test]
    fn setkey_natt_sa_line() {
        let src = Endpoint::new(Ipv4Addr::new(10, 0, 0, 1), 4500);
        let dst = Endpoint::new(Ipv4Addr::new(10, 0, 0, 2), 4500);
        assert_eq!(format!("{src} {dst} "), "10.0.0.1[4500] 10.0.0.2[4500] ");
    }

    #[test]
    fn parse() {
        assert_eq!(
            ep("10.0.0.1[4500]"),
            Endpoint::new(Ipv4Addr::new(10, 0, 0, 1), 4500)
        );
        assert_eq!(ep("172.16.5.4 [500]").port(), 500);
        assert_eq!(ep("10.0.0.1[any]").port(), 0);
        assert_eq!(ep("10.0.0.1[0]").port(), 0);
        assert_eq!(ep("::1[500]").ip(), IpAddr::V6(Ipv6Addr::LOCALHOST));
        assert_eq!(ep("::1[500]").family(), Family::Ipv6);
        assert_eq!(
            ep("fe80::1%eth0[500]").address(),
            "fe80::1%eth0".parse().unwrap()
        );
    }

    #[test]
    fn parse_errors() {
        let cases = [
            ("10.0.0.1", AddrError::MissingPort),
            ("10.0.0.1[]", AddrError::MissingPort),
            ("10.0.0.0/24[500]", AddrError::UnexpectedPrefix),
            ("10.0.0.1[65536]", AddrError::PortOutOfRange(65536)),
            ("10.0.0.1[isakmp]", AddrError::InvalidPort("isakmp".into())),
            ("host[500]", AddrError::InvalidAddress("host".into())),
            ("", AddrError::MissingAddress),
            ("10.0.0.1[500] x", AddrError::TrailingInput("x".into())),
        ];
        for (input, error) in cases {
            assert_eq!(input.parse::<Endpoint>(), Err(error), "{input:?}");
        }
    }

    #[test]
    fn default_port() {
        assert_eq!(
            Endpoint::parse_with_default("172.16.0.1", 500),
            Ok(ep("172.16.0.1[500]"))
        );
        assert_eq!(
            Endpoint::parse_with_default("172.16.0.1[4500]", 500),
            Ok(ep("172.16.0.1[4500]"))
        );
        assert_eq!(
            Endpoint::parse_with_default("10.0.0.0/8", 500),
            Err(AddrError::UnexpectedPrefix)
        );
    }

    #[test]
    fn socket_addr_conversions() {
        let v4: SocketAddr = "192.0.2.1:500".parse().unwrap();
        assert_eq!(Endpoint::from(v4).to_string(), "192.0.2.1[500]");
        assert_eq!(Endpoint::from(v4).to_socket_addr(), Ok(v4));

        let scoped = SocketAddr::V6(SocketAddrV6::new("fe80::1".parse().unwrap(), 500, 0, 3));
        let endpoint = Endpoint::from(scoped);
        assert_eq!(endpoint.to_string(), "fe80::1%3[500]");
        assert_eq!(SocketAddr::try_from(endpoint), Ok(scoped));

        let unscoped: SocketAddr = "[2001:db8::1]:4500".parse().unwrap();
        assert_eq!(Endpoint::from(unscoped).to_string(), "2001:db8::1[4500]");
        assert_eq!(Endpoint::from(unscoped).to_socket_addr(), Ok(unscoped));

        assert_eq!(
            ep("fe80::1%eth0[500]").to_socket_addr(),
            Err(AddrError::UnresolvedZone("eth0".into()))
        );
        let resolved = Endpoint::new(
            ep("fe80::1%eth0[500]")
                .address()
                .resolve_zone(|_| Some(3))
                .unwrap(),
            500,
        );
        assert_eq!(resolved.to_socket_addr(), Ok(scoped));
    }

    #[test]
    fn round_trip() {
        for text in [
            "192.168.1.1[500]",
            "10.0.0.1[4500]",
            "0.0.0.0[0]",
            "::[65535]",
            "fe80::1%eth0[500]",
            "fe80::1%2[500]",
            "::1.2.3.4[500]",
        ] {
            let once = ep(text);
            assert_eq!(once.to_string(), text);
            assert_eq!(ep(&once.to_string()), once);
        }
    }
}
