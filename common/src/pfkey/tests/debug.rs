//! Golden texts of `kdebug_sadb()`, written out by hand from `key_debug.c`'s format
//! strings for the messages `setkey -x` meets most.

use super::*;
use crate::pfkey::consts::satype;
use crate::pfkey::ext::{AlgDesc, Comb, Sa2Ext, SaExt};
use crate::pfkey::message::Header;
use crate::pfkey::policy_ext::IpsecRequest;

fn v4(s: &str) -> SockAddr {
    SockAddr::new(s.parse().unwrap())
}

fn addr(proto: u8, prefixlen: u8, s: &str) -> AddressExt {
    AddressExt {
        proto,
        prefixlen,
        addr: v4(s),
    }
}

fn lft(allocations: u32, bytes: u64, addtime: u64, usetime: u64) -> LifetimeExt {
    LifetimeExt {
        allocations,
        bytes,
        addtime,
        usetime,
    }
}

const SA_10_0_0_1: &str = "\
sadb_address{ proto=0 prefixlen=32 reserved=0x0000 }
sockaddr{ len=16 family=2 port=0
 0a000001  }
";

const SA_10_0_0_2: &str = "\
sadb_address{ proto=0 prefixlen=32 reserved=0x0000 }
sockaddr{ len=16 family=2 port=0
 0a000002  }
";

#[test]
fn add_as_the_kernel_broadcasts_it() {
    let m = Message::new(Header::new(msg::ADD, satype::ESP, 7, 4242))
        .with(Extension::Sa(SaExt {
            spi: 0x1001,
            replay: 4,
            state: 1,
            auth: 2,
            encrypt: 12,
            flags: 0,
        }))
        .with(Extension::LifetimeHard(lft(0, 0, 0, 0)))
        .with(Extension::LifetimeSoft(lft(0, 0, 0, 0)))
        .with(Extension::LifetimeCurrent(lft(0, 0, 1_700_000_000, 0)))
        .with(Extension::AddressSrc(addr(0, 32, "10.0.0.1")))
        .with(Extension::AddressDst(addr(0, 32, "10.0.0.2")))
        .with(Extension::KeyAuth(KeyExt {
            bits: 160,
            key: b"0123456789abcdefghij".to_vec(),
        }))
        .with(Extension::KeyEncrypt(KeyExt {
            bits: 128,
            key: b"0123456789abcdef".to_vec(),
        }))
        .with(Extension::Sa2(Sa2Ext {
            mode: 1,
            sequence: 0,
            reqid: 0,
        }));
    let want = String::new()
        + "sadb_msg{ version=2 type=3 errno=0 satype=3\n"
        + "  len=31 reserved=0 seq=7 pid=4242\n"
        + "sadb_ext{ len=2 type=1 }\n"
        + "sadb_sa{ spi=4097 replay=4 state=1\n"
        + "  auth=2 encrypt=12 flags=0x00000000 }\n"
        + "sadb_ext{ len=4 type=3 }\n"
        + "sadb_lifetime{ alloc=0, bytes=0\n"
        + "  addtime=0, usetime=0 }\n"
        + "sadb_ext{ len=4 type=4 }\n"
        + "sadb_lifetime{ alloc=0, bytes=0\n"
        + "  addtime=0, usetime=0 }\n"
        + "sadb_ext{ len=4 type=2 }\n"
        + "sadb_lifetime{ alloc=0, bytes=0\n"
        + "  addtime=1700000000, usetime=0 }\n"
        + "sadb_ext{ len=3 type=5 }\n"
        + SA_10_0_0_1
        + "sadb_ext{ len=3 type=6 }\n"
        + SA_10_0_0_2
        + "sadb_ext{ len=4 type=8 }\n"
        + "sadb_key{ bits=160 reserved=0\n"
        + "  key= 30313233 34353637 38396162 63646566 6768696a }\n"
        + "sadb_ext{ len=3 type=9 }\n"
        + "sadb_key{ bits=128 reserved=0\n"
        + "  key= 30313233 34353637 38396162 63646566 }\n"
        + "sadb_ext{ len=2 type=19 }\n"
        + "sadb_x_sa2{ mode=1 reqid=0\n"
        + "  reserved1=0 reserved2=0 sequence=0 }\n";
    assert_eq!(kdebug(&m), want);
    // The same from the bytes, as -x receives them.
    assert_eq!(kdebug_bytes(&m.encode().unwrap()).unwrap(), want);
}

