//! The Diffie-Hellman groups IKEv1 negotiates: one row per group, beside the algorithm
//! table and in the same spirit. The row knows the group number that the phase-1 "Group
//! Description" and the IPsec DOI "Group Description" attributes carry, the names
//! racoon.conf accepts for `dh_group` and `pfs_group`, and the group itself (a MODP prime
//! and generator, or a named elliptic curve), so that the codec, the configuration parser
//! and the crypto code never spell a group number or a prime again.
//!
//! Sources: RFC 2409 section 6.1 and 6.2 (groups 1 and 2, the "Oakley" groups),
//! RFC 3526 (groups 5 and 14 to 18); racoon.conf(5) for the names. RFC 5903 for the
//! random ECP groups 19 (P-256), 20 (P-384) and 21 (P-521). The original racoon and its
//! maintained fork know no ECP group; racoon-rs names them `ecp256`, `ecp384` and
//! `ecp521` (strongSwan's spelling) and accepts the bare numbers too.

/// One Diffie-Hellman group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DhGroup {
    /// The IANA group number: the value of the Group Description attribute.
    pub number: u16,
    /// racoon.conf names, the first being what racoon prints (`modp1024`); the bare
    /// number is accepted too, as the original's lexer did.
    pub names: &'static [&'static str],
    /// What the group is made of.
    pub kind: GroupKind,
}

/// The two families of groups this table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// Exponentiation modulo a prime (RFC 2409, RFC 3526).
    Modp(Modp),
    /// A NIST prime-field curve (RFC 5903).
    Ecp(Curve),
}

/// A MODP group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Modp {
    /// Size of the prime in bits; public values and shared secrets are this many bits,
    /// left-padded with zeros to whole bytes on the wire.
    pub prime_bits: u16,
    /// The prime, upper-case hex, most significant digit first, exactly as published.
    pub prime_hex: &'static str,
    /// The generator.
    pub generator: u32,
    /// Size of the private exponent racoon-rs generates, in bits: twice the upper
    /// strength estimate of RFC 3526 section 8, so that the exponent is never the weak
    /// link, and at least 256 bits for the small groups, which RFC 2409 leaves open.
    /// A full-size exponent would only make every exchange slower.
    pub exponent_bits: u16,
}

impl Modp {
    /// Bytes of a public value or shared secret on the wire.
    pub fn prime_bytes(&self) -> usize {
        usize::from(self.prime_bits).div_ceil(8)
    }
}

/// The curves of RFC 5903 (the NIST curves of FIPS 186).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// Size of the field prime in bits.
    pub fn field_bits(self) -> u16 {
        match self {
            Curve::P256 => 256,
            Curve::P384 => 384,
            Curve::P521 => 521,
        }
    }

    /// Bytes of one coordinate on the wire (the field size rounded up to bytes).
    pub fn coordinate_bytes(self) -> usize {
        usize::from(self.field_bits()).div_ceil(8)
    }

    /// The curve's name in FIPS 186 and SEC 2 (`secp256r1` is P-256).
    pub fn sec_name(self) -> &'static str {
        match self {
            Curve::P256 => "secp256r1",
            Curve::P384 => "secp384r1",
            Curve::P521 => "secp521r1",
        }
    }
}

impl DhGroup {
    /// Bytes of a public value on the wire: the prime's length for MODP; for ECP the
    /// x and y coordinates, each left-padded to the field size (RFC 5903 section 7).
    pub fn public_bytes(&self) -> usize {
        match self.kind {
            GroupKind::Modp(m) => m.prime_bytes(),
            GroupKind::Ecp(c) => 2 * c.coordinate_bytes(),
        }
    }

    /// Bytes of the shared secret g^xy that enters the key derivation: the prime's
    /// length for MODP; for ECP the x coordinate alone (RFC 5903 section 7).
    pub fn secret_bytes(&self) -> usize {
        match self.kind {
            GroupKind::Modp(m) => m.prime_bytes(),
            GroupKind::Ecp(c) => c.coordinate_bytes(),
        }
    }

    /// The MODP parameters, for a MODP group.
    pub fn modp(&self) -> Option<&Modp> {
        match &self.kind {
            GroupKind::Modp(m) => Some(m),
            GroupKind::Ecp(_) => None,
        }
    }

    /// The curve, for an ECP group.
    pub fn curve(&self) -> Option<Curve> {
        match self.kind {
            GroupKind::Modp(_) => None,
            GroupKind::Ecp(c) => Some(c),
        }
    }

