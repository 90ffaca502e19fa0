//! ECP Diffie-Hellman (groups 19, 20, 21): the known-answer tests of RFC 5903 section 8
//! through our key pairs in the IKE encoding (x | y padded to the field size, the shared
//! secret being x alone), and refusal of peer values that are not points of the curve.

use common::alg::dh::{find_dh_group, DhGroup};
use racoon::crypto::{validate_public, CryptoError, DhKeyPair, OsRng, Rng};

fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

fn group(n: u16) -> &'static DhGroup {
    find_dh_group(n).unwrap()
}

/// One test vector of RFC 5903 section 8: i, g^i = (gix, giy), r, g^r, and x of g^ir.
struct Vector {
    group: u16,
    i: &'static str,
    gix: &'static str,
    giy: &'static str,
    r: &'static str,
    grx: &'static str,
    gry: &'static str,
    girx: &'static str,
}

const VECTORS: &[Vector] = &[
    // 8.1, 256-bit random ECP group.
    Vector {
        group: 19,
        i: "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
        gix: "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180",
        giy: "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
        r: "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
        grx: "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63",
        gry: "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
        girx: "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE",
    },
    // 8.2, 384-bit random ECP group.
    Vector {
        group: 20,
        i: "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655
            E35B538041E649EE3FAEF896783AB194",
        gix: "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6
              DE3AC808ACB4BDB4C88732AEE95F41AA",
        giy: "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38E
              EB9FCFF3C2C947DAE69B4C634573A81C",
        r: "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942
            E0308312916B8ED2960E4BD55A7448FC",
        grx: "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D
              0D1AC43A0336DEF96FDA41D0774A3571",
        gry: "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FF
              F83FA40142209DFF5EAAD96DB9E6386C",
        girx: "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4
               D603135569B9E9D09CF5D4A270F59746",
    },
    // 8.3, 521-bit random ECP group: every value is 66 bytes with leading zeros.
    Vector {
        group: 21,
        i: "0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A0
            95AA85A30FE1C2952C6771D937BA9777F5957B2639BAB072462F68C27A57382D
            4A52",
        gix: "0015417E84DBF28C0AD3C278713349DC7DF153C897A1891BD98BAB4357C9ECBE
              E1E3BF42E00B8E380AEAE57C2D107564941885942AF5A7F4601723C4195D176C
              ED3E",
        giy: "017CAE20B6641D2EEB695786D8C946146239D099E18E1D5A514C739D7CB4A10A
              D8A788015AC405D7799DC75E7B7D5B6CF2261A6A7F1507438BF01BEB6CA3926F
              9582",
        r: "0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E
            9C677D600B343757A3BDBF2A3163E4C2F869CCA7458AA4A4EFFC311F5CB15168
            5EB9",
        grx: "00D0B3975AC4B799F5BEA16D5E13E9AF971D5E9B984C9F39728B5E5739735A21
              9B97C356436ADC6E95BB0352F6BE64A6C2912D4EF2D0433CED2B6171640012D9
              460F",
        gry: "015C68226383956E3BD066E797B623C27CE0EAC2F551A10C2C724D9852077B87
              220B6536C5C408A1D2AEBB8E86D678AE49CB57091F4732296579AB44FCD17F0F
              C56A",
        girx: "01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04
               D1427E73CA4BAA240A34786859810C06B3C715A3A8CC3151F2BEE417996D19F3
               DDEA",
    },
];

