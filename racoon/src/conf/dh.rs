//! Diffie-Hellman group names as racoon.conf writes them.
//!
//! TEMPORARY HOME: this is the one DH-group table until the crypto module takes it over
//! (it will own the primes and the IKE attribute values; this table then becomes a lookup
//! there). Only names and group numbers live here, and only this file spells them.
//!
//! racoon accepted the names of `cftoken.l` and the bare numbers of `cfparse.y`'s
//! `num2dhgroup` (1, 2, 3, 4, 5, 14 to 18). The EC2N groups 3 and 4 are listed so that
//! files naming them still read; nothing implements them (see `Feature::Ec2nGroup`).
//! The random ECP groups 19 to 21 of RFC 5903 are racoon-rs additions (the original
//! and its maintained fork know none): `ecp256`, `ecp384`, `ecp521` or the numbers.

/// A DH group by its IANA / RFC 2409 group number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DhGroup(pub u16);

/// Name and number, in the order messages list them.
const GROUPS: &[(&str, u16)] = &[
    ("modp768", 1),
    ("modp1024", 2),
    ("ec2n155", 3),
    ("ec2n185", 4),
    ("modp1536", 5),
    ("modp2048", 14),
    ("modp3072", 15),
    ("modp4096", 16),
    ("modp6144", 17),
    ("modp8192", 18),
    ("ecp256", 19),
    ("ecp384", 20),
    ("ecp521", 21),
];

/// What an unknown-group message lists.
pub const VALID_NAMES: &str = "modp768, modp1024, ec2n155, ec2n185, modp1536, modp2048, \
     modp3072, modp4096, modp6144, modp8192, ecp256, ecp384, ecp521, or their numbers 1, 2, 3, \
     4, 5, 14 to 21";

impl DhGroup {
    /// The group a racoon.conf word names: a name or a group number.
    pub fn from_word(word: &str) -> Option<DhGroup> {
        if let Some(&(_, n)) = GROUPS.iter().find(|(name, _)| *name == word) {
            return Some(DhGroup(n));
        }
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit()) || word.len() > 5 {
            return None;
        }
        let n: u16 = word.parse().ok()?;
        GROUPS.iter().any(|&(_, g)| g == n).then_some(DhGroup(n))
    }

    /// racoon's name for the group (`modp1024`).
    pub fn name(self) -> &'static str {
        GROUPS
            .iter()
            .find(|&&(_, n)| n == self.0)
            .map_or("unknown", |&(name, _)| name)
    }

    /// Whether this is one of the elliptic-curve-over-GF(2^N) groups 3 and 4.
    pub fn is_ec2n(self) -> bool {
        matches!(self.0, 3 | 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(DhGroup::from_word("modp1024"), Some(DhGroup(2)));
        assert_eq!(DhGroup::from_word("2"), Some(DhGroup(2)));
        assert_eq!(DhGroup::from_word("14"), Some(DhGroup(14)));
        assert_eq!(DhGroup::from_word("modp8192"), Some(DhGroup(18)));
        assert_eq!(DhGroup::from_word("6"), None);
        assert_eq!(DhGroup::from_word("19"), Some(DhGroup(19)));
        assert_eq!(DhGroup::from_word("ecp384"), Some(DhGroup(20)));
        assert_eq!(DhGroup(21).name(), "ecp521");
        assert_eq!(DhGroup::from_word("22"), None);
        assert_eq!(DhGroup::from_word("ecp224"), None);
        assert_eq!(DhGroup::from_word("99999999999"), None);
        assert_eq!(DhGroup(5).name(), "modp1536");
    }
}