    /// The name racoon prints for this group.
    pub fn name(&self) -> &'static str {
        self.names.first().copied().unwrap_or("?")
    }
}

/// Every group, in group-number order.
pub fn dh_groups() -> &'static [DhGroup] {
    GROUPS
}

/// The group a Group Description attribute value names.
pub fn find_dh_group(number: u16) -> Option<&'static DhGroup> {
    GROUPS.iter().find(|g| g.number == number)
}

/// The group a racoon.conf `dh_group` / `pfs_group` word names (`modp2048` or `14`).
pub fn find_dh_name(name: &str) -> Option<&'static DhGroup> {
    GROUPS.iter().find(|g| g.names.contains(&name))
}

const fn modp(prime_bits: u16, prime_hex: &'static str, exponent_bits: u16) -> GroupKind {
    GroupKind::Modp(Modp {
        prime_bits,
        prime_hex,
        generator: 2,
        exponent_bits,
    })
}

static GROUPS: &[DhGroup] = &[
    DhGroup {
        number: 1,
        names: &["modp768", "1"],
        kind: modp(768, MODP768, 256),
    },
    DhGroup {
        number: 2,
        names: &["modp1024", "2"],
        kind: modp(1024, MODP1024, 256),
    },
    DhGroup {
        number: 5,
        names: &["modp1536", "5"],
        kind: modp(1536, MODP1536, 256),
    },
    DhGroup {
        number: 14,
        names: &["modp2048", "14"],
        kind: modp(2048, MODP2048, 320),
    },
    DhGroup {
        number: 15,
        names: &["modp3072", "15"],
        kind: modp(3072, MODP3072, 420),
    },
    DhGroup {
        number: 16,
        names: &["modp4096", "16"],
        kind: modp(4096, MODP4096, 480),
    },
    DhGroup {
        number: 17,
        names: &["modp6144", "17"],
        kind: modp(6144, MODP6144, 540),
    },
    DhGroup {
        number: 18,
        names: &["modp8192", "18"],
        kind: modp(8192, MODP8192, 620),
    },
    DhGroup {
        number: 19,
        names: &["ecp256", "19"],
        kind: GroupKind::Ecp(Curve::P256),
    },
    DhGroup {
        number: 20,
        names: &["ecp384", "20"],
        kind: GroupKind::Ecp(Curve::P384),
    },
    DhGroup {
        number: 21,
        names: &["ecp521", "21"],
        kind: GroupKind::Ecp(Curve::P521),
    },
];

// The primes, transcribed from RFC 2409 section 6 and RFC 3526 sections 2 to 7. Each is
// 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) * pi) + k), so the first and last 64 bits
// are all ones; the tests check that and racoon's tests compare them with OpenSSL's copies.

/// The 768-bit MODP prime.
const MODP768: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF",
);

/// The 1024-bit MODP prime.
const MODP1024: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF",
);

/// The 1536-bit MODP prime.
const MODP1536: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
);

/// The 2048-bit MODP prime.
const MODP2048: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF",
);

/// The 3072-bit MODP prime.
const MODP3072: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The 4096-bit MODP prime.
const MODP4096: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7",
    "88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8",
    "DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D99B2964FA090C3A2",
    "233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9",
    "93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF",
);

/// The 6144-bit MODP prime.
const MODP6144: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7",
    "88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8",
    "DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D99B2964FA090C3A2",
    "233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9",
    "93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C93402849236C3FAB4D27C7026",
    "C1D4DCB2602646DEC9751E763DBA37BDF8FF9406AD9E530EE5DB382F413001AE",
    "B06A53ED9027D831179727B0865A8918DA3EDBEBCF9B14ED44CE6CBACED4BB1B",
    "DB7F1447E6CC254B332051512BD7AF426FB8F401378CD2BF5983CA01C64B92EC",
    "F032EA15D1721D03F482D7CE6E74FEF6D55E702F46980C82B5A84031900B1C9E",
    "59E7C97FBEC7E8F323A97A7E36CC88BE0F1D45B7FF585AC54BD407B22B4154AA",
    "CC8F6D7EBF48E1D814CC5ED20F8037E0A79715EEF29BE32806A1D58BB7C5DA76",
    "F550AA3D8A1FBFF0EB19CCB1A313D55CDA56C9EC2EF29632387FE8D76E3C0468",
    "043E8F663F4860EE12BF2D5B0B7474D6E694F91E6DCC4024FFFFFFFFFFFFFFFF",
);

