//! `<saopts>`: the SA selector of delete-sa, establish-sa and get-cert, parsed as the
//! original's get_index / get_comindexes / get_comindex did.
//!
//! `isakmp inet SRC DST` or `esp|ah inet SRC/PLEN[PORT] DST/PLEN[PORT] [ULPROTO]`. A
//! missing prefix length is 32 (for IPv6 too, as in the original). Names are looked up
//! as getaddrinfo does; a failed lookup prints getaddrinfo's message on stdout, as the
//! original did, before the `kmpstat` error.

use crate::fail::{Fail, EAFNOSUPPORT, EINVAL};
use common::admin::Indexes;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Inet,
    Inet6,
}

/// `inet` / `inet6`.
pub fn family(word: &str) -> Result<Family, Fail> {
    match word {
        "inet" => Ok(Family::Inet),
        "inet6" => Ok(Family::Inet6),
        _ => Err(Fail::errno(EAFNOSUPPORT)),
    }
}

/// `get_index`: family then two or three more words.
pub fn index(args: &[String]) -> Result<Indexes, Fail> {
    if args.len() != 3 && args.len() != 4 {
        return Err(Fail::errno(EINVAL));
    }
    let fam = family(&args[0])?;
    comindexes(fam, &args[1..])
}

/// The upper-layer protocols racoonctl knows.
pub fn ul_proto(word: &str) -> Option<u8> {
    match word {
        "any" => Some(0),
        "icmp" => Some(1),
        "tcp" => Some(6),
        "udp" => Some(17),
        "gre" => Some(47),
        _ => None,
    }
}

fn comindexes(fam: Family, args: &[String]) -> Result<Indexes, Fail> {
    let (src_name, src_port, src_pref) = split(&args[0])?;
    let src = sockaddr(fam, &src_name, src_port.as_deref())?;
    let (dst_name, dst_port, dst_pref) = split(&args[1])?;
    let dst = sockaddr(fam, &dst_name, dst_port.as_deref())?;
    let ul = match args.get(2) {
        Some(w) => ul_proto(w).ok_or(Fail::errno(EINVAL))?,
        None => 0,
    };
    Ok(Indexes {
        prefs: src_pref.map_or(32, |p| atoi(&p) as u8),
        prefd: dst_pref.map_or(32, |p| atoi(&p) as u8),
        ul_proto: ul,
        src: Some(src),
        dst: Some(dst),
    })
}

/// `addr`, `addr/plen`, `addr/plen[port]` or `addr[port]` into (addr, port, plen).
fn split(word: &str) -> Result<(String, Option<String>, Option<String>), Fail> {
    let bad = || Fail::errno(EINVAL);
    let Some(at) = word.find(['/', '[']) else {
        return Ok((word.to_owned(), None, None));
    };
    let (name, rest) = (&word[..at], &word[at + 1..]);
    if rest.is_empty() {
        return Err(bad());
    }
    let port_of = |s: &str| -> Result<String, Fail> {
        let end = s.find(']').ok_or_else(bad)?;
        Ok(s[..end].to_owned())
    };
    if word.as_bytes()[at] == b'/' {
        match rest.find('[') {
            Some(b) => {
                if rest.len() == b + 1 {
                    return Err(bad());
                }
                let port = port_of(&rest[b + 1..])?;
                Ok((name.to_owned(), Some(port), Some(rest[..b].to_owned())))
            }
            None => Ok((name.to_owned(), None, Some(rest.to_owned()))),
        }
    } else {
        Ok((name.to_owned(), Some(port_of(rest)?), None))
    }
}

/// C's atoi: leading digits, 0 when there are none.
fn atoi(s: &str) -> u32 {
    s.trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .fold(0u32, |n, c| {
            n.wrapping_mul(10).wrapping_add(c.to_digit(10).unwrap_or(0))
        })
}

