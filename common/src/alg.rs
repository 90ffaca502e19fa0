//! The one algorithm table.
//!
//! Every IPsec and IKE algorithm the suite knows is one row of [`all()`], and that row holds
//! every name and number anything else needs: the names setkey accepts and prints, the
//! racoon.conf names for quick mode and for the phase-1 proposal, the Linux PF_KEY id, the
//! kernel crypto API name that XFRM wants, the ICV truncation, the IKE and IPsec DOI values
//! and the key sizes. Nothing else in the project spells these mappings again: the setkey
//! parser, the `setkey -D` printer, both kernel backends and the IKE codec all ask here.
//!
//! Three kinds of name live side by side, because the original tools had three lexers:
//!
//! | namespace                  | example                   | field                          |
//! |----------------------------|---------------------------|--------------------------------|
//! | setkey `-E`/`-A`/`-C`      | `aes-cbc`, `hmac-sha256`  | [`Algorithm::setkey_names`]    |
//! | racoon.conf `sainfo`       | `aes`, `hmac_sha256`      | [`Algorithm::racoon_names`]    |
//! | racoon.conf `proposal`     | `aes`, `sha256`           | [`Algorithm::phase1_names`]    |
//!
//! The first setkey name is the one `setkey -D` prints (`E: aes-cbc`, not `rijndael-cbc`).
//!
//! Rows are grouped by [`Class`], the three algorithm slots of an SA (setkey's `-A`, `-E`
//! and `-C`, PF_KEY's auth/encrypt/compress id spaces). An AEAD such as AES-GCM sits in the
//! encryption slot, so it is found through [`Class::Encrypt`] while its [`Kind`] says it
//! needs no separate authentication algorithm.

pub mod dh;
mod table;
#[cfg(test)]
mod tests;

use std::fmt;

/// What an algorithm does, which decides how the kernel is told about it
/// (`ip xfrm state` speaks of `auth-trunc`, `enc`, `aead` and `comp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Integrity only: an HMAC or MAC for AH or ESP; also the phase-1 hash functions.
    Auth,
    /// A cipher without integrity of its own.
    Encrypt,
    /// Authenticated encryption: cipher and ICV in one, no separate `-A`.
    Aead,
    /// IPComp compression.
    Compress,
}

impl Kind {
    /// The word `ip xfrm state add` uses for this kind of algorithm, and what the
    /// `alg_table` example prints: `auth`, `enc`, `aead` or `comp`.
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Auth => "auth",
            Kind::Encrypt => "enc",
            Kind::Aead => "aead",
            Kind::Compress => "comp",
        }
    }

    /// The SA slot this kind of algorithm occupies.
    pub fn class(self) -> Class {
        match self {
            Kind::Auth => Class::Auth,
            Kind::Encrypt | Kind::Aead => Class::Encrypt,
            Kind::Compress => Class::Compress,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// The algorithm slot of an SA: setkey's `-A`, `-E` and `-C`, racoon's
/// `authentication_algorithm`, `encryption_algorithm` and `compression_algorithm`, and
/// PF_KEY's three id spaces (`sadb_sa_auth`, `sadb_sa_encrypt` which IPComp reuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Auth,
    Encrypt,
    Compress,
}

impl Class {
    /// The adjective error messages use: "unknown encryption algorithm".
    pub fn adjective(self) -> &'static str {
        match self {
            Class::Auth => "authentication",
            Class::Encrypt => "encryption",
            Class::Compress => "compression",
        }
    }
}

/// Which configuration language a name belongs to; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Namespace {
    /// setkey(8): `-E aes-cbc`, `-A hmac-sha256`, `-C deflate`.
    Setkey,
    /// racoon.conf(5) `sainfo` (quick mode): `encryption_algorithm aes`.
    Racoon,
    /// racoon.conf(5) `proposal` (phase 1): `encryption_algorithm aes; hash_algorithm sha1`.
    Phase1,
}

