//! Diffie-Hellman: the group table's primes against OpenSSL's own copies of the RFC 2409
//! and RFC 3526 primes, agreement between two parties in every group, padding of public
//! values and shared secrets, and rejection of bad peer values.

use common::alg::dh::{dh_groups, find_dh_group, DhGroup};
use openssl::bn::BigNum;
use racoon::crypto::{validate_public, CryptoError, DhKeyPair, OsRng, Rng};

fn openssl_prime(number: u16) -> BigNum {
    match number {
        1 => BigNum::get_rfc2409_prime_768(),
        2 => BigNum::get_rfc2409_prime_1024(),
        5 => BigNum::get_rfc3526_prime_1536(),
        14 => BigNum::get_rfc3526_prime_2048(),
        15 => BigNum::get_rfc3526_prime_3072(),
        16 => BigNum::get_rfc3526_prime_4096(),
        17 => BigNum::get_rfc3526_prime_6144(),
        18 => BigNum::get_rfc3526_prime_8192(),
        other => panic!("no OpenSSL prime for group {other}"),
    }
    .unwrap()
}

#[test]
fn table_primes_are_the_published_ones() {
    assert_eq!(dh_groups().len(), 11);
    for g in dh_groups() {
        let Some(m) = g.modp() else { continue };
        let ours = BigNum::from_hex_str(m.prime_hex).unwrap();
        assert_eq!(ours, openssl_prime(g.number), "group {}", g.number);
        assert_eq!(ours.num_bits(), i32::from(m.prime_bits));
    }
}

/// A deterministic source for reproducible key pairs.
struct Counter(u8);

impl Rng for Counter {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), CryptoError> {
        for b in buf {
            self.0 = self.0.wrapping_mul(31).wrapping_add(7);
            *b = self.0;
        }
        Ok(())
    }
}

fn group(n: u16) -> &'static DhGroup {
    find_dh_group(n).unwrap()
}

#[test]
fn every_group_agrees() {
    for g in dh_groups() {
        let a = DhKeyPair::generate(g, &mut OsRng).unwrap();
        let b = DhKeyPair::generate(g, &mut OsRng).unwrap();
        assert_eq!(a.public_value().len(), g.public_bytes());
        let s1 = a.shared_secret(b.public_value()).unwrap();
        let s2 = b.shared_secret(a.public_value()).unwrap();
        assert_eq!(s1, s2, "group {}", g.number);
        assert_eq!(s1.len(), g.secret_bytes());
    }
}

#[test]
fn small_values_are_padded() {
    // x = 2 gives g^x = 4, and with the peer's y = 3 the secret is 3^2 = 9: both must be
    // left-padded to the prime length, the case where unpadded code breaks.
    let g = group(2);
    let pair = DhKeyPair::from_private(g, &[2]).unwrap();
    let mut four = [0u8; 128];
    four[127] = 4;
    assert_eq!(pair.public_value(), &four[..]);
    let mut three = vec![0u8; 128];
    three[127] = 3;
    let secret = pair.shared_secret(&three).unwrap();
    let mut nine = [0u8; 128];
    nine[127] = 9;
    assert_eq!(secret.as_bytes(), &nine[..]);
}

#[test]
fn generation_is_deterministic_under_a_fixed_rng() {
    let g = group(14);
    let a = DhKeyPair::generate(g, &mut Counter(1)).unwrap();
    let b = DhKeyPair::generate(g, &mut Counter(1)).unwrap();
    assert_eq!(a.public_value(), b.public_value());
    let c = DhKeyPair::generate(g, &mut Counter(2)).unwrap();
    assert_ne!(a.public_value(), c.public_value());
}

#[test]
fn bad_peer_values_are_refused() {
    let g = group(2);
    let p = BigNum::from_hex_str(g.modp().unwrap().prime_hex).unwrap();
    let pad = |n: &BigNum| n.to_vec_padded(128).unwrap();
    let one = BigNum::from_u32(1).unwrap();
    let p_minus_1 = &p - &one;
    for bad in [
        vec![0u8; 128],
        pad(&one),
        pad(&p_minus_1),
        pad(&p),
        vec![0xff; 128],
    ] {
        assert_eq!(validate_public(g, &bad), Err(CryptoError::PublicValueRange));
    }
    assert_eq!(
        validate_public(g, &[2]),
        Err(CryptoError::PublicValueLength {
            expected: 128,
            found: 1
        })
    );
    let pair = DhKeyPair::generate(g, &mut OsRng).unwrap();
    assert!(pair.shared_secret(&pad(&p_minus_1)).is_err());
    assert!(DhKeyPair::from_private(g, &[1]).is_err());
    assert!(DhKeyPair::from_private(g, &[]).is_err());
}
