//! Known-answer tests of the PRF (HMAC) against RFC 2202 (HMAC-MD5, HMAC-SHA-1) and
//! RFC 4231 (HMAC-SHA-256/384/512), of the plain hashes, and of the ciphers against
//! NIST SP 800-38A (AES-128-CBC) and `openssl enc -nopad` (the others).

use common::alg::{self, Class};
use racoon::crypto::{Cipher, CryptoError, Hash};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn prf(name: &str, key: &[u8], data: &[u8]) -> Vec<u8> {
    let prf = Hash::from_name(name).unwrap().prf();
    prf.compute(key, &[data]).unwrap().as_bytes().to_vec()
}

const LARGE_KEY_TEXT: &[u8] = b"Test Using Larger Than Block-Size Key - Hash Key First";

#[test]
fn rfc2202_hmac_md5() {
    let cases: [(Vec<u8>, Vec<u8>, &str); 4] = [
        (
            vec![0x0b; 16],
            b"Hi There".to_vec(),
            "9294727a3638bb1c13f48ef8158bfc9d",
        ),
        (
            b"Jefe".to_vec(),
            b"what do ya want for nothing?".to_vec(),
            "750c783e6ab0b503eaa86e310a5db738",
        ),
        (
            vec![0xaa; 16],
            vec![0xdd; 50],
            "56be34521d144c88dbb8c733f0e8b3f6",
        ),
        (
            vec![0xaa; 80],
            LARGE_KEY_TEXT.to_vec(),
            "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd",
        ),
    ];
    for (key, data, mac) in cases {
        assert_eq!(prf("md5", &key, &data), hex(mac));
    }
}

#[test]
fn rfc2202_hmac_sha1() {
    let cases: [(Vec<u8>, Vec<u8>, &str); 4] = [
        (
            vec![0x0b; 20],
            b"Hi There".to_vec(),
            "b617318655057264e28bc0b6fb378c8ef146be00",
        ),
        (
            b"Jefe".to_vec(),
            b"what do ya want for nothing?".to_vec(),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
        ),
        (
            vec![0xaa; 20],
            vec![0xdd; 50],
            "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
        ),
        (
            vec![0xaa; 80],
            LARGE_KEY_TEXT.to_vec(),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112",
        ),
    ];
    for (key, data, mac) in cases {
        assert_eq!(prf("sha1", &key, &data), hex(mac));
    }
}

#[test]
fn rfc4231_hmac_sha2() {
    // Test cases 1, 2 and 6 of RFC 4231 section 4.
    let inputs: [(Vec<u8>, Vec<u8>); 3] = [
        (vec![0x0b; 20], b"Hi There".to_vec()),
        (b"Jefe".to_vec(), b"what do ya want for nothing?".to_vec()),
        (vec![0xaa; 131], LARGE_KEY_TEXT.to_vec()),
    ];
    let sha256 = [
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    ];
    let sha384 = [
        "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c
         faea9ea9076ede7f4af152e8b2fa9cb6",
        "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e
         8e2240ca5e69e2c78b3239ecfab21649",
        "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6
         0c2ef6ab4030fe8296248df163f44952",
    ];
    let sha512 = [
        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde
         daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554
         9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352
         6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
    ];
    for (i, (key, data)) in inputs.iter().enumerate() {
        assert_eq!(prf("sha256", key, data), hex(sha256[i]), "case {i}");
        assert_eq!(prf("sha384", key, data), hex(sha384[i]), "case {i}");
        assert_eq!(prf("sha512", key, data), hex(sha512[i]), "case {i}");
    }
}

#[test]
fn prf_concatenates_parts() {
    let p = Hash::from_name("sha1").unwrap().prf();
    let whole = p.compute(b"k", &[b"abcdef"]).unwrap();
    let parts = p.compute(b"k", &[b"ab", b"", b"cdef"]).unwrap();
    assert_eq!(whole, parts);
}

#[test]
fn hashes_by_ike_value_and_lengths() {
    for (name, len) in [
        ("md5", 16),
        ("sha1", 20),
        ("sha256", 32),
        ("sha384", 48),
        ("sha512", 64),
    ] {
        let h = Hash::from_name(name).unwrap();
        assert_eq!(h.len(), len);
        let by_value = Hash::from_ike(h.algorithm().ike_value.unwrap()).unwrap();
        assert_eq!(by_value.algorithm(), h.algorithm());
    }
    // FIPS 180 "abc".
    let sha1 = Hash::from_name("sha1").unwrap();
    assert_eq!(
        sha1.digest(&[b"a", b"bc"]).unwrap(),
        hex("a9993e364706816aba3e25717850c26c9cd0d89d")
    );
    assert!(matches!(
        Hash::from_name("tiger"),
        Err(CryptoError::Unsupported { .. })
    ));
}