#[test]
fn rfc_5903_known_answers() {
    for v in VECTORS {
        let g = group(v.group);
        let gi = [hex(v.gix), hex(v.giy)].concat();
        let gr = [hex(v.grx), hex(v.gry)].concat();
        let initiator = DhKeyPair::from_private(g, &hex(v.i)).unwrap();
        let responder = DhKeyPair::from_private(g, &hex(v.r)).unwrap();
        // The KE payloads: x | y, each padded to the field size (64, 96, 132 bytes).
        assert_eq!(initiator.public_value(), &gi[..], "g^i, group {}", v.group);
        assert_eq!(responder.public_value(), &gr[..], "g^r, group {}", v.group);
        assert_eq!(gi.len(), g.public_bytes());
        // The shared secret: the x coordinate of g^ir only, from both sides.
        let from_i = initiator.shared_secret(&gr).unwrap();
        let from_r = responder.shared_secret(&gi).unwrap();
        assert_eq!(
            from_i.as_bytes(),
            &hex(v.girx)[..],
            "g^ir, group {}",
            v.group
        );
        assert_eq!(
            from_r.as_bytes(),
            &hex(v.girx)[..],
            "g^ri, group {}",
            v.group
        );
        assert_eq!(from_i.len(), g.secret_bytes());
    }
}

#[test]
fn public_value_sizes() {
    for (n, public, secret) in [(19, 64, 32), (20, 96, 48), (21, 132, 66)] {
        let g = group(n);
        let a = DhKeyPair::generate(g, &mut OsRng).unwrap();
        let b = DhKeyPair::generate(g, &mut OsRng).unwrap();
        assert_eq!(a.public_value().len(), public);
        let s = a.shared_secret(b.public_value()).unwrap();
        assert_eq!(s.len(), secret);
        assert_eq!(s, b.shared_secret(a.public_value()).unwrap());
        validate_public(g, a.public_value()).unwrap();
    }
}

#[test]
fn points_off_the_curve_are_refused() {
    let v = &VECTORS[0];
    let g = group(19);
    let good = [hex(v.grx), hex(v.gry)].concat();
    let ours = DhKeyPair::from_private(g, &hex(v.i)).unwrap();

    // y changed in its last bit: no longer on the curve.
    let mut bent = good.clone();
    *bent.last_mut().unwrap() ^= 1;
    // (0, 0): what an all-zero payload, or the point at infinity spelled as
    // coordinates, looks like; not on P-256 (b is not 0).
    let zero = vec![0u8; 64];
    // x = p, the field prime, with g^r's y: not a field element.
    let field_p = hex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
    let past_p = [field_p, hex(v.gry)].concat();
    // A P-256 point offered for P-384 has the wrong length; a P-384 point cut to 64
    // bytes is not on P-256.
    let p384 = [hex(VECTORS[1].grx), hex(VECTORS[1].gry)].concat();
    for bad in [&bent, &zero, &past_p, &p384[..64].to_vec()] {
        assert_eq!(validate_public(g, bad), Err(CryptoError::InvalidCurvePoint));
        assert_eq!(
            ours.shared_secret(bad).unwrap_err(),
            CryptoError::InvalidCurvePoint
        );
    }
    assert_eq!(
        validate_public(group(20), &good),
        Err(CryptoError::PublicValueLength {
            expected: 96,
            found: 64
        })
    );
    // The SEC 1 form with its 0x04 prefix is not the IKE encoding.
    let sec1 = [&[4u8][..], &good].concat();
    assert_eq!(
        ours.shared_secret(&sec1).unwrap_err(),
        CryptoError::PublicValueLength {
            expected: 64,
            found: 65
        }
    );
    assert!(ours.shared_secret(&good).is_ok());
}

#[test]
fn private_scalars_outside_the_order_are_refused() {
    let g = group(19);
    let order = hex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
    assert!(DhKeyPair::from_private(g, &order).is_err());
    assert!(DhKeyPair::from_private(g, &[0; 32]).is_err());
    assert!(DhKeyPair::from_private(g, &[]).is_err());
    assert!(DhKeyPair::from_private(g, &[1]).is_ok());
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

#[test]
fn generation_follows_the_rng() {
    for n in [19, 20, 21] {
        let g = group(n);
        let a = DhKeyPair::generate(g, &mut Counter(1)).unwrap();
        let b = DhKeyPair::generate(g, &mut Counter(1)).unwrap();
        let c = DhKeyPair::generate(g, &mut Counter(2)).unwrap();
        assert_eq!(a.public_value(), b.public_value());
        assert_ne!(a.public_value(), c.public_value());
    }
}
