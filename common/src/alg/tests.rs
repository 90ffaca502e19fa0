//! The table checked against sources that do not come from the table: the Linux header on
//! this machine, and transcriptions of the RFCs, the IANA registries and the kernel's
//! xfrm_algo.c made separately from it. Each transcription is keyed by the algorithm's
//! display name and must cover exactly the rows that carry the number, so a number added
//! to the table without a source fails here.

use super::*;
use std::collections::{BTreeMap, HashSet};

/// The row with this display name in this class; panics with the name when missing.
fn row(class: Class, name: &str) -> &'static Algorithm {
    all()
        .iter()
        .find(|a| a.class() == class && a.name() == name)
        .unwrap_or_else(|| panic!("no {} row named {name}", class.adjective()))
}

/// Compares one numeric field of the table with a transcription: every listed row must
/// carry the listed value, and no other row of the class may carry a value at all.
fn check_field<T: Copy + PartialEq + fmt::Debug>(
    what: &str,
    class: Class,
    field: fn(&Algorithm) -> Option<T>,
    expected: &[(&str, T)],
) {
    for &(name, value) in expected {
        assert_eq!(field(row(class, name)), Some(value), "{what} of {name}");
    }
    let listed: HashSet<&str> = expected.iter().map(|e| e.0).collect();
    for a in all().iter().filter(|a| a.class() == class) {
        if let Some(v) = field(a) {
            assert!(
                listed.contains(a.name()),
                "{what} {v:?} of {} has no source in this test",
                a.name()
            );
        }
    }
}

// ---- (1) PF_KEY ids against the Linux uapi header ----

const PFKEY_HEADER: &str = "/usr/include/linux/pfkeyv2.h";

/// `#define NAME NUMBER` lines of the header.
fn header_defines() -> BTreeMap<String, u32> {
    let text = std::fs::read_to_string(PFKEY_HEADER).unwrap_or_else(|e| {
        panic!(
            "cannot read {PFKEY_HEADER} ({e}): this test checks every PF_KEY id against \
             Linux's header; install the linux-libc-dev package"
        )
    });
    let mut defines = BTreeMap::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("#define") {
            continue;
        }
        if let (Some(name), Some(value)) = (words.next(), words.next()) {
            if let Ok(v) = value.parse() {
                defines.insert(name.to_owned(), v);
            }
        }
    }
    defines
}