fn cipher(name: &str, key: &[u8]) -> Cipher {
    Cipher::new(alg::find_phase1(Class::Encrypt, name).unwrap(), key).unwrap()
}

#[test]
fn aes128_cbc_sp800_38a() {
    // NIST SP 800-38A F.2.1, first two blocks.
    let c = cipher("aes", &hex("2b7e151628aed2a6abf7158809cf4f3c"));
    let iv = hex("000102030405060708090a0b0c0d0e0f");
    let pt = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
    let ct = hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2");
    assert_eq!(c.encrypt(&iv, &pt).unwrap(), ct);
    assert_eq!(c.decrypt(&iv, &ct).unwrap(), pt);
}

#[test]
fn ciphers_match_openssl_enc() {
    // Generated with `openssl enc -<cipher> -nopad -K <key> -iv <iv>` (adding
    // `-provider legacy -provider default` for DES, Blowfish and CAST) over the bytes
    // 00..1f.
    let pt: Vec<u8> = (0u8..32).collect();
    let cases = [
        (
            "des",
            "0123456789abcdef",
            "0001020304050607",
            "d5d44ff720683d0d9f3abfb054bca95dad0ad3f75320413b7453fbc44fb9040d",
        ),
        (
            "3des",
            "0123456789abcdef23456789abcdef01456789abcdef0123",
            "0001020304050607",
            "4eba739c998bcb602012c4745ee86610ec000eb19af5c78922286bd87cee4305",
        ),
        (
            "blowfish",
            "0102030405060708090a0b0c0d0e0f10",
            "0001020304050607",
            "77eb26cc8623dc44a3b0b57ceeee4cd3ff135d0688c6ba4ebb0eec12bae3b7db",
        ),
        (
            "cast128",
            "0102030405060708090a0b0c0d0e0f10",
            "0001020304050607",
            "799b3c61868cf94644a7ae87a5cb95039ab50fe02d65a60be26b2101652a8182",
        ),
        (
            "aes",
            "000102030405060708090a0b0c0d0e0f1011121314151617",
            "000102030405060708090a0b0c0d0e0f",
            "916251821c73a522c396d627380196071817db150e771c589ed080493de7338b",
        ),
        (
            "aes",
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "000102030405060708090a0b0c0d0e0f",
            "f29000b62a499fd0a9f39a6add2e77809543b86fc046fa883a9446b82e47d12d",
        ),
    ];
    for (name, key, iv, ct) in cases {
        let c = cipher(name, &hex(key));
        assert_eq!(c.encrypt(&hex(iv), &pt).unwrap(), hex(ct), "{name}");
        assert_eq!(c.decrypt(&hex(iv), &hex(ct)).unwrap(), pt, "{name}");
        assert_eq!(c.block_size(), hex(iv).len());
    }
}

#[test]
fn cipher_errors() {
    let aes = alg::find_phase1(Class::Encrypt, "aes").unwrap();
    assert!(matches!(
        Cipher::new(aes, &[0; 15]),
        Err(CryptoError::KeyLength { .. })
    ));
    let c = Cipher::new(aes, &[0; 16]).unwrap();
    assert!(matches!(
        c.encrypt(&[0; 8], &[0; 16]),
        Err(CryptoError::IvLength { .. })
    ));
    assert!(matches!(
        c.decrypt(&[0; 16], &[0; 17]),
        Err(CryptoError::NotBlockAligned {
            length: 17,
            block: 16
        })
    ));
    // Known to the table, not to this module.
    let idea = alg::find_phase1(Class::Encrypt, "idea").unwrap();
    assert!(matches!(
        Cipher::new(idea, &[0; 16]),
        Err(CryptoError::Unsupported { .. })
    ));
    // Key Length attribute handling.
    assert_eq!(Cipher::key_bytes(aes, None).unwrap(), 16);
    assert_eq!(Cipher::key_bytes(aes, Some(256)).unwrap(), 32);
    assert!(Cipher::key_bytes(aes, Some(100)).is_err());
    let bf = alg::find_phase1(Class::Encrypt, "blowfish").unwrap();
    assert_eq!(Cipher::key_bytes(bf, None).unwrap(), 56);
    assert_eq!(Cipher::key_bytes(bf, Some(128)).unwrap(), 16);
}
