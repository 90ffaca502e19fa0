//! The words the dumps print for numbers: algorithms and upper-layer protocols.

use std::fmt;

use crate::alg::{self, Algorithm};

/// Writes the algorithm's name and a space, as pfkey_dump.c's `GETMSGV2S` does.
///
/// The original looked the PF_KEY id up in its own tables, so what it printed is the name
/// of the id, not of what the user wrote: `rijndael-cbc` prints `aes-cbc`, and the KAME
/// variants that are DES plus a flag (`des-deriv`, `des-32iv`) print `des-cbc` (the flag
/// shows in `flags=`). We print the first setkey name of the row that owns the id. The
/// original's tables lacked AES-GCM and GMAC, which it printed as their bare ids
/// (`E: 20 `); we print the names NetBSD's setkey gives them (`aes-gcm-16`), which is
/// what our own setkey accepts. A row with no setkey name at all prints its PF_KEY id,
/// as the original printed any id it could not name, and failing that its racoon name.
pub(super) fn write_alg(out: &mut dyn fmt::Write, alg: &Algorithm) -> fmt::Result {
    let owner = alg
        .pfkey_id
        .and_then(|id| alg::find_pfkey(alg.class(), id))
        .unwrap_or(alg);
    match (owner.setkey_name(), alg.pfkey_id) {
        (Some(name), _) => write!(out, "{name} "),
        (None, Some(id)) => write!(out, "{id} "),
        (None, None) => write!(out, "{} ", alg.name()),
    }
}

/// Protocol names by number, the first name `getprotobynumber(3)` finds for each in
/// Debian's `/etc/protocols` (netbase 6.4). The original asked the resolver at run time;
/// a table keeps the output independent of the host, and this is the file its users had.
const PROTOCOLS: &[(u8, &str)] = &[
    (0, "ip"),
    (1, "icmp"),
    (2, "igmp"),
    (3, "ggp"),
    (4, "ipencap"),
    (5, "st"),
    (6, "tcp"),
    (8, "egp"),
    (9, "igp"),
    (12, "pup"),
    (17, "udp"),
    (20, "hmp"),
    (22, "xns-idp"),
    (27, "rdp"),
    (29, "iso-tp4"),
    (33, "dccp"),
    (36, "xtp"),
    (37, "ddp"),
    (38, "idpr-cmtp"),
    (41, "ipv6"),
    (43, "ipv6-route"),
    (44, "ipv6-frag"),
    (45, "idrp"),
    (46, "rsvp"),
    (47, "gre"),
    (50, "esp"),
    (51, "ah"),
    (57, "skip"),
    (58, "ipv6-icmp"),
    (59, "ipv6-nonxt"),
    (60, "ipv6-opts"),
    (73, "rspf"),
    (81, "vmtp"),
    (88, "eigrp"),
    (89, "ospf"),
    (93, "ax.25"),
    (94, "ipip"),
    (97, "etherip"),
    (98, "encap"),
    (103, "pim"),
    (108, "ipcomp"),
    (112, "vrrp"),
    (115, "l2tp"),
    (124, "isis"),
    (132, "sctp"),
    (133, "fc"),
    (135, "mobility-header"),
    (136, "udplite"),
    (137, "mpls-in-ip"),
    (138, "manet"),
    (139, "hip"),
    (140, "shim6"),
    (141, "wesp"),
    (142, "rohc"),
    (143, "ethernet"),
];

/// The name `getprotobynumber` gives `proto`, if `/etc/protocols` has one. 255, which the
/// kernel reports for "any", has none and prints as `255`.
pub(super) fn protocol(proto: u8) -> Option<&'static str> {
    PROTOCOLS
        .binary_search_by_key(&proto, |&(number, _)| number)
        .ok()
        .and_then(|i| PROTOCOLS.get(i))
        .map(|&(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::{find_setkey, Class};

    fn name(class: Class, setkey: &str) -> String {
        let mut text = String::new();
        write_alg(&mut text, find_setkey(class, setkey).unwrap()).unwrap();
        text
    }

    #[test]
    fn algorithm_names_as_dumped() {
        let cases = [
            (Class::Encrypt, "aes-cbc", "aes-cbc "),
            (Class::Encrypt, "rijndael-cbc", "aes-cbc "),
            (Class::Encrypt, "3des-cbc", "3des-cbc "),
            (Class::Encrypt, "des-deriv", "des-cbc "),
            (Class::Encrypt, "des-32iv", "des-cbc "),
            (Class::Encrypt, "null", "null "),
            (Class::Encrypt, "simple", "null "),
            (Class::Encrypt, "aes-gcm-16", "aes-gcm-16 "),
            (Class::Encrypt, "null-aes-gmac", "aes-gmac "),
            (Class::Encrypt, "camellia-cbc", "camellia-cbc "),
            (Class::Auth, "hmac-sha2-256", "hmac-sha256 "),
            (Class::Auth, "hmac-md5", "hmac-md5 "),
            (Class::Auth, "aes-xcbc-mac", "aes-xcbc-mac "),
            (Class::Auth, "keyed-md5", "keyed-md5 "),
            (Class::Auth, "tcp-md5", "tcp-md5 "),
            (Class::Compress, "deflate", "deflate "),
            (Class::Compress, "lzs", "lzs "),
        ];
        for (class, setkey, printed) in cases {
            assert_eq!(name(class, setkey), printed, "{setkey}");
        }
    }

    #[test]
    fn every_row_has_a_printable_name() {
        for alg in alg::all() {
            let mut text = String::new();
            write_alg(&mut text, alg).unwrap();
            assert!(text.len() > 1 && text.ends_with(' '), "{alg:?}");
        }
    }

    #[test]
    fn protocol_names() {
        assert_eq!(protocol(6), Some("tcp"));
        assert_eq!(protocol(17), Some("udp"));
        assert_eq!(protocol(1), Some("icmp"));
        assert_eq!(protocol(58), Some("ipv6-icmp"));
        assert_eq!(protocol(47), Some("gre"));
        assert_eq!(protocol(50), Some("esp"));
        assert_eq!(protocol(51), Some("ah"));
        assert_eq!(protocol(135), Some("mobility-header"));
        assert_eq!(protocol(0), Some("ip"));
        assert_eq!(protocol(255), None);
        assert_eq!(protocol(7), None);
        assert_eq!(protocol(254), None);
        assert!(PROTOCOLS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
