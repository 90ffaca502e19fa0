//! decode(encode(m)) == m for a message with every extension type.

use std::net::IpAddr;

use crate::pfkey::consts::msg;
use crate::pfkey::{
    AddressExt, AlgDesc, Comb, Extension, FilterExt, Header, IdentityExt, IpsecRequest, KeyExt,
    KmAddressExt, LifetimeExt, Message, PolicyExt, ProposalExt, Sa2Ext, SaExt, SecCtxExt,
    SensitivityExt, SockAddr, SpiRangeExt,
};

fn addr(s: &str) -> SockAddr {
    s.parse::<IpAddr>().map(SockAddr::new).unwrap()
}

fn address(s: &str, prefixlen: u8) -> AddressExt {
    AddressExt {
        proto: 17,
        prefixlen,
        addr: SockAddr {
            port: 4500,
            ..addr(s)
        },
    }
}

/// One of everything, with odd sizes so that padding is exercised.
pub(super) fn kitchen_sink() -> Message {
    let life = |n| LifetimeExt {
        allocations: n,
        bytes: u64::from(n) << 40,
        addtime: 3600,
        usetime: 60,
    };
    let mut v6 = addr("2001:db8::1");
    v6.flowinfo = 0x1234;
    v6.scope_id = 3;
    Message::new(Header {
        msg_type: msg::X_MIGRATE,
        errno: 0,
        satype: 3,
        reserved: 9,
        seq: 77,
        pid: 4242,
    })
    .with(Extension::Sa(SaExt {
        spi: 0xdead_beef,
        replay: 64,
        state: 1,
        auth: 3,
        encrypt: 12,
        flags: 0x4000_0000,
    }))
    .with(Extension::LifetimeCurrent(life(1)))
    .with(Extension::LifetimeHard(life(2)))
    .with(Extension::LifetimeSoft(life(3)))
    .with(Extension::AddressSrc(address("10.0.0.1", 32)))
    .with(Extension::AddressDst(AddressExt {
        proto: 255,
        prefixlen: 64,
        addr: v6,
    }))
    .with(Extension::AddressProxy(address("10.9.0.0", 16)))
    .with(Extension::KeyAuth(KeyExt {
        bits: 20,
        key: vec![1, 2, 3],
    }))
    .with(Extension::KeyEncrypt(KeyExt {
        bits: 192,
        key: (0..24).collect(),
    }))
    .with(Extension::IdentitySrc(IdentityExt {
        ident_type: 2,
        id: 5,
        data: b"gw.example.com\0\0".to_vec(),
    }))
    .with(Extension::IdentityDst(IdentityExt {
        ident_type: 3,
        id: 0,
        data: Vec::new(),
    }))
    .with(Extension::Sensitivity(SensitivityExt {
        dpd: 1,
        sens_level: 2,
        integ_level: 3,
        sens_bitmap: vec![0xff, 1],
        integ_bitmap: vec![7],
    }))
    .with(Extension::Proposal(ProposalExt {
        replay: 32,
        combs: vec![
            Comb {
                auth: 2,
                encrypt: 3,
                hard_usetime: 99,
                ..Comb::default()
            },
            Comb::default(),
        ],
    }))
    .with(Extension::SupportedAuth(vec![AlgDesc {
        id: 2,
        ivlen: 0,
        minbits: 128,
        maxbits: 128,
    }]))
    .with(Extension::SupportedEncrypt(vec![
        AlgDesc {
            id: 12,
            ivlen: 8,
            minbits: 128,
            maxbits: 256,
        },
        AlgDesc::default(),
    ]))
    .with(Extension::SpiRange(SpiRangeExt {
        min: 0x100,
        max: 0xffff,
    }))
    .with(Extension::KmPrivate(vec![9; 16]))
    .with(Extension::Policy(PolicyExt {
        policy_type: 2,
        dir: 3,
        id: 0x31,
        priority: 0x7fff_fff0,
        requests: vec![
            IpsecRequest {
                proto: 51,
                mode: 1,
                level: 1,
                reqid: 0,
                addrs: None,
            },
            IpsecRequest {
                proto: 50,
                mode: 2,
                level: 3,
                reqid: 0x3fff,
                addrs: Some((addr("fe80::1"), addr("fe80::2"))),
            },
        ],
    }))
    .with(Extension::Sa2(Sa2Ext {
        mode: 2,
        sequence: 5,
        reqid: 6,
    }))
    .with(Extension::NatTType(2))
    .with(Extension::NatTSport(4500))
    .with(Extension::NatTDport(61000))
    .with(Extension::NatTOa(address("192.168.0.10", 32)))
    .with(Extension::SecCtx(SecCtxExt {
        alg: 1,
        doi: 1,
        ctx: b"system_u:object_r:ipsec_spd_t:s0".to_vec(),
    }))
    .with(Extension::KmAddress(KmAddressExt {
        reserved: 1,
        local: addr("10.0.0.1"),
        remote: addr("10.0.0.2"),
    }))
    .with(Extension::Filter(FilterExt {
        saddr: [1; 16],
        daddr: [2; 16],
        family: 2,
        splen: 24,
        dplen: 16,
    }))
    .with(Extension::Unknown {
        ext_type: 300,
        data: vec![0xaa; 12],
    })
    .with(Extension::Unknown {
        ext_type: 300,
        data: vec![0xbb; 4],
    })
}

#[test]
fn every_extension_round_trips() {
    let m = kitchen_sink();
    let bytes = m.encode().unwrap();
    assert_eq!(bytes.len() % 8, 0);
    assert_eq!(
        usize::from(u16::from_ne_bytes([bytes[4], bytes[5]])) * 8,
        bytes.len()
    );
    let back = Message::decode(&bytes).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.encode().unwrap(), bytes);
}

#[test]
fn every_prefix_of_a_message_is_refused_without_panic() {
    let bytes = kitchen_sink().encode().unwrap();
    for n in 0..bytes.len() {
        assert!(
            Message::decode(&bytes[..n]).is_err(),
            "prefix of {n} bytes accepted"
        );
    }
}

#[test]
fn oversized_messages_fail_to_encode() {
    let m =
        Message::new(Header::new(msg::ADD, 3, 1, 1)).with(Extension::KmPrivate(vec![0; 600_000]));
    assert!(m.encode().is_err());
}
