//! A policy selector address: address, prefix length, port.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use super::{pad_with, AddrError, Address, Family, Port, SelectorParts};
use crate::digits::write_u32;

/// Upper-layer protocols whose selector "ports" are something else (ICMP type and code,
/// the mobility header type, a GRE key), so `setkey -DP` prints no port for them.
const PORTLESS_PROTOCOLS: [u8; 4] = [
    1,   // ICMP
    47,  // GRE
    58,  // ICMPv6
    135, // Mobility Header
];

/// One side of a policy selector (`10.2.0.0/24[any]`) or of a racoon `sainfo`/`remote`
/// address: an address, a prefix length within the family's bound, and an optional port.
///
/// The port is optional because the files distinguish "not written" from `[any]` where
/// it matters to their callers (racoon's `remote` and `listen` default to 500 when no
/// port is written); the kernel sees both as port 0. The address is kept as written,
/// host bits included, as the original passed it to the kernel; [`Selector::network`]
/// gives the masked form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Selector {
    address: Address,
    prefix_len: u8,
    port: Option<Port>,
}

impl Selector {
    /// A selector; fails if `prefix_len` exceeds the address's length.
    pub fn new(
        address: impl Into<Address>,
        prefix_len: u8,
        port: Option<Port>,
    ) -> Result<Selector, AddrError> {
        let address = address.into();
        let family = address.family();
        if prefix_len > family.max_prefix_len() {
            return Err(AddrError::PrefixLenOutOfRange {
                len: u64::from(prefix_len),
                family: Some(family),
            });
        }
        Ok(Selector {
            address,
            prefix_len,
            port,
        })
    }

    /// The selector for exactly one address, any port not written.
    pub fn host(address: impl Into<Address>) -> Selector {
        let address = address.into();
        Selector {
            address,
            prefix_len: address.family().max_prefix_len(),
            port: None,
        }
    }

    /// The same selector with another port.
    pub const fn with_port(self, port: Option<Port>) -> Selector {
        Selector { port, ..self }
    }

    /// The address, as written (host bits not cleared).
    pub const fn address(&self) -> Address {
        self.address
    }

    /// The IP address, without scope.
    pub const fn ip(&self) -> IpAddr {
        self.address.ip()
    }

    /// IPv4 or IPv6.
    pub const fn family(&self) -> Family {
        self.address.family()
    }

    /// The prefix length.
    pub const fn prefix_len(&self) -> u8 {
        self.prefix_len
    }

    /// The family's longest prefix: 32 or 128.
    pub const fn max_prefix_len(&self) -> u8 {
        self.family().max_prefix_len()
    }

    /// Whether the selector covers a single address (full-length prefix).
    pub const fn is_host(&self) -> bool {
        self.prefix_len == self.max_prefix_len()
    }

    /// The port, if one was written.
    pub const fn port(&self) -> Option<Port> {
        self.port
    }

    /// The port as the kernel sees it: an absent port is `any`.
    pub fn port_or_any(&self) -> Port {
        self.port.unwrap_or(Port::ANY)
    }

    /// The address with the bits past the prefix cleared (`10.0.0.77/24` gives
    /// `10.0.0.0`).
    pub fn network(&self) -> IpAddr {
        mask(self.ip(), self.prefix_len)
    }

    /// Whether `ip` falls within the prefix. An address of the other family never does:
    /// an IPv4-mapped IPv6 address is IPv6 here, as it is to the kernel. Ports and scopes
    /// are not compared.
    pub fn contains(&self, ip: IpAddr) -> bool {
        Family::of(&ip) == self.family() && mask(ip, self.prefix_len) == self.network()
    }

    /// The selector as `setkey -DP` prints it for upper-layer protocol `ul_proto`
    /// (255 = any): the port always (`[any]` when absent or 0), except for ICMP, ICMPv6,
    /// GRE and the Mobility Header, whose selectors print none.
    pub const fn spd_display(&self, ul_proto: u8) -> SpdDisplay<'_> {
        SpdDisplay {
            selector: self,
            ul_proto,
        }
    }

    /// [`Selector::spd_display`]'s text, written straight to `out`.
    pub fn write_spd(&self, out: &mut dyn fmt::Write, ul_proto: u8) -> fmt::Result {
        let port = if PORTLESS_PROTOCOLS.contains(&ul_proto) {
            None
        } else {
            Some(self.port_or_any())
        };
        self.write(out, port)
    }

    fn write(&self, out: &mut dyn fmt::Write, port: Option<Port>) -> fmt::Result {
        self.address.write(out)?;
        if !self.is_host() {
            out.write_char('/')?;
            write_u32(out, self.prefix_len.into())?;
        }
        match port.map(Port::number) {
            None => Ok(()),
            Some(None) => out.write_str("[any]"),
            Some(Some(number)) => {
                out.write_char('[')?;
                write_u32(out, number.into())?;
                out.write_char(']')
            }
        }
    }
}

