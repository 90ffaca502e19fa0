//! A numeric IP address, with the IPv6 scope the configuration files may give it.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use super::{ntop, pad_with, AddrError, Family, Zone};

/// An IPv4 or IPv6 address as setkey and racoon write it, with an optional IPv6 scope
/// (`fe80::1%eth0`).
///
/// The original accepted a scope anywhere its resolver did, and printed the kernel's
/// scope id back the same way. The scope can only be attached to an IPv6 address, so
/// an invalid combination cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Address {
    ip: IpAddr,
    zone: Option<Zone>,
}

impl Address {
    /// The address without a scope.
    pub const fn new(ip: IpAddr) -> Address {
        Address { ip, zone: None }
    }

    /// An IPv6 address with a scope.
    pub const fn scoped(ip: Ipv6Addr, zone: Zone) -> Address {
        Address {
            ip: IpAddr::V6(ip),
            zone: Some(zone),
        }
    }

    /// The address from a kernel `sockaddr_in6`-style scope id (0 = none).
    pub fn with_scope_id(ip: Ipv6Addr, scope_id: u32) -> Address {
        Address {
            ip: IpAddr::V6(ip),
            zone: Zone::from_scope_id(scope_id),
        }
    }

    /// The IP address, without the scope.
    pub const fn ip(&self) -> IpAddr {
        self.ip
    }

    /// The IPv6 scope, if any.
    pub const fn zone(&self) -> Option<Zone> {
        self.zone
    }

    /// IPv4 or IPv6.
    pub const fn family(&self) -> Family {
        Family::of(&self.ip)
    }

    /// The scope as the kernel wants it: 0 for none, else the interface index.
    /// Fails while the scope is still an interface name.
    pub fn scope_id(&self) -> Result<u32, AddrError> {
        match self.zone {
            None => Ok(0),
            Some(Zone::Index(index)) => Ok(index.get()),
            Some(Zone::Name(name)) => Err(AddrError::UnresolvedZone(name.as_str().to_owned())),
        }
    }

    /// Replaces an interface name by its index, using the caller's lookup (typically
    /// `if_nametoindex`). Addresses without a named scope come back unchanged.
    pub fn resolve_zone(
        self,
        lookup: impl FnOnce(&str) -> Option<u32>,
    ) -> Result<Address, AddrError> {
        let Some(Zone::Name(name)) = self.zone else {
            return Ok(self);
        };
        let index = lookup(name.as_str())
            .and_then(Zone::from_scope_id)
            .ok_or_else(|| AddrError::UnknownInterface(name.as_str().to_owned()))?;
        Ok(Address {
            zone: Some(index),
            ..self
        })
    }

    /// Writes the address as `getnameinfo(NI_NUMERICHOST)` does, scope included.
    pub(crate) fn write(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        match &self.ip {
            IpAddr::V4(ip) => ntop::write_ipv4(ip, out)?,
            IpAddr::V6(ip) => ntop::write_ipv6(ip, out)?,
        }
        match &self.zone {
            Some(zone) => write!(out, "%{zone}"),
            None => Ok(()),
        }
    }
}

impl From<IpAddr> for Address {
    fn from(ip: IpAddr) -> Address {
        Address::new(ip)
    }
}

impl From<Ipv4Addr> for Address {
    fn from(ip: Ipv4Addr) -> Address {
        Address::new(IpAddr::V4(ip))
    }
}

impl From<Ipv6Addr> for Address {
    fn from(ip: Ipv6Addr) -> Address {
        Address::new(IpAddr::V6(ip))
    }
}

impl From<Address> for IpAddr {
    /// Drops the scope.
    fn from(address: Address) -> IpAddr {
        address.ip
    }
}

/// Reads a numeric address: dotted-quad IPv4, or IPv6 text with an optional `%scope`.
///
/// Only the strict dotted quad is IPv4: the `inet_aton` shorthands glibc also took
/// (`10.1`, `0x0a000001`, and `010.0.0.1` meaning 8.0.0.1) are refused rather than read
/// differently from what the writer probably meant. Anything else, host names included,
/// is [`AddrError::InvalidAddress`]; resolving names is the caller's job.
impl FromStr for Address {
    type Err = AddrError;