#[test]
fn delete_request() {
    let m = Message::new(Header::new(msg::DELETE, satype::AH, 1, 99))
        .with(Extension::Sa(SaExt {
            spi: 0xdeadbeef,
            ..SaExt::default()
        }))
        .with(Extension::AddressSrc(addr(0, 32, "10.0.0.1")))
        .with(Extension::AddressDst(addr(0, 32, "10.0.0.2")));
    let want = String::new()
        + "sadb_msg{ version=2 type=4 errno=0 satype=2\n"
        + "  len=10 reserved=0 seq=1 pid=99\n"
        + "sadb_ext{ len=2 type=1 }\n"
        + "sadb_sa{ spi=3735928559 replay=0 state=0\n"
        + "  auth=0 encrypt=0 flags=0x00000000 }\n"
        + "sadb_ext{ len=3 type=5 }\n"
        + SA_10_0_0_1
        + "sadb_ext{ len=3 type=6 }\n"
        + SA_10_0_0_2;
    assert_eq!(kdebug(&m), want);
}

fn comb(auth: u8, encrypt: u8) -> Comb {
    Comb {
        auth,
        encrypt,
        auth_minbits: 160,
        auth_maxbits: 160,
        encrypt_minbits: 128,
        encrypt_maxbits: 256,
        soft_addtime: 72000,
        hard_addtime: 86400,
        soft_usetime: 25200,
        hard_usetime: 28800,
        ..Comb::default()
    }
}

#[test]
fn acquire_with_its_proposal() {
    let m = Message::new(Header::new(msg::ACQUIRE, satype::ESP, 3, 0))
        .with(Extension::AddressSrc(addr(0, 32, "10.0.0.1")))
        .with(Extension::AddressDst(addr(0, 32, "10.0.0.2")))
        .with(Extension::Policy(PolicyExt {
            policy_type: ptype::IPSEC,
            dir: 2,
            id: 0x59,
            priority: 0x80000000,
            requests: Vec::new(),
        }))
        .with(Extension::Proposal(ProposalExt {
            replay: 32,
            combs: vec![comb(3, 12)],
        }));
    let want = String::new()
        + "sadb_msg{ version=2 type=6 errno=0 satype=3\n"
        + "  len=20 reserved=0 seq=3 pid=0\n"
        + "sadb_ext{ len=3 type=5 }\n"
        + SA_10_0_0_1
        + "sadb_ext{ len=3 type=6 }\n"
        + SA_10_0_0_2
        + "sadb_ext{ len=2 type=18 }\n"
        + "sadb_x_policy{ type=2 dir=2 id=59 priority=2147483648 }\n"
        + "sadb_ext{ len=10 type=13 }\n"
        + "sadb_prop{ replay=32\n"
        + "sadb_comb{ auth=3 encrypt=12 flags=0x0000 reserved=0x00000000\n"
        + "  auth_minbits=160 auth_maxbits=160 encrypt_minbits=128 encrypt_maxbits=256\n"
        + "  soft_alloc=0 hard_alloc=0 soft_bytes=0 hard_bytes=0\n"
        + "  soft_alloc=72000 hard_alloc=86400 soft_bytes=25200 hard_bytes=28800 }\n"
        + "}\n";
    assert_eq!(kdebug(&m), want);
}

