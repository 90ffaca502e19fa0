//! Each way a message can be malformed, with the error and offset it gives.

use super::hex;
use crate::pfkey::{DecodeErrorKind, Message};

fn kind(bytes: &[u8]) -> (usize, DecodeErrorKind) {
    let e = Message::decode(bytes).unwrap_err();
    (e.offset, e.kind)
}

const HEADER_ONLY: &str = "02 09 00 03 02 00 00 00 01 00 00 00 02 00 00 00";

/// A header (length patched in) followed by `exts`.
fn with_exts(exts: &str) -> Vec<u8> {
    let mut b = hex(HEADER_ONLY);
    b.extend(hex(exts));
    let units = u16::try_from(b.len() / 8).unwrap();
    b[4..6].copy_from_slice(&units.to_ne_bytes());
    b
}

#[test]
fn header_errors() {
    assert_eq!(kind(&[]), (0, DecodeErrorKind::ShortMessage(0)));
    assert_eq!(kind(&[2; 15]), (0, DecodeErrorKind::ShortMessage(15)));
    let mut b = hex(HEADER_ONLY);
    b[0] = 1;
    assert_eq!(kind(&b), (0, DecodeErrorKind::BadVersion(1)));
    let mut b = hex(HEADER_ONLY);
    b[1] = 0;
    assert_eq!(kind(&b), (1, DecodeErrorKind::BadType(0)));
    b[1] = 25;
    assert_eq!(kind(&b), (1, DecodeErrorKind::BadType(25)));
    let mut b = hex(HEADER_ONLY);
    b[4] = 3;
    assert_eq!(
        kind(&b),
        (
            4,
            DecodeErrorKind::LengthMismatch {
                header: 24,
                actual: 16
            }
        )
    );
    let mut b = hex(HEADER_ONLY);
    b.extend([0; 8]);
    assert_eq!(
        kind(&b),
        (
            4,
            DecodeErrorKind::LengthMismatch {
                header: 16,
                actual: 24
            }
        )
    );
    assert!(Message::decode(&hex(HEADER_ONLY)).is_ok());
}

#[test]
fn extension_framing_errors() {
    // Zero length.
    assert_eq!(
        kind(&with_exts("00 00 01 00 00 00 00 00")),
        (
            16,
            DecodeErrorKind::BadExtLength {
                ext_type: 1,
                len: 0
            }
        )
    );
    // Longer than the message.
    assert_eq!(
        kind(&with_exts(
            "04 00 01 00 00 00 00 00  00 00 00 00 00 00 00 00"
        )),
        (
            16,
            DecodeErrorKind::BadExtLength {
                ext_type: 1,
                len: 32
            }
        )
    );
    // Below the SA extension's 16 bytes.
    assert_eq!(
        kind(&with_exts("01 00 01 00 00 00 00 00")),
        (
            16,
            DecodeErrorKind::BadExtLength {
                ext_type: 1,
                len: 8
            }
        )
    );
    assert_eq!(
        kind(&with_exts("01 00 00 00 00 00 00 00")),
        (16, DecodeErrorKind::ReservedExtType)
    );
    // Two SA2 extensions.
    assert_eq!(
        kind(&with_exts(
            "02 00 13 00 00 00 00 00 00 00 00 00 00 00 00 00
             02 00 13 00 00 00 00 00 00 00 00 00 00 00 00 00"
        )),
        (32, DecodeErrorKind::DuplicateExt(19))
    );
    // Unknown types may repeat and are kept.
    let m = Message::decode(&with_exts(
        "01 00 2c 01 00 00 00 00  01 00 2c 01 00 00 00 00",
    ))
    .unwrap();
    assert_eq!(m.extensions.len(), 2);
}