/// Which macro each row's id must equal; `None` where Linux defines none.
const PFKEY_MACROS: &[(Class, &str, Option<&str>)] = &[
    (Class::Auth, "hmac-md5", Some("SADB_AALG_MD5HMAC")),
    (Class::Auth, "hmac-sha1", Some("SADB_AALG_SHA1HMAC")),
    (Class::Auth, "keyed-md5", None),
    (Class::Auth, "keyed-sha1", None),
    (Class::Auth, "null", Some("SADB_X_AALG_NULL")),
    (Class::Auth, "hmac-sha256", Some("SADB_X_AALG_SHA2_256HMAC")),
    (Class::Auth, "hmac-sha384", Some("SADB_X_AALG_SHA2_384HMAC")),
    (Class::Auth, "hmac-sha512", Some("SADB_X_AALG_SHA2_512HMAC")),
    (
        Class::Auth,
        "hmac-ripemd160",
        Some("SADB_X_AALG_RIPEMD160HMAC"),
    ),
    (
        Class::Auth,
        "aes-xcbc-mac",
        Some("SADB_X_AALG_AES_XCBC_MAC"),
    ),
    (Class::Auth, "tcp-md5", None),
    (Class::Auth, "des_mac", None),
    (Class::Auth, "kpdk", None),
    (Class::Auth, "tiger", None),
    (Class::Encrypt, "des-cbc", Some("SADB_EALG_DESCBC")),
    (Class::Encrypt, "3des-cbc", Some("SADB_EALG_3DESCBC")),
    (Class::Encrypt, "null", Some("SADB_EALG_NULL")),
    (
        Class::Encrypt,
        "blowfish-cbc",
        Some("SADB_X_EALG_BLOWFISHCBC"),
    ),
    (Class::Encrypt, "cast128-cbc", Some("SADB_X_EALG_CASTCBC")),
    (Class::Encrypt, "des-deriv", Some("SADB_EALG_DESCBC")),
    (Class::Encrypt, "3des-deriv", Some("SADB_EALG_3DESCBC")),
    (Class::Encrypt, "des-32iv", Some("SADB_EALG_DESCBC")),
    (Class::Encrypt, "aes-cbc", Some("SADB_X_EALG_AESCBC")),
    (
        Class::Encrypt,
        "twofish-cbc",
        Some("SADB_X_EALG_TWOFISHCBC"),
    ),
    (Class::Encrypt, "aes-ctr", Some("SADB_X_EALG_AESCTR")),
    (
        Class::Encrypt,
        "camellia-cbc",
        Some("SADB_X_EALG_CAMELLIACBC"),
    ),
    (Class::Encrypt, "des_iv64", Some("SADB_EALG_DESCBC")),
    (Class::Encrypt, "rc5", None),
    (Class::Encrypt, "idea", None),
    (Class::Encrypt, "3idea", None),
    (Class::Encrypt, "rc4", None),
    (
        Class::Encrypt,
        "aes-gcm-8",
        Some("SADB_X_EALG_AES_GCM_ICV8"),
    ),
    (
        Class::Encrypt,
        "aes-gcm-12",
        Some("SADB_X_EALG_AES_GCM_ICV12"),
    ),
    (
        Class::Encrypt,
        "aes-gcm-16",
        Some("SADB_X_EALG_AES_GCM_ICV16"),
    ),
    (
        Class::Encrypt,
        "aes-gmac",
        Some("SADB_X_EALG_NULL_AES_GMAC"),
    ),
    (Class::Compress, "deflate", Some("SADB_X_CALG_DEFLATE")),
    (Class::Compress, "oui", Some("SADB_X_CALG_OUI")),
    (Class::Compress, "lzs", Some("SADB_X_CALG_LZS")),
];

#[test]
fn pfkey_ids_match_the_linux_header() {
    let defines = header_defines();
    for &(class, name, mac) in PFKEY_MACROS {
        let got = row(class, name).pfkey_id.map(u32::from);
        let want = mac.map(|m| {
            *defines
                .get(m)
                .unwrap_or_else(|| panic!("{m} is not defined in {PFKEY_HEADER}"))
        });
        assert_eq!(got, want, "PF_KEY id of {name} ({mac:?})");
        // The macro's family must match the id space the row sits in.
        if let Some(m) = mac {
            let family = match class {
                Class::Auth => "AALG_",
                Class::Encrypt => "EALG_",
                Class::Compress => "CALG_",
            };
            assert!(m.contains(family), "{m} used for a {class:?} row");
        }
    }
    let covered: HashSet<(Class, &str)> = PFKEY_MACROS.iter().map(|e| (e.0, e.1)).collect();
    for a in all() {
        assert!(
            covered.contains(&(a.class(), a.name())),
            "{} has no entry in PFKEY_MACROS",
            a.name()
        );
    }
    assert_eq!(covered.len(), all().len(), "PFKEY_MACROS names a row twice");
}

// ---- (2) RFC and IANA values, transcribed independently of the table ----

#[test]
fn ike_phase1_attribute_values() {
    // RFC 2409 appendix A, class 1 "Encryption Algorithm": DES-CBC 1, IDEA-CBC 2,
    // Blowfish-CBC 3, RC5-R16-B64-CBC 4, 3DES-CBC 5, CAST-CBC 6. Later IANA assignments
    // in the same registry: AES-CBC 7 (RFC 3602), CAMELLIA-CBC 8 (RFC 4312).
    check_field(
        "IKE encryption algorithm",
        Class::Encrypt,
        |a| a.ike_value,
        &[
            ("des-cbc", 1),
            ("idea", 2),
            ("blowfish-cbc", 3),
            ("rc5", 4),
            ("3des-cbc", 5),
            ("cast128-cbc", 6),
            ("aes-cbc", 7),
            ("camellia-cbc", 8),
        ],
    );
    // RFC 2409 appendix A, class 2 "Hash Algorithm": MD5 1, SHA 2, Tiger 3. IANA's later
    // SHA2-256 4, SHA2-384 5, SHA2-512 6 (RFC 4868 defines their use).
    check_field(
        "IKE hash algorithm",
        Class::Auth,
        |a| a.ike_value,
        &[
            ("hmac-md5", 1),
            ("hmac-sha1", 2),
            ("tiger", 3),
            ("hmac-sha256", 4),
            ("hmac-sha384", 5),
            ("hmac-sha512", 6),
        ],
    );
    // Compression has no phase-1 meaning.
    check_field("IKE value", Class::Compress, |a| a.ike_value, &[]);
}

