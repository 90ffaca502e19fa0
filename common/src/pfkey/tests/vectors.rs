//! Messages written out by hand, field by field, from `linux/pfkeyv2.h` (little-endian
//! host, as the machines this runs on).

use std::net::IpAddr;

use super::hex;
use crate::alg::{self, Class};
use crate::kernel::Event;
use crate::pfkey::consts::{ext, msg};
use crate::pfkey::{reply, request, Extension, Message};
use crate::policy::{Action, Direction, Level, Policy, PolicySelector, Request, PRIORITY_DEFAULT};
use crate::sa::{Keyed, Mode, Sa, SaType};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// SADB_ADD, ESP, aes-cbc (128-bit key) + hmac-sha256, transport mode.
const ESP_ADD: &str = "
    02 03 00 03  1c 00 00 00  01 00 00 00  64 00 00 00
    02 00 01 00  00 00 10 01  00 01 05 0c  00 00 00 00
    02 00 13 00  01 00 00 00  00 00 00 00  07 00 00 00
    03 00 05 00  ff 20 00 00  02 00 00 00  0a 00 00 01  00 00 00 00 00 00 00 00
    03 00 06 00  ff 20 00 00  02 00 00 00  0a 00 00 02  00 00 00 00 00 00 00 00
    03 00 09 00  80 00 00 00  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f
    05 00 08 00  00 01 00 00
        20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f
        30 31 32 33 34 35 36 37  38 39 3a 3b 3c 3d 3e 3f
    04 00 03 00  00 00 00 00  00 00 00 00 00 00 00 00
        00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
    04 00 04 00  00 00 00 00  00 00 00 00 00 00 00 00
        00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
";

fn esp_sa() -> Sa {
    let mut sa = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::Esp, 0x1001);
    sa.mode = Mode::Transport;
    sa.reqid = 7;
    sa.enc = Some(Keyed {
        alg: alg::find_setkey(Class::Encrypt, "aes-cbc").unwrap(),
        key: (0u8..16).collect(),
    });
    sa.auth = Some(Keyed {
        alg: alg::find_setkey(Class::Auth, "hmac-sha256").unwrap(),
        key: (0x20u8..0x40).collect(),
    });
    sa
}

#[test]
fn sadb_add_esp_aes_cbc_hmac_sha256_transport() {
    let m = request::add_sa(&esp_sa(), false, 1, 100).unwrap();
    assert_eq!(m.encode().unwrap(), hex(ESP_ADD));
    let decoded = Message::decode(&hex(ESP_ADD)).unwrap();
    assert_eq!(decoded, m);
    let sa = reply::sa_from_message(&decoded).unwrap();
    assert_eq!(sa, esp_sa());
}

/// SADB_X_SPDADD out, 10.1.0.0/24 -> 10.2.0.0/24 any protocol, `prio def`,
/// esp/tunnel/192.168.1.1-192.168.1.2/require.
const SPDADD_TUNNEL: &str = "
    02 0e 00 00  10 00 00 00  02 00 00 00  64 00 00 00
    03 00 05 00  ff 18 00 00  02 00 00 00  0a 01 00 00  00 00 00 00 00 00 00 00
    03 00 06 00  ff 18 00 00  02 00 00 00  0a 02 00 00  00 00 00 00 00 00 00 00
    08 00 12 00  02 00 02 00  00 00 00 00  00 00 00 80
        30 00 32 00  02 02 00 00  00 00 00 00  00 00 00 00
        02 00 00 00  c0 a8 01 01  00 00 00 00 00 00 00 00
        02 00 00 00  c0 a8 01 02  00 00 00 00 00 00 00 00
";

fn tunnel_policy() -> Policy {
    let mut p = Policy::new(
        PolicySelector::Addresses {
            src: "10.1.0.0/24".parse().unwrap(),
            dst: "10.2.0.0/24".parse().unwrap(),
            ul_proto: 255,
        },
        Direction::Out,
        Action::Ipsec,
    );
    p.priority = PRIORITY_DEFAULT;
    p.requests.push(Request {
        proto: SaType::Esp,
        mode: Mode::Tunnel,
        tunnel: Some((ip("192.168.1.1"), ip("192.168.1.2"))),
        level: Level::Require,
        reqid: 0,
    });
    p
}

#[test]
fn sadb_x_spdadd_tunnel_request() {
    let m = request::add_policy(&tunnel_policy(), false, 2, 100).unwrap();
    assert_eq!(m.encode().unwrap(), hex(SPDADD_TUNNEL));
    let decoded = Message::decode(&hex(SPDADD_TUNNEL)).unwrap();
    assert_eq!(decoded, m);
    assert_eq!(
        reply::policy_from_message(&decoded).unwrap(),
        tunnel_policy()
    );
}