/// `get_sockaddr`: the name (numeric, or looked up) and port, in the family asked for.
fn sockaddr(fam: Family, name: &str, port: Option<&str>) -> Result<SocketAddr, Fail> {
    let lookup_failed = |text: &str| Fail::Kmpstat {
        errno: EINVAL,
        stdout: Some(format!("{text}: {name}/{}\n", port.unwrap_or("(null)"))),
    };
    let port_num = match port {
        None => 0,
        Some(p) => match p.parse::<u16>() {
            Ok(n) => n,
            Err(_) => match p {
                "isakmp" => 500,
                "ipsec-nat-t" => 4500,
                _ => return Err(lookup_failed("Servname not supported for ai_socktype")),
            },
        },
    };
    let wanted = |ip: &IpAddr| match fam {
        Family::Inet => ip.is_ipv4(),
        Family::Inet6 => ip.is_ipv6(),
    };
    if let Ok(ip) = name.parse::<IpAddr>() {
        if wanted(&ip) {
            return Ok(SocketAddr::new(ip, port_num));
        }
        return Err(lookup_failed("Address family for hostname not supported"));
    }
    match (name, port_num).to_socket_addrs() {
        Ok(mut addrs) => addrs
            .find(|a| wanted(&a.ip()))
            .ok_or_else(|| lookup_failed("Address family for hostname not supported")),
        Err(_) => Err(lookup_failed("Name or service not known")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn isakmp_selector() {
        let i = index(&words("inet 192.168.1.100 192.168.1.200")).unwrap();
        assert_eq!((i.prefs, i.prefd, i.ul_proto), (32, 32, 0));
        assert_eq!(i.src, Some("192.168.1.100:0".parse().unwrap()));
        assert_eq!(i.dst, Some("192.168.1.200:0".parse().unwrap()));
    }

    #[test]
    fn esp_selector_with_prefix_port_and_protocol() {
        let i = index(&words("inet 10.0.0.0/24[500] 10.1.0.0/16 tcp")).unwrap();
        assert_eq!((i.prefs, i.prefd, i.ul_proto), (24, 16, 6));
        assert_eq!(i.src, Some("10.0.0.0:500".parse().unwrap()));
        assert_eq!(i.dst, Some("10.1.0.0:0".parse().unwrap()));
        let i = index(&words("inet6 2001:db8::/64 2001:db8:1::1[4500] any")).unwrap();
        assert_eq!((i.prefs, i.prefd), (64, 32));
        assert_eq!(i.dst, Some("[2001:db8:1::1]:4500".parse().unwrap()));
    }

    #[test]
    fn bad_selectors() {
        assert_eq!(index(&words("inet 10.0.0.1")), Err(Fail::errno(EINVAL)));
        assert_eq!(
            index(&words("ipx 10.0.0.1 10.0.0.2")),
            Err(Fail::errno(EAFNOSUPPORT))
        );
        assert_eq!(
            index(&words("inet 10.0.0.1 10.0.0.2 sctp")),
            Err(Fail::errno(EINVAL))
        );
        assert_eq!(
            index(&words("inet 10.0.0.1/ 10.0.0.2")),
            Err(Fail::errno(EINVAL))
        );
        assert_eq!(
            index(&words("inet 10.0.0.1/24[500 10.0.0.2")),
            Err(Fail::errno(EINVAL))
        );
        match index(&words("inet 2001:db8::1 10.0.0.2")) {
            Err(Fail::Kmpstat {
                stdout: Some(s), ..
            }) => {
                assert_eq!(
                    s,
                    "Address family for hostname not supported: 2001:db8::1/(null)\n"
                )
            }
            other => panic!("{other:?}"),
        }
        match index(&words("inet bad..name.invalid 10.0.0.2")) {
            Err(Fail::Kmpstat {
                stdout: Some(s), ..
            }) => {
                assert_eq!(s, "Name or service not known: bad..name.invalid/(null)\n")
            }
            other => panic!("{other:?}"),
        }
    }
}