/// The key sizes an algorithm accepts, in bits of keying material as setkey and the kernel
/// take it: for AES-CTR and AES-GCM that includes the 32-bit nonce or salt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyBits {
    /// Exactly these sizes. `[0]` means the algorithm takes no key; an empty list marks an
    /// algorithm known here only by name and number, which nothing can key.
    Fixed(&'static [u16]),
    /// Any size from `min` to `max` inclusive that is a multiple of `step`.
    Range { min: u16, max: u16, step: u16 },
}

impl KeyBits {
    /// Whether a key of `bits` bits is acceptable.
    pub fn allows(self, bits: u32) -> bool {
        match self {
            KeyBits::Fixed(sizes) => sizes.iter().any(|&s| u32::from(s) == bits),
            KeyBits::Range { min, max, step } => {
                (u32::from(min)..=u32::from(max)).contains(&bits)
                    && (bits - u32::from(min)) % u32::from(step.max(1)) == 0
            }
        }
    }

    /// The smallest nonzero size, for tests that must key every algorithm; `None` for a
    /// keyless algorithm.
    pub fn smallest_nonzero(self) -> Option<u16> {
        match self {
            KeyBits::Fixed(sizes) => sizes.iter().copied().filter(|&s| s > 0).min(),
            KeyBits::Range { min: 0, step, .. } => Some(step).filter(|&s| s > 0),
            KeyBits::Range { min, .. } => Some(min),
        }
    }
}

impl fmt::Display for KeyBits {
    /// Phrased to end "expected ...": `no key`, `64 bits`, `128, 192 or 256 bits`,
    /// `40 to 448 bits`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            KeyBits::Fixed([]) => f.write_str("no supported key size"),
            KeyBits::Fixed([0]) => f.write_str("no key"),
            KeyBits::Fixed(sizes) => {
                for (i, s) in sizes.iter().enumerate() {
                    if i > 0 {
                        f.write_str(if i + 1 == sizes.len() { " or " } else { ", " })?;
                    }
                    if *s == 0 {
                        f.write_str("no key")?;
                    } else {
                        write!(f, "{s}")?;
                    }
                }
                f.write_str(" bits")
            }
            KeyBits::Range { min, max, step } if step <= 8 => write!(f, "{min} to {max} bits"),
            KeyBits::Range { min, max, step } => {
                write!(f, "{min} to {max} bits in steps of {step}")
            }
        }
    }
}

/// `sadb_sa_flags` bits a setkey name implies (KAME's `SADB_X_EXT_*`, from ipsec-tools'
/// own `net/pfkeyv2.h`, since Linux defines none of them). Linux ignores these flags when
/// it installs an SA, which is why rows that need them have no XFRM name.
pub mod sa_flags {
    /// Old-style (RFC 1827/1829) ESP or AH: setkey's `esp-old` / `ah-old`.
    pub const OLD: u32 = 0x0001;
    /// A 4-byte IV; `des-32iv`, only with `esp-old`.
    pub const IV4B: u32 = 0x0010;
    /// The IV is derived from the sequence number; `des-deriv`, never with `esp-old`.
    pub const DERIV: u32 = 0x0020;
}

