//! Diffie-Hellman group names as racoon.conf writes them: the names and numbers of the
//! one group table, `common::alg::dh`, which also holds the primes, curves and attribute
//! values; plus the EC2N groups 3 and 4, which only the configuration knows.
//!
//! racoon accepted the names of `cftoken.l` and the bare numbers of `cfparse.y`'s
//! `num2dhgroup` (1, 2, 3, 4, 5, 14 to 18). The EC2N groups are listed so that files
//! naming them still read; nothing implements them (see `Feature::Ec2nGroup`). The ECP
//! groups 19 to 21 of RFC 5903 are racoon-rs additions (the original and its maintained
//! fork know none): `ecp256`, `ecp384`, `ecp521` or the numbers.

use common::alg::dh::{dh_groups, find_dh_group, find_dh_name};

/// The EC2N groups: their racoon.conf names and numbers.
const EC2N: [(&str, u16); 2] = [("ec2n155", 3), ("ec2n185", 4)];

/// A DH group by its IANA / RFC 2409 group number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DhGroup(pub u16);

impl DhGroup {
    /// The group a racoon.conf word names: a name or a group number.
    pub fn from_word(word: &str) -> Option<DhGroup> {
        if let Some(g) = find_dh_name(word) {
            return Some(DhGroup(g.number));
        }
        if let Some(&(_, n)) = EC2N.iter().find(|(name, _)| *name == word) {
            return Some(DhGroup(n));
        }
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit()) || word.len() > 5 {
            return None;
        }
        let n: u16 = word.parse().ok()?;
        let known = find_dh_group(n).is_some() || EC2N.iter().any(|&(_, g)| g == n);
        known.then_some(DhGroup(n))
    }

    /// racoon's name for the group (`modp1024`).
    pub fn name(self) -> &'static str {
        find_dh_group(self.0)
            .map(|g| g.name())
            .or_else(|| {
                EC2N.iter()
                    .find(|&&(_, n)| n == self.0)
                    .map(|&(name, _)| name)
            })
            .unwrap_or("unknown")
    }

    /// Whether this is one of the elliptic-curve-over-GF(2^N) groups 3 and 4.
    pub fn is_ec2n(self) -> bool {
        EC2N.iter().any(|&(_, n)| n == self.0)
    }
}

/// What an unknown-group message lists: every name in group-number order, then the
/// numbers, runs of three or more as `A to B`.
pub fn valid_names() -> String {
    let mut all: Vec<(u16, &str)> = dh_groups()
        .iter()
        .map(|g| (g.number, g.name()))
        .chain(EC2N.iter().map(|&(name, n)| (n, name)))
        .collect();
    all.sort_unstable();
    let names: Vec<&str> = all.iter().map(|&(_, name)| name).collect();
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for &(n, _) in &all {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == n => *last = n,
            _ => runs.push((n, n)),
        }
    }
    let numbers: Vec<String> = runs
        .iter()
        .flat_map(|&(first, last)| match last - first {
            0 => vec![first.to_string()],
            1 => vec![first.to_string(), last.to_string()],
            _ => vec![format!("{first} to {last}")],
        })
        .collect();
    format!(
        "{}, or their numbers {}",
        names.join(", "),
        numbers.join(", ")
    )
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
        assert_eq!(DhGroup::from_word("ec2n185"), Some(DhGroup(4)));
        assert_eq!(DhGroup(3).name(), "ec2n155");
        assert!(DhGroup(3).is_ec2n() && !DhGroup(5).is_ec2n());
    }

    #[test]
    fn the_list_of_valid_names() {
        assert_eq!(
            valid_names(),
            "modp768, modp1024, ec2n155, ec2n185, modp1536, modp2048, modp3072, modp4096, \
             modp6144, modp8192, ecp256, ecp384, ecp521, or their numbers 1 to 5, 14 to 21"
        );
    }
}