#[test]
fn soft_expire() {
    let m = Message::new(Header::new(msg::EXPIRE, satype::ESP, 0, 0))
        .with(Extension::Sa(SaExt {
            spi: 4097,
            replay: 0,
            state: 2,
            auth: 2,
            encrypt: 12,
            flags: 0,
        }))
        .with(Extension::LifetimeSoft(lft(0, 0, 30, 0)))
        .with(Extension::LifetimeCurrent(lft(
            5,
            420,
            1_700_000_000,
            1_700_000_010,
        )));
    let want = "\
sadb_msg{ version=2 type=8 errno=0 satype=3
  len=12 reserved=0 seq=0 pid=0
sadb_ext{ len=2 type=1 }
sadb_sa{ spi=4097 replay=0 state=2
  auth=2 encrypt=12 flags=0x00000000 }
sadb_ext{ len=4 type=4 }
sadb_lifetime{ alloc=0, bytes=0
  addtime=30, usetime=0 }
sadb_ext{ len=4 type=2 }
sadb_lifetime{ alloc=5, bytes=420
  addtime=1700000000, usetime=1700000010 }
";
    assert_eq!(kdebug(&m), want);
}

#[test]
fn spdadd_tunnel_policy() {
    let m = Message::new(Header::new(msg::X_SPDADD, satype::UNSPEC, 2, 77))
        .with(Extension::AddressSrc(AddressExt {
            proto: 255,
            prefixlen: 24,
            addr: SockAddr::with_port("172.16.1.0".parse().unwrap(), 0),
        }))
        .with(Extension::AddressDst(AddressExt {
            proto: 255,
            prefixlen: 24,
            addr: SockAddr::with_port("172.16.2.0".parse().unwrap(), 80),
        }))
        .with(Extension::Policy(PolicyExt {
            policy_type: ptype::IPSEC,
            dir: 2,
            id: 0,
            priority: 0,
            requests: vec![IpsecRequest {
                proto: 50,
                mode: 2,
                level: 2,
                reqid: 0,
                addrs: Some((v4("192.168.1.100"), v4("192.168.2.100"))),
            }],
        }));
    let want = "\
sadb_msg{ version=2 type=14 errno=0 satype=0
  len=16 reserved=0 seq=2 pid=77
sadb_ext{ len=3 type=5 }
sadb_address{ proto=255 prefixlen=24 reserved=0x0000 }
sockaddr{ len=16 family=2 port=0
 ac100100  }
sadb_ext{ len=3 type=6 }
sadb_address{ proto=255 prefixlen=24 reserved=0x0000 }
sockaddr{ len=16 family=2 port=80
 ac100200  }
sadb_ext{ len=8 type=18 }
sadb_x_policy{ type=2 dir=2 id=0 priority=0 }
 { len=48 proto=50 mode=2 level=2 reqid=0
sockaddr{ len=16 family=2 port=0
 c0a80164  }
sockaddr{ len=16 family=2 port=0
 c0a80264  }
 }
";
    assert_eq!(kdebug(&m), want);
}

#[test]
fn register_reply_lists_algorithms() {
    let m = Message::new(Header::new(msg::REGISTER, satype::ESP, 1, 10))
        .with(Extension::SupportedAuth(vec![AlgDesc {
            id: 2,
            ivlen: 0,
            minbits: 128,
            maxbits: 128,
        }]))
        .with(Extension::SupportedEncrypt(vec![
            AlgDesc {
                id: 3,
                ivlen: 8,
                minbits: 192,
                maxbits: 192,
            },
            AlgDesc {
                id: 12,
                ivlen: 8,
                minbits: 128,
                maxbits: 256,
            },
        ]));
    let want = "\
sadb_msg{ version=2 type=7 errno=0 satype=3
  len=7 reserved=0 seq=1 pid=10
sadb_ext{ len=2 type=14 }
sadb_sup{
  { id=2 ivlen=0 min=128 max=128 }
}
sadb_ext{ len=3 type=15 }
sadb_sup{
  { id=3 ivlen=8 min=192 max=192 }
  { id=12 ivlen=8 min=128 max=256 }
}
";
    assert_eq!(kdebug(&m), want);
}