/// One algorithm: every name and number for it. Read the fields; rows are built only in
/// this module's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Algorithm {
    pub kind: Kind,
    /// Names setkey accepts; the first is what `setkey -D` prints. Empty for algorithms
    /// only racoon.conf can name.
    pub setkey_names: &'static [&'static str],
    /// racoon.conf `sainfo` names, the first being racoon's own spelling in its logs.
    /// Names the original racoon did not have (AES-CTR, AES-GCM, GMAC, XCBC, RIPEMD) are
    /// this project's extension, spelled in racoon's style.
    pub racoon_names: &'static [&'static str],
    /// racoon.conf phase-1 `proposal` names: `encryption_algorithm` for ciphers,
    /// `hash_algorithm` for [`Kind::Auth`] rows.
    pub phase1_names: &'static [&'static str],
    /// The Linux PF_KEY v2 id (`SADB_AALG_*`, `SADB_EALG_*`, `SADB_X_CALG_*`) in the id
    /// space of [`Kind::class`]; `None` where Linux defines none, in which case the
    /// original setkey refused the algorithm with "Not supported".
    pub pfkey_id: Option<u8>,
    /// [`sa_flags`] the setkey name sets on top of `pfkey_id`; 0 for ordinary rows.
    pub sa_flags: u32,
    /// The kernel crypto API name XFRM installs (`hmac(sha256)`, `rfc4106(gcm(aes))`);
    /// `None` where Linux's XFRM has no such algorithm.
    pub xfrm_name: Option<&'static str>,
    /// ICV length in bits on the wire: the truncated HMAC output RFC 2403, 2404, 2857,
    /// 3566 and 4868 prescribe for ESP and AH, or the AEAD tag. 0 for ciphers, compression
    /// and the null algorithm.
    pub icv_bits: u16,
    /// The truncation Linux applies when the SA is installed over PF_KEY, which cannot
    /// carry one (the kernel's xfrm_algo.c default). Where it differs from
    /// [`icv_bits`](Self::icv_bits) (HMAC-SHA-256: 96 instead of 128) a PF_KEY SA cannot
    /// talk to a correct peer, and the PF_KEY backend must say so.
    pub pfkey_icv_bits: u16,
    /// Full output length of the hash or MAC, for IKE's PRF and HASH payloads.
    pub digest_bits: u16,
    /// Acceptable key sizes, nonce or salt included.
    pub key_bits: KeyBits,
    /// Trailing bits of the keying material that are a nonce (RFC 3686) or salt
    /// (RFC 4106, 4543) rather than cipher key; IKE's Key Length attribute excludes them.
    pub salt_bits: u16,
    /// Key size racoon uses when a proposal carries no Key Length attribute.
    pub default_key_bits: u16,
    /// Block size in bytes ESP pads the plaintext to; 1 for counter modes and null.
    pub block_bytes: u8,
    /// Bytes of explicit IV each ESP packet carries.
    pub iv_bytes: u8,
    /// IKE phase-1 attribute value (RFC 2409 appendix A): Encryption Algorithm (class 1)
    /// for ciphers, Hash Algorithm (class 2) for [`Kind::Auth`] rows.
    pub ike_value: Option<u16>,
    /// IPsec DOI ESP transform id (RFC 2407 4.4.4 and later IANA assignments).
    pub esp_transform: Option<u8>,
    /// IPsec DOI AH transform id (RFC 2407 4.4.3 and later).
    pub ah_transform: Option<u8>,
    /// IPsec DOI "Authentication Algorithm" SA attribute value (RFC 2407 4.5). Absent for
    /// the null algorithm: ESP without authentication omits the attribute.
    pub auth_attr: Option<u16>,
    /// IPsec DOI IPCOMP transform id (RFC 2407 4.4.5).
    pub ipcomp_transform: Option<u8>,
}

