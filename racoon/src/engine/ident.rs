//! Identification payloads: phase-1 IDs from `my_identifier`, quick-mode IDs (IDci/IDcr)
//! from policy selectors, and the match of received quick-mode IDs against `sainfo`.

use crate::conf::{Identifier, SainfoId};
use crate::isakmp::{IdData, Identification};
use common::addr::{Address, Selector};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The phase-1 ID we send: `my_identifier`, or our address by default. Address IDs
/// name UDP port 500 (RFC 2407 4.6.2); name-type IDs carry neither protocol nor port,
/// as racoon's ipsecdoi_setid1() sent them.
pub(crate) fn phase1_id(my: Option<&Identifier>, local: IpAddr) -> Identification {
    let named = |data| Identification {
        protocol: 0,
        port: 0,
        data,
    };
    match my {
        Some(Identifier::Fqdn(s)) => named(IdData::Fqdn(s.as_bytes().to_vec())),
        Some(Identifier::UserFqdn(s)) => named(IdData::UserFqdn(s.as_bytes().to_vec())),
        Some(Identifier::KeyIdTag(s)) => named(IdData::KeyId(s.as_bytes().to_vec())),
        Some(Identifier::KeyId(b)) => named(IdData::KeyId(b.clone())),
        Some(Identifier::Address(Some(a))) => address_id(a.ip()),
        _ => address_id(local),
    }
}

fn address_id(ip: IpAddr) -> Identification {
    Identification {
        protocol: 17,
        port: 500,
        data: host(ip),
    }
}

/// The psk.txt identity a received phase-1 ID is looked up by: the ID's value as it
/// came (racoon's getpskbyname()). For FQDN, USER_FQDN and KEY_ID that is the name; for
/// an address ID it is the four or sixteen raw bytes, which no written line matches
/// (only `*` does), so such a peer's key is then found by its address, as with racoon.
pub(crate) fn psk_name(id: &Identification) -> Vec<u8> {
    let mut raw = Vec::new();
    id.data.encode(&mut raw);
    raw
}

/// Whether a received phase-1 ID is one of the `peers_identifier` lines: same type,
/// and the same value where the line gives one (`address` without a value takes any
/// address). A `keyid` file is compared by its contents, read with the configuration.
pub(crate) fn peers_identifier_matches(list: &[Identifier], id: &Identification) -> bool {
    list.iter().any(|want| match (want, &id.data) {
        (Identifier::Address(None), IdData::Ipv4(_) | IdData::Ipv6(_)) => true,
        (Identifier::Address(Some(a)), IdData::Ipv4(b)) => a.ip() == IpAddr::V4(*b),
        (Identifier::Address(Some(a)), IdData::Ipv6(b)) => a.ip() == IpAddr::V6(*b),
        (Identifier::Fqdn(s), IdData::Fqdn(d))
        | (Identifier::UserFqdn(s), IdData::UserFqdn(d))
        | (Identifier::KeyIdTag(s), IdData::KeyId(d)) => s.as_bytes() == d.as_slice(),
        (Identifier::KeyId(b), IdData::KeyId(d)) => b == d,
        (Identifier::Asn1Dn(Some(dn)), IdData::DerAsn1Dn(d)) => {
            crate::crypto::x509::dn_matches(dn, d)
        }
        // Without a DN: the subject of the peer's certificate, checked against it.
        (Identifier::Asn1Dn(None), IdData::DerAsn1Dn(_)) => true,
        _ => false,
    })
}

fn host(ip: IpAddr) -> IdData {
    match ip {
        IpAddr::V4(a) => IdData::Ipv4(a),
        IpAddr::V6(a) => IdData::Ipv6(a),
    }
}