/// An ACQUIRE as `pfkey_send_acquire` builds it: SA end points with protocol 0 and full
/// prefixes, a bare policy extension (out, index 57, priority 0) and one ESP comb
/// (hmac-sha1 with aes-cbc) with the kernel's fixed lifetimes.
const ACQUIRE: &str = "
    02 06 00 03  14 00 00 00  05 00 00 00  00 00 00 00
    03 00 05 00  00 20 00 00  02 00 00 00  0a 00 00 01  00 00 00 00 00 00 00 00
    03 00 06 00  00 20 00 00  02 00 00 00  0a 00 00 02  00 00 00 00 00 00 00 00
    02 00 12 00  02 00 02 00  39 00 00 00  00 00 00 00
    0a 00 0d 00  20 00 00 00
        03 0c 00 00  a0 00 a0 00  80 00 00 01  00 00 00 00
        00 00 00 00  00 00 00 00
        00 00 00 00 00 00 00 00   00 00 00 00 00 00 00 00
        40 19 01 00 00 00 00 00   80 51 01 00 00 00 00 00
        70 62 00 00 00 00 00 00   80 70 00 00 00 00 00 00
";

#[test]
fn sadb_acquire_as_linux_sends_it() {
    let m = Message::decode(&hex(ACQUIRE)).unwrap();
    assert_eq!(m.header.msg_type, msg::ACQUIRE);
    let Some(Extension::Proposal(prop)) = m.find(ext::PROPOSAL) else {
        panic!("no proposal");
    };
    assert_eq!(prop.replay, 32);
    assert_eq!(prop.combs.len(), 1);
    let c = prop.combs[0];
    assert_eq!(
        (c.auth, c.encrypt, c.auth_minbits, c.encrypt_maxbits),
        (3, 12, 160, 256)
    );
    assert_eq!((c.soft_addtime, c.hard_addtime), (20 * 3600, 24 * 3600));
    assert_eq!((c.soft_usetime, c.hard_usetime), (7 * 3600, 8 * 3600));
    assert_eq!(m.encode().unwrap(), hex(ACQUIRE));
    match reply::event_from_message(&m) {
        Event::Acquire {
            src,
            dst,
            satype,
            policy,
            request,
            seq,
        } => {
            assert_eq!((src, dst), (ip("10.0.0.1"), ip("10.0.0.2")));
            assert_eq!(satype, SaType::Esp);
            assert_eq!(seq, 5);
            assert_eq!(policy.id, 57);
            assert_eq!(policy.dir, Direction::Out);
            assert_eq!(request.proto, SaType::Esp);
        }
        other => panic!("not an acquire: {other:?}"),
    }
}

/// SADB_X_SPDDUMP entry with a refcount in `sadb_msg_reserved`, an IPv6 selector with
/// ports, discard, and the three lifetimes Linux always sends.
#[test]
fn spddump_entry_ipv6_with_refcnt() {
    let bytes = hex("
        02 12 00 00  1a 00 02 00  01 00 00 00  2a 00 00 00
        05 00 05 00  06 40 00 00  0a 00 00 50  00 00 00 00
            fe c0 00 00 00 00 00 00  00 00 00 00 00 00 00 00  00 00 00 00  00 00 00 00
        05 00 06 00  06 80 00 00  0a 00 01 bb  00 00 00 00
            fe c0 00 00 00 00 00 00  00 00 00 00 00 00 00 02  00 00 00 00  00 00 00 00
        04 00 03 00  00 00 00 00  00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
        04 00 04 00  00 00 00 00  00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
        04 00 02 00  00 00 00 00  00 00 00 00 00 00 00 00
            10 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
        02 00 12 00  00 00 01 00  08 00 00 00  00 00 00 00
        ");
    let m = Message::decode(&bytes).unwrap();
    assert_eq!(m.encode().unwrap(), bytes);
    let p = reply::policy_from_message(&m).unwrap();
    let d = reply::dumped(&m, p);
    assert_eq!((d.seq, d.pid, d.refcnt), (1, 42, 2));
    assert_eq!(d.entry.dir, Direction::In);
    assert_eq!(d.entry.action, Action::Discard);
    assert_eq!(d.entry.id, 8);
    assert_eq!(d.entry.current.unwrap().addtime, 16);
    let PolicySelector::Addresses { src, dst, ul_proto } = &d.entry.selector else {
        panic!()
    };
    assert_eq!(*ul_proto, 6);
    assert_eq!(src.to_string(), "fec0::/64[80]");
    assert_eq!(dst.to_string(), "fec0::2[443]");
}
