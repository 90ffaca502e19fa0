//! The text of a selector, split into host, prefix length and port before the host is
//! known to be numeric.

use super::{decimal, AddrError, Address, Family, Port, Selector};

/// `HOST[/PLEN][[PORT]]`, split but with the host not yet read.
///
/// setkey accepted host names wherever it accepted addresses (resolved with
/// `getaddrinfo`, unless `-n`); racoon did not. Keeping the split apart from the address
/// lets a caller resolve a name and still get this module's checks:
///
/// ```
/// use common::addr::{Address, SelectorParts};
///
/// let parts = SelectorParts::parse("gw.example.com/24[500]").unwrap();
/// assert_eq!(parts.host, "gw.example.com");
/// let resolved: Address = "192.0.2.7".parse().unwrap(); // the caller's resolver
/// let selector = parts.into_selector(resolved).unwrap();
/// assert_eq!(selector.to_string(), "192.0.2.7/24[500]");
/// ```
///
/// The grammar is the union of the originals': setkey's lexer made `/`, `[`, `]`, the
/// number and `any` separate tokens with blanks allowed between them; racoon's made
/// `/24` and `[500]` single tokens but allowed blanks before them
/// (`remote 172.16.5.4 [500]`). So any whitespace is allowed around `/`, `[` and `]`,
/// none inside the host, and the prefix must come before the port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelectorParts<'a> {
    /// The host text: a numeric address (see [`Address`]) or a name to resolve.
    pub host: &'a str,
    /// The prefix length after `/`, if written. Checked here only against the IPv6
    /// bound; [`SelectorParts::into_selector`] checks it against the family.
    pub prefix_len: Option<u8>,
    /// The port in brackets, if written: `[any]`, `[0]` and `[500]`.
    pub port: Option<Port>,
}

impl<'a> SelectorParts<'a> {
    /// Splits `text`; leading and trailing whitespace is ignored.
    pub fn parse(text: &'a str) -> Result<SelectorParts<'a>, AddrError> {
        let text = text.trim();
        let host_end = text
            .find(|c: char| matches!(c, '/' | '[' | ']') || c.is_whitespace())
            .unwrap_or(text.len());
        let (host, mut rest) = text.split_at(host_end);
        if host.is_empty() {
            return Err(AddrError::MissingAddress);
        }
        rest = rest.trim_start();

        let mut prefix_len = None;
        if let Some(after_slash) = rest.strip_prefix('/') {
            let (len, after) = prefix_token(after_slash.trim_start())?;
            prefix_len = Some(len);
            rest = after.trim_start();
        }

        let mut port = None;
        if let Some(after_bracket) = rest.strip_prefix('[') {
            let (inside, after) = after_bracket
                .split_once(']')
                .ok_or(AddrError::UnclosedPort)?;
            port = Some(inside.trim().parse::<Port>()?);
            rest = after.trim_start();
        }

        if !rest.is_empty() {
            return Err(AddrError::TrailingInput(rest.to_owned()));
        }
        Ok(SelectorParts {
            host,
            prefix_len,
            port,
        })
    }

    /// The selector for the host's (resolved) address: an absent prefix length means the
    /// whole address, as in both originals.
    pub fn into_selector(self, address: Address) -> Result<Selector, AddrError> {
        let prefix_len = self.prefix_len.unwrap_or(address.family().max_prefix_len());
        Selector::new(address, prefix_len, self.port)
    }
}

/// Reads the number after `/`, returning it and the text after it.
fn prefix_token(text: &str) -> Result<(u8, &str), AddrError> {
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, after) = text.split_at(digits_end);
    if digits.is_empty() {
        let word_end = text
            .find(|c: char| c == '[' || c.is_whitespace())
            .unwrap_or(text.len());
        let word = &text[..word_end];
        return Err(if word.is_empty() {
            AddrError::MissingPrefixLength
        } else {
            AddrError::InvalidPrefixLength(word.to_owned())
        });
    }
    let len = decimal(digits);
    match u8::try_from(len) {
        Ok(len) if len <= Family::Ipv6.max_prefix_len() => Ok((len, after)),
        _ => Err(AddrError::PrefixLenOutOfRange { len, family: None }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> SelectorParts<'_> {
        SelectorParts::parse(text).unwrap()
    }

    fn expect(host: &str, prefix_len: Option<u8>, port: Option<u16>) -> SelectorParts<'_> {
        SelectorParts {
            host,
            prefix_len,
            port: port.map(Port::new),
        }
    }

