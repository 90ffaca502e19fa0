//! The one error type of the address module.

use std::fmt;

use super::Family;

/// Why an address, selector, endpoint or port could not be read or used.
///
/// Each variant carries the offending text so that a configuration parser can add
/// file:line:column and print a message an administrator can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddrError {
    /// Nothing where an address was expected (`""`, `"/24"`, `"[500]"`).
    MissingAddress,
    /// The address part is not a numeric IPv4 or IPv6 address. It may be a host name,
    /// which the caller resolves (see [`super::SelectorParts`]).
    InvalidAddress(String),
    /// An IPv4 address with a `%scope` suffix; only IPv6 has scopes.
    ZoneOnIpv4(String),
    /// A `%scope` that is neither an interface name nor a nonzero index.
    InvalidZone(String),
    /// The address still names its interface (`fe80::1%eth0`); the caller must turn the
    /// name into an index ([`super::Address::resolve_zone`]) before it reaches a socket or
    /// the kernel.
    UnresolvedZone(String),
    /// The caller's interface lookup did not know this name.
    UnknownInterface(String),
    /// A `/` with no number after it.
    MissingPrefixLength,
    /// A `/` followed by something that is not a decimal number.
    InvalidPrefixLength(String),
    /// A prefix length longer than the address. `family` is `None` when the address is a
    /// host name not yet resolved, so only the IPv6 bound could be checked.
    PrefixLenOutOfRange {
        /// The length as written (saturated at `u64::MAX` for absurdly long numbers).
        len: u64,
        /// The family whose bound was exceeded, when known.
        family: Option<Family>,
    },
    /// A prefix length where only an address and port are allowed (SA endpoints).
    UnexpectedPrefix,
    /// A `[` with no matching `]`.
    UnclosedPort,
    /// An empty `[]`, or no port where one is required.
    MissingPort,
    /// A port that is neither a decimal number nor `any` (service names included: looking
    /// them up is the caller's business).
    InvalidPort(String),
    /// A port number above 65535.
    PortOutOfRange(u64),
    /// Text left over after a complete address, prefix and port.
    TrailingInput(String),
}

impl fmt::Display for AddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingAddress => f.write_str("missing address"),
            Self::InvalidAddress(text) => {
                write!(f, "`{text}` is not a numeric IPv4 or IPv6 address")
            }
            Self::ZoneOnIpv4(text) => write!(
                f,
                "`{text}`: a scope (`%interface`) is only allowed on IPv6 addresses"
            ),
            Self::InvalidZone(text) => write!(
                f,
                "`{text}` is not a valid IPv6 scope (an interface name of at most 15 \
                 characters, or a nonzero interface index)"
            ),
            Self::UnresolvedZone(name) => write!(
                f,
                "interface `{name}` has not been resolved to an interface index"
            ),
            Self::UnknownInterface(name) => write!(f, "no network interface named `{name}`"),
            Self::MissingPrefixLength => f.write_str("missing prefix length after `/`"),
            Self::InvalidPrefixLength(text) => {
                write!(f, "prefix length `{text}` is not a number")
            }
            Self::PrefixLenOutOfRange {
                len,
                family: Some(family),
            } => write!(
                f,
                "prefix length {len} out of range for {family} (0-{})",
                family.max_prefix_len()
            ),
            Self::PrefixLenOutOfRange { len, family: None } => write!(
                f,
                "prefix length {len} out of range (0-{})",
                Family::Ipv6.max_prefix_len()
            ),
            Self::UnexpectedPrefix => f.write_str("a prefix length is not allowed here"),
            Self::UnclosedPort => f.write_str("missing `]` after the port"),
            Self::MissingPort => f.write_str("missing port number"),
            Self::InvalidPort(text) => {
                write!(f, "port `{text}` must be a number (0-65535) or `any`")
            }
            Self::PortOutOfRange(port) => write!(f, "port {port} out of range (0-65535)"),
            Self::TrailingInput(text) => write!(f, "unexpected `{text}` after the address"),
        }
    }
}

impl std::error::Error for AddrError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_is_wrong() {
        let cases: &[(AddrError, &str)] = &[
            (AddrError::MissingAddress, "missing address"),
            (
                AddrError::InvalidAddress("10.0.0.256".into()),
                "`10.0.0.256` is not a numeric IPv4 or IPv6 address",
            ),
            (
                AddrError::ZoneOnIpv4("10.0.0.1%eth0".into()),
                "`10.0.0.1%eth0`: a scope (`%interface`) is only allowed on IPv6 addresses",
            ),
            (
                AddrError::InvalidZone("a/b".into()),
                "`a/b` is not a valid IPv6 scope (an interface name of at most 15 \
                 characters, or a nonzero interface index)",
            ),
            (
                AddrError::UnresolvedZone("eth0".into()),
                "interface `eth0` has not been resolved to an interface index",
            ),
            (
                AddrError::UnknownInterface("eth9".into()),
                "no network interface named `eth9`",
            ),
            (
                AddrError::MissingPrefixLength,
                "missing prefix length after `/`",
            ),
            (
                AddrError::InvalidPrefixLength("x".into()),
                "prefix length `x` is not a number",
            ),
            (
                AddrError::PrefixLenOutOfRange {
                    len: 33,
                    family: Some(Family::Ipv4),
                },
                "prefix length 33 out of range for IPv4 (0-32)",
            ),
            (
                AddrError::PrefixLenOutOfRange {
                    len: 129,
                    family: Some(Family::Ipv6),
                },
                "prefix length 129 out of range for IPv6 (0-128)",
            ),
            (
                AddrError::PrefixLenOutOfRange {
                    len: 200,
                    family: None,
                },
                "prefix length 200 out of range (0-128)",
            ),
            (
                AddrError::UnexpectedPrefix,
                "a prefix length is not allowed here",
            ),
            (AddrError::UnclosedPort, "missing `]` after the port"),
            (AddrError::MissingPort, "missing port number"),
            (
                AddrError::InvalidPort("http".into()),
                "port `http` must be a number (0-65535) or `any`",
            ),
            (
                AddrError::PortOutOfRange(65536),
                "port 65536 out of range (0-65535)",
            ),
            (
                AddrError::TrailingInput("foo".into()),
                "unexpected `foo` after the address",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), *message);
        }
    }

    #[test]
    fn is_a_std_error() {
        let error: Box<dyn std::error::Error> = Box::new(AddrError::MissingPort);
        assert_eq!(error.to_string(), "missing port number");
    }
}
