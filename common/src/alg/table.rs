//! The rows. Where each number comes from is said once, here, per group; the tests check
//! the numbers against the Linux header and a separate transcription of the RFCs.
//!
//! Sources:
//! - setkey names and what `setkey -D` prints: ipsec-tools `src/setkey/token.l`,
//!   `src/libipsec/pfkey_dump.c`, setkey(8). `aes-gcm-*` and `aes-gmac` follow NetBSD's
//!   setkey, which has them; the original on Linux did not.
//! - racoon.conf names: `src/racoon/cftoken.l`, `src/racoon/algorithm.c`; racoon's default
//!   key sizes: the `eay_*_keylen` functions of `src/racoon/crypto_openssl.c`.
//! - PF_KEY ids: Linux `include/uapi/linux/pfkeyv2.h`.
//! - XFRM names and the truncation Linux applies over PF_KEY: Linux `net/xfrm/xfrm_algo.c`.
//! - ICVs: RFC 2403 (MD5), 2404 (SHA-1), 2857 (RIPEMD-160), 3566 (XCBC), 4868 (SHA-2),
//!   4106 (GCM), 4543 (GMAC).
//! - IKE and DOI values: RFC 2407, RFC 2409 appendix A and the IANA registries that
//!   extend them (RFC 3602, 3686, 4106, 4312, 4543, 4868, 2857, 3566).

use super::{sa_flags, Algorithm, KeyBits, Kind};

/// Everything absent; rows override what applies to them.
const NONE: Algorithm = Algorithm {
    kind: Kind::Auth,
    setkey_names: &[],
    racoon_names: &[],
    phase1_names: &[],
    pfkey_id: None,
    sa_flags: 0,
    xfrm_name: None,
    icv_bits: 0,
    pfkey_icv_bits: 0,
    digest_bits: 0,
    key_bits: KeyBits::Fixed(&[]),
    salt_bits: 0,
    default_key_bits: 0,
    block_bytes: 0,
    iv_bytes: 0,
    ike_value: None,
    esp_transform: None,
    ah_transform: None,
    auth_attr: None,
    ipcomp_transform: None,
};

const NO_KEY: KeyBits = KeyBits::Fixed(&[0]);
const AES_KEYS: KeyBits = KeyBits::Fixed(&[128, 192, 256]);
/// AES key plus the 32-bit nonce (RFC 3686) or salt (RFC 4106, 4543).
const AES_SALTED_KEYS: KeyBits = KeyBits::Fixed(&[160, 224, 288]);