#[test]
fn ipsec_doi_transform_ids() {
    // RFC 2407 4.4.4 "IPSEC ESP Transform Identifiers": ESP_DES_IV64 1, ESP_DES 2,
    // ESP_3DES 3, ESP_RC5 4, ESP_IDEA 5, ESP_CAST 6, ESP_BLOWFISH 7, ESP_3IDEA 8,
    // ESP_DES_IV32 9, ESP_RC4 10, ESP_NULL 11. IANA's later ones: ESP_AES-CBC 12
    // (RFC 3602), ESP_AES-CTR 13 (RFC 3686), ESP_AES-GCM with 8/12/16-octet ICV 18/19/20
    // (RFC 4106 8.3), ESP_CAMELLIA 22 (RFC 4312), ESP_NULL_AUTH_AES-GMAC 23 (RFC 4543).
    // Twofish has no IANA number; 253 is KAME's and racoon's pick from the private range.
    check_field(
        "ESP transform",
        Class::Encrypt,
        |a| a.esp_transform,
        &[
            ("des_iv64", 1),
            ("des-cbc", 2),
            ("3des-cbc", 3),
            ("rc5", 4),
            ("idea", 5),
            ("cast128-cbc", 6),
            ("blowfish-cbc", 7),
            ("3idea", 8),
            ("des-32iv", 9),
            ("rc4", 10),
            ("null", 11),
            ("aes-cbc", 12),
            ("aes-ctr", 13),
            ("aes-gcm-8", 18),
            ("aes-gcm-12", 19),
            ("aes-gcm-16", 20),
            ("camellia-cbc", 22),
            ("aes-gmac", 23),
            ("twofish-cbc", 253),
        ],
    );
    // RFC 2407 4.4.3 "IPSEC AH Transform Identifiers": AH_MD5 2, AH_SHA 3, AH_DES 4.
    // IANA: AH_SHA2-256 5, AH_SHA2-384 6, AH_SHA2-512 7 (RFC 4868), AH_RIPEMD 8
    // (RFC 2857), AH_AES-XCBC-MAC 9 (RFC 3566).
    check_field(
        "AH transform",
        Class::Auth,
        |a| a.ah_transform,
        &[
            ("hmac-md5", 2),
            ("hmac-sha1", 3),
            ("des_mac", 4),
            ("hmac-sha256", 5),
            ("hmac-sha384", 6),
            ("hmac-sha512", 7),
            ("hmac-ripemd160", 8),
            ("aes-xcbc-mac", 9),
        ],
    );
    // RFC 2407 4.5 "Authentication Algorithm" attribute: HMAC-MD5 1, HMAC-SHA 2,
    // DES-MAC 3, KPDK 4. IANA: HMAC-SHA2-256 5, -384 6, -512 7 (RFC 4868), HMAC-RIPEMD 8
    // (RFC 2857), AES-XCBC-MAC 9 (RFC 3566).
    check_field(
        "Authentication Algorithm attribute",
        Class::Auth,
        |a| a.auth_attr,
        &[
            ("hmac-md5", 1),
            ("hmac-sha1", 2),
            ("des_mac", 3),
            ("kpdk", 4),
            ("hmac-sha256", 5),
            ("hmac-sha384", 6),
            ("hmac-sha512", 7),
            ("hmac-ripemd160", 8),
            ("aes-xcbc-mac", 9),
        ],
    );
    // RFC 2407 4.4.5 "IPSEC IPCOMP Transform Identifiers": IPCOMP_OUI 1,
    // IPCOMP_DEFLATE 2 (RFC 2394), IPCOMP_LZS 3 (RFC 2395).
    check_field(
        "IPCOMP transform",
        Class::Compress,
        |a| a.ipcomp_transform,
        &[("oui", 1), ("deflate", 2), ("lzs", 3)],
    );
    // Each number space belongs to one class only.
    for a in all() {
        if a.class() != Class::Encrypt {
            assert_eq!(a.esp_transform, None, "{}", a.name());
        }
        if a.class() != Class::Auth {
            assert_eq!(a.ah_transform, None, "{}", a.name());
            assert_eq!(a.auth_attr, None, "{}", a.name());
        }
        if a.class() != Class::Compress {
            assert_eq!(a.ipcomp_transform, None, "{}", a.name());
        }
    }
}

