//! Malformed input: every case is a typed error at the right place, never a panic. The
//! length tricks are the ones racoon's parser fell for (CVE-2008-3651's proposal and
//! transform lengths, zero-length payloads that loop, chains running past the end).

use racoon::isakmp::*;

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A header whose next payload is `next` and whose length fits `body`, then `body`.
fn msg(next: u8, body: &str) -> Vec<u8> {
    let body = hex(body);
    let mut m = hex("0102030405060708 0000000000000000");
    m.extend_from_slice(&[next, 0x10, 2, 0, 0, 0, 0, 0]);
    m.extend_from_slice(&((28 + body.len()) as u32).to_be_bytes());
    m.extend_from_slice(&body);
    m
}

/// A one-proposal, one-transform phase-1 SA, for mutation.
const SA: &str = "00 00 0024 00000001 00000001
                    00 00 0018 01 01 00 01
                      00 00 0010 01 01 0000 8001 0007 800e 0080";

fn err(bytes: &[u8]) -> DecodeError {
    Message::decode(bytes).expect_err("must not decode")
}

#[test]
fn the_valid_base_decodes() {
    let m = Message::decode(&msg(1, SA)).unwrap();
    assert_eq!(m.encode().unwrap(), msg(1, SA));
}

#[test]
fn header_errors() {
    assert!(matches!(
        err(&[0; 27]).kind,
        ErrorKind::Truncated { what: "length", .. }
    ));
    let mut v2 = msg(1, SA);
    v2[17] = 0x20;
    let e = err(&v2);
    assert_eq!(e.kind, ErrorKind::UnsupportedVersion { major: 2, minor: 0 });
    assert_eq!(e.offset, 17);
    assert_eq!(e.notify_type(), NotifyType::InvalidMajorVersion);
    // Minor versions are tolerated.
    let mut minor = msg(1, SA);
    minor[17] = 0x11;
    assert_eq!(Message::decode(&minor).unwrap().header.minor_version, 1);
    let mut long = msg(1, SA);
    long.push(0);
    assert!(matches!(
        err(&long).kind,
        ErrorKind::MessageLength {
            header: 64,
            actual: 65
        }
    ));
    let mut short_len = msg(1, SA);
    short_len[24..28].copy_from_slice(&10u32.to_be_bytes());
    assert!(matches!(
        err(&short_len).kind,
        ErrorKind::MessageLength { header: 10, .. }
    ));
    let mut enc = msg(1, SA);
    enc[19] = 1;
    assert_eq!(
        err(&enc).kind,
        ErrorKind::EncryptionFlag { encrypted: true }
    );
}

#[test]
fn payload_length_errors() {
    // Zero length: the classic infinite loop.
    let e = err(&msg(13, "00 00 0000"));
    assert!(matches!(
        e.kind,
        ErrorKind::PayloadTooShort {
            length: 0,
            minimum: 4,
            ..
        }
    ));
    assert_eq!(e.offset, 30);
    // Past the end of the message.
    let e = err(&msg(13, "00 00 0010 aabbccdd"));
    assert!(matches!(
        e.kind,
        ErrorKind::PayloadOverrun {
            length: 16,
            available: 8,
            ..
        }
    ));
    // A chain that promises another payload and ends.
    let e = err(&msg(13, "0d 00 0008 aabbccdd"));
    assert!(matches!(e.kind, ErrorKind::Truncated { .. }));
    assert_eq!(e.offset, 36);
    // Bytes after the last payload.
    let e = err(&msg(13, "00 00 0008 aabbccdd ee"));
    assert!(matches!(e.kind, ErrorKind::TrailingData { bytes: 1, .. }));
    // Half a generic header.
    assert!(matches!(
        err(&msg(13, "00 00")).kind,
        ErrorKind::Truncated { .. }
    ));
}