    #[test]
    fn accepted_forms() {
        let cases = [
            ("10.0.0.1", expect("10.0.0.1", None, None)),
            ("10.0.0.0/24", expect("10.0.0.0", Some(24), None)),
            ("10.0.0.0/24[80]", expect("10.0.0.0", Some(24), Some(80))),
            ("10.0.0.1[any]", expect("10.0.0.1", None, Some(0))),
            ("10.0.0.1[0]", expect("10.0.0.1", None, Some(0))),
            (
                "192.168.1.0/24[any]",
                expect("192.168.1.0", Some(24), Some(0)),
            ),
            ("::1", expect("::1", None, None)),
            ("fec0::/64[any]", expect("fec0::", Some(64), Some(0))),
            ("fe80::1%eth0", expect("fe80::1%eth0", None, None)),
            (
                "fe80::%eth0/64[500]",
                expect("fe80::%eth0", Some(64), Some(500)),
            ),
            // racoon.conf: blanks before the port or the prefix.
            ("172.16.5.4 [500]", expect("172.16.5.4", None, Some(500))),
            ("172.16.0.1[500]", expect("172.16.0.1", None, Some(500))),
            ("10.0.0.0 /8", expect("10.0.0.0", Some(8), None)),
            // setkey: blanks between every token.
            (
                "10.0.0.0 / 24 [ 80 ]",
                expect("10.0.0.0", Some(24), Some(80)),
            ),
            (
                "\t10.0.0.0/24\t[any]\n",
                expect("10.0.0.0", Some(24), Some(0)),
            ),
            ("10.0.0.0/024[0080]", expect("10.0.0.0", Some(24), Some(80))),
            ("10.0.0.0/0", expect("10.0.0.0", Some(0), None)),
            ("::/128", expect("::", Some(128), None)),
            // Host names are split here and resolved by the caller.
            (
                "gw.example.com[500]",
                expect("gw.example.com", None, Some(500)),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(parts(input), expected, "{input:?}");
        }
    }

    #[test]
    fn rejected_forms() {
        let cases = [
            ("", AddrError::MissingAddress),
            ("   ", AddrError::MissingAddress),
            ("/24", AddrError::MissingAddress),
            ("[500]", AddrError::MissingAddress),
            ("10.0.0.0/", AddrError::MissingPrefixLength),
            ("10.0.0.0/ ", AddrError::MissingPrefixLength),
            ("10.0.0.0/[80]", AddrError::MissingPrefixLength),
            ("10.0.0.0/x", AddrError::InvalidPrefixLength("x".into())),
            ("10.0.0.0/-1", AddrError::InvalidPrefixLength("-1".into())),
            ("10.0.0.0/0x18", AddrError::TrailingInput("x18".into())),
            (
                "10.0.0.0/129",
                AddrError::PrefixLenOutOfRange {
                    len: 129,
                    family: None,
                },
            ),
            (
                "10.0.0.0/256",
                AddrError::PrefixLenOutOfRange {
                    len: 256,
                    family: None,
                },
            ),
            (
                "10.0.0.0/99999999999999999999999",
                AddrError::PrefixLenOutOfRange {
                    len: u64::MAX,
                    family: None,
                },
            ),
            ("10.0.0.1[80", AddrError::UnclosedPort),
            ("10.0.0.1[", AddrError::UnclosedPort),
            ("10.0.0.1[]", AddrError::MissingPort),
            ("10.0.0.1[ ]", AddrError::MissingPort),
            ("10.0.0.1[65536]", AddrError::PortOutOfRange(65536)),
            ("10.0.0.1[http]", AddrError::InvalidPort("http".into())),
            ("10.0.0.1[ANY]", AddrError::InvalidPort("ANY".into())),
            ("10.0.0.1[-1]", AddrError::InvalidPort("-1".into())),
            ("10.0.0.1[8 0]", AddrError::InvalidPort("8 0".into())),
            ("10.0.0.1]", AddrError::TrailingInput("]".into())),
            ("10.0.0.1[80]/24", AddrError::TrailingInput("/24".into())),
            ("10.0.0.1[80][81]", AddrError::TrailingInput("[81]".into())),
            ("10.0.0.0/24/8", AddrError::TrailingInput("/8".into())),
            (
                "10.0.0.1 10.0.0.2",
                AddrError::TrailingInput("10.0.0.2".into()),
            ),
            ("10.0.0.1 any", AddrError::TrailingInput("any".into())),
        ];
        for (input, error) in cases {
            assert_eq!(SelectorParts::parse(input), Err(error), "{input:?}");
        }
    }

    #[test]
    fn into_selector_checks_the_family() {
        let v4: Address = "10.0.0.0".parse().unwrap();
        let v6: Address = "fec0::".parse().unwrap();
        assert_eq!(
            parts("x/33").into_selector(v4),
            Err(AddrError::PrefixLenOutOfRange {
                len: 33,
                family: Some(Family::Ipv4),
            })
        );
        assert_eq!(
            parts("x/33").into_selector(v6).unwrap().to_string(),
            "fec0::/33"
        );
        let host = parts("x").into_selector(v4).unwrap();
        assert_eq!(host.prefix_len(), 32);
        assert_eq!(parts("x").into_selector(v6).unwrap().prefix_len(), 128);
        assert_eq!(host.port(), None);
    }
}