#[test]
fn icv_lengths() {
    // HMAC-MD5-96 (RFC 2403), HMAC-SHA-1-96 (RFC 2404), HMAC-RIPEMD-160-96 (RFC 2857),
    // AES-XCBC-MAC-96 (RFC 3566); HMAC-SHA-256-128, HMAC-SHA-384-192, HMAC-SHA-512-256
    // (RFC 4868 abstract and 2.3). KAME's keyed hashes: 96 per setkey(8). TCP-MD5 sends
    // the whole digest (RFC 2385).
    let auth = [
        ("hmac-md5", 96),
        ("hmac-sha1", 96),
        ("keyed-md5", 96),
        ("keyed-sha1", 96),
        ("hmac-sha256", 128),
        ("hmac-sha384", 192),
        ("hmac-sha512", 256),
        ("hmac-ripemd160", 96),
        ("aes-xcbc-mac", 96),
        ("tcp-md5", 128),
    ];
    // AES-GCM ICV of 8, 12 or 16 octets (RFC 4106 6), GMAC 16 octets (RFC 4543 3).
    let aead = [
        ("aes-gcm-8", 64),
        ("aes-gcm-12", 96),
        ("aes-gcm-16", 128),
        ("aes-gmac", 128),
    ];
    for (name, bits) in auth {
        assert_eq!(row(Class::Auth, name).icv_bits, bits, "{name}");
    }
    for (name, bits) in aead {
        assert_eq!(row(Class::Encrypt, name).icv_bits, bits, "{name}");
    }
    let listed: HashSet<&str> = auth.iter().chain(&aead).map(|e| e.0).collect();
    for a in all() {
        if a.icv_bits != 0 {
            assert!(
                listed.contains(a.name()),
                "ICV of {} has no source",
                a.name()
            );
        }
        if a.kind == Kind::Auth {
            assert!(a.icv_bits <= a.digest_bits, "{} ICV above digest", a.name());
        }
    }
}

#[test]
fn key_sizes() {
    let fixed = |name: &str, class, sizes: &'static [u16]| {
        assert_eq!(row(class, name).key_bits, KeyBits::Fixed(sizes), "{name}");
    };
    // HMAC keys are the hash length: RFC 2403 (128), 2404 (160), 2857 (160), 3566 (128),
    // RFC 4868 2.1.1 (256, 384, 512).
    fixed("hmac-md5", Class::Auth, &[128]);
    fixed("hmac-sha1", Class::Auth, &[160]);
    fixed("hmac-ripemd160", Class::Auth, &[160]);
    fixed("aes-xcbc-mac", Class::Auth, &[128]);
    fixed("hmac-sha256", Class::Auth, &[256]);
    fixed("hmac-sha384", Class::Auth, &[384]);
    fixed("hmac-sha512", Class::Auth, &[512]);
    // DES 64 (RFC 2405), 3DES 192 (RFC 2451), AES and Camellia 128/192/256 (RFC 3602,
    // RFC 4312); AES-CTR and AES-GCM/GMAC keying material is the key plus 4 octets
    // (RFC 3686 5.1, RFC 4106 8.1, RFC 4543 5).
    fixed("des-cbc", Class::Encrypt, &[64]);
    fixed("3des-cbc", Class::Encrypt, &[192]);
    fixed("aes-cbc", Class::Encrypt, &[128, 192, 256]);
    fixed("camellia-cbc", Class::Encrypt, &[128, 192, 256]);
    for name in [
        "aes-ctr",
        "aes-gcm-8",
        "aes-gcm-12",
        "aes-gcm-16",
        "aes-gmac",
    ] {
        fixed(name, Class::Encrypt, &[160, 224, 288]);
        assert_eq!(row(Class::Encrypt, name).salt_bits, 32, "{name}");
    }
    // Blowfish 40 to 448 and CAST-128 40 to 128 bits (RFC 2451 2.2 and its table).
    let range = |name: &str, min, max| {
        assert_eq!(
            row(Class::Encrypt, name).key_bits,
            KeyBits::Range { min, max, step: 8 },
            "{name}"
        );
    };
    range("blowfish-cbc", 40, 448);
    range("cast128-cbc", 40, 128);
    // Every default racoon may use must itself be a valid size.
    for a in all().iter().filter(|a| a.default_key_bits != 0) {
        assert!(a.key_bits.allows(a.default_key_bits.into()), "{}", a.name());
    }
}