impl From<Address> for Selector {
    fn from(address: Address) -> Selector {
        Selector::host(address)
    }
}

impl From<IpAddr> for Selector {
    fn from(ip: IpAddr) -> Selector {
        Selector::host(ip)
    }
}

/// Reads `10.0.0.0/24[80]` and the other forms [`SelectorParts`] describes, with a
/// numeric address.
impl FromStr for Selector {
    type Err = AddrError;

    fn from_str(text: &str) -> Result<Selector, AddrError> {
        let parts = SelectorParts::parse(text)?;
        let address = parts.host.parse::<Address>()?;
        parts.into_selector(address)
    }
}

/// The selector as written, in setkey's style: no `/LEN` for a full-length prefix, the
/// port in brackets if there is one (`10.0.0.0/24[80]`, `192.168.1.1[any]`, `::1`).
impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        pad_with(f, |out| self.write(out, self.port))
    }
}

/// A [`Selector`] printed as in `setkey -DP`; see [`Selector::spd_display`].
#[derive(Debug, Clone, Copy)]
pub struct SpdDisplay<'a> {
    selector: &'a Selector,
    ul_proto: u8,
}

impl fmt::Display for SpdDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        pad_with(f, |out| self.selector.write_spd(out, self.ul_proto))
    }
}