pub(super) static ROWS: &[Algorithm] = &[
    // ---- Authentication (setkey -A), in setkey(8)'s order ----
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["hmac-md5"],
        racoon_names: &["hmac_md5"],
        phase1_names: &["md5"],
        pfkey_id: Some(2),
        xfrm_name: Some("hmac(md5)"),
        icv_bits: 96,
        pfkey_icv_bits: 96,
        digest_bits: 128,
        key_bits: KeyBits::Fixed(&[128]),
        ike_value: Some(1),
        ah_transform: Some(2),
        auth_attr: Some(1),
        ..NONE
    },
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["hmac-sha1"],
        racoon_names: &["hmac_sha1"],
        phase1_names: &["sha1"],
        pfkey_id: Some(3),
        xfrm_name: Some("hmac(sha1)"),
        icv_bits: 96,
        pfkey_icv_bits: 96,
        digest_bits: 160,
        key_bits: KeyBits::Fixed(&[160]),
        ike_value: Some(2),
        ah_transform: Some(3),
        auth_attr: Some(2),
        ..NONE
    },
    // KAME's keyed hashes: ipsec-tools gives them private ids 249/250 that Linux never
    // registers, so setkey reports "Not supported".
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["keyed-md5"],
        icv_bits: 96,
        digest_bits: 128,
        key_bits: KeyBits::Fixed(&[128]),
        ..NONE
    },
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["keyed-sha1"],
        icv_bits: 96,
        digest_bits: 160,
        key_bits: KeyBits::Fixed(&[160]),
        ..NONE
    },
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["null"],
        racoon_names: &["non_auth"],
        pfkey_id: Some(251),
        xfrm_name: Some("digest_null"),
        key_bits: NO_KEY,
        ..NONE
    },
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["hmac-sha256", "hmac-sha2-256"],
        racoon_names: &["hmac_sha2_256", "hmac_sha256"],
        phase1_names: &["sha2_256", "sha256"],
        pfkey_id: Some(5),
        xfrm_name: Some("hmac(sha256)"),
        icv_bits: 128,
        // Linux predates RFC 4868 here and still truncates to 96 over PF_KEY.
        pfkey_icv_bits: 96,
        digest_bits: 256,
        key_bits: KeyBits::Fixed(&[256]),
        ike_value: Some(4),
        ah_transform: Some(5),
        auth_attr: Some(5),
        ..NONE
    },
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["hmac-sha384", "hmac-sha2-384"],
        racoon_names: &["hmac_sha2_384", "hmac_sha384"],
        phase1_names: &["sha2_384", "sha384"],
        pfkey_id: Some(6),
        xfrm_name: Some("hmac(sha384)"),
        icv_bits: 192,
        pfkey_icv_bits: 192,
        digest_bits: 384,
        key_bits: KeyBits::Fixed(&[384]),
        ike_value: Some(5),
        ah_transform: Some(6),
        auth_attr: Some(6),
        ..NONE
    },
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["hmac-sha512", "hmac-sha2-512"],
        racoon_names: &["hmac_sha2_512", "hmac_sha512"],
        phase1_names: &["sha2_512", "sha512"],
        pfkey_id: Some(7),
        xfrm_name: Some("hmac(sha512)"),
        icv_bits: 256,
        pfkey_icv_bits: 256,
        digest_bits: 512,
        key_bits: KeyBits::Fixed(&[512]),
        ike_value: Some(6),
        ah_transform: Some(7),
        auth_attr: Some(7),
        ..NONE
    },
    // Linux dropped hmac(rmd160) from XFRM in 2026 (ipsec-next); older kernels have it.
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["hmac-ripemd160"],
        racoon_names: &["hmac_ripemd160"],
        pfkey_id: Some(8),
        xfrm_name: Some("hmac(rmd160)"),
        icv_bits: 96,
        pfkey_icv_bits: 96,
        digest_bits: 160,
        key_bits: KeyBits::Fixed(&[160]),
        ah_transform: Some(8),
        auth_attr: Some(8),
        ..NONE
    },
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["aes-xcbc-mac"],
        racoon_names: &["aes_xcbc_mac"],
        pfkey_id: Some(9),
        xfrm_name: Some("xcbc(aes)"),
        icv_bits: 96,
        pfkey_icv_bits: 96,
        digest_bits: 128,
        key_bits: KeyBits::Fixed(&[128]),
        ah_transform: Some(9),
        auth_attr: Some(9),
        ..NONE
    },
    // RFC 2385 TCP signatures: a BSD PF_KEY feature; Linux does this with the TCP_MD5SIG
    // socket option, so neither kernel interface here has it. The full MD5 digest is sent.
    Algorithm {
        kind: Kind::Auth,
        setkey_names: &["tcp-md5"],
        icv_bits: 128,
        digest_bits: 128,
        key_bits: KeyBits::Range {
            min: 8,
            max: 640,
            step: 8,
        },
        ..NONE
    },
    // Known to racoon.conf's lexer and the DOI, usable nowhere.
    Algorithm {
        kind: Kind::Auth,
        racoon_names: &["des_mac"],
        ah_transform: Some(4),
        auth_attr: Some(3),
        ..NONE
    },
    Algorithm {
        kind: Kind::Auth,
        racoon_names: &["kpdk"],
        auth_attr: Some(4),
        ..NONE
    },
    Algorithm {
        kind: Kind::Auth,
        phase1_names: &["tiger"],
        digest_bits: 192,
        ike_value: Some(3),
        ..NONE
    },
    // ---- Encryption (setkey -E), in setkey(8)'s order ----
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["des-cbc"],
        racoon_names: &["des"],
        phase1_names: &["des"],
        pfkey_id: Some(2),
        xfrm_name: Some("cbc(des)"),
        key_bits: KeyBits::Fixed(&[64]),
        default_key_bits: 64,
        block_bytes: 8,
        iv_bytes: 8,
        ike_value: Some(1),
        esp_transform: Some(2),
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["3des-cbc"],
        racoon_names: &["3des"],
        phase1_names: &["3des"],
        pfkey_id: Some(3),
        xfrm_name: Some("cbc(des3_ede)"),
        key_bits: KeyBits::Fixed(&[192]),
        default_key_bits: 192,
        block_bytes: 8,
        iv_bytes: 8,
        ike_value: Some(5),
        esp_transform: Some(3),
        ..NONE
    },
    // `simple` is the original's obsolete spelling; setkey warns when it sees it.
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["null", "simple"],
        racoon_names: &["null_enc", "null"],
        pfkey_id: Some(11),
        xfrm_name: Some("ecb(cipher_null)"),
        key_bits: NO_KEY,
        block_bytes: 1,
        esp_transform: Some(11),
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["blowfish-cbc"],
        racoon_names: &["blowfish"],
        phase1_names: &["blowfish"],
        pfkey_id: Some(7),
        xfrm_name: Some("cbc(blowfish)"),
        key_bits: KeyBits::Range {
            min: 40,
            max: 448,
            step: 8,
        },
        // racoon's choice; RFC 2451 suggests 128.
        default_key_bits: 448,
        block_bytes: 8,
        iv_bytes: 8,
        ike_value: Some(3),
        esp_transform: Some(7),
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["cast128-cbc"],
        racoon_names: &["cast128"],
        phase1_names: &["cast128"],
        pfkey_id: Some(6),
        xfrm_name: Some("cbc(cast5)"),
        key_bits: KeyBits::Range {
            min: 40,
            max: 128,
            step: 8,
        },
        default_key_bits: 128,
        block_bytes: 8,
        iv_bytes: 8,
        ike_value: Some(6),
        esp_transform: Some(6),
        ..NONE
    },
    // KAME's variants of DES: the same PF_KEY id plus a flag Linux ignores, so they have
    // no XFRM name (installing plain DES instead would be a silent downgrade).
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["des-deriv"],
        pfkey_id: Some(2),
        sa_flags: sa_flags::DERIV,
        key_bits: KeyBits::Fixed(&[64]),
        block_bytes: 8,
        // KAME's esp_descbc_ivlen: the old 4-byte header field, IV derived from it.
        iv_bytes: 4,
        ..NONE
    },
    // Named in setkey(8) only: the original lexer never accepted it and KAME kernels
    // refused DERIV for 3DES. Kept so that the name gets "not supported", not "unknown".
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["3des-deriv"],
        pfkey_id: Some(3),
        sa_flags: sa_flags::DERIV,
        key_bits: KeyBits::Fixed(&[192]),
        block_bytes: 8,
        iv_bytes: 4,
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["des-32iv"],
        racoon_names: &["des_iv32"],
        pfkey_id: Some(2),
        sa_flags: sa_flags::OLD | sa_flags::IV4B,
        key_bits: KeyBits::Fixed(&[64]),
        default_key_bits: 64,
        block_bytes: 8,
        iv_bytes: 4,
        esp_transform: Some(9),
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["aes-cbc", "rijndael-cbc"],
        racoon_names: &["aes", "rijndael"],
        phase1_names: &["aes", "rijndael"],
        pfkey_id: Some(12),
        xfrm_name: Some("cbc(aes)"),
        key_bits: AES_KEYS,
        default_key_bits: 128,
        block_bytes: 16,
        iv_bytes: 16,
        ike_value: Some(7),
        esp_transform: Some(12),
        ..NONE
    },
    // No IANA ESP id: 253 is from the private range, as racoon and KAME used it.
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["twofish-cbc"],
        racoon_names: &["twofish"],
        pfkey_id: Some(253),
        xfrm_name: Some("cbc(twofish)"),
        key_bits: AES_KEYS,
        default_key_bits: 128,
        block_bytes: 16,
        iv_bytes: 16,
        esp_transform: Some(253),
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["aes-ctr"],
        racoon_names: &["aes_ctr"],
        pfkey_id: Some(13),
        xfrm_name: Some("rfc3686(ctr(aes))"),
        key_bits: AES_SALTED_KEYS,
        salt_bits: 32,
        default_key_bits: 160,
        block_bytes: 1,
        iv_bytes: 8,
        esp_transform: Some(13),
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        setkey_names: &["camellia-cbc"],
        racoon_names: &["camellia"],
        phase1_names: &["camellia"],
        pfkey_id: Some(22),
        xfrm_name: Some("cbc(camellia)"),
        key_bits: AES_KEYS,
        default_key_bits: 128,
        block_bytes: 16,
        iv_bytes: 16,
        ike_value: Some(8),
        esp_transform: Some(22),
        ..NONE
    },
    // racoon.conf-only ciphers: the lexer and the DOI know them, no kernel does.
    Algorithm {
        kind: Kind::Encrypt,
        racoon_names: &["des_iv64"],
        pfkey_id: Some(2),
        sa_flags: sa_flags::OLD,
        key_bits: KeyBits::Fixed(&[64]),
        default_key_bits: 64,
        block_bytes: 8,
        iv_bytes: 8,
        esp_transform: Some(1),
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        racoon_names: &["rc5"],
        phase1_names: &["rc5"],
        key_bits: KeyBits::Range {
            min: 40,
            max: 2040,
            step: 8,
        },
        default_key_bits: 128,
        block_bytes: 8,
        iv_bytes: 8,
        ike_value: Some(4),
        esp_transform: Some(4),
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        racoon_names: &["idea"],
        phase1_names: &["idea"],
        key_bits: KeyBits::Fixed(&[128]),
        default_key_bits: 128,
        block_bytes: 8,
        iv_bytes: 8,
        ike_value: Some(2),
        esp_transform: Some(5),
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        racoon_names: &["3idea"],
        esp_transform: Some(8),
        ..NONE
    },
    Algorithm {
        kind: Kind::Encrypt,
        racoon_names: &["rc4"],
        esp_transform: Some(10),
        ..NONE
    },
    // ---- AEAD (setkey -E, no -A): beyond the original on Linux ----
    Algorithm {
        kind: Kind::Aead,
        setkey_names: &["aes-gcm-8"],
        racoon_names: &["aes_gcm_8"],
        pfkey_id: Some(18),
        xfrm_name: Some("rfc4106(gcm(aes))"),
        icv_bits: 64,
        pfkey_icv_bits: 64,
        key_bits: AES_SALTED_KEYS,
        salt_bits: 32,
        default_key_bits: 160,
        block_bytes: 1,
        iv_bytes: 8,
        esp_transform: Some(18),
        ..NONE
    },
    Algorithm {
        kind: Kind::Aead,
        setkey_names: &["aes-gcm-12"],
        racoon_names: &["aes_gcm_12"],
        pfkey_id: Some(19),
        xfrm_name: Some("rfc4106(gcm(aes))"),
        icv_bits: 96,
        pfkey_icv_bits: 96,
        key_bits: AES_SALTED_KEYS,
        salt_bits: 32,
        default_key_bits: 160,
        block_bytes: 1,
        iv_bytes: 8,
        esp_transform: Some(19),
        ..NONE
    },
    Algorithm {
        kind: Kind::Aead,
        setkey_names: &["aes-gcm-16"],
        racoon_names: &["aes_gcm_16"],
        pfkey_id: Some(20),
        xfrm_name: Some("rfc4106(gcm(aes))"),
        icv_bits: 128,
        pfkey_icv_bits: 128,
        key_bits: AES_SALTED_KEYS,
        salt_bits: 32,
        default_key_bits: 160,
        block_bytes: 1,
        iv_bytes: 8,
        esp_transform: Some(20),
        ..NONE
    },
    // GMAC authenticates without encrypting, but the kernel installs it as an AEAD.
    Algorithm {
        kind: Kind::Aead,
        setkey_names: &["aes-gmac", "null-aes-gmac"],
        racoon_names: &["null_aes_gmac"],
        pfkey_id: Some(23),
        xfrm_name: Some("rfc4543(gcm(aes))"),
        icv_bits: 128,
        pfkey_icv_bits: 128,
        key_bits: AES_SALTED_KEYS,
        salt_bits: 32,
        default_key_bits: 160,
        block_bytes: 1,
        iv_bytes: 8,
        esp_transform: Some(23),
        ..NONE
    },
    // ---- Compression (setkey -C) ----
    Algorithm {
        kind: Kind::Compress,
        setkey_names: &["deflate"],
        racoon_names: &["deflate"],
        pfkey_id: Some(2),
        xfrm_name: Some("deflate"),
        key_bits: NO_KEY,
        ipcomp_transform: Some(2),
        ..NONE
    },
    // Linux has an id for OUI but no compressor behind it.
    Algorithm {
        kind: Kind::Compress,
        setkey_names: &["oui"],
        racoon_names: &["oui"],
        pfkey_id: Some(1),
        key_bits: NO_KEY,
        ipcomp_transform: Some(1),
        ..NONE
    },
    // XFRM knows the name, but the kernel ships no LZS compressor, so installing fails
    // unless a module provides one.
    Algorithm {
        kind: Kind::Compress,
        setkey_names: &["lzs"],
        racoon_names: &["lzs"],
        pfkey_id: Some(3),
        xfrm_name: Some("lzs"),
        key_bits: NO_KEY,
        ipcomp_transform: Some(3),
        ..NONE
    },
];