// ---- the kernel's own tables ----

/// Linux net/xfrm/xfrm_algo.c: (list, name, SADB id, icv_truncbits). Auth and AEAD give
/// their truncation; ciphers and compressors carry none. hmac(rmd160) is as kernels
/// before its removal in 2026 have it.
const XFRM_ALGO_C: &[(Kind, &str, u8, u16)] = &[
    (Kind::Aead, "rfc4106(gcm(aes))", 18, 64),
    (Kind::Aead, "rfc4106(gcm(aes))", 19, 96),
    (Kind::Aead, "rfc4106(gcm(aes))", 20, 128),
    (Kind::Aead, "rfc4543(gcm(aes))", 23, 128),
    (Kind::Auth, "digest_null", 251, 0),
    (Kind::Auth, "hmac(md5)", 2, 96),
    (Kind::Auth, "hmac(sha1)", 3, 96),
    (Kind::Auth, "hmac(sha256)", 5, 96),
    (Kind::Auth, "hmac(sha384)", 6, 192),
    (Kind::Auth, "hmac(sha512)", 7, 256),
    (Kind::Auth, "hmac(rmd160)", 8, 96),
    (Kind::Auth, "xcbc(aes)", 9, 96),
    (Kind::Encrypt, "ecb(cipher_null)", 11, 0),
    (Kind::Encrypt, "cbc(des)", 2, 0),
    (Kind::Encrypt, "cbc(des3_ede)", 3, 0),
    (Kind::Encrypt, "cbc(cast5)", 6, 0),
    (Kind::Encrypt, "cbc(blowfish)", 7, 0),
    (Kind::Encrypt, "cbc(aes)", 12, 0),
    (Kind::Encrypt, "cbc(camellia)", 22, 0),
    (Kind::Encrypt, "cbc(twofish)", 253, 0),
    (Kind::Encrypt, "rfc3686(ctr(aes))", 13, 0),
    (Kind::Compress, "deflate", 2, 0),
    (Kind::Compress, "lzs", 3, 0),
];

#[test]
fn xfrm_names_and_pfkey_truncation_match_the_kernel() {
    for &(kind, name, id, trunc) in XFRM_ALGO_C {
        let a = find_pfkey(kind.class(), id)
            .unwrap_or_else(|| panic!("no row for {kind} id {id} ({name})"));
        assert_eq!(a.kind, kind, "{name}");
        assert_eq!(a.xfrm_name, Some(name), "XFRM name for {kind} id {id}");
        assert_eq!(a.pfkey_icv_bits, trunc, "{name} truncation over PF_KEY");
    }
    let listed = XFRM_ALGO_C.len();
    let named = all().iter().filter(|a| a.xfrm_name.is_some()).count();
    assert_eq!(listed, named, "rows with an XFRM name not in xfrm_algo.c");
    for a in all().iter().filter(|a| a.xfrm_name.is_none()) {
        assert_eq!(a.pfkey_icv_bits, 0, "{}", a.name());
    }
}

#[test]
fn only_hmac_sha256_differs_over_pfkey() {
    // The trap REFERENCE.md describes: Linux's PF_KEY truncates HMAC-SHA-256 to 96 bits.
    let differing: Vec<&str> = all()
        .iter()
        .filter(|a| a.pfkey_installable() && a.pfkey_icv_bits != a.icv_bits)
        .map(|a| a.name())
        .collect();
    assert_eq!(differing, ["hmac-sha256"]);
}