/// The quick-mode ID for one side of a policy selector.
pub(crate) fn from_selector(sel: &Selector, ul_proto: u8) -> Identification {
    let data = if sel.is_host() {
        host(sel.ip())
    } else {
        match sel.network() {
            IpAddr::V4(a) => IdData::Ipv4Subnet {
                addr: a,
                mask: Ipv4Addr::from(prefix_mask(sel.prefix_len(), 32) as u32),
            },
            IpAddr::V6(a) => IdData::Ipv6Subnet {
                addr: a,
                mask: Ipv6Addr::from(prefix_mask(sel.prefix_len(), 128)),
            },
        }
    };
    Identification {
        protocol: if ul_proto == common::policy::UL_ANY {
            0
        } else {
            ul_proto
        },
        port: sel.port_or_any().get(),
        data,
    }
}

fn prefix_mask(len: u8, bits: u32) -> u128 {
    let len = u32::from(len).min(bits);
    if len == 0 {
        return 0;
    }
    let ones = u128::MAX << (128 - len);
    ones >> (128 - bits)
}

/// The selector an address-type ID names (ranges have none), with its protocol.
pub(crate) fn to_selector(id: &Identification) -> Option<(Selector, u8)> {
    let proto = if id.protocol == 0 {
        common::policy::UL_ANY
    } else {
        id.protocol
    };
    let port = (id.port != 0).then_some(common::addr::Port::new(id.port));
    let sel = match &id.data {
        IdData::Ipv4(a) => Selector::host(Address::from(*a)).with_port(port),
        IdData::Ipv6(a) => Selector::host(Address::from(*a)).with_port(port),
        d @ IdData::Ipv4Subnet { addr, .. } => {
            Selector::new(Address::from(*addr), d.prefix_len()?, port).ok()?
        }
        d @ IdData::Ipv6Subnet { addr, .. } => {
            Selector::new(Address::from(*addr), d.prefix_len()?, port).ok()?
        }
        _ => return None,
    };
    Some((sel, proto))
}

/// Whether a sainfo side accepts a received ID. `None` means "no ID was sent": only
/// anonymous accepts that without an address (the caller substitutes the phase-1
/// address first, as racoon does).
pub(crate) fn sainfo_matches(side: &SainfoId, id: &Identification) -> bool {
    match side {
        SainfoId::Anonymous => true,
        SainfoId::ClientAddr => false,
        SainfoId::Selector { selector, ul_proto } => {
            let want = from_selector(selector, ul_proto.unwrap_or(common::policy::UL_ANY));
            // A host selector also matches a /32 subnet ID, which some peers send.
            id_equal(&want, id)
        }
        SainfoId::Range {
            low,
            high,
            port,
            ul_proto,
        } => {
            let range_ok = match (&id.data, low.ip(), high.ip()) {
                (IdData::Ipv4Range { start, end }, IpAddr::V4(l), IpAddr::V4(h)) => {
                    *start == l && *end == h
                }
                (IdData::Ipv6Range { start, end }, IpAddr::V6(l), IpAddr::V6(h)) => {
                    *start == l && *end == h
                }
                _ => false,
            };
            range_ok && id.port == port.unwrap_or(0) && id.protocol == ul_proto.unwrap_or(0)
        }
        SainfoId::Name { id_type, value } => {
            use crate::conf::IdType as T;
            match (&id.data, id_type) {
                (IdData::Fqdn(d), T::Fqdn) | (IdData::UserFqdn(d), T::UserFqdn) => {
                    d == value.as_bytes()
                }
                (IdData::KeyId(d), T::KeyId) => d == value.as_bytes(),
                _ => false,
            }
        }
    }
}

/// Two IDs name the same traffic (a host and a full-length subnet are the same).
pub(crate) fn id_equal(a: &Identification, b: &Identification) -> bool {
    if a.protocol != b.protocol || a.port != b.port {
        return false;
    }
    match (to_selector(a), to_selector(b)) {
        (Some((x, _)), Some((y, _))) => {
            x.network() == y.network() && x.prefix_len() == y.prefix_len()
        }
        _ => a.data == b.data,
    }
}

