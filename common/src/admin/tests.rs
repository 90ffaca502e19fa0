//! Byte layouts written out from the C structures of admin.h and evt.h, as an x86_64
//! Linux build of ipsec-tools lays them out (little-endian host order, LP64).

#![cfg(all(target_endian = "little", target_pointer_width = "64"))]

use super::*;
use std::net::SocketAddr;

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// A `sockaddr_in` inside a zeroed 128-byte storage.
fn storage_v4(port: [u8; 2], addr: [u8; 4]) -> Vec<u8> {
    let mut b = vec![0u8; 128];
    b[0] = 2; // sa_family = AF_INET (host order)
    b[1] = 0;
    b[2..4].copy_from_slice(&port); // sin_port (network order)
    b[4..8].copy_from_slice(&addr); // sin_addr
    b
}

#[test]
fn show_sa_isakmp_request_as_racoonctl_sends_it() {
    let want: Vec<u8> = vec![
        0x08, 0x00, // ac_len = 8
        0x01, 0x81, // ac_cmd = ADMIN_FLAG_VERSION | ADMIN_SHOW_SA (0x8101)
        0x01, 0x00, // ac_version = 1
        0xff, 0x01, // ac_proto = ADMIN_PROTO_ISAKMP (0x01ff)
    ];
    let r = Request::new(Command::ShowSa, Proto::Isakmp.code(), vec![]);
    assert_eq!(r.encode(), want);
    let back = Request::decode(&want).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.command(), Some(Command::ShowSa));
    assert_eq!(back.body().unwrap(), Body::None);
}

#[test]
fn request_without_version_flag_is_version_0() {
    let bytes = [
        0x08, 0x00, // ac_len
        0x03, 0x00, // ac_cmd = ADMIN_SHOW_EVT, no flag
        0x00, 0x00, // ac_errno (unused in a request)
        0x00, 0x00, // ac_proto
    ];
    let r = Request::decode(&bytes).unwrap();
    assert_eq!((r.cmd, r.version), (0x0003, 0));
    assert_eq!(r.encode(), bytes);
}

