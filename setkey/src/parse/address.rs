//! Addresses: the `-4 -6 -n` options, SA end points (`10.0.0.1[4500]`) and policy
//! selectors (`10.0.0.0/24[80]`).
//!
//! Host names stay text for the resolver, but everything that can be checked without
//! the network is checked here, so that a typo fails the whole file before anything is
//! applied: a numeric-looking address that does not parse, a prefix longer than the
//! address, a port out of range, an address of the family `-4`/`-6` excludes, or a name
//! under `-n` (where the original's `getaddrinfo` failed at the same point).

use common::addr::{AddrError, Address, Family, Port};

use super::cursor::Cursor;
use super::error::ParseError;
use super::lexer::{Kind, Token};
use super::number;
use crate::ast::{AddrOpts, FamilyFilter, HostSpec, PrefixSpec};

/// Whether a word is an address option group: `-4`, `-6`, `-n`, `-46n`...
fn is_addr_flag(word: &str) -> bool {
    word.len() >= 2
        && word.starts_with('-')
        && word[1..].chars().all(|c| matches!(c, '4' | '6' | 'n'))
}

/// Any number of `-4`, `-6` and `-n` words; the last family given wins, as in the
/// original.
pub(crate) fn addr_opts(c: &mut Cursor<'_>) -> Result<AddrOpts, ParseError> {
    let mut opts = AddrOpts::default();
    while let Some(t) = c.peek_word_if(is_addr_flag)? {
        c.next()?;
        for flag in t.text.chars().skip(1) {
            match flag {
                '4' => opts.family = FamilyFilter::Inet,
                '6' => opts.family = FamilyFilter::Inet6,
                _ => opts.numeric_only = true,
            }
        }
    }
    Ok(opts)
}

/// Whether a name could be a DNS host name (letters, digits, `-`, `.`, `_`).
fn is_host_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

