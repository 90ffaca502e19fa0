//! Model to messages and back.

use std::net::IpAddr;

use crate::alg::{self, Class};
use crate::kernel::{Event, Op};
use crate::pfkey::consts::msg;
use crate::pfkey::{
    is_per_socket_policy_id, reply, request, truncation_mismatch, truncation_mismatches, MapError,
    SpiRequest,
};
use crate::policy::{Action, Direction, Level, Policy, PolicyId, PolicySelector, Request};
use crate::sa::{Keyed, Lifetime, Mode, NatT, Sa, SaType, SecCtx};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn keyed(class: Class, name: &str, len: usize) -> Keyed {
    Keyed {
        alg: alg::find_setkey(class, name).unwrap(),
        key: vec![0x5a; len],
    }
}

fn full_sa() -> Sa {
    let mut sa = Sa::new(ip("2001:db8::1"), ip("2001:db8::2"), SaType::Esp, 0x4098);
    sa.mode = Mode::Tunnel;
    sa.reqid = 102;
    sa.replay = 32;
    sa.enc = Some(keyed(Class::Encrypt, "3des-cbc", 24));
    sa.auth = Some(keyed(Class::Auth, "hmac-md5", 16));
    sa.hard = Lifetime {
        allocations: 0,
        bytes: 1 << 30,
        addtime: 3600,
        usetime: 0,
    };
    sa.soft = Lifetime {
        addtime: 3000,
        ..Lifetime::default()
    };
    sa.natt = Some(NatT {
        encap: NatT::UDP_ENCAP_ESPINUDP,
        sport: 4500,
        dport: 4501,
        original_address: Some(ip("2001:db8::9")),
    });
    sa.sec_ctx = Some(SecCtx {
        doi: 1,
        alg: 1,
        label: "system_u:object_r:default_t".into(),
    });
    sa.seq = 3;
    sa
}

#[test]
fn sa_round_trips_through_a_message() {
    for sa in [full_sa(), {
        let mut ipcomp = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::IpComp, 0x1234);
        ipcomp.comp = alg::find_setkey(Class::Compress, "deflate").ok();
        ipcomp
    }] {
        let m = request::add_sa(&sa, true, 9, 1).unwrap();
        assert_eq!(m.header.msg_type, msg::UPDATE);
        let bytes = m.encode().unwrap();
        let back = reply::sa_from_message(&crate::pfkey::Message::decode(&bytes).unwrap()).unwrap();
        assert_eq!(back, sa);
    }
}

#[test]
fn what_pfkey_cannot_carry_is_refused() {
    let mut sa = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::Esp, 0x1000);
    sa.enc = Some(keyed(Class::Encrypt, "aes-gcm-16", 20));
    assert_eq!(
        request::add_sa(&sa, false, 1, 1),
        Err(MapError::NotInstallable("aes-gcm-16"))
    );
    sa.enc = Some(keyed(Class::Encrypt, "des-deriv", 8));
    assert!(matches!(
        request::add_sa(&sa, false, 1, 1),
        Err(MapError::NotInstallable(_))
    ));
    sa.enc = None;
    sa.replay = 256;
    let e = request::add_sa(&sa, false, 1, 1).unwrap_err();
    assert_eq!(e.errno(), libc::EOPNOTSUPP);
    let tcp = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::TcpMd5, 0x1000);
    assert!(matches!(
        request::add_sa(&tcp, false, 1, 1),
        Err(MapError::Unsupported(_))
    ));
    let tagged = Policy::new(
        PolicySelector::Tagged("t".into()),
        Direction::Out,
        Action::None,
    );
    assert!(matches!(
        request::add_policy(&tagged, false, 1, 1),
        Err(MapError::Unsupported(_))
    ));
}

#[test]
fn policies_round_trip() {
    let sel = PolicySelector::Addresses {
        src: "10.0.0.0/8[500]".parse().unwrap(),
        dst: "192.168.0.1".parse().unwrap(),
        ul_proto: 17,
    };
    let mut p = Policy::new(sel.clone(), Direction::Fwd, Action::Ipsec);
    p.priority = crate::policy::PRIORITY_HIGH + 5;
    p.requests = vec![
        Request {
            proto: SaType::IpComp,
            mode: Mode::Transport,
            tunnel: None,
            level: Level::Use,
            reqid: 0,
        },
        Request {
            proto: SaType::Ah,
            mode: Mode::Tunnel,
            tunnel: Some((ip("1.1.1.1"), ip("2.2.2.2"))),
            level: Level::Unique,
            reqid: 77,
        },
    ];
    p.hard.addtime = 100;
    let m = request::add_policy(&p, true, 3, 4).unwrap();
    assert_eq!(m.header.msg_type, msg::X_SPDUPDATE);
    let back =
        reply::policy_from_message(&crate::pfkey::Message::decode(&m.encode().unwrap()).unwrap())
            .unwrap();
    assert_eq!(back, p);
    let del = request::delete_policy(
        &PolicyId {
            selector: sel,
            dir: Direction::Fwd,
        },
        5,
        4,
    )
    .unwrap();
    assert_eq!(del.policy().unwrap().dir, 3);
    assert_eq!(reply::event_from_message(&m), Event::PolicyUpdated(p));
}

#[test]
fn ops_map_to_their_message_types() {
    let sa = full_sa();
    let id = sa.id();
    let cases: Vec<(Op, u8, u8)> = vec![
        (Op::AddSa(sa.clone()), msg::ADD, 3),
        (Op::UpdateSa(sa), msg::UPDATE, 3),
        (Op::DeleteSa(id), msg::DELETE, 3),
        (Op::FlushSa(None), msg::FLUSH, 0),
        (Op::FlushSa(Some(SaType::Ah)), msg::FLUSH, 2),
        (Op::FlushPolicy, msg::X_SPDFLUSH, 0),
    ];
    for (op, t, satype) in cases {
        let m = request::op_message(&op, 1, 2).unwrap();
        assert_eq!((m.header.msg_type, m.header.satype), (t, satype), "{op:?}");
    }
    let spi = request::get_spi(
        &SpiRequest {
            src: ip("10.0.0.1"),
            dst: ip("10.0.0.2"),
            satype: SaType::Esp,
            mode: Mode::Tunnel,
            reqid: 5,
            min: 0x100,
            max: 0x200,
        },
        7,
        8,
    )
    .unwrap();
    assert_eq!(spi.sa2().unwrap().reqid, 5);
    assert_eq!(request::promisc(true, 1, 1).header.satype, 1);
}

#[test]
fn hmac_sha2_truncation_is_reported() {
    let mut sa = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::Esp, 0x1000);
    sa.auth = Some(keyed(Class::Auth, "hmac-sha256", 32));
    let m = truncation_mismatch(&sa).unwrap();
    assert_eq!((m.standard_bits, m.pfkey_bits), (128, 96));
    assert!(m.to_string().contains("96 bits"), "{m}");
    let ops = vec![Op::FlushSa(None), Op::AddSa(sa.clone())];
    assert_eq!(truncation_mismatches(&ops).len(), 1);
    assert_eq!(truncation_mismatches(&ops)[0].0, 1);
    sa.auth = Some(keyed(Class::Auth, "hmac-sha1", 20));
    assert_eq!(truncation_mismatch(&sa), None);
}

#[test]
fn per_socket_policy_ids() {
    assert!(!is_per_socket_policy_id(8));
    assert!(!is_per_socket_policy_id(0x3a)); // fwd
    assert!(is_per_socket_policy_id(0x3b));
    assert!(is_per_socket_policy_id(12));
}
