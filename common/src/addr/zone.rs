//! The scope of an IPv6 address: `fe80::1%eth0` or `fe80::1%2`.

use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;

use super::AddrError;

/// Linux `IFNAMSIZ` less the terminating NUL.
const IFNAME_MAX: usize = 15;

/// The IPv6 scope written after `%`.
///
/// The original handed `fe80::1%eth0` to `getaddrinfo`, which looked the interface up;
/// the kernel then saw only the index. Looking names up is I/O, so a scope stays a name
/// until the caller resolves it ([`super::Address::resolve_zone`]), and one read back from
/// the kernel is an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    /// An interface index, as the kernel carries it (`sin6_scope_id`). Zero means "no
    /// scope" and is therefore not a zone.
    Index(NonZeroU32),
    /// An interface name, not yet looked up.
    Name(IfName),
}

impl Zone {
    /// The zone for a kernel scope id; `None` for 0, which means no scope.
    pub fn from_scope_id(scope_id: u32) -> Option<Zone> {
        NonZeroU32::new(scope_id).map(Zone::Index)
    }

    /// Reads the text after `%`: all digits is an index, anything else a name.
    /// `Ok(None)` for index 0, which glibc treats as no scope.
    pub(super) fn parse_optional(text: &str) -> Result<Option<Zone>, AddrError> {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            let index = u32::try_from(super::decimal(text))
                .map_err(|_| AddrError::InvalidZone(text.to_owned()))?;
            return Ok(Zone::from_scope_id(index));
        }
        IfName::new(text).map(|name| Some(Zone::Name(name)))
    }
}

/// Reads `eth0` or `2` (without the `%`); index 0 is refused, being no scope at all.
impl FromStr for Zone {
    type Err = AddrError;

    fn from_str(text: &str) -> Result<Zone, AddrError> {
        Zone::parse_optional(text)?.ok_or_else(|| AddrError::InvalidZone(text.to_owned()))
    }
}

/// The name or the index, without the `%`. getnameinfo would print a link-local
/// address's index as its interface name; that needs the interface table, so a caller
/// that wants names converts [`Zone::Index`] to [`Zone::Name`] before printing.
impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Index(index) => fmt::Display::fmt(index, f),
            Zone::Name(name) => fmt::Display::fmt(name, f),
        }
    }
}

/// A network interface name: 1 to 15 ASCII letters, digits, `.`, `-` or `_`.
///
/// Stored inline so that addresses stay `Copy`. The character set is what setkey's and
/// racoon's lexers let through in an address token (plus `_`), which covers the names
/// Linux distributions generate (`eth0`, `enp3s0`, `eth0.100`, `br-lan`, `wg_0`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IfName {
    len: u8,
    bytes: [u8; IFNAME_MAX],
}

impl IfName {
    /// Checks and stores `name`.
    pub fn new(name: &str) -> Result<IfName, AddrError> {
        let valid_char = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_');
        if name.is_empty() || name.len() > IFNAME_MAX || !name.bytes().all(valid_char) {
            return Err(AddrError::InvalidZone(name.to_owned()));
        }
        let mut bytes = [0u8; IFNAME_MAX];
        bytes[..name.len()].copy_from_slice(name.as_bytes());
        Ok(IfName {
            len: name.len() as u8,
            bytes,
        })
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        let used = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        // Only ASCII is ever stored.
        std::str::from_utf8(used).unwrap_or_default()
    }
}

impl fmt::Debug for IfName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for IfName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for IfName {
    type Err = AddrError;

    fn from_str(name: &str) -> Result<IfName, AddrError> {
        IfName::new(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(n: u32) -> Zone {
        Zone::Index(NonZeroU32::new(n).unwrap())
    }

    #[test]
    fn names() {
        for name in [
            "eth0",
            "enp3s0",
            "eth0.100",
            "br-lan",
            "wg_0",
            "lo",
            "a23456789012345",
        ] {
            let zone: Zone = name.parse().unwrap();
            assert!(matches!(zone, Zone::Name(n) if n.as_str() == name));
            assert_eq!(zone.to_string(), name);
        }
        // A name may start with a digit as long as it is not all digits.
        assert!(matches!("6to4".parse(), Ok(Zone::Name(_))));
    }

    #[test]
    fn indices() {
        assert_eq!("2".parse(), Ok(index(2)));
        assert_eq!("007".parse(), Ok(index(7)));
        assert_eq!("4294967295".parse(), Ok(index(u32::MAX)));
        assert_eq!(index(7).to_string(), "7");
        assert_eq!(Zone::from_scope_id(0), None);
        assert_eq!(Zone::from_scope_id(3), Some(index(3)));
    }

    #[test]
    fn zero_is_no_zone() {
        assert_eq!(Zone::parse_optional("0"), Ok(None));
        assert_eq!(Zone::parse_optional("000"), Ok(None));
        assert_eq!("0".parse::<Zone>(), Err(AddrError::InvalidZone("0".into())));
    }

    #[test]
    fn rejected() {
        for bad in [
            "",
            "4294967296",
            "99999999999999999999999",
            "a234567890123456",
            "eth 0",
            "eth/0",
            "eth:0",
            "eth%0",
            "ethé",
        ] {
            assert_eq!(
                bad.parse::<Zone>(),
                Err(AddrError::InvalidZone(bad.to_owned())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn ifname() {
        let name = IfName::new("eth0").unwrap();
        assert_eq!(name.as_str(), "eth0");
        assert_eq!(format!("{name:?}"), "\"eth0\"");
        assert_eq!(format!("{name:>6}"), "  eth0");
        assert_eq!("eth0".parse::<IfName>(), Ok(name));
        assert_ne!(IfName::new("eth1").unwrap(), name);
    }
}