// ---- (3) uniqueness ----

#[test]
fn names_and_numbers_are_unique() {
    fn unique<K: std::hash::Hash + Eq + fmt::Debug>(what: &str, keys: Vec<K>) {
        let mut seen = HashSet::new();
        for k in keys {
            assert!(seen.insert(format!("{k:?}")), "duplicate {what}: {k:?}");
        }
    }
    unique("row", all().iter().map(|a| (a.class(), a.name())).collect());
    for ns in [Namespace::Setkey, Namespace::Racoon, Namespace::Phase1] {
        let keys = all()
            .iter()
            .flat_map(|a| a.names(ns).iter().map(move |n| (a.class(), *n)))
            .collect();
        unique(&format!("{ns:?} name"), keys);
    }
    unique(
        "PF_KEY id",
        all()
            .iter()
            .filter(|a| a.sa_flags == 0)
            .filter_map(|a| a.pfkey_id.map(|id| (a.class(), id)))
            .collect(),
    );
    unique(
        "XFRM name",
        all()
            .iter()
            .filter_map(|a| a.xfrm_name.map(|n| (a.kind, n, a.icv_bits)))
            .collect(),
    );
    unique(
        "IKE value",
        all()
            .iter()
            .filter_map(|a| a.ike_value.map(|v| (a.class(), v)))
            .collect(),
    );
    unique(
        "ESP id",
        all().iter().filter_map(|a| a.esp_transform).collect(),
    );
    unique(
        "AH id",
        all().iter().filter_map(|a| a.ah_transform).collect(),
    );
    unique(
        "auth attr",
        all().iter().filter_map(|a| a.auth_attr).collect(),
    );
    unique(
        "IPCOMP id",
        all().iter().filter_map(|a| a.ipcomp_transform).collect(),
    );
}

#[test]
fn rows_are_coherent() {
    for a in all() {
        let n = a.name();
        assert!(
            !(a.setkey_names.is_empty() && a.racoon_names.is_empty() && a.phase1_names.is_empty()),
            "{n} has no name"
        );
        assert_ne!(n, "?");
        if a.kind == Kind::Aead {
            assert!(a.icv_bits > 0, "{n}");
        }
        if matches!(a.kind, Kind::Encrypt | Kind::Aead) && a.xfrm_name.is_some() {
            assert!(a.block_bytes > 0, "{n} block size");
        }
        if a.kind == Kind::Compress {
            assert_eq!(a.key_bits, KeyBits::Fixed(&[0]), "{n}");
        }
        // Flags only ever qualify another row's PF_KEY id.
        if a.sa_flags != 0 {
            assert!(a.xfrm_name.is_none(), "{n}");
            let id = a.pfkey_id.expect("flagged row without id");
            assert!(find_pfkey(a.class(), id).is_some(), "{n}");
        }
    }
}

// ---- (4) lookups and messages ----

#[test]
fn setkey_lookups() {
    let aes = find_setkey(Class::Encrypt, "rijndael-cbc").unwrap();
    assert_eq!(
        aes.setkey_name(),
        Some("aes-cbc"),
        "setkey -D prints aes-cbc"
    );
    assert_eq!(
        find_setkey(Class::Auth, "hmac-sha2-256")
            .unwrap()
            .setkey_name(),
        Some("hmac-sha256")
    );
    let gcm = find_setkey(Class::Encrypt, "aes-gcm-16").unwrap();
    assert_eq!(gcm.kind, Kind::Aead);
    assert_eq!(
        find_setkey(Class::Compress, "deflate").unwrap().pfkey_id,
        Some(2)
    );
    // The same word means different rows in different slots.
    assert_eq!(
        find_setkey(Class::Auth, "null").unwrap().pfkey_id,
        Some(251)
    );
    assert_eq!(
        find_setkey(Class::Encrypt, "null").unwrap().pfkey_id,
        Some(11)
    );
    // setkey is case-sensitive, as the original lexer was.
    assert!(find_setkey(Class::Encrypt, "AES-CBC").is_err());
    assert!(find_setkey(Class::Auth, "aes-cbc").is_err());
}

