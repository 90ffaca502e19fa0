//! IPv6 text exactly as glibc's `inet_ntop` (and so `getnameinfo(NI_NUMERICHOST)`) writes
//! it, which is what setkey and racoon print.
//!
//! Rust's `Ipv6Addr` display agrees with glibc except for the deprecated IPv4-compatible
//! addresses (`::/96` with a nonzero upper half of the last 32 bits): glibc prints
//! `::1.2.3.4`, Rust `::102:304`. Scripts compare the original's output, so glibc wins.
//! Both print IPv4-mapped addresses as `::ffff:1.2.3.4`, and neither compresses a single
//! zero group or treats `::ffff:0:a.b.c.d` (IPv4-translated) or `64:ff9b::/96` specially.
//! Checked against glibc 2.36 on Linux: see the tests.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Writes `ip` in dotted quad, with one `write_str`: dumps print tens of thousands of
/// addresses, and `Ipv4Addr`'s `Display` goes through the formatting machinery per octet.
pub(super) fn write_ipv4(ip: &Ipv4Addr, out: &mut dyn fmt::Write) -> fmt::Result {
    let mut buf = [0u8; 15];
    let mut len = 0;
    for (i, octet) in ip.octets().into_iter().enumerate() {
        if i > 0 {
            buf[len] = b'.';
            len += 1;
        }
        if octet >= 100 {
            buf[len] = b'0' + octet / 100;
            len += 1;
        }
        if octet >= 10 {
            buf[len] = b'0' + octet / 10 % 10;
            len += 1;
        }
        buf[len] = b'0' + octet % 10;
        len += 1;
    }
    // Only ASCII digits and dots were written.
    out.write_str(std::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?)
}

/// Writes `ip` in glibc's form.
pub(super) fn write_ipv6(ip: &Ipv6Addr, out: &mut dyn fmt::Write) -> fmt::Result {
    let groups = ip.segments();
    let run = longest_zero_run(&groups);

    // The embedded-IPv4 forms: all-zero first 96 bits (with a nonzero group 6, or the
    // zero run would be longer), or the IPv4-mapped prefix.
    if let Some((0, len)) = run {
        let [.., a, b, c, d] = ip.octets();
        let v4 = Ipv4Addr::new(a, b, c, d);
        if len == 6 {
            out.write_str("::")?;
            return write_ipv4(&v4, out);
        }
        if len == 5 && groups[5] == 0xffff {
            out.write_str("::ffff:")?;
            return write_ipv4(&v4, out);
        }
    }

    match run {
        None => write_groups(&groups, out),
        Some((start, len)) => {
            let (head, rest) = groups.split_at(start);
            let tail = rest.get(len..).unwrap_or_default();
            write_groups(head, out)?;
            out.write_str("::")?;
            write_groups(tail, out)
        }
    }
}

/// Colon-separated lowercase hex groups without leading zeros.
fn write_groups(groups: &[u16], out: &mut dyn fmt::Write) -> fmt::Result {
    for (i, group) in groups.iter().enumerate() {
        if i > 0 {
            out.write_char(':')?;
        }
        write!(out, "{group:x}")?;
    }
    Ok(())
}

/// The first longest run of at least two zero groups, as (start, length).
fn longest_zero_run(groups: &[u16; 8]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut start = 0;
    while start < groups.len() {
        if groups[start] != 0 {
            start += 1;
            continue;
        }
        let len = groups[start..].iter().take_while(|&&g| g == 0).count();
        if len >= 2 && best.is_none_or(|(_, best_len)| len > best_len) {
            best = Some((start, len));
        }
        start += len;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast dotted quad equals `Ipv4Addr`'s display for every octet value in every
    /// position.
    #[test]
    fn ipv4_matches_std_display() {
        for v in 0..=255u8 {
            for ip in [
                Ipv4Addr::new(v, 0, 0, 0),
                Ipv4Addr::new(1, v, 10, 100),
                Ipv4Addr::new(255, 9, v, 99),
                Ipv4Addr::new(0, 0, 0, v),
                Ipv4Addr::new(v, v, v, v),
            ] {
                let mut out = String::new();
                write_ipv4(&ip, &mut out).unwrap();
                assert_eq!(out, ip.to_string());
            }
        }
    }

    fn text(ip: &str) -> String {
        let ip: Ipv6Addr = ip.parse().unwrap();
        let mut out = String::new();
        write_ipv6(&ip, &mut out).unwrap();
        out
    }

    /// Output of glibc 2.36 `inet_ntop(AF_INET6)` and `getnameinfo(NI_NUMERICHOST)`
    /// (identical) for each input.
    #[test]
    fn matches_glibc() {
        let cases = [
            ("::", "::"),
            ("::1", "::1"),
            ("::2", "::2"),
            ("::0.0.0.2", "::2"),
            ("::1.2.3.4", "::1.2.3.4"),
            ("::0.1.0.0", "::0.1.0.0"),
            ("::255.255.255.255", "::255.255.255.255"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
            ("::ffff:0.0.0.0", "::ffff:0.0.0.0"),
            ("::ffff:0:1.2.3.4", "::ffff:0:102:304"),
            ("64:ff9b::1.2.3.4", "64:ff9b::102:304"),
            ("1:0:0:1:0:0:0:1", "1:0:0:1::1"),
            ("1:0:0:1:0:0:1:1", "1::1:0:0:1:1"),
            ("fe80::1", "fe80::1"),
            ("2001:db8::", "2001:db8::"),
            ("::1:2:3:4:5:6", "::1:2:3:4:5:6"),
            ("0:0:0:0:0:1:2:3", "::1:2:3"),
            ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
            ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
            ("FEC0:0000:0000:0000:0000:0000:0000:0001", "fec0::1"),
            ("2001:0db8:00a0::0abc", "2001:db8:a0::abc"),
        ];
        for (input, expected) in cases {
            assert_eq!(text(input), expected, "{input}");
        }
    }

    /// Everywhere but the IPv4-compatible range, glibc and Rust agree; walk every
    /// combination of a few interesting group values through both.
    #[test]
    fn agrees_with_std_outside_ipv4_compatible() {
        let values = [0u16, 1, 0xffff, 0xabc];
        for n in 0..(values.len().pow(8)) {
            let mut groups = [0u16; 8];
            let mut rest = n;
            for group in &mut groups {
                *group = values[rest % values.len()];
                rest /= values.len();
            }
            let ip = Ipv6Addr::from(groups);
            let compatible = groups[..6].iter().all(|&g| g == 0) && groups[6] != 0;
            let mut ours = String::new();
            write_ipv6(&ip, &mut ours).unwrap();
            if !compatible {
                assert_eq!(ours, ip.to_string(), "{groups:x?}");
            }
            // Whatever we print, it reads back as the same address.
            assert_eq!(ours.parse::<Ipv6Addr>(), Ok(ip), "{ours}");
        }
    }
}