impl Algorithm {
    /// The name to show a person: the setkey name where there is one, else racoon's.
    pub fn name(&self) -> &'static str {
        self.setkey_names
            .first()
            .or_else(|| self.racoon_names.first())
            .or_else(|| self.phase1_names.first())
            .copied()
            .unwrap_or("?")
    }

    /// The name `setkey -D` prints, if setkey can name this algorithm at all.
    pub fn setkey_name(&self) -> Option<&'static str> {
        self.setkey_names.first().copied()
    }

    /// Names of this row in one namespace.
    pub fn names(&self, namespace: Namespace) -> &'static [&'static str] {
        match namespace {
            Namespace::Setkey => self.setkey_names,
            Namespace::Racoon => self.racoon_names,
            Namespace::Phase1 => self.phase1_names,
        }
    }

    /// The key size IKE's Key Length attribute means when it is absent: the cipher key
    /// alone. For AES-CTR (RFC 3686) and AES-GCM (RFC 4106) the attribute counts only the
    /// AES key, while the kernel's key (and setkey's) carries the nonce or salt after it.
    pub fn ike_default_key_bits(&self) -> u16 {
        self.default_key_bits.saturating_sub(self.salt_bits)
    }

    /// Bytes of quick mode's KEYMAT an SA's key of this algorithm takes, for a cipher
    /// key of `key_bits` (IKE's Key Length attribute; the default where absent): the
    /// key, then the salt or nonce (RFC 3686 section 5.1, RFC 4106 section 8.1).
    pub fn keymat_bytes(&self, key_bits: Option<u16>) -> usize {
        let key = key_bits.unwrap_or_else(|| self.ike_default_key_bits());
        (usize::from(key) + usize::from(self.salt_bits)) / 8
    }

    /// The SA slot this algorithm occupies.
    pub fn class(&self) -> Class {
        self.kind.class()
    }

    /// Whether Linux's PF_KEY can install this algorithm. It looks ids up in its cipher,
    /// hash and compressor lists only, so AEADs are out; it ignores [`sa_flags`]; and an
    /// id with no kernel implementation behind it fails with ENOSYS.
    pub fn pfkey_installable(&self) -> bool {
        self.pfkey_id.is_some()
            && self.xfrm_name.is_some()
            && self.sa_flags == 0
            && self.kind != Kind::Aead
    }

    /// Checks a key length in bits against [`key_bits`](Self::key_bits).
    pub fn check_key_bits(&self, bits: u32) -> Result<(), KeyLengthError> {
        if self.key_bits.allows(bits) {
            Ok(())
        } else {
            Err(KeyLengthError {
                algorithm: self.name(),
                bits,
                expected: self.key_bits,
            })
        }
    }

    /// Checks a key given as bytes, the way setkey and racoon hold keys.
    pub fn check_key_bytes(&self, len: usize) -> Result<(), KeyLengthError> {
        let bits = u32::try_from(len).unwrap_or(u32::MAX / 8).saturating_mul(8);
        self.check_key_bits(bits)
    }

    /// The cipher key length IKE's Key Length attribute states for `key_bits` of keying
    /// material: the nonce or salt does not count.
    pub fn cipher_key_bits(&self, key_bits: u16) -> u16 {
        key_bits.saturating_sub(self.salt_bits)
    }
}

/// Every row, in the order error messages list the names.
pub fn all() -> &'static [Algorithm] {
    table::ROWS
}

/// All names of one class in one namespace, in table order, aliases included.
pub fn valid_names(namespace: Namespace, class: Class) -> impl Iterator<Item = &'static str> {
    all()
        .iter()
        .filter(move |a| a.class() == class)
        .flat_map(move |a| a.names(namespace).iter().copied())
}

/// Looks a name up in one namespace and class; the error can list what would be valid.
pub fn find(
    namespace: Namespace,
    class: Class,
    name: &str,
) -> Result<&'static Algorithm, UnknownAlgorithm> {
    all()
        .iter()
        .find(|a| a.class() == class && a.names(namespace).contains(&name))
        .ok_or_else(|| UnknownAlgorithm {
            namespace,
            class,
            name: name.to_owned(),
        })
}

/// setkey's `-A`, `-E` (ciphers and AEADs) and `-C` names.
pub fn find_setkey(class: Class, name: &str) -> Result<&'static Algorithm, UnknownAlgorithm> {
    find(Namespace::Setkey, class, name)
}

/// racoon.conf `sainfo` names.
pub fn find_racoon(class: Class, name: &str) -> Result<&'static Algorithm, UnknownAlgorithm> {
    find(Namespace::Racoon, class, name)
}

/// racoon.conf phase-1 `proposal` names: [`Class::Encrypt`] for `encryption_algorithm`,
/// [`Class::Auth`] for `hash_algorithm`.
pub fn find_phase1(class: Class, name: &str) -> Result<&'static Algorithm, UnknownAlgorithm> {
    find(Namespace::Phase1, class, name)
}