#[test]
fn promisc_wrapper_is_unwrapped() {
    let inner = Message::new(Header::new(msg::FLUSH, satype::UNSPEC, 9, 5));
    let mut bytes = Message::new(Header::new(msg::X_PROMISC, 1, 0, 0))
        .encode()
        .unwrap();
    let inner_bytes = inner.encode().unwrap();
    bytes.extend_from_slice(&inner_bytes);
    bytes[4..6].copy_from_slice(&4u16.to_ne_bytes());
    let want = "\
sadb_msg{ version=2 type=9 errno=0 satype=0
  len=2 reserved=0 seq=9 pid=5
";
    assert_eq!(kdebug_bytes(&bytes).unwrap(), want);
    // A bare PROMISC (the echo of a request to go promiscuous) prints nothing.
    assert_eq!(kdebug_bytes(&bytes[..16]), None);
}

#[test]
fn long_keys_wrap_ipv6_and_unprintable_things() {
    let key: Vec<u8> = (0u8..36).collect();
    let m = Message::new(Header::new(msg::GET, satype::ESP, 0, 0))
        .with(Extension::KeyEncrypt(KeyExt { bits: 288, key }))
        .with(Extension::AddressSrc(AddressExt {
            proto: 6,
            prefixlen: 128,
            addr: SockAddr {
                ip: "2001:db8::1".parse().unwrap(),
                port: 500,
                flowinfo: 0,
                scope_id: 3,
            },
        }))
        .with(Extension::IdentitySrc(IdentityExt {
            ident_type: 2,
            id: 0,
            data: b"a\tb\0\0\0\0\0".to_vec(),
        }))
        .with(Extension::SecCtx(crate::pfkey::ext::SecCtxExt {
            alg: 1,
            doi: 1,
            ctx: b"x".to_vec(),
        }))
        .with(Extension::NatTType(2));
    let want = "\
sadb_msg{ version=2 type=5 errno=0 satype=3
  len=19 reserved=0 seq=0 pid=0
sadb_ext{ len=6 type=9 }
sadb_key{ bits=288 reserved=0
  key= 00010203 04050607 08090a0b 0c0d0e0f 10111213 14151617 18191a1b 1c1d1e1f
 20212223 }
sadb_ext{ len=5 type=5 }
sadb_address{ proto=6 prefixlen=128 reserved=0x0000 }
sockaddr{ len=28 family=10 port=500
  flowinfo=0x00000000, scope_id=0x00000003
 20010db8 00000000 00000000 00000001  }
sadb_ext{ len=3 type=10 }
sadb_ident_src{ type=2 id=0
  str=\"a\\011b\" }
sadb_ext{ len=2 type=24 }
kdebug_sadb: invalid ext_type 24 was passed.
";
    assert_eq!(kdebug(&m), want);
}

#[test]
fn hexdump_lines_of_sixteen() {
    let bytes: Vec<u8> = (0u8..18).collect();
    assert_eq!(
        hexdump(&bytes),
        "00000000: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f \n00000010: 10 11 \n"
    );
    assert_eq!(hexdump(&bytes[..16]).matches('\n').count(), 1);
    assert_eq!(hexdump(&[]), "");
}

#[test]
fn undecodable_prints_header_and_reason() {
    let mut bytes = Message::new(Header::new(msg::ADD, 3, 1, 2))
        .encode()
        .unwrap();
    bytes.extend_from_slice(&[1, 0, 1, 0, 0, 0, 0, 0]);
    bytes[4..6].copy_from_slice(&3u16.to_ne_bytes());
    let text = kdebug_bytes(&bytes).unwrap();
    assert!(text.starts_with("sadb_msg{ version=2 type=3 errno=0 satype=3\n  len=3 reserved=0 seq=1 pid=2\nkdebug_sadb: "), "{text}");
}
