//! Events: `print_evt` (one line, `MESSAGE : SRC -> DST`) and `print_cfg` (what
//! vpn-connect and establish-sa -w isakmp print when the SA is up).

use common::admin::{evt, Event};
use std::net::{Ipv4Addr, SocketAddr};

const MESSAGES: &[(u32, &str)] = &[
    (evt::RACOON_QUIT, "Racoon terminated"),
    (evt::PHASE1_UP, "Phase 1 established"),
    (evt::PHASE1_DOWN, "Phase 1 deleted"),
    (
        evt::PHASE1_NO_RESPONSE,
        "Phase 1 error: peer not responding",
    ),
    (evt::PHASE1_NO_PROPOSAL, "Phase 1 error: no proposal chosen"),
    (
        evt::PHASE1_AUTH_FAILED,
        "Phase 1 error: authentication failed (bad certificate?)",
    ),
    (evt::PHASE1_DPD_TIMEOUT, "Phase 1 error: dead peer detected"),
    (evt::PHASE1_MODE_CFG, "Phase 1 mode configuration done"),
    (evt::PHASE1_XAUTH_SUCCESS, "Phase 1 Xauth succeeded"),
    (evt::PHASE1_XAUTH_FAILED, "Phase 1 Xauth failed"),
    (evt::PHASE2_NO_PHASE1, "Phase 2 error: no suitable phase 1"),
    (evt::PHASE2_UP, "Phase 2 established"),
    (evt::PHASE2_DOWN, "Phase 2 deleted"),
    (evt::PHASE2_NO_RESPONSE, "Phase 2 error: no response"),
];

/// `saddr2str`: `addr[port]`.
fn saddr(a: Option<SocketAddr>) -> String {
    match a {
        Some(a) => format!("{}[{}]", a.ip(), a.port()),
        None => "(invalid)[(invalid)]".to_owned(),
    }
}

pub fn print_evt(e: &Event) -> String {
    let head = match MESSAGES.iter().find(|(k, _)| *k == e.kind) {
        Some((_, m)) => format!("{m} : "),
        None => format!("Event {}: ", e.kind),
    };
    format!("{head}{} -> {}\n", saddr(e.ph1src), saddr(e.ph1dst))
}

/// ISAKMP mode-config attribute types print_cfg looks at.
const INTERNAL_IP4_ADDRESS: u16 = 1;
const UNITY_BANNER: u16 = 0x7000;

/// The mode-config outcome; `columns` is the terminal's width for the banner's rules.
pub fn print_cfg(e: &Event, columns: usize) -> String {
    if e.kind != evt::PHASE1_MODE_CFG {
        return String::new();
    }
    let mut out = String::new();
    let mut addr4 = Ipv4Addr::UNSPECIFIED;
    let mut banner: Option<String> = None;
    let mut rest = e.data.as_slice();
    while !rest.is_empty() {
        if rest.len() < 4 {
            out.push_str("short attribute too short\n");
            break;
        }
        let ty = u16::from_be_bytes([rest[0], rest[1]]);
        let lorv = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
        if ty & 0x8000 != 0 {
            rest = &rest[4..];
            continue;
        }
        if rest.len() < 4 + lorv {
            out.push_str("long attribute too long\n");
            break;
        }
        let value = &rest[4..4 + lorv];
        match ty & 0x7fff {
            INTERNAL_IP4_ADDRESS => match <[u8; 4]>::try_from(value.get(..4).unwrap_or(&[])) {
                Ok(a) => addr4 = Ipv4Addr::from(a),
                Err(_) => out.push_str("addr4 attribute too short\n"),
            },
            UNITY_BANNER => banner = Some(String::from_utf8_lossy(value).into_owned()),
            _ => {}
        }
        rest = &rest[4 + lorv..];
    }
    // The original tests what is left of the buffer here, which is nothing once every
    // attribute was read: it says "Bound to address" only after a malformed attribute.
    if !rest.is_empty() {
        out.push_str(&format!("Bound to address {addr4}\n"));
    } else {
        out.push_str("VPN connexion established\n");
    }
    if let Some(b) = banner {
        let rule = "=".repeat(columns);
        out.push_str(&format!("{rule}\n{b}\n{rule}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: u32) -> Event {
        Event {
            kind,
            timestamp: 0,
            ph1src: Some("192.168.1.100:500".parse().unwrap()),
            ph1dst: Some("192.168.1.200:500".parse().unwrap()),
            ph2msgid: 0,
            data: vec![],
        }
    }

    #[test]
    fn event_lines() {
        assert_eq!(
            print_evt(&event(evt::PHASE1_UP)),
            "Phase 1 established : 192.168.1.100[500] -> 192.168.1.200[500]\n"
        );
        assert_eq!(
            print_evt(&event(evt::PHASE2_UP)),
            "Phase 2 established : 192.168.1.100[500] -> 192.168.1.200[500]\n"
        );
        assert_eq!(
            print_evt(&event(0x0999)),
            "Event 2457: 192.168.1.100[500] -> 192.168.1.200[500]\n"
        );
        let mut q = event(evt::RACOON_QUIT);
        q.ph1src = None;
        q.ph1dst = None;
        assert_eq!(
            print_evt(&q),
            "Racoon terminated : (invalid)[(invalid)] -> (invalid)[(invalid)]\n"
        );
    }

    #[test]
    fn mode_cfg() {
        let e = event(evt::PHASE1_MODE_CFG);
        assert_eq!(print_cfg(&e, 0), "VPN connexion established\n");
        let mut b = e.clone();
        b.data = vec![0x70, 0x00, 0, 2, b'h', b'i', 0x80, 0x05, 0, 1];
        assert_eq!(
            print_cfg(&b, 3),
            "VPN connexion established\n===\nhi\n===\n"
        );
        assert_eq!(print_cfg(&event(evt::PHASE1_UP), 0), "");
    }
}