/// The algorithm a PF_KEY id means in one id space, as a kernel dump reports it. Rows
/// that only add [`sa_flags`] to another row's id (`des-deriv`) are never the answer.
pub fn find_pfkey(class: Class, id: u8) -> Option<&'static Algorithm> {
    all()
        .iter()
        .find(|a| a.class() == class && a.sa_flags == 0 && a.pfkey_id == Some(id))
}

/// The algorithm behind an XFRM name of one kind (`XFRMA_ALG_AUTH_TRUNC`, `_CRYPT`,
/// `_COMP`). AEADs share names, so use [`find_xfrm_aead`] for them.
pub fn find_xfrm(kind: Kind, name: &str) -> Option<&'static Algorithm> {
    if kind == Kind::Aead {
        return None;
    }
    all()
        .iter()
        .find(|a| a.kind == kind && a.xfrm_name == Some(name))
}

/// The AEAD behind an `XFRMA_ALG_AEAD` name and ICV length: `rfc4106(gcm(aes))` is three
/// algorithms told apart by their tags.
pub fn find_xfrm_aead(name: &str, icv_bits: u16) -> Option<&'static Algorithm> {
    all()
        .iter()
        .find(|a| a.kind == Kind::Aead && a.xfrm_name == Some(name) && a.icv_bits == icv_bits)
}

/// The algorithm an IKE phase-1 attribute value names: class 1 (Encryption Algorithm)
/// with [`Class::Encrypt`], class 2 (Hash Algorithm) with [`Class::Auth`].
pub fn find_ike(class: Class, value: u16) -> Option<&'static Algorithm> {
    all()
        .iter()
        .find(|a| a.class() == class && a.ike_value == Some(value))
}

/// The algorithm an IPsec DOI ESP transform id names.
pub fn find_esp_transform(id: u8) -> Option<&'static Algorithm> {
    all().iter().find(|a| a.esp_transform == Some(id))
}

/// The algorithm an IPsec DOI AH transform id names.
pub fn find_ah_transform(id: u8) -> Option<&'static Algorithm> {
    all().iter().find(|a| a.ah_transform == Some(id))
}

/// The algorithm an IPsec DOI "Authentication Algorithm" attribute value names.
pub fn find_auth_attr(value: u16) -> Option<&'static Algorithm> {
    all().iter().find(|a| a.auth_attr == Some(value))
}

/// The algorithm an IPsec DOI IPCOMP transform id names.
pub fn find_ipcomp_transform(id: u8) -> Option<&'static Algorithm> {
    all().iter().find(|a| a.ipcomp_transform == Some(id))
}

/// A name that is not in the table. Its message lists the valid names, because the one
/// thing a person with a typo in setkey.conf needs is the right spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAlgorithm {
    pub namespace: Namespace,
    pub class: Class,
    pub name: String,
}

impl UnknownAlgorithm {
    /// The names that would have been accepted, in table order.
    pub fn valid_names(&self) -> Vec<&'static str> {
        valid_names(self.namespace, self.class).collect()
    }
}

impl fmt::Display for UnknownAlgorithm {
    /// `unknown encryption algorithm `foo'; valid: des-cbc, 3des-cbc, ...` (the quotes are
    /// the original tools' style). Phase-1 auth rows are hash algorithms there.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match (self.namespace, self.class) {
            (Namespace::Phase1, Class::Auth) => "hash",
            (_, class) => class.adjective(),
        };
        write!(f, "unknown {what} algorithm `{}'; valid: ", self.name)?;
        let names = self.valid_names();
        if names.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&names.join(", "))
        }
    }
}

impl std::error::Error for UnknownAlgorithm {}

/// A key of the wrong size for its algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLengthError {
    /// The algorithm's [`Algorithm::name`].
    pub algorithm: &'static str,
    /// The size given.
    pub bits: u32,
    /// What the algorithm accepts.
    pub expected: KeyBits,
}

impl fmt::Display for KeyLengthError {
    /// `invalid key length for aes-cbc: 64 bits given, expected 128, 192 or 256 bits`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid key length for {}: {} bits given, expected {}",
            self.algorithm, self.bits, self.expected
        )
    }
}

impl std::error::Error for KeyLengthError {}
