//! `show-sa isakmp`: one line per phase-1 SA after a header; `-l` adds status, side,
//! version, exchange type and the phase-2 count, `-ll` the source address too.

use super::date_time;
use common::admin::Ph1Dump;
use common::dump::Clock;
use std::net::SocketAddr;

const HEADER1: &str = "Destination            Cookies                           Created";
const HEADER2: &str =
    "Destination            Cookies                           ST S  V E Created             Phase2";
const HEADER3: &str = "Source                                        Destination                                   Cookies                           ST S  V E Created             Phase2";

/// Exchange-type letters, indexed by ISAKMP exchange type (base, main, ..., aggressive,
/// informational).
const ETYPE: [&str; 6] = ["", "B", "M", "U", "A", "I"];

/// `fixed_addr`: `addr.port` in a field of `width` columns, the address cut so the port
/// always fits.
pub fn fixed_addr(addr: &str, port: &str, width: usize) -> String {
    if width < port.len() + 1 {
        return String::new();
    }
    let room = width - port.len() - 1;
    let mut s: String = addr.chars().take(room).collect();
    s.push('.');
    s.push_str(port);
    format!("{s:<width$}").chars().take(width).collect()
}

/// getnameinfo(NI_NUMERICHOST | NI_NUMERICSERV) of a stored address.
fn name_port(a: Option<SocketAddr>) -> (String, String) {
    match a {
        Some(a) => (a.ip().to_string(), a.port().to_string()),
        None => ("(invalid)".to_owned(), "(invalid)".to_owned()),
    }
}

/// `icookie:rcookie` in hex.
pub fn cookies(d: &Ph1Dump) -> String {
    let hex = |c: &[u8; 8]| c.iter().map(|b| format!("{b:02x}")).collect::<String>();
    format!("{}:{}", hex(&d.icookie), hex(&d.rcookie))
}

pub fn dump(payload: &[u8], long: u32, clock: &dyn Clock) -> String {
    let mut out = String::new();
    out.push_str(match long {
        0 => HEADER1,
        1 => HEADER2,
        _ => HEADER3,
    });
    out.push('\n');
    let (records, left) = Ph1Dump::decode_all(payload);
    if left != 0 {
        out.push_str(&format!("invalid length {}\n", payload.len()));
    }
    let width = if long >= 2 { 45 } else { 22 };
    for d in records {
        if long >= 2 {
            let (a, p) = name_port(d.local);
            out.push_str(&fixed_addr(&a, &p, width));
            out.push(' ');
        }
        let (a, p) = name_port(d.remote);
        out.push_str(&fixed_addr(&a, &p, width));
        out.push(' ');
        out.push_str(&cookies(&d));
        out.push(' ');
        if long >= 1 {
            out.push_str(&format!(
                "{:2} {} {:2x} ",
                d.status,
                if d.side == 0 { 'I' } else { 'R' },
                d.version
            ));
            if let Some(e) = ETYPE.get(usize::from(d.etype)) {
                out.push_str(e);
                out.push(' ');
            }
        }
        if d.created != 0 {
            out.push_str(&date_time(clock, d.created));
        } else {
            out.push_str(&" ".repeat(19));
        }
        out.push(' ');
        if long >= 1 {
            out.push_str(&format!("{:6} ", d.ph2cnt));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use common::dump::FixedClock;

    fn clock() -> FixedClock {
        FixedClock {
            now: 0,
            utc_offset: 0,
        }
    }

    fn record() -> Ph1Dump {
        Ph1Dump {
            icookie: [0xd0, 0x2b, 0xd5, 0x8d, 0x74, 0xa8, 0xdb, 0xdd],
            rcookie: [0x1f, 0x61, 0xd5, 0xe6, 0x6d, 0xda, 0x5e, 0xdd],
            status: 9,
            side: 0,
            remote: Some("192.168.1.200:500".parse().unwrap()),
            local: Some("192.168.1.100:500".parse().unwrap()),
            version: 0x10,
            etype: 2,
            // 2026-11-23 02:11:23 UTC
            created: 1_795_399_883,
            ph2cnt: 1,
        }
    }

    #[test]
    fn short_form_as_the_reference_shows() {
        let text = dump(&record().encode(), 0, &clock());
        assert_eq!(
            text,
            "Destination            Cookies                           Created\n\
             192.168.1.200.500      d02bd58d74a8dbdd:1f61d5e66dda5edd 2026-11-23 02:11:23 \n"
        );
    }

    #[test]
    fn long_forms() {
        let text = dump(&record().encode(), 1, &clock());
        assert_eq!(
            text.lines().nth(1).unwrap(),
            "192.168.1.200.500      d02bd58d74a8dbdd:1f61d5e66dda5edd  9 I 10 M 2026-11-23 02:11:23      1 "
        );
        let text = dump(&record().encode(), 2, &clock());
        let line = text.lines().nth(1).unwrap();
        assert!(line.starts_with(&format!(
            "{:<45} {:<45} d02b",
            "192.168.1.100.500", "192.168.1.200.500"
        )));
        assert!(text.starts_with("Source    "));
    }

    #[test]
    fn negotiating_sa_has_no_date_and_bad_length_is_reported() {
        let mut r = record();
        r.created = 0;
        r.status = 3;
        r.side = 1;
        let mut bytes = r.encode().to_vec();
        bytes.push(0);
        let text = dump(&bytes, 0, &clock());
        assert_eq!(
            text,
            "Destination            Cookies                           Created\n\
             invalid length 305\n\
             192.168.1.200.500      d02bd58d74a8dbdd:1f61d5e66dda5edd                     \n"
        );
        assert_eq!(dump(&[], 0, &clock()), format!("{HEADER1}\n"));
    }

    #[test]
    fn long_addresses_are_cut_to_keep_the_port() {
        assert_eq!(
            fixed_addr("2001:db8:1234:5678:9abc:def0:1234:5678", "500", 22),
            "2001:db8:1234:5678.500"
        );
        assert_eq!(fixed_addr("10.0.0.1", "500", 22), "10.0.0.1.500          ");
    }
}