#[test]
fn proposal_and_transform_nesting() {
    let cases: &[(&str, &str)] = &[
        // Proposal length beyond the SA (CVE-2008-3651-style).
        ("proposal overrun", "00 00 0024 00000001 00000001 00 00 00ff 01 01 00 01 00 00 0010 01 01 0000 8001 0007 800e 0080"),
        // Proposal length shorter than its fixed part.
        ("proposal too short", "00 00 0024 00000001 00000001 00 00 0006 01 01 00 01 00 00 0010 01 01 0000 8001 0007 800e 0080"),
        // Transform length beyond its proposal.
        ("transform overrun", "00 00 0024 00000001 00000001 00 00 0018 01 01 00 01 00 00 0020 01 01 0000 8001 0007 800e 0080"),
        // Transform length shorter than its fixed part.
        ("transform too short", "00 00 0024 00000001 00000001 00 00 0018 01 01 00 01 00 00 0004 01 01 0000 8001 0007 800e 0080"),
        // SPI size running past the proposal.
        ("SPI overrun", "00 00 0024 00000001 00000001 00 00 0018 01 01 40 01 00 00 0010 01 01 0000 8001 0007 800e 0080"),
        // Attribute TLV length past the transform.
        ("attribute overrun", "00 00 0024 00000001 00000001 00 00 0018 01 01 00 01 00 00 0010 01 01 0000 8001 0007 000e 0080"),
    ];
    for (name, body) in cases {
        let e = err(&msg(1, body));
        assert_eq!(e.notify_type(), NotifyType::PayloadMalformed, "{name}: {e}");
    }

    let count = err(&msg(1, "00 00 0024 00000001 00000001 00 00 0018 01 01 00 03 00 00 0010 01 01 0000 8001 0007 800e 0080"));
    assert_eq!(
        count.kind,
        ErrorKind::TransformCount {
            declared: 3,
            found: 1
        }
    );
    assert_eq!(count.notify_type(), NotifyType::BadProposalSyntax);

    // A proposal chained to something other than a proposal.
    let e = err(&msg(1, "00 00 0024 00000001 00000001 03 00 0018 01 01 00 01 00 00 0010 01 01 0000 8001 0007 800e 0080"));
    assert_eq!(
        e.kind,
        ErrorKind::MisplacedPayload {
            payload: PayloadType::Transform,
            inside: PayloadType::Sa
        }
    );
    // A transform chained to a proposal.
    let e = err(&msg(1, "00 00 0024 00000001 00000001 00 00 0018 01 01 00 01 02 00 0010 01 01 0000 8001 0007 800e 0080"));
    assert_eq!(
        e.kind,
        ErrorKind::MisplacedPayload {
            payload: PayloadType::Proposal,
            inside: PayloadType::Proposal
        }
    );
    // A proposal chained on although the SA has ended.
    let e = err(&msg(1, "00 00 0024 00000001 00000001 02 00 0018 01 01 00 01 00 00 0010 01 01 0000 8001 0007 800e 0080"));
    assert!(matches!(e.kind, ErrorKind::Truncated { .. }));
    // A proposal or transform at top level.
    let e = err(&msg(2, "00 00 0008 01 01 00 00"));
    assert!(matches!(
        e.kind,
        ErrorKind::MisplacedPayload {
            payload: PayloadType::Proposal,
            ..
        }
    ));
    assert!(matches!(
        err(&msg(3, "00 00 0008 01 01 0000")).kind,
        ErrorKind::MisplacedPayload { .. }
    ));
    // Empty SA, proposal without transforms.
    assert_eq!(
        err(&msg(1, "00 00 000c 00000001 00000001")).kind,
        ErrorKind::Empty { what: "SA" }
    );
    assert_eq!(
        err(&msg(
            1,
            "00 00 0014 00000001 00000001 00 00 0008 01 01 00 00"
        ))
        .kind,
        ErrorKind::Empty { what: "proposal" }
    );
    // Bytes after the last transform inside the proposal.
    let e = err(&msg(1, "00 00 0026 00000001 00000001 00 00 001a 01 01 00 01 00 00 0010 01 01 0000 8001 0007 800e 0080 0000"));
    assert!(matches!(
        e.kind,
        ErrorKind::TrailingData {
            what: "last transform",
            ..
        }
    ));
}