#[test]
fn racoon_lookups() {
    let aes = find_racoon(Class::Encrypt, "rijndael").unwrap();
    assert_eq!(aes.setkey_name(), Some("aes-cbc"));
    assert_eq!(
        find_racoon(Class::Auth, "hmac_sha256").unwrap().auth_attr,
        Some(5)
    );
    assert_eq!(
        find_racoon(Class::Auth, "non_auth").unwrap().auth_attr,
        None
    );
    assert_eq!(
        find_racoon(Class::Encrypt, "null").unwrap().esp_transform,
        Some(11)
    );
    assert_eq!(
        find_racoon(Class::Encrypt, "des_iv32")
            .unwrap()
            .esp_transform,
        Some(9)
    );
    assert!(
        find_racoon(Class::Auth, "null").is_err(),
        "null is a cipher to racoon"
    );
    assert_eq!(
        find_phase1(Class::Auth, "sha256").unwrap().ike_value,
        Some(4)
    );
    assert_eq!(
        find_phase1(Class::Encrypt, "cast128").unwrap().ike_value,
        Some(6)
    );
    assert!(find_phase1(Class::Encrypt, "twofish").is_err());
    assert!(find_phase1(Class::Auth, "hmac_sha1").is_err());
}

#[test]
fn number_lookups() {
    assert_eq!(find_pfkey(Class::Encrypt, 2).unwrap().name(), "des-cbc");
    assert_eq!(find_pfkey(Class::Encrypt, 20).unwrap().name(), "aes-gcm-16");
    assert_eq!(find_pfkey(Class::Auth, 5).unwrap().name(), "hmac-sha256");
    assert_eq!(find_pfkey(Class::Compress, 2).unwrap().name(), "deflate");
    assert!(find_pfkey(Class::Auth, 200).is_none());
    assert_eq!(
        find_xfrm(Kind::Encrypt, "cbc(aes)").unwrap().name(),
        "aes-cbc"
    );
    assert_eq!(find_xfrm(Kind::Auth, "hmac(sha256)").unwrap().icv_bits, 128);
    assert!(find_xfrm(Kind::Aead, "rfc4106(gcm(aes))").is_none());
    assert_eq!(
        find_xfrm_aead("rfc4106(gcm(aes))", 96).unwrap().name(),
        "aes-gcm-12"
    );
    assert!(find_xfrm_aead("rfc4106(gcm(aes))", 32).is_none());
    assert_eq!(find_ike(Class::Encrypt, 7).unwrap().name(), "aes-cbc");
    assert_eq!(find_ike(Class::Auth, 2).unwrap().phase1_names, ["sha1"]);
    assert_eq!(find_esp_transform(20).unwrap().name(), "aes-gcm-16");
    assert_eq!(find_ah_transform(5).unwrap().name(), "hmac-sha256");
    assert_eq!(find_auth_attr(2).unwrap().name(), "hmac-sha1");
    assert_eq!(find_ipcomp_transform(2).unwrap().name(), "deflate");
    assert!(find_esp_transform(17).is_none());
}

#[test]
fn unknown_names_list_the_valid_ones() {
    let e = find_setkey(Class::Compress, "zlib").unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown compression algorithm `zlib'; valid: deflate, oui, lzs"
    );
    let e = find_setkey(Class::Encrypt, "foo").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("unknown encryption algorithm `foo'; valid: des-cbc, 3des-cbc, null, "),
        "{e}"
    );
    assert!(e.valid_names().contains(&"aes-gcm-16"));
    assert!(
        !e.valid_names().contains(&"des_iv64"),
        "racoon-only name offered to setkey"
    );
    let e = find_phase1(Class::Auth, "sha3").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("unknown hash algorithm `sha3'; valid: md5, sha1, sha2_256"),
        "{e}"
    );
    let e = find_racoon(Class::Auth, "md5").unwrap_err();
    assert!(e
        .to_string()
        .starts_with("unknown authentication algorithm `md5'; valid: hmac_md5"));
}