#[test]
fn address_errors() {
    // AF_INET in a 5-unit extension.
    let e = Message::decode(&with_exts(
        "05 00 05 00 ff 20 00 00  02 00 00 00 0a 00 00 01  00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00",
    ))
    .unwrap_err();
    assert!(
        matches!(e.kind, DecodeErrorKind::Invalid { ext_type: 5, .. }),
        "{e}"
    );
    // Prefix 33 on IPv4.
    let e = Message::decode(&with_exts(
        "03 00 06 00 ff 21 00 00  02 00 00 00 0a 00 00 01  00 00 00 00 00 00 00 00",
    ))
    .unwrap_err();
    assert!(matches!(
        e.kind,
        DecodeErrorKind::Invalid { ext_type: 6, .. }
    ));
    // AF_UNIX.
    assert_eq!(
        kind(&with_exts(
            "03 00 05 00 ff 20 00 00  01 00 00 00 0a 00 00 01  00 00 00 00 00 00 00 00"
        )),
        (24, DecodeErrorKind::UnsupportedFamily(1))
    );
    // AF_INET6 cut short: a 3-unit extension cannot hold a sockaddr_in6.
    let e = Message::decode(&with_exts(
        "03 00 05 00 ff 20 00 00  0a 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00",
    ))
    .unwrap_err();
    assert!(matches!(
        e.kind,
        DecodeErrorKind::Invalid { ext_type: 5, .. }
    ));
}

#[test]
fn key_sec_ctx_and_policy_errors() {
    // 128 key bits in an extension with room for 64.
    let e = Message::decode(&with_exts(
        "02 00 09 00 80 00 00 00  00 00 00 00 00 00 00 00",
    ))
    .unwrap_err();
    assert!(matches!(
        e.kind,
        DecodeErrorKind::Invalid { ext_type: 9, .. }
    ));
    // Context length 9 in a 2-unit extension (needs 3).
    let e = Message::decode(&with_exts(
        "02 00 18 00 01 01 09 00  41 42 43 44 45 46 47 48",
    ))
    .unwrap_err();
    assert!(matches!(
        e.kind,
        DecodeErrorKind::Invalid { ext_type: 24, .. }
    ));
    // An ipsecrequest claiming 8 bytes.
    let e = Message::decode(&with_exts(
        "04 00 12 00 02 00 02 00  00 00 00 00 00 00 00 00
         08 00 32 00 02 02 00 00  00 00 00 00 00 00 00 00",
    ))
    .unwrap_err();
    assert!(
        matches!(e.kind, DecodeErrorKind::Invalid { ext_type: 18, .. }),
        "{e}"
    );
    // Tunnel addresses of two families.
    let e = Message::decode(&with_exts(
        "0a 00 12 00 02 00 02 00  00 00 00 00 00 00 00 00
         40 00 32 00 02 02 00 00  00 00 00 00 00 00 00 00
         02 00 00 00 0a 00 00 01  00 00 00 00 00 00 00 00
         0a 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 01  00 00 00 00
         00 00 00 00",
    ))
    .unwrap_err();
    assert!(
        matches!(e.kind, DecodeErrorKind::Invalid { ext_type: 18, .. }),
        "{e}"
    );
    // A sensitivity extension whose bitmap counts overrun it.
    let e = Message::decode(&with_exts(
        "02 00 0c 00 00 00 00 00  00 05 00 00 00 00 00 00",
    ))
    .unwrap_err();
    assert!(matches!(
        e.kind,
        DecodeErrorKind::Invalid { ext_type: 12, .. }
    ));
    // Four stray bytes after the last extension can only come with a lying header;
    // an extension header needs 4 bytes and 8 are the least the length can say.
    let mut b = with_exts("02 00 13 00 00 00 00 00 00 00 00 00 00 00 00 00");
    b.truncate(b.len() - 12);
    assert!(Message::decode(&b).is_err());
}

#[test]
fn errors_display_where() {
    let e = Message::decode(&with_exts("00 00 01 00 00 00 00 00")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "malformed PF_KEY message at byte 16: extension type 1 has bad length 0"
    );
}