/// A human-readable form of an ID for log lines (`172.16.1.0/24[0]`).
pub(crate) fn describe(id: &Identification) -> String {
    match (&id.data, to_selector(id)) {
        (_, Some((sel, _))) if sel.is_host() => format!("{}[{}]", sel.ip(), id.port),
        (_, Some((sel, _))) => format!("{}/{}[{}]", sel.network(), sel.prefix_len(), id.port),
        (IdData::Ipv4Range { start, end }, _) => format!("{start}-{end}[{}]", id.port),
        (IdData::Ipv6Range { start, end }, _) => format!("{start}-{end}[{}]", id.port),
        (IdData::Fqdn(d) | IdData::UserFqdn(d) | IdData::KeyId(d), _) => {
            String::from_utf8_lossy(d).into_owned()
        }
        _ => format!("{}", id.data.id_type()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnet_round_trip() {
        let sel: Selector = "172.16.1.0/24".parse().unwrap();
        let id = from_selector(&sel, common::policy::UL_ANY);
        assert_eq!(
            id.data,
            IdData::Ipv4Subnet {
                addr: Ipv4Addr::new(172, 16, 1, 0),
                mask: Ipv4Addr::new(255, 255, 255, 0)
            }
        );
        let (back, proto) = to_selector(&id).unwrap();
        assert_eq!((back.prefix_len(), proto), (24, 255));
        assert_eq!(describe(&id), "172.16.1.0/24[0]");
        let v6: Selector = "fec0::/64".parse().unwrap();
        let id6 = from_selector(&v6, 6);
        assert_eq!(to_selector(&id6).unwrap().0.prefix_len(), 64);
    }

    #[test]
    fn phase1_ids_as_racoon_sent_them() {
        let local: IpAddr = "10.0.0.1".parse().unwrap();
        let fqdn = phase1_id(Some(&Identifier::Fqdn("gw.example".into())), local);
        assert_eq!((fqdn.protocol, fqdn.port), (0, 0));
        assert_eq!(fqdn.data, IdData::Fqdn(b"gw.example".to_vec()));
        let addr = phase1_id(None, local);
        assert_eq!((addr.protocol, addr.port), (17, 500));
        assert_eq!(addr.data, IdData::Ipv4(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(psk_name(&fqdn), b"gw.example");
        assert_eq!(psk_name(&addr), [10, 0, 0, 1]);
    }

    #[test]
    fn peers_identifier_lines() {
        let fqdn = Identification::new(IdData::Fqdn(b"a.example".to_vec()));
        let user = Identification::new(IdData::UserFqdn(b"a.example".to_vec()));
        let addr = Identification::new(IdData::Ipv4(Ipv4Addr::new(10, 0, 0, 1)));
        let want = [Identifier::Fqdn("a.example".into())];
        assert!(peers_identifier_matches(&want, &fqdn));
        assert!(!peers_identifier_matches(&want, &user));
        assert!(!peers_identifier_matches(
            &[Identifier::Fqdn("a.example.org".into())],
            &fqdn
        ));
        assert!(peers_identifier_matches(
            &[Identifier::Address(None)],
            &addr
        ));
        let other: Address = "10.0.0.2".parse().unwrap();
        assert!(!peers_identifier_matches(
            &[Identifier::Address(Some(other))],
            &addr
        ));
    }

    #[test]
    fn sainfo_selector_matches_host_and_subnet() {
        let sel: Selector = "10.0.0.1".parse().unwrap();
        let side = SainfoId::Selector {
            selector: sel,
            ul_proto: None,
        };
        assert!(sainfo_matches(&side, &from_selector(&sel, 255)));
        let other: Selector = "10.0.0.2".parse().unwrap();
        assert!(!sainfo_matches(&side, &from_selector(&other, 255)));
        assert!(sainfo_matches(
            &SainfoId::Anonymous,
            &from_selector(&other, 255)
        ));
    }
}