#[test]
fn key_length_checks() {
    let aes = find_setkey(Class::Encrypt, "aes-cbc").unwrap();
    assert!(aes.check_key_bytes(16).is_ok());
    assert!(aes.check_key_bytes(32).is_ok());
    assert_eq!(
        aes.check_key_bytes(8).unwrap_err().to_string(),
        "invalid key length for aes-cbc: 64 bits given, expected 128, 192 or 256 bits"
    );
    let bf = find_setkey(Class::Encrypt, "blowfish-cbc").unwrap();
    assert!(bf.check_key_bytes(5).is_ok());
    assert!(bf.check_key_bytes(56).is_ok());
    assert_eq!(
        bf.check_key_bytes(57).unwrap_err().to_string(),
        "invalid key length for blowfish-cbc: 456 bits given, expected 40 to 448 bits"
    );
    let null = find_setkey(Class::Encrypt, "null").unwrap();
    assert!(null.check_key_bytes(0).is_ok());
    assert_eq!(
        null.check_key_bytes(4).unwrap_err().to_string(),
        "invalid key length for null: 32 bits given, expected no key"
    );
    let sha = find_setkey(Class::Auth, "hmac-sha256").unwrap();
    assert_eq!(
        sha.check_key_bits(128).unwrap_err().to_string(),
        "invalid key length for hmac-sha256: 128 bits given, expected 256 bits"
    );
    let tcp = find_setkey(Class::Auth, "tcp-md5").unwrap();
    assert!(tcp.check_key_bytes(1).is_ok() && tcp.check_key_bytes(80).is_ok());
    assert!(tcp.check_key_bytes(0).is_err() && tcp.check_key_bytes(81).is_err());
    let tiger = find_phase1(Class::Auth, "tiger").unwrap();
    assert!(tiger.check_key_bits(0).is_err());
    assert!(aes.check_key_bytes(usize::MAX).is_err());
}

#[test]
fn key_sizes_for_tests_and_ike() {
    let smallest = |class, name| {
        find_setkey(class, name)
            .unwrap()
            .key_bits
            .smallest_nonzero()
    };
    assert_eq!(smallest(Class::Encrypt, "aes-ctr"), Some(160));
    assert_eq!(smallest(Class::Encrypt, "blowfish-cbc"), Some(40));
    assert_eq!(smallest(Class::Encrypt, "null"), None);
    assert_eq!(smallest(Class::Auth, "tcp-md5"), Some(8));
    let ctr = find_setkey(Class::Encrypt, "aes-ctr").unwrap();
    assert_eq!(ctr.cipher_key_bits(224), 192);
    assert_eq!(
        find_setkey(Class::Encrypt, "aes-cbc")
            .unwrap()
            .cipher_key_bits(256),
        256
    );
}

#[test]
fn pfkey_installability() {
    let by = |class, name| find_setkey(class, name).unwrap().pfkey_installable();
    assert!(by(Class::Auth, "hmac-sha256"));
    assert!(by(Class::Encrypt, "aes-cbc"));
    assert!(by(Class::Compress, "deflate"));
    assert!(!by(Class::Encrypt, "aes-gcm-16"), "af_key has no AEAD path");
    assert!(!by(Class::Encrypt, "des-deriv"));
    assert!(!by(Class::Auth, "keyed-md5"));
    assert!(!by(Class::Compress, "oui"));
}

#[test]
fn kinds_and_classes() {
    assert_eq!(Kind::Aead.class(), Class::Encrypt);
    assert_eq!(Kind::Aead.to_string(), "aead");
    assert_eq!(Kind::Encrypt.keyword(), "enc");
    assert_eq!(Kind::Compress.keyword(), "comp");
    assert_eq!(KeyBits::Fixed(&[64]).to_string(), "64 bits");
    assert_eq!(
        KeyBits::Range {
            min: 0,
            max: 2048,
            step: 64
        }
        .to_string(),
        "0 to 2048 bits in steps of 64"
    );
    assert!(KeyBits::Range {
        min: 0,
        max: 2048,
        step: 64
    }
    .allows(128));
    assert!(!KeyBits::Range {
        min: 0,
        max: 2048,
        step: 64
    }
    .allows(100));
}
