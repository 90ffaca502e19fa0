//! Encrypted messages: sealing and opening with the phase-1 ciphers, IV chaining,
//! racoon's padding, and the errors around them.

use common::alg::{self, Class};
use racoon::crypto::{Cipher, CryptoError};
use racoon::isakmp::*;

fn cipher(name: &str, key_len: usize) -> Cipher {
    Cipher::new(
        alg::find_phase1(Class::Encrypt, name).unwrap(),
        &vec![0x42; key_len],
    )
    .unwrap()
}

fn informational() -> Message {
    Message {
        header: Header::new(
            [1; 8],
            [2; 8],
            ExchangeType::Informational,
            Flags(0),
            0x0bad_f00d,
        ),
        payloads: vec![
            Payload::Hash(vec![0x55; 20]),
            Payload::Notification(Notification {
                doi: DOI_IPSEC,
                protocol: ProtocolId::Isakmp,
                spi: [[1u8; 8], [2u8; 8]].concat(),
                message_type: NotifyType::DpdRUThere,
                data: vec![0, 0, 0, 7],
            }),
        ],
    }
}

#[test]
fn seal_and_open_with_each_cipher() {
    for (name, key, block) in [
        ("aes", 16, 16),
        ("aes", 32, 16),
        ("3des", 24, 8),
        ("des", 8, 8),
        ("blowfish", 16, 8),
        ("cast128", 16, 8),
    ] {
        let c = cipher(name, key);
        let iv = vec![9u8; block];
        let m = informational();
        let sealed = encrypt_message(&m, &c, &iv).unwrap();
        let d = &sealed.datagram;
        assert_eq!((d.len() - 28) % block, 0, "{name}");
        assert_eq!(d[19] & 1, 1, "E flag");
        assert_eq!(
            u32::from_be_bytes(d[24..28].try_into().unwrap()) as usize,
            d.len()
        );
        assert_eq!(sealed.next_iv, d[d.len() - block..]);
        // Plaintext decoding refuses it.
        assert_eq!(
            Message::decode(d).unwrap_err().kind,
            ErrorKind::EncryptionFlag { encrypted: true }
        );
        let (opened, raw) = decrypt_message(d, &c, &iv).unwrap();
        assert_eq!(opened.payloads, m.payloads, "{name}");
        assert_eq!(opened.header.message_id, 0x0bad_f00d);
        assert_eq!(raw.next_iv, sealed.next_iv);
        // racoon's padding: 1..=block bytes, the last one holding the count minus one.
        let body_len = 24 + 8 + 16 + 4 + 4;
        let pad = raw.body.len() - body_len;
        assert!((1..=block).contains(&pad));
        assert_eq!(usize::from(*raw.body.last().unwrap()), pad - 1);
        // The wrong IV garbles the first block, so the chain no longer parses.
        assert!(decrypt_message(d, &c, &vec![0; block]).is_err());
    }
}

#[test]
fn aligned_bodies_get_a_whole_block_of_padding() {
    let c = cipher("aes", 16);
    let header = Header {
        next_payload: PayloadType::VendorId,
        ..Header::new([1; 8], [2; 8], ExchangeType::Quick, Flags(0), 1)
    };
    let body = [0u8, 0, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    let sealed = encrypt(&header, &body, &c, &[0; 16]).unwrap();
    assert_eq!(sealed.datagram.len(), 28 + 32);
    let d = decrypt(&sealed.datagram, &c, &[0; 16]).unwrap();
    assert_eq!(&d.body[..16], &body);
    assert_eq!(d.body[31], 15);
}

#[test]
fn decrypt_errors() {
    let c = cipher("aes", 16);
    let sealed = encrypt_message(&informational(), &c, &[0; 16]).unwrap();
    // Not block-aligned.
    let mut odd = sealed.datagram.clone();
    odd.push(0);
    let len = odd.len() as u32;
    odd[24..28].copy_from_slice(&len.to_be_bytes());
    assert!(matches!(
        decrypt(&odd, &c, &[0; 16]),
        Err(EncryptedError::Crypto(CryptoError::NotBlockAligned { .. }))
    ));
    // No E flag.
    let mut clear = sealed.datagram.clone();
    clear[19] = 0;
    assert!(matches!(
        decrypt(&clear, &c, &[0; 16]),
        Err(EncryptedError::Decode(DecodeError {
            kind: ErrorKind::EncryptionFlag { encrypted: false },
            ..
        }))
    ));
    // Header only.
    let mut empty = sealed.datagram[..28].to_vec();
    empty[24..28].copy_from_slice(&28u32.to_be_bytes());
    assert!(decrypt(&empty, &c, &[0; 16]).is_err());
    // Wrong IV length.
    assert!(matches!(
        decrypt(&sealed.datagram, &c, &[0; 8]),
        Err(EncryptedError::Crypto(CryptoError::IvLength { .. }))
    ));
}