    fn from_str(text: &str) -> Result<Address, AddrError> {
        if text.is_empty() {
            return Err(AddrError::MissingAddress);
        }
        let Some((ip, zone)) = text.split_once('%') else {
            return text
                .parse()
                .map(Address::new)
                .map_err(|_| AddrError::InvalidAddress(text.to_owned()));
        };
        match ip.parse::<IpAddr>() {
            Ok(IpAddr::V6(ip)) => Ok(Address {
                ip: IpAddr::V6(ip),
                zone: Zone::parse_optional(zone)?,
            }),
            Ok(IpAddr::V4(_)) => Err(AddrError::ZoneOnIpv4(text.to_owned())),
            Err(_) => Err(AddrError::InvalidAddress(text.to_owned())),
        }
    }
}

/// `10.0.0.1`, `fe80::1%eth0`: glibc's text form. IPv6 follows glibc's `inet_ntop`, which
/// differs from `Ipv6Addr`'s display only for IPv4-compatible addresses: `::1.2.3.4`, not
/// `::102:304`. IPv4-mapped addresses print `::ffff:1.2.3.4` in both.
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        pad_with(f, |out| self.write(out))
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use super::*;
    use crate::addr::IfName;

    fn addr(text: &str) -> Address {
        text.parse().unwrap()
    }

    fn name(text: &str) -> Zone {
        Zone::Name(IfName::new(text).unwrap())
    }

    fn index(n: u32) -> Zone {
        Zone::Index(NonZeroU32::new(n).unwrap())
    }

    #[test]
    fn parse_ipv4() {
        let a = addr("10.0.0.1");
        assert_eq!(a.ip(), IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(a.zone(), None);
        assert_eq!(a.family(), Family::Ipv4);
        assert_eq!(addr("0.0.0.0").ip(), Family::Ipv4.unspecified());
        assert_eq!(addr("255.255.255.255").to_string(), "255.255.255.255");
    }

    #[test]
    fn parse_ipv6() {
        let a = addr("::1");
        assert_eq!(a.ip(), IpAddr::V6(Ipv6Addr::LOCALHOST));
        assert_eq!(a.family(), Family::Ipv6);
        assert_eq!(addr("FEC0::1").to_string(), "fec0::1");
        assert_eq!(addr("::ffff:1.2.3.4").family(), Family::Ipv6);
        assert_eq!(addr("::ffff:1.2.3.4").to_string(), "::ffff:1.2.3.4");
        assert_eq!(addr("::1.2.3.4").to_string(), "::1.2.3.4");
    }

    #[test]
    fn parse_scoped() {
        let a = addr("fe80::1%eth0");
        assert_eq!(a.ip(), "fe80::1".parse::<IpAddr>().unwrap());
        assert_eq!(a.zone(), Some(name("eth0")));
        assert_eq!(a.to_string(), "fe80::1%eth0");
        assert_eq!(addr("fe80::1%2").zone(), Some(index(2)));
        assert_eq!(addr("fe80::1%2").to_string(), "fe80::1%2");
        // Index 0 is "no scope", as glibc reads it.
        assert_eq!(addr("fe80::1%0"), addr("fe80::1"));
        assert_eq!(addr("fe80::1%0").to_string(), "fe80::1");
    }

    #[test]
    fn rejected() {
        let invalid = |t: &str| AddrError::InvalidAddress(t.to_owned());
        let cases = [
            ("", AddrError::MissingAddress),
            ("10.0.0.256", invalid("10.0.0.256")),
            ("10.1", invalid("10.1")),
            ("010.0.0.1", invalid("010.0.0.1")),
            ("0x0a000001", invalid("0x0a000001")),
            ("167772161", invalid("167772161")),
            ("10.0.0.1.", invalid("10.0.0.1.")),
            (" 10.0.0.1", invalid(" 10.0.0.1")),
            ("gw.example.com", invalid("gw.example.com")),
            ("localhost", invalid("localhost")),
            ("any", invalid("any")),
            ("1:2:3:4:5:6:7:8:9", invalid("1:2:3:4:5:6:7:8:9")),
            ("::g", invalid("::g")),
            (":::", invalid(":::")),
            ("[::1]", invalid("[::1]")),
            ("10.0.0.0/24", invalid("10.0.0.0/24")),
            (
                "10.0.0.1%eth0",
                AddrError::ZoneOnIpv4("10.0.0.1%eth0".into()),
            ),
            ("bogus%eth0", invalid("bogus%eth0")),
            ("%eth0", invalid("%eth0")),
            ("fe80::1%", AddrError::InvalidZone(String::new())),
            ("fe80::1%eth0%1", AddrError::InvalidZone("eth0%1".into())),
            (
                "fe80::1%this-is-too-long0",
                AddrError::InvalidZone("this-is-too-long0".into()),
            ),
        ];
        for (input, error) in cases {
            assert_eq!(input.parse::<Address>(), Err(error), "{input:?}");
        }
    }

    #[test]
    fn constructors_and_conversions() {
        let v4 = Ipv4Addr::new(192, 168, 1, 1);
        let v6: Ipv6Addr = "fe80::1".parse().unwrap();
        assert_eq!(Address::from(v4), addr("192.168.1.1"));
        assert_eq!(Address::from(v6), addr("fe80::1"));
        assert_eq!(Address::from(IpAddr::V4(v4)), addr("192.168.1.1"));
        assert_eq!(IpAddr::from(addr("fe80::1%eth0")), IpAddr::V6(v6));
        assert_eq!(Address::scoped(v6, name("eth0")), addr("fe80::1%eth0"));
        assert_eq!(Address::with_scope_id(v6, 3), addr("fe80::1%3"));
        assert_eq!(Address::with_scope_id(v6, 0), addr("fe80::1"));
    }

    #[test]
    fn scope_ids() {
        assert_eq!(addr("10.0.0.1").scope_id(), Ok(0));
        assert_eq!(addr("fe80::1").scope_id(), Ok(0));
        assert_eq!(addr("fe80::1%4").scope_id(), Ok(4));
        assert_eq!(
            addr("fe80::1%eth0").scope_id(),
            Err(AddrError::UnresolvedZone("eth0".into()))
        );
    }

    #[test]
    fn resolve_zone() {
        let lookup = |name: &str| (name == "eth0").then_some(2);
        assert_eq!(
            addr("fe80::1%eth0").resolve_zone(lookup),
            Ok(addr("fe80::1%2"))
        );
        assert_eq!(
            addr("fe80::1%eth9").resolve_zone(lookup),
            Err(AddrError::UnknownInterface("eth9".into()))
        );
        // A lookup answering 0 has not found anything either.
        assert_eq!(
            addr("fe80::1%eth0").resolve_zone(|_| Some(0)),
            Err(AddrError::UnknownInterface("eth0".into()))
        );
        for unchanged in ["10.0.0.1", "fe80::1", "fe80::1%7"] {
            assert_eq!(
                addr(unchanged).resolve_zone(|_| panic!("no lookup expected")),
                Ok(addr(unchanged))
            );
        }
    }

    #[test]
    fn display_pads() {
        assert_eq!(format!("{:<12}|", addr("10.0.0.1")), "10.0.0.1    |");
        assert_eq!(format!("{:>10}", addr("::1")), "       ::1");
        assert_eq!(format!("{}", addr("::1")), "::1");
    }

    #[test]
    fn round_trip() {
        for text in [
            "10.0.0.1",
            "0.0.0.0",
            "::",
            "::1",
            "::1.2.3.4",
            "::ffff:10.0.0.1",
            "2001:db8::1",
            "fe80::1%eth0",
            "fe80::1%12",
            "fec0::1:0:0:1",
        ] {
            let parsed = addr(text);
            assert_eq!(parsed.to_string(), text);
            assert_eq!(addr(&parsed.to_string()), parsed);
        }
    }
}