/// Whether the writer meant a numeric address: only digits and dots, or IPv6's colons
/// or scope. Such text that fails to parse is a typo, not a host name.
fn looks_numeric(text: &str) -> bool {
    text.contains([':', '%']) || text.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Checks a word that stands for a host and makes it a [`HostSpec`].
pub(crate) fn host_spec(
    c: &Cursor<'_>,
    t: &Token<'_>,
    opts: AddrOpts,
    what: &str,
) -> Result<HostSpec, ParseError> {
    let text = t.text;
    if let Some(flag) = text.strip_prefix('-') {
        let message = if !flag.is_empty() && flag.chars().all(|c| c.is_ascii_alphanumeric()) {
            format!("unknown address option `{text}'; expected -4, -6 or -n")
        } else {
            format!("syntax error: expected {what}")
        };
        return Err(c.error_at(t, message));
    }
    if text == "any" {
        return Err(c.error_at(t, format!("syntax error: expected {what}")));
    }
    match text.parse::<Address>() {
        Ok(address) => check_family(c, t, address.family(), opts.family)?,
        Err(e) if looks_numeric(text) => return Err(c.error_at(t, e.to_string())),
        Err(_) if !is_host_name(text) => {
            return Err(c.error_at(
                t,
                format!("`{text}' is neither an IP address nor a host name"),
            ))
        }
        Err(e) if opts.numeric_only => {
            return Err(c.error_at(t, format!("{e} (-n forbids host names)")))
        }
        Err(_) => {}
    }
    Ok(HostSpec {
        text: text.to_owned(),
        pos: t.pos,
    })
}

fn check_family(
    c: &Cursor<'_>,
    t: &Token<'_>,
    family: Family,
    filter: FamilyFilter,
) -> Result<(), ParseError> {
    let (allowed, flag) = match filter {
        FamilyFilter::Any => return Ok(()),
        FamilyFilter::Inet => (Family::Ipv4, "-4"),
        FamilyFilter::Inet6 => (Family::Ipv6, "-6"),
    };
    if family == allowed {
        Ok(())
    } else {
        Err(c.error_at(
            t,
            format!(
                "`{}' is an {family} address, but {flag} allows only {allowed}",
                t.text
            ),
        ))
    }
}

/// The family of a host spec that is a numeric address.
pub(crate) fn numeric_family(host: &HostSpec) -> Option<Family> {
    host.text.parse::<Address>().ok().map(|a| a.family())
}

/// Fails when two numeric addresses are of different families.
pub(crate) fn check_same_family(
    c: &Cursor<'_>,
    src: &HostSpec,
    dst: &HostSpec,
    what: &str,
) -> Result<(), ParseError> {
    match (numeric_family(src), numeric_family(dst)) {
        (Some(s), Some(d)) if s != d => Err(ParseError::new(
            c.file(),
            dst.pos,
            format!("{what} are of different address families ({s} and {d})"),
            Some(&dst.text),
        )),
        _ => Ok(()),
    }
}

/// `[port]` after an address, if present: `[any]`, `[0]` and `[500]`.
fn bracket_port(c: &mut Cursor<'_>) -> Result<Option<Port>, ParseError> {
    if c.eat(Kind::LBracket)?.is_none() {
        return Ok(None);
    }
    let t = c.expect_word("a port number or `any'")?;
    let port = t
        .text
        .parse::<Port>()
        .map_err(|e| c.error_at(&t, e.to_string()))?;
    c.expect(Kind::RBracket, "`]'")?;
    Ok(Some(port))
}

/// An SA end point: `HOST` or `HOST[PORT]` (the port matters for esp-udp).
pub(crate) fn sa_endpoint(
    c: &mut Cursor<'_>,
    opts: AddrOpts,
    what: &str,
) -> Result<(HostSpec, Option<u16>), ParseError> {
    let t = c.expect_word(what)?;
    let host = host_spec(c, &t, opts, what)?;
    if let Some(slash) = c.eat(Kind::Slash)? {
        return Err(c.error_at(&slash, AddrError::UnexpectedPrefix.to_string()));
    }
    let port = bracket_port(c)?;
    Ok((host, port.map(u16::from)))
}

/// A bare address (`deleteall`): no port, no prefix.
pub(crate) fn plain_host(
    c: &mut Cursor<'_>,
    opts: AddrOpts,
    what: &str,
) -> Result<HostSpec, ParseError> {
    let t = c.expect_word(what)?;
    let host = host_spec(c, &t, opts, what)?;
    match c.peek()? {
        Some(p) if p.kind == Kind::Slash => {
            Err(c.error_at(&p, AddrError::UnexpectedPrefix.to_string()))
        }
        Some(p) if p.kind == Kind::LBracket => Err(c.error_at(&p, "a port is not allowed here")),
        _ => Ok(host),
    }
}

/// A policy selector address: `HOST[/PLEN][[PORT]]`.
pub(crate) fn prefix_spec(
    c: &mut Cursor<'_>,
    opts: AddrOpts,
    what: &str,
) -> Result<PrefixSpec, ParseError> {
    let t = c.expect_word(what)?;
    let host = host_spec(c, &t, opts, what)?;
    let mut prefix_len = None;
    if c.eat(Kind::Slash)?.is_some() {
        let p = c.expect_word("a prefix length after `/'")?;
        let Some(len) = number::decimal(p.text) else {
            return Err(c.error_at(
                &p,
                AddrError::InvalidPrefixLength(p.text.to_owned()).to_string(),
            ));
        };
        let family = numeric_family(&host);
        let max = family.unwrap_or(Family::Ipv6).max_prefix_len();
        match u8::try_from(len) {
            Ok(len) if len <= max => prefix_len = Some(len),
            _ => {
                let error = AddrError::PrefixLenOutOfRange {
                    len: u64::try_from(len).unwrap_or(u64::MAX),
                    family,
                };
                return Err(c.error_at(&p, error.to_string()));
            }
        }
    }
    let port = bracket_port(c)?;
    Ok(PrefixSpec {
        host,
        prefix_len,
        port,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Pos;

    fn cursor(text: &str) -> Cursor<'_> {
        Cursor::new("t", text, Pos { line: 1, col: 1 })
    }

    fn prefix(text: &str, opts: AddrOpts) -> Result<PrefixSpec, String> {
        let mut c = cursor(text);
        prefix_spec(&mut c, opts, "the source address").map_err(|e| e.to_string())
    }

    fn endpoint(text: &str) -> Result<(HostSpec, Option<u16>), String> {
        let mut c = cursor(text);
        sa_endpoint(&mut c, AddrOpts::default(), "the source address").map_err(|e| e.to_string())
    }

    #[test]
    fn options() {
        let mut c = cursor("-4 -n -6 x");
        let o = addr_opts(&mut c).unwrap();
        assert_eq!(o.family, FamilyFilter::Inet6);
        assert!(o.numeric_only);
        let mut c = cursor("-46n4 x");
        assert_eq!(addr_opts(&mut c).unwrap().family, FamilyFilter::Inet);
        let mut c = cursor("x");
        assert_eq!(addr_opts(&mut c).unwrap(), AddrOpts::default());
    }

    #[test]
    fn selectors() {
        let any = AddrOpts::default();
        let p = prefix("10.0.0.0/24[80]", any).unwrap();
        assert_eq!(
            (p.host.text.as_str(), p.prefix_len, p.port),
            ("10.0.0.0", Some(24), Some(Port::new(80)))
        );
        let p = prefix("fec0::1 [ any ]", any).unwrap();
        assert_eq!((p.prefix_len, p.port), (None, Some(Port::ANY)));
        let p = prefix("gw.example.com/24", any).unwrap();
        assert_eq!(p.prefix_len, Some(24));
        assert_eq!(prefix("::/128", any).unwrap().prefix_len, Some(128));
    }

    #[test]
    fn selector_errors() {
        let any = AddrOpts::default();
        let cases = [
            ("10.0.0.0/33", "t,1:10: prefix length 33 out of range for IPv4 (0-32) at `33'"),
            ("::/129", "t,1:4: prefix length 129 out of range for IPv6 (0-128) at `129'"),
            ("host/200", "t,1:6: prefix length 200 out of range (0-128) at `200'"),
            ("10.0.0.0/x", "t,1:10: prefix length `x` is not a number at `x'"),
            (
                "10.0.0.0/",
                "t,1:10: syntax error: expected a prefix length after `/', found the end of the file",
            ),
            ("10.0.0.1[http]", "t,1:10: port `http` must be a number (0-65535) or `any` at `http'"),
            ("10.0.0.1[65536]", "t,1:10: port 65536 out of range (0-65535) at `65536'"),
            ("10.0.0.1[80;", "t,1:12: syntax error: expected `]' at `;'"),
            ("10.0.0.256", "t,1:1: `10.0.0.256` is not a numeric IPv4 or IPv6 address at `10.0.0.256'"),
            ("10.0.0.1%eth0", "t,1:1: `10.0.0.1%eth0`: a scope (`%interface`) is only allowed on IPv6 addresses at `10.0.0.1%eth0'"),
            ("a,b", "t,1:1: `a,b' is neither an IP address nor a host name at `a,b'"),
            ("any", "t,1:1: syntax error: expected the source address at `any'"),
            ("-x", "t,1:1: unknown address option `-x'; expected -4, -6 or -n at `-x'"),
            ("/24", "t,1:1: syntax error: expected the source address at `/'"),
        ];
        for (text, message) in cases {
            assert_eq!(prefix(text, any).unwrap_err(), message, "{text:?}");
        }
        let v4 = AddrOpts {
            family: FamilyFilter::Inet,
            numeric_only: true,
        };
        assert_eq!(
            prefix("::1", v4).unwrap_err(),
            "t,1:1: `::1' is an IPv6 address, but -4 allows only IPv4 at `::1'"
        );
        assert_eq!(
            prefix("gw", v4).unwrap_err(),
            "t,1:1: `gw` is not a numeric IPv4 or IPv6 address (-n forbids host names) at `gw'"
        );
    }

    #[test]
    fn endpoints() {
        let (h, p) = endpoint("10.0.0.1[4500]").unwrap();
        assert_eq!((h.text.as_str(), p), ("10.0.0.1", Some(4500)));
        assert_eq!(endpoint("fe80::1%eth0").unwrap().1, None);
        assert_eq!(endpoint("h[any]").unwrap().1, Some(0));
        assert_eq!(
            endpoint("10.0.0.1/32").unwrap_err(),
            "t,1:9: a prefix length is not allowed here at `/'"
        );
        let mut c = cursor("10.0.0.1[500]");
        assert_eq!(
            plain_host(&mut c, AddrOpts::default(), "x")
                .unwrap_err()
                .to_string(),
            "t,1:9: a port is not allowed here at `['"
        );
    }
}