/// The 8192-bit MODP prime.
const MODP8192: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7",
    "88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8",
    "DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D99B2964FA090C3A2",
    "233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9",
    "93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C93402849236C3FAB4D27C7026",
    "C1D4DCB2602646DEC9751E763DBA37BDF8FF9406AD9E530EE5DB382F413001AE",
    "B06A53ED9027D831179727B0865A8918DA3EDBEBCF9B14ED44CE6CBACED4BB1B",
    "DB7F1447E6CC254B332051512BD7AF426FB8F401378CD2BF5983CA01C64B92EC",
    "F032EA15D1721D03F482D7CE6E74FEF6D55E702F46980C82B5A84031900B1C9E",
    "59E7C97FBEC7E8F323A97A7E36CC88BE0F1D45B7FF585AC54BD407B22B4154AA",
    "CC8F6D7EBF48E1D814CC5ED20F8037E0A79715EEF29BE32806A1D58BB7C5DA76",
    "F550AA3D8A1FBFF0EB19CCB1A313D55CDA56C9EC2EF29632387FE8D76E3C0468",
    "043E8F663F4860EE12BF2D5B0B7474D6E694F91E6DBE115974A3926F12FEE5E4",
    "38777CB6A932DF8CD8BEC4D073B931BA3BC832B68D9DD300741FA7BF8AFC47ED",
    "2576F6936BA424663AAB639C5AE4F5683423B4742BF1C978238F16CBE39D652D",
    "E3FDB8BEFC848AD922222E04A4037C0713EB57A81A23F0C73473FC646CEA306B",
    "4BCBC8862F8385DDFA9D4B7FA2C087E879683303ED5BDD3A062B3CF5B3A278A6",
    "6D2A13F83F44F82DDF310EE074AB6A364597E899A0255DC164F31CC50846851D",
    "F9AB48195DED7EA1B1D510BD7EE74D73FAF36BC31ECFA268359046F4EB879F92",
    "4009438B481C6CD7889A002ED5EE382BC9190DA6FC026E479558E4475677E9AA",
    "9E3050E2765694DFC81F56E880B96E7160C980DD98EDD3DFFFFFFFFFFFFFFFFF",
);
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primes_have_their_published_shape() {
        for g in dh_groups().iter().filter_map(DhGroup::modp) {
            assert_eq!(g.prime_hex.len() * 4, usize::from(g.prime_bits));
            assert!(g.prime_hex.starts_with("FFFFFFFFFFFFFFFFC90FDAA22168C234"));
            assert!(g.prime_hex.ends_with("FFFFFFFFFFFFFFFF"));
            assert!(g.prime_hex.bytes().all(|b| b.is_ascii_hexdigit()));
            assert_eq!(g.generator, 2);
            assert!(g.exponent_bits >= 256 && g.exponent_bits < g.prime_bits);
        }
        assert_eq!(dh_groups().iter().filter_map(DhGroup::modp).count(), 8);
    }

    #[test]
    fn names_and_numbers() {
        for (name, number) in [
            ("modp768", 1),
            ("modp1024", 2),
            ("modp1536", 5),
            ("modp2048", 14),
            ("modp3072", 15),
            ("modp4096", 16),
            ("modp6144", 17),
            ("modp8192", 18),
            ("ecp256", 19),
            ("ecp384", 20),
            ("ecp521", 21),
        ] {
            let g = find_dh_name(name).unwrap();
            assert_eq!(g.number, number);
            assert_eq!(g.name(), name);
            assert_eq!(find_dh_name(&number.to_string()), Some(g));
            assert_eq!(find_dh_group(number), Some(g));
        }
        assert_eq!(find_dh_group(3), None);
        assert_eq!(find_dh_name("modp512"), None);
        assert_eq!(find_dh_group(14).unwrap().public_bytes(), 256);
        assert_eq!(find_dh_group(14).unwrap().secret_bytes(), 256);
        assert_eq!(find_dh_group(22), None);
    }

    #[test]
    fn ecp_sizes_follow_rfc_5903() {
        // KE payload: x | y, each padded to the field size; secret: x alone.
        for (number, public, secret, curve) in [
            (19, 64, 32, Curve::P256),
            (20, 96, 48, Curve::P384),
            (21, 132, 66, Curve::P521),
        ] {
            let g = find_dh_group(number).unwrap();
            assert_eq!(g.curve(), Some(curve));
            assert_eq!(g.modp(), None);
            assert_eq!(g.public_bytes(), public);
            assert_eq!(g.secret_bytes(), secret);
        }
        assert_eq!(find_dh_group(2).unwrap().curve(), None);
    }
}