#[test]
fn doi_and_situation() {
    let e = err(&msg(1, "00 00 0024 00000002 00000001 00 00 0018 01 01 00 01 00 00 0010 01 01 0000 8001 0007 800e 0080"));
    assert_eq!(e.kind, ErrorKind::UnsupportedDoi(2));
    assert_eq!(e.notify_type(), NotifyType::DoiNotSupported);
    let e = err(&msg(1, "00 00 0024 00000001 00000002 00 00 0018 01 01 00 01 00 00 0010 01 01 0000 8001 0007 800e 0080"));
    assert_eq!(e.kind, ErrorKind::UnsupportedSituation(2));
    assert_eq!(e.notify_type(), NotifyType::SituationNotSupported);
}

#[test]
fn payload_body_errors() {
    // Delete: 2 SPIs of 4 bytes in 4 bytes.
    let e = err(&msg(12, "00 00 0010 00000001 03 04 0002 c0ffee01"));
    assert!(matches!(
        e.kind,
        ErrorKind::SpiCount {
            count: 2,
            spi_size: 4,
            bytes: 4
        }
    ));
    // Delete: zero-size SPIs claimed by the thousand.
    let e = err(&msg(12, "00 00 000c 00000001 03 00 ffff"));
    assert!(matches!(e.kind, ErrorKind::SpiCount { .. }));
    // IPV4_ADDR with 3 bytes; subnet with 12.
    let e = err(&msg(5, "00 00 000b 01 00 0000 0a0000"));
    assert_eq!(
        e.kind,
        ErrorKind::IdLength {
            id_type: IdType::Ipv4Addr,
            length: 3
        }
    );
    assert_eq!(e.notify_type(), NotifyType::InvalidIdInformation);
    let e = err(&msg(5, "00 00 0014 04 00 0000 0a000000 ffffff00 00000000"));
    assert!(matches!(
        e.kind,
        ErrorKind::IdLength {
            id_type: IdType::Ipv4AddrSubnet,
            ..
        }
    ));
    // NAT-OA with an FQDN.
    let e = err(&msg(21, "00 00 000c 02 000000 61626364"));
    assert_eq!(e.kind, ErrorKind::NatOaType(IdType::Fqdn));
    // Notification SPI longer than the payload.
    assert!(matches!(
        err(&msg(11, "00 00 000c 00000001 01 10 6002")).kind,
        ErrorKind::Truncated {
            what: "notification SPI",
            ..
        }
    ));
    // Fixed parts cut short.
    assert!(matches!(
        err(&msg(5, "00 00 0006 01 00")).kind,
        ErrorKind::Truncated { .. }
    ));
    assert!(matches!(
        err(&msg(14, "00 00 0006 01 00")).kind,
        ErrorKind::Truncated { .. }
    ));
    assert!(matches!(
        err(&msg(1, "00 00 0008 00000001")).kind,
        ErrorKind::Truncated { .. }
    ));
}

#[test]
fn no_prefix_or_byte_flip_panics() {
    let base = msg(1, SA);
    for n in 0..base.len() {
        assert!(Message::decode(&base[..n]).is_err());
    }
    for i in 0..base.len() {
        for v in [0u8, 1, 2, 3, 0x7f, 0x80, 0xff] {
            let mut m = base.clone();
            m[i] = v;
            if let Ok(decoded) = Message::decode(&m) {
                let again = Message::decode(&decoded.encode().unwrap()).unwrap();
                assert_eq!(again, decoded);
            }
        }
    }
}

#[test]
fn encode_errors() {
    let too_big = Payload::Nonce(vec![0; 70_000]);
    let m = Message {
        header: Header::new([1; 8], [0; 8], ExchangeType::Aggressive, Flags(0), 0),
        payloads: vec![too_big],
    };
    assert!(matches!(m.encode(), Err(EncodeError::TooLong { .. })));
    let bad_delete = Payload::Delete(Delete {
        doi: DOI_IPSEC,
        protocol: ProtocolId::Esp,
        spi_size: 4,
        spis: vec![vec![1, 2, 3]],
    });
    let m = Message {
        payloads: vec![bad_delete],
        ..m
    };
    assert_eq!(
        m.encode(),
        Err(EncodeError::SpiSize {
            spi_size: 4,
            found: 3
        })
    );
    let mut out = Vec::new();
    assert_eq!(
        Attribute::basic(0x8001, 1).encode(&mut out),
        Err(EncodeError::AttributeType(0x8001))
    );
}