#[test]
fn delete_sa_isakmp_selector() {
    let mut want = vec![
        0x0c, 0x01, // ac_len = 8 + 260 = 268
        0x01, 0x82, // ADMIN_FLAG_VERSION | ADMIN_DELETE_SA (0x0201)
        0x01, 0x00, // ac_version = 1
        0xff, 0x01, // ADMIN_PROTO_ISAKMP
        32,   // prefs
        32,   // prefd
        0,    // ul_proto = any
        0,    // reserved
    ];
    want.extend(storage_v4([0, 0], [192, 168, 1, 100])); // src
    want.extend(storage_v4([0, 0], [192, 168, 1, 200])); // dst
    assert_eq!(want.len(), 268);
    let idx = Indexes {
        prefs: 32,
        prefd: 32,
        ul_proto: 0,
        src: Some(sa("192.168.1.100:0")),
        dst: Some(sa("192.168.1.200:0")),
    };
    let r = Request::new(Command::DeleteSa, Proto::Isakmp.code(), idx.encode());
    assert_eq!(r.encode(), want);
    match Request::decode(&want).unwrap().body().unwrap() {
        Body::Indexes {
            indexes,
            remote_name,
        } => {
            assert_eq!(indexes, idx);
            assert_eq!(remote_name, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn establish_sa_esp_selector_with_ports_and_remote_name() {
    let idx = Indexes {
        prefs: 24,
        prefd: 16,
        ul_proto: 6,
        src: Some(sa("10.0.0.0:500")),
        dst: Some(sa("10.1.0.0:4500")),
    };
    let mut payload = idx.encode();
    assert_eq!(&payload[..4], &[24, 16, 6, 0]);
    // sin_port 500 = 0x01f4, network order
    assert_eq!(&payload[4..12], &[2, 0, 0x01, 0xf4, 10, 0, 0, 0]);
    // second storage at 4 + 128: port 4500 = 0x1194
    assert_eq!(&payload[132..140], &[2, 0, 0x11, 0x94, 10, 1, 0, 0]);
    payload.extend_from_slice(b"gw1\0");
    let bytes = Request::new(Command::EstablishSa, Proto::Esp.code(), payload).encode();
    assert_eq!(
        &bytes[..8],
        &[0x10, 0x01, 0x02, 0x82, 0x01, 0x00, 0x02, 0x02]
    );
    match Request::decode(&bytes).unwrap().body().unwrap() {
        Body::Indexes {
            indexes,
            remote_name,
        } => {
            assert_eq!(indexes, idx);
            assert_eq!(remote_name.as_deref(), Some("gw1"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn ipv6_storage() {
    let a: SocketAddr = "[2001:db8::1]:500".parse().unwrap();
    let b = encode_sockaddr(Some(a));
    assert_eq!(&b[0..2], &[10, 0]); // AF_INET6 = 10
    assert_eq!(&b[2..4], &[0x01, 0xf4]); // sin6_port
    assert_eq!(&b[4..8], &[0, 0, 0, 0]); // sin6_flowinfo
    assert_eq!(&b[8..12], &[0x20, 0x01, 0x0d, 0xb8]); // sin6_addr
    assert_eq!(&b[23], &1);
    assert_eq!(decode_sockaddr(&b).unwrap(), Some(a));
    assert_eq!(decode_sockaddr(&[0; 128]).unwrap(), None);
    let mut bad = [0u8; 128];
    bad[0] = 1; // AF_UNIX
    assert_eq!(decode_sockaddr(&bad), Err(AdminError::BadFamily(1)));
}

#[test]
fn establish_sa_psk_credentials() {
    let psk = Psk {
        id_type: 3,
        id: "bob".into(),
        key: "pw".into(),
    };
    let want: Vec<u8> = vec![
        3, 0, 0, 0, // int id_type = IDTYPE_USERFQDN
        0, 0, 0, 0, // padding before size_t
        4, 0, 0, 0, 0, 0, 0, 0, // size_t id_len = strlen("bob") + 1
        3, 0, 0, 0, 0, 0, 0, 0, // size_t key_len = strlen("pw") + 1
        b'b', b'o', b'b', 0, b'p', b'w', 0,
    ];
    assert_eq!(psk.encode(), want);
    assert_eq!(Psk::decode(&want).unwrap(), psk);
    let mut lying = want.clone();
    lying[8] = 200;
    assert!(matches!(
        Psk::decode(&lying),
        Err(AdminError::BadInnerLength { .. })
    ));
}

#[test]
fn error_reply_and_long_reply() {
    let r = Reply {
        cmd: Command::EstablishSa.code(),
        proto: Proto::Isakmp.code(),
        errno: 17,
        payload: vec![],
    };
    let want = [
        0x08, 0x00, // ac_len
        0x02, 0x02, // ac_cmd = ADMIN_ESTABLISH_SA, version flag cleared
        0x11, 0x00, // ac_errno = EEXIST
        0xff, 0x01, // ac_proto
    ];
    assert_eq!(r.encode(), want);
    assert_eq!(Reply::decode(&want).unwrap(), r);

    let long = Reply {
        cmd: Command::ShowSa.code(),
        proto: Proto::Esp.code(),
        errno: 0,
        payload: vec![7; 70000],
    };
    let bytes = long.encode();
    // 70008 = 0x1_1178: ac_len = 0x1178, ac_len_high = 1, ADMIN_FLAG_LONG_REPLY set
    assert_eq!(
        &bytes[..8],
        &[0x78, 0x11, 0x01, 0x81, 0x01, 0x00, 0x02, 0x02]
    );
    let h = Header::decode(&bytes).unwrap();
    assert_eq!(Reply::wire_len(&h).unwrap(), (70008, 0));
    assert_eq!(Reply::decode(&bytes).unwrap(), long);
}

#[test]
fn event_layout() {
    let e = Event {
        kind: evt::PHASE1_UP,
        timestamp: 0x0102_0304,
        ph1src: Some(sa("192.168.1.100:500")),
        ph1dst: Some(sa("192.168.1.200:500")),
        ph2msgid: 0xdead_beef,
        data: vec![],
    };
    let mut want = vec![
        0x00, 0x01, 0, 0, // uint32_t ec_type = EVT_PHASE1_UP (0x0100)
        0, 0, 0, 0, // padding before time_t
        0x04, 0x03, 0x02, 0x01, 0, 0, 0, 0, // time_t ec_timestamp
    ];
    want.extend(storage_v4([0x01, 0xf4], [192, 168, 1, 100])); // ec_ph1src
    want.extend(storage_v4([0x01, 0xf4], [192, 168, 1, 200])); // ec_ph1dst
    want.extend([0xef, 0xbe, 0xad, 0xde, 0, 0, 0, 0]); // ec_ph2msgid + padding
    assert_eq!(want.len(), EVT_ASYNC_LEN);
    assert_eq!(e.encode(), want);
    assert_eq!(Event::decode(&want).unwrap(), e);
    assert!(matches!(
        Event::decode(&want[..100]),
        Err(AdminError::Short { .. })
    ));
}

#[test]
fn ph1dump_layout() {
    let d = Ph1Dump {
        icookie: [0xd0, 0x2b, 0xd5, 0x8d, 0x74, 0xa8, 0xdb, 0xdd],
        rcookie: [0x1f, 0x61, 0xd5, 0xe6, 0x6d, 0xda, 0x5e, 0xdd],
        status: 9,
        side: 0,
        remote: Some(sa("192.168.1.200:500")),
        local: Some(sa("192.168.1.100:500")),
        version: 0x10,
        etype: 2,
        created: 1_700_000_000,
        ph2cnt: 1,
    };
    let mut want = vec![];
    want.extend(d.icookie); // isakmp_index.i_ck
    want.extend(d.rcookie); // isakmp_index.r_ck
    want.extend([9, 0, 0, 0]); // int status = PHASE1ST_ESTABLISHED
    want.extend([0, 0, 0, 0]); // int side = INITIATOR
    want.extend(storage_v4([0x01, 0xf4], [192, 168, 1, 200])); // remote
    want.extend(storage_v4([0x01, 0xf4], [192, 168, 1, 100])); // local
    want.extend([0x10, 2]); // u_int8_t version, etype
    want.extend([0; 6]); // padding before time_t
    want.extend(1_700_000_000i64.to_le_bytes()); // time_t created
    want.extend([1, 0, 0, 0, 0, 0, 0, 0]); // int ph2cnt + padding
    assert_eq!(want.len(), PH1DUMP_LEN);
    assert_eq!(d.encode().to_vec(), want);
    assert_eq!(Ph1Dump::decode(&want).unwrap(), d);
    let mut two = want.clone();
    two.extend(&want);
    two.push(0);
    let (all, left) = Ph1Dump::decode_all(&two);
    assert_eq!((all.len(), left), (2, 1));
}

#[test]
fn scheddump_layout() {
    let s = SchedDump {
        xtime: 100,
        id: 7,
        created: 90,
        tick: 10,
    };
    let mut want = vec![];
    for v in [100i64, 7, 90, 10] {
        want.extend(v.to_le_bytes()); // time_t xtime; long id; time_t created, tick
    }
    assert_eq!(s.encode().to_vec(), want);
    assert_eq!(SchedDump::decode(&want).unwrap(), s);
}

#[test]
fn decode_errors_are_typed() {
    assert!(matches!(
        Request::decode(&[1, 0]),
        Err(AdminError::Short { .. })
    ));
    // ac_len 4 < header
    assert!(matches!(
        Request::decode(&[4, 0, 1, 0, 0, 0, 0, 0]),
        Err(AdminError::BadLength { .. })
    ));
    // ac_len 20 but 8 bytes given
    assert!(matches!(
        Request::decode(&[20, 0, 1, 0, 0, 0, 0, 0]),
        Err(AdminError::BadLength { .. })
    ));
    let unknown = Request::decode(&[8, 0, 0x99, 0x09, 0, 0, 0, 0]).unwrap();
    assert_eq!(unknown.command(), None);
    assert_eq!(unknown.body(), Err(AdminError::UnknownCommand(0x0999)));
    let short_sel = Request::new(Command::DeleteSa, Proto::Isakmp.code(), vec![0; 10]);
    assert!(matches!(short_sel.body(), Err(AdminError::Short { .. })));
}

#[test]
fn codes_round_trip() {
    for c in [
        Command::ReloadConf,
        Command::ShowSched,
        Command::ShowEvt,
        Command::ShowSa,
        Command::FlushSa,
        Command::Status,
        Command::StatusVerbose,
        Command::DeleteSa,
        Command::EstablishSa,
        Command::EstablishSaPsk,
        Command::DeleteAllSaDst,
        Command::LogoutUser,
        Command::GetSaCert,
    ] {
        assert_eq!(Command::from_code(c.code()), Some(c));
    }
    assert_eq!(Command::ReloadConf.code(), 0x0001);
    assert_eq!(Command::GetSaCert.code(), 0x0206);
    for (p, n) in [
        (Proto::Isakmp, 0x01ff),
        (Proto::Ipsec, 0x02ff),
        (Proto::Ah, 0x0201),
        (Proto::Esp, 0x0202),
        (Proto::Internal, 0x0301),
    ] {
        assert_eq!(p.code(), n);
        assert_eq!(Proto::from_code(n), Some(p));
        assert_eq!(Proto::from_name(p.name()), Some(p));
    }
}