/// `ip` with all bits past `prefix_len` cleared.
fn mask(ip: IpAddr, prefix_len: u8) -> IpAddr {
    match ip {
        IpAddr::V4(ip) => {
            let keep = u32::MAX
                .checked_shl(32u32.saturating_sub(u32::from(prefix_len)))
                .unwrap_or(0);
            IpAddr::V4((u32::from(ip) & keep).into())
        }
        IpAddr::V6(ip) => {
            let keep = u128::MAX
                .checked_shl(128u32.saturating_sub(u32::from(prefix_len)))
                .unwrap_or(0);
            IpAddr::V6((u128::from(ip) & keep).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(text: &str) -> Selector {
        text.parse().unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn parse_every_form() {
        let cases: [(&str, &str, u8, Option<Port>); 14] = [
            ("10.0.0.1", "10.0.0.1", 32, None),
            ("10.0.0.0/24", "10.0.0.0", 24, None),
            ("10.0.0.0/24[80]", "10.0.0.0", 24, Some(Port::new(80))),
            ("10.0.0.1[any]", "10.0.0.1", 32, Some(Port::ANY)),
            ("192.168.1.0/24[any]", "192.168.1.0", 24, Some(Port::ANY)),
            ("::1", "::1", 128, None),
            ("fec0::/64[any]", "fec0::", 64, Some(Port::ANY)),
            ("fe80::1%eth0", "fe80::1", 128, None),
            ("172.16.5.4 [500]", "172.16.5.4", 32, Some(Port::new(500))),
            ("172.16.0.1[500]", "172.16.0.1", 32, Some(Port::new(500))),
            ("0.0.0.0/0", "0.0.0.0", 0, None),
            ("::/0[any]", "::", 0, Some(Port::ANY)),
            ("10.0.0.1/32", "10.0.0.1", 32, None),
            ("10.0.0.77/24", "10.0.0.77", 24, None),
        ];
        for (input, address, prefix_len, port) in cases {
            let s = sel(input);
            assert_eq!(s.ip(), ip(address), "{input}");
            assert_eq!(s.prefix_len(), prefix_len, "{input}");
            assert_eq!(s.port(), port, "{input}");
        }
        assert_eq!(
            sel("fe80::1%eth0").address(),
            "fe80::1%eth0".parse().unwrap()
        );
    }

    #[test]
    fn parse_errors() {
        let cases = [
            (
                "10.0.0.0/33",
                AddrError::PrefixLenOutOfRange {
                    len: 33,
                    family: Some(Family::Ipv4),
                },
            ),
            (
                "::/129",
                AddrError::PrefixLenOutOfRange {
                    len: 129,
                    family: None,
                },
            ),
            ("10.0.0.1[65536]", AddrError::PortOutOfRange(65536)),
            (
                "10.0.0.256/24",
                AddrError::InvalidAddress("10.0.0.256".into()),
            ),
            (
                "gw.example.com[500]",
                AddrError::InvalidAddress("gw.example.com".into()),
            ),
            (
                "10.0.0.1%eth0/24",
                AddrError::ZoneOnIpv4("10.0.0.1%eth0".into()),
            ),
            ("", AddrError::MissingAddress),
        ];
        for (input, error) in cases {
            assert_eq!(input.parse::<Selector>(), Err(error), "{input:?}");
        }
        assert_eq!(
            "10.0.0.0/33".parse::<Selector>().unwrap_err().to_string(),
            "prefix length 33 out of range for IPv4 (0-32)"
        );
        assert_eq!(
            "::/129".parse::<Selector>().unwrap_err().to_string(),
            "prefix length 129 out of range (0-128)"
        );
        assert_eq!(
            "10.0.0.1[70000]"
                .parse::<Selector>()
                .unwrap_err()
                .to_string(),
            "port 70000 out of range (0-65535)"
        );
    }

    #[test]
    fn new_checks_the_prefix() {
        let v4 = ip("10.0.0.0");
        assert!(Selector::new(v4, 32, None).is_ok());
        assert_eq!(
            Selector::new(v4, 33, None),
            Err(AddrError::PrefixLenOutOfRange {
                len: 33,
                family: Some(Family::Ipv4),
            })
        );
        assert!(Selector::new(ip("::"), 128, None).is_ok());
        assert_eq!(
            Selector::new(ip("::"), 255, Some(Port::ANY)),
            Err(AddrError::PrefixLenOutOfRange {
                len: 255,
                family: Some(Family::Ipv6),
            })
        );
    }

    #[test]
    fn display_as_written() {
        let cases = [
            ("10.0.0.1", "10.0.0.1"),
            ("10.0.0.1/32", "10.0.0.1"),
            ("10.0.0.0/24", "10.0.0.0/24"),
            ("10.0.0.0/24[80]", "10.0.0.0/24[80]"),
            ("10.0.0.1[any]", "10.0.0.1[any]"),
            ("10.0.0.1[0]", "10.0.0.1[any]"),
            ("192.168.1.0/24[any]", "192.168.1.0/24[any]"),
            ("::1", "::1"),
            ("::1/128", "::1"),
            ("fec0::/64[any]", "fec0::/64[any]"),
            ("FEC0:0::/64", "fec0::/64"),
            ("fe80::1%eth0", "fe80::1%eth0"),
            ("fe80::%eth0/64[500]", "fe80::%eth0/64[500]"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
            ("172.16.5.4 [500]", "172.16.5.4[500]"),
            ("10.0.0.0 / 024 [ 0080 ]", "10.0.0.0/24[80]"),
            ("0.0.0.0/0", "0.0.0.0/0"),
            ("::/0", "::/0"),
        ];
        for (input, printed) in cases {
            assert_eq!(sel(input).to_string(), printed, "{input}");
        }
        assert_eq!(
            format!("{:<20}|", sel("10.0.0.0/8")),
            "10.0.0.0/8          |"
        );
    }

    /// The policy lines of `setkey -DP`, as in the reference samples.
    #[test]
    fn spd_display_as_setkey() {
        const ANY: u8 = 255;
        const TCP: u8 = 6;
        const ICMP: u8 = 1;
        const ICMPV6: u8 = 58;
        const GRE: u8 = 47;
        const MH: u8 = 135;
        let line = |src: &str, dst: &str, ul: u8| {
            format!(
                "{} {} {ul}",
                sel(src).spd_display(ul),
                sel(dst).spd_display(ul)
            )
        };
        assert_eq!(
            line("10.2.0.0/24[any]", "10.1.0.0/24[any]", ANY),
            "10.2.0.0/24[any] 10.1.0.0/24[any] 255"
        );
        // A port that was never written prints as any, as the kernel reports 0.
        assert_eq!(
            line("10.2.0.0/24", "10.1.0.0/24", ANY),
            "10.2.0.0/24[any] 10.1.0.0/24[any] 255"
        );
        assert_eq!(
            sel("192.168.1.1").spd_display(ANY).to_string(),
            "192.168.1.1[any]"
        );
        assert_eq!(
            sel("10.0.0.0/24[80]").spd_display(TCP).to_string(),
            "10.0.0.0/24[80]"
        );
        for ul in [ICMP, ICMPV6, GRE, MH] {
            assert_eq!(
                sel("fec0::/64[any]").spd_display(ul).to_string(),
                "fec0::/64"
            );
            assert_eq!(sel("::1").spd_display(ul).to_string(), "::1");
        }
        assert_eq!(
            sel("fec0::/64").spd_display(ANY).to_string(),
            "fec0::/64[any]"
        );
        assert_eq!(
            format!("{:>18}", sel("10.0.0.1").spd_display(ANY)),
            "     10.0.0.1[any]"
        );
    }

    #[test]
    fn accessors() {
        let s = sel("10.0.0.77/24[80]");
        assert_eq!(s.family(), Family::Ipv4);
        assert_eq!(s.max_prefix_len(), 32);
        assert!(!s.is_host());
        assert_eq!(s.port_or_any(), Port::new(80));
        assert_eq!(s.with_port(None).port_or_any(), Port::ANY);
        assert_eq!(s.with_port(None).to_string(), "10.0.0.77/24");
        assert!(sel("::1").is_host());
        assert_eq!(sel("::1").max_prefix_len(), 128);
        assert_eq!(Selector::from(ip("10.0.0.1")), sel("10.0.0.1"));
        assert_eq!(
            Selector::from("fe80::1%eth0".parse::<Address>().unwrap()),
            sel("fe80::1%eth0")
        );
        assert_eq!(Selector::host(ip("::1")), sel("::1/128"));
    }

    #[test]
    fn network() {
        let cases = [
            ("10.0.0.77/24", "10.0.0.0"),
            ("10.0.0.77/32", "10.0.0.77"),
            ("10.0.0.77/0", "0.0.0.0"),
            ("10.255.255.255/9", "10.128.0.0"),
            ("255.255.255.255/1", "128.0.0.0"),
            ("2001:db8:1:2::1/64", "2001:db8:1:2::"),
            ("2001:db8::1/128", "2001:db8::1"),
            ("ffff::1/0", "::"),
            ("ffff:ffff::/17", "ffff:8000::"),
        ];
        for (input, network) in cases {
            assert_eq!(sel(input).network(), ip(network), "{input}");
        }
    }

    #[test]
    fn contains() {
        let net = sel("10.1.0.0/16");
        assert!(net.contains(ip("10.1.0.0")));
        assert!(net.contains(ip("10.1.255.255")));
        assert!(!net.contains(ip("10.2.0.0")));
        assert!(!net.contains(ip("::ffff:10.1.0.1")));
        // Host bits in the selector do not matter.
        assert!(sel("10.1.2.3/16").contains(ip("10.1.9.9")));
        assert!(sel("0.0.0.0/0").contains(ip("192.0.2.1")));
        assert!(!sel("0.0.0.0/0").contains(ip("::1")));
        assert!(sel("::/0").contains(ip("2001:db8::1")));
        assert!(sel("10.0.0.1").contains(ip("10.0.0.1")));
        assert!(!sel("10.0.0.1").contains(ip("10.0.0.2")));
        let v6 = sel("fec0::/64[any]");
        assert!(v6.contains(ip("fec0::1234")));
        assert!(!v6.contains(ip("fec0:0:0:1::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
    }

    #[test]
    fn round_trip() {
        for text in [
            "10.0.0.1",
            "10.0.0.0/24",
            "10.0.0.0/24[80]",
            "10.0.0.1[any]",
            "192.168.1.0/24[any]",
            "::1",
            "fec0::/64[any]",
            "fe80::1%eth0",
            "fe80::1%3[500]",
            "::1.2.3.4/96",
            "::ffff:0.0.0.0/96[any]",
            "0.0.0.0/0[65535]",
        ] {
            let once = sel(text);
            assert_eq!(once.to_string(), text);
            assert_eq!(sel(&once.to_string()), once);
            // What setkey -DP prints reads back too.
            let dumped = once.spd_display(255).to_string();
            assert_eq!(sel(&dumped), once.with_port(Some(once.port_or_any())));
        }
    }

    /// Arbitrary input never panics, and whatever parses prints back to the same value.
    #[test]
    fn total_on_arbitrary_input() {
        const ALPHABET: &[u8] = b"0123456789abcdefABCDEF.:/[]%any eth \t-xyz\xc3\xa9";
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut parsed = 0;
        for _ in 0..200_000 {
            let len = (next() % 24) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(selector) = text.parse::<Selector>() {
                parsed += 1;
                let printed = selector.to_string();
                assert_eq!(sel(&printed), selector, "{text:?} -> {printed:?}");
            }
            let _ = text.parse::<Address>();
            let _ = text.parse::<Port>();
        }
        assert!(parsed > 0);
    }
}
