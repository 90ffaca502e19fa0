//! Typed views of the attributes of the ATTRIBUTE payload (type 14) that XAuth
//! (draft-beaulieu-ike-xauth-02), mode-cfg (draft-ietf-ipsec-isakmp-mode-cfg-05) and the
//! Cisco Unity extensions carry inside Transaction exchanges.
//!
//! [`super::Payload::Attributes`] keeps the raw [`Attribute`] list; [`ConfigPayload`]
//! reads it as [`CfgAttribute`]s whose value is checked against its type (an IPv4
//! address is four bytes, a split network list a multiple of fourteen, XAUTH_STATUS a
//! number...). The decoding is total: every wire value either becomes a typed value or a
//! [`CfgAttrError`] naming the attribute; a type without a known shape is kept as
//! [`CfgValue::Opaque`]. Encoding puts each value back in the form racoon sends: numbers
//! of the XAuth and Unity flags in the basic (TV) form when they fit, everything else variable (TLV),
//! a zero-length TLV for a value asked for in a REQUEST.

use super::attr::{Attribute, AttributeValue};
use super::wire_enum::wire_enum;
use super::{ConfigType, Payload};
use std::fmt;
use std::net::Ipv4Addr;

wire_enum! {
    /// Attribute types of the mode-cfg draft (section 3.2), XAuth (section 6) and Unity.
    pub enum CfgAttrType: u16 {
        InternalIp4Address = 1 => "INTERNAL_IP4_ADDRESS",
        InternalIp4Netmask = 2 => "INTERNAL_IP4_NETMASK",
        InternalIp4Dns = 3 => "INTERNAL_IP4_DNS",
        InternalIp4Nbns = 4 => "INTERNAL_IP4_NBNS",
        InternalAddressExpiry = 5 => "INTERNAL_ADDRESS_EXPIRY",
        InternalIp4Dhcp = 6 => "INTERNAL_IP4_DHCP",
        ApplicationVersion = 7 => "APPLICATION_VERSION",
        InternalIp6Address = 8 => "INTERNAL_IP6_ADDRESS",
        InternalIp6Netmask = 9 => "INTERNAL_IP6_NETMASK",
        InternalIp6Dns = 10 => "INTERNAL_IP6_DNS",
        InternalIp6Nbns = 11 => "INTERNAL_IP6_NBNS",
        InternalIp6Dhcp = 12 => "INTERNAL_IP6_DHCP",
        InternalIp4Subnet = 13 => "INTERNAL_IP4_SUBNET",
        SupportedAttributes = 14 => "SUPPORTED_ATTRIBUTES",
        InternalIp6Subnet = 15 => "INTERNAL_IP6_SUBNET",
        XauthType = 16520 => "XAUTH_TYPE",
        XauthUserName = 16521 => "XAUTH_USER_NAME",
        XauthUserPassword = 16522 => "XAUTH_USER_PASSWORD",
        XauthPasscode = 16523 => "XAUTH_PASSCODE",
        XauthMessage = 16524 => "XAUTH_MESSAGE",
        XauthChallenge = 16525 => "XAUTH_CHALLENGE",
        XauthDomain = 16526 => "XAUTH_DOMAIN",
        XauthStatus = 16527 => "XAUTH_STATUS",
        XauthNextPin = 16528 => "XAUTH_NEXT_PIN",
        XauthAnswer = 16529 => "XAUTH_ANSWER",
        UnityBanner = 28672 => "UNITY_BANNER",
        UnitySavePasswd = 28673 => "UNITY_SAVE_PASSWD",
        UnityDefDomain = 28674 => "UNITY_DEF_DOMAIN",
        UnitySplitdnsName = 28675 => "UNITY_SPLITDNS_NAME",
        UnitySplitInclude = 28676 => "UNITY_SPLIT_INCLUDE",
        UnityNattPort = 28677 => "UNITY_NATT_PORT",
        UnityLocalLan = 28678 => "UNITY_LOCAL_LAN",
        UnityPfs = 28679 => "UNITY_PFS",
        UnityFwType = 28680 => "UNITY_FW_TYPE",
        UnityBackupServers = 28681 => "UNITY_BACKUP_SERVERS",
        UnityDdnsHostname = 28682 => "UNITY_DDNS_HOSTNAME",
    }
}

/// XAUTH_TYPE values (XAuth draft 6.2): only generic username/password is served.
pub const XAUTH_TYPE_GENERIC: u16 = 0;
/// XAUTH_STATUS values: FAIL and OK.
pub const XAUTH_STATUS_FAIL: u16 = 0;
pub const XAUTH_STATUS_OK: u16 = 1;

/// Bytes of one Unity split network entry: address, mask, six bytes of padding.
pub const UNITY_NETWORK_LEN: usize = 14;

/// What kind of value an attribute type carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Ipv4,
    Ipv4Subnet,
    Number,
    Text,
    Networks,
    Opaque,
}

impl CfgAttrType {
    fn shape(self) -> Shape {
        use CfgAttrType::*;
        match self {
            InternalIp4Address | InternalIp4Netmask | InternalIp4Dns | InternalIp4Nbns
            | InternalIp4Dhcp => Shape::Ipv4,
            InternalIp4Subnet => Shape::Ipv4Subnet,
            InternalAddressExpiry
            | XauthType
            | XauthStatus
            | UnitySavePasswd
            | UnityNattPort
            | UnityPfs
            | UnityFwType => Shape::Number,
            ApplicationVersion | XauthUserName | XauthUserPassword | XauthPasscode
            | XauthMessage | XauthChallenge | XauthDomain | XauthNextPin | XauthAnswer
            | UnityBanner | UnityDefDomain | UnitySplitdnsName | UnityBackupServers
            | UnityDdnsHostname => Shape::Text,
            UnitySplitInclude | UnityLocalLan => Shape::Networks,
            InternalIp6Address | InternalIp6Netmask | InternalIp6Dns | InternalIp6Nbns
            | InternalIp6Dhcp | SupportedAttributes | InternalIp6Subnet | Unknown(_) => {
                Shape::Opaque
            }
        }
    }

    /// Whether racoon sends this type's numbers in the basic (TV) form.
    fn basic_number(self) -> bool {
        matches!(
            self,
            CfgAttrType::XauthType
                | CfgAttrType::XauthStatus
                | CfgAttrType::UnitySavePasswd
                | CfgAttrType::UnityNattPort
                | CfgAttrType::UnityPfs
                | CfgAttrType::UnityFwType
        )
    }
}

/// One attribute's value, typed by its attribute type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CfgValue {
    /// A zero-length variable value: what a REQUEST asks for, or an empty answer.
    Empty,
    Ipv4(Ipv4Addr),
    /// INTERNAL_IP4_SUBNET: address and mask.
    Ipv4Subnet(Ipv4Addr, Ipv4Addr),
    Number(u64),
    /// A string or secret, as bytes (a password need not be UTF-8).
    Text(Vec<u8>),
    /// UNITY_SPLIT_INCLUDE / UNITY_LOCAL_LAN: (address, mask) pairs.
    Networks(Vec<(Ipv4Addr, Ipv4Addr)>),
    /// A type without a known shape, or IPv6 values, kept as received.
    Opaque(AttributeValue),
}

/// A mode-cfg / XAuth attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CfgAttribute {
    pub kind: CfgAttrType,
    pub value: CfgValue,
}

/// Why an attribute's value does not fit its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CfgAttrError {
    /// A variable value of a length the type does not allow.
    Length {
        kind: CfgAttrType,
        length: usize,
        expected: &'static str,
    },
    /// A basic (TV) value for a type that must be variable.
    BasicForm { kind: CfgAttrType, value: u16 },
    /// A number longer than 64 bits.
    NumberTooLong { kind: CfgAttrType, length: usize },
    /// A value too long for a TLV.
    Unencodable { kind: CfgAttrType },
}

impl fmt::Display for CfgAttrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CfgAttrError::Length {
                kind,
                length,
                expected,
            } => write!(f, "{kind} of {length} bytes, expected {expected}"),
            CfgAttrError::BasicForm { kind, value } => {
                write!(
                    f,
                    "{kind} in the basic form ({value}), expected a variable value"
                )
            }
            CfgAttrError::NumberTooLong { kind, length } => {
                write!(f, "{kind} is a number of {length} bytes")
            }
            CfgAttrError::Unencodable { kind } => write!(f, "{kind} value cannot be encoded"),
        }
    }
}

impl std::error::Error for CfgAttrError {}

fn ipv4(bytes: &[u8]) -> Option<Ipv4Addr> {
    <[u8; 4]>::try_from(bytes).ok().map(Ipv4Addr::from)
}

impl CfgAttribute {
    pub fn new(kind: CfgAttrType, value: CfgValue) -> CfgAttribute {
        CfgAttribute { kind, value }
    }

    /// A zero-length attribute, as a REQUEST lists what it wants.
    pub fn empty(kind: CfgAttrType) -> CfgAttribute {
        CfgAttribute::new(kind, CfgValue::Empty)
    }

    /// Reads a wire attribute according to its type.
    pub fn decode(a: &Attribute) -> Result<CfgAttribute, CfgAttrError> {
        let kind = CfgAttrType::from(a.kind);
        let shape = kind.shape();
        let bytes = match &a.value {
            AttributeValue::Basic(v) => {
                return match shape {
                    Shape::Number => Ok(CfgAttribute::new(kind, CfgValue::Number(u64::from(*v)))),
                    Shape::Opaque => Ok(CfgAttribute::new(kind, CfgValue::Opaque(a.value.clone()))),
                    _ => Err(CfgAttrError::BasicForm { kind, value: *v }),
                };
            }
            AttributeValue::Variable(bytes) => bytes,
        };
        if bytes.is_empty() && shape != Shape::Opaque {
            return Ok(CfgAttribute::empty(kind));
        }
        let length = bytes.len();
        let wrong = |expected| CfgAttrError::Length {
            kind,
            length,
            expected,
        };
        let value = match shape {
            Shape::Ipv4 => CfgValue::Ipv4(ipv4(bytes).ok_or_else(|| wrong("4"))?),
            Shape::Ipv4Subnet => {
                if length != 8 {
                    return Err(wrong("8"));
                }
                let (a, m) = bytes.split_at(4);
                CfgValue::Ipv4Subnet(
                    ipv4(a).ok_or_else(|| wrong("8"))?,
                    ipv4(m).ok_or_else(|| wrong("8"))?,
                )
            }
            Shape::Number => CfgValue::Number(
                a.value
                    .as_u64()
                    .ok_or(CfgAttrError::NumberTooLong { kind, length })?,
            ),
            Shape::Text => CfgValue::Text(bytes.clone()),
            Shape::Networks => {
                if length % UNITY_NETWORK_LEN != 0 {
                    return Err(wrong("a multiple of 14"));
                }
                let nets = bytes
                    .chunks_exact(UNITY_NETWORK_LEN)
                    .filter_map(|c| Some((ipv4(c.get(0..4)?)?, ipv4(c.get(4..8)?)?)))
                    .collect();
                CfgValue::Networks(nets)
            }
            Shape::Opaque => CfgValue::Opaque(a.value.clone()),
        };
        Ok(CfgAttribute::new(kind, value))
    }

    /// The wire attribute, in the form racoon sends.
    pub fn encode(&self) -> Result<Attribute, CfgAttrError> {
        let kind = self.kind.value();
        let too_long = |len: usize| {
            if len > usize::from(u16::MAX) {
                Err(CfgAttrError::Unencodable { kind: self.kind })
            } else {
                Ok(())
            }
        };
        Ok(match &self.value {
            CfgValue::Empty => Attribute::variable(kind, Vec::new()),
            CfgValue::Ipv4(a) => Attribute::variable(kind, a.octets().to_vec()),
            CfgValue::Ipv4Subnet(a, m) => {
                Attribute::variable(kind, [a.octets(), m.octets()].concat())
            }
            CfgValue::Number(n) if self.kind.basic_number() && *n <= u64::from(u16::MAX) => {
                Attribute::basic(kind, *n as u16)
            }
            CfgValue::Number(n) => {
                let v = u32::try_from(*n)
                    .map(|v| v.to_be_bytes().to_vec())
                    .unwrap_or_else(|_| n.to_be_bytes().to_vec());
                Attribute::variable(kind, v)
            }
            CfgValue::Text(t) => {
                too_long(t.len())?;
                Attribute::variable(kind, t.clone())
            }
            CfgValue::Networks(nets) => {
                too_long(nets.len().saturating_mul(UNITY_NETWORK_LEN))?;
                let mut v = Vec::with_capacity(nets.len() * UNITY_NETWORK_LEN);
                for (a, m) in nets {
                    v.extend_from_slice(&a.octets());
                    v.extend_from_slice(&m.octets());
                    v.extend_from_slice(&[0; 6]);
                }
                Attribute::variable(kind, v)
            }
            CfgValue::Opaque(v) => {
                if let AttributeValue::Variable(b) = v {
                    too_long(b.len())?;
                }
                Attribute {
                    kind,
                    value: v.clone(),
                }
            }
        })
    }

    /// The number of a numeric attribute.
    pub fn number(&self) -> Option<u64> {
        match &self.value {
            CfgValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The bytes of a text attribute (empty for an empty one).
    pub fn text(&self) -> Option<&[u8]> {
        match &self.value {
            CfgValue::Text(t) => Some(t),
            CfgValue::Empty => Some(&[]),
            _ => None,
        }
    }
}

/// An ATTRIBUTE payload read as typed attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigPayload {
    pub kind: ConfigType,
    pub identifier: u16,
    pub attributes: Vec<CfgAttribute>,
}

impl ConfigPayload {
    pub fn new(kind: ConfigType, identifier: u16, attributes: Vec<CfgAttribute>) -> Self {
        ConfigPayload {
            kind,
            identifier,
            attributes,
        }
    }

    /// The typed view of an ATTRIBUTE payload; `None` for any other payload.
    pub fn from_payload(p: &Payload) -> Option<Result<ConfigPayload, CfgAttrError>> {
        let Payload::Attributes {
            kind,
            identifier,
            attributes,
        } = p
        else {
            return None;
        };
        Some(
            attributes
                .iter()
                .map(CfgAttribute::decode)
                .collect::<Result<Vec<_>, _>>()
                .map(|attributes| ConfigPayload::new(*kind, *identifier, attributes)),
        )
    }

    pub fn to_payload(&self) -> Result<Payload, CfgAttrError> {
        Ok(Payload::Attributes {
            kind: self.kind,
            identifier: self.identifier,
            attributes: self
                .attributes
                .iter()
                .map(CfgAttribute::encode)
                .collect::<Result<_, _>>()?,
        })
    }

    /// The first attribute of a type.
    pub fn get(&self, kind: CfgAttrType) -> Option<&CfgAttribute> {
        self.attributes.iter().find(|a| a.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::isakmp::{decode_payloads, encode_payloads, PayloadType, Trailing};

    fn roundtrip_bytes(p: &ConfigPayload) -> Vec<u8> {
        let mut out = Vec::new();
        encode_payloads(&[p.to_payload().unwrap()], &mut out).unwrap();
        out
    }

    #[test]
    fn xauth_request_is_the_bytes_racoon_sends() {
        let req = ConfigPayload::new(
            ConfigType::Request,
            0x1234,
            vec![
                CfgAttribute::new(CfgAttrType::XauthType, CfgValue::Number(0)),
                CfgAttribute::empty(CfgAttrType::XauthUserName),
                CfgAttribute::empty(CfgAttrType::XauthUserPassword),
            ],
        );
        let bytes = roundtrip_bytes(&req);
        #[rustfmt::skip]
        let want = [
            0, 0, 0, 20,            // generic header: last payload, 20 bytes
            1, 0, 0x12, 0x34,       // REQUEST, reserved, identifier
            0xc0, 0x88, 0, 0,       // XAUTH_TYPE (TV) = generic
            0x40, 0x89, 0, 0,       // XAUTH_USER_NAME, empty
            0x40, 0x8a, 0, 0,       // XAUTH_USER_PASSWORD, empty
        ];
        assert_eq!(bytes, want);
        let back = decode_payloads(PayloadType::Attribute, &bytes, 0, Trailing::Forbidden).unwrap();
        assert_eq!(ConfigPayload::from_payload(&back[0]).unwrap().unwrap(), req);
    }

    #[test]
    fn a_reply_with_credentials_and_a_status_set_decode() {
        #[rustfmt::skip]
        let reply = [
            0, 0, 0, 26,
            2, 0, 0, 7,                         // REPLY, id 7
            0x40, 0x89, 0, 5, b'a', b'l', b'i', b'c', b'e',
            0x40, 0x8a, 0, 5, b's', b'3', b'c', 0xff, b't',
        ];
        let p = decode_payloads(PayloadType::Attribute, &reply, 0, Trailing::Forbidden).unwrap();
        let cfg = ConfigPayload::from_payload(&p[0]).unwrap().unwrap();
        assert_eq!(cfg.kind, ConfigType::Reply);
        assert_eq!(cfg.identifier, 7);
        assert_eq!(
            cfg.get(CfgAttrType::XauthUserName).unwrap().text(),
            Some(&b"alice"[..])
        );
        assert_eq!(
            cfg.get(CfgAttrType::XauthUserPassword).unwrap().text(),
            Some(&b"s3c\xfft"[..])
        );
        assert_eq!(roundtrip_bytes(&cfg), reply);

        let set = ConfigPayload::new(
            ConfigType::Set,
            7,
            vec![CfgAttribute::new(
                CfgAttrType::XauthStatus,
                CfgValue::Number(u64::from(XAUTH_STATUS_OK)),
            )],
        );
        assert_eq!(
            roundtrip_bytes(&set),
            [0, 0, 0, 12, 3, 0, 0, 7, 0xc0, 0x8f, 0, 1]
        );
    }

    #[test]
    fn a_mode_cfg_reply_carries_addresses_networks_and_strings() {
        let reply = ConfigPayload::new(
            ConfigType::Reply,
            0,
            vec![
                CfgAttribute::new(
                    CfgAttrType::InternalIp4Address,
                    CfgValue::Ipv4(Ipv4Addr::new(10, 9, 0, 1)),
                ),
                CfgAttribute::new(
                    CfgAttrType::InternalIp4Netmask,
                    CfgValue::Ipv4(Ipv4Addr::new(255, 255, 255, 0)),
                ),
                CfgAttribute::new(
                    CfgAttrType::UnitySplitInclude,
                    CfgValue::Networks(vec![(
                        Ipv4Addr::new(192, 168, 1, 0),
                        Ipv4Addr::new(255, 255, 255, 0),
                    )]),
                ),
                CfgAttribute::new(CfgAttrType::UnityDefDomain, CfgValue::Text(b"lan".to_vec())),
                CfgAttribute::new(CfgAttrType::InternalAddressExpiry, CfgValue::Number(3600)),
            ],
        );
        let bytes = roundtrip_bytes(&reply);
        #[rustfmt::skip]
        let want: Vec<u8> = [
            &[0u8, 0, 0, 57, 2, 0, 0, 0][..],
            &[0, 1, 0, 4, 10, 9, 0, 1],
            &[0, 2, 0, 4, 255, 255, 255, 0],
            &[0x70, 0x04, 0, 14, 192, 168, 1, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0],
            &[0x70, 0x02, 0, 3, b'l', b'a', b'n'],
            &[0, 5, 0, 4, 0, 0, 0x0e, 0x10],
        ]
        .concat();
        assert_eq!(bytes, want);
        let back = decode_payloads(PayloadType::Attribute, &bytes, 0, Trailing::Forbidden).unwrap();
        assert_eq!(
            ConfigPayload::from_payload(&back[0]).unwrap().unwrap(),
            reply
        );
    }

    #[test]
    fn values_that_do_not_fit_their_type_are_typed_errors() {
        let short_addr = Attribute::variable(1, vec![10, 0, 0]);
        assert_eq!(
            CfgAttribute::decode(&short_addr),
            Err(CfgAttrError::Length {
                kind: CfgAttrType::InternalIp4Address,
                length: 3,
                expected: "4"
            })
        );
        let basic_name = Attribute::basic(16521, 3);
        assert_eq!(
            CfgAttribute::decode(&basic_name),
            Err(CfgAttrError::BasicForm {
                kind: CfgAttrType::XauthUserName,
                value: 3
            })
        );
        let odd_split = Attribute::variable(28676, vec![0; 13]);
        assert!(matches!(
            CfgAttribute::decode(&odd_split),
            Err(CfgAttrError::Length { length: 13, .. })
        ));
        let long_status = Attribute::variable(16527, vec![1; 9]);
        assert_eq!(
            CfgAttribute::decode(&long_status),
            Err(CfgAttrError::NumberTooLong {
                kind: CfgAttrType::XauthStatus,
                length: 9
            })
        );
        let big = CfgAttribute::new(CfgAttrType::XauthStatus, CfgValue::Number(70000));
        assert_eq!(
            big.encode(),
            Ok(Attribute::variable(16527, vec![0, 1, 0x11, 0x70]))
        );
        let banner = CfgAttribute::new(CfgAttrType::UnityBanner, CfgValue::Text(vec![b'x'; 65536]));
        assert_eq!(
            banner.encode(),
            Err(CfgAttrError::Unencodable {
                kind: CfgAttrType::UnityBanner
            })
        );
        assert_eq!(
            CfgAttrError::Length {
                kind: CfgAttrType::InternalIp4Dns,
                length: 2,
                expected: "4"
            }
            .to_string(),
            "INTERNAL_IP4_DNS of 2 bytes, expected 4"
        );
    }

    #[test]
    fn unknown_and_ipv6_types_are_kept_as_received() {
        for a in [
            Attribute::basic(0x1234, 9),
            Attribute::variable(0x1234, vec![1, 2, 3]),
            Attribute::variable(8, vec![0; 17]),
            Attribute::variable(0x4001, Vec::new()),
        ] {
            let typed = CfgAttribute::decode(&a).unwrap();
            assert!(matches!(typed.value, CfgValue::Opaque(_)));
            assert_eq!(typed.encode().unwrap(), a);
        }
    }

    #[test]
    fn every_well_formed_attribute_reencodes_to_itself() {
        // A crude exhaustive walk: each known type with each value length from 0 to 30
        // and the basic form either decodes to something that encodes back or is refused.
        for kind in [
            1u16, 2, 3, 4, 5, 6, 7, 13, 16520, 16521, 16527, 28672, 28673, 28676, 28678,
        ] {
            for len in 0..30 {
                let a = Attribute::variable(kind, (0..len).map(|b| b as u8 + 1).collect());
                if let Ok(t) = CfgAttribute::decode(&a) {
                    let e = t.encode().unwrap();
                    assert_eq!(CfgAttribute::decode(&e).unwrap(), t, "{kind} {len}");
                }
            }
            let b = Attribute::basic(kind, 1);
            if let Ok(t) = CfgAttribute::decode(&b) {
                assert_eq!(CfgAttribute::decode(&t.encode().unwrap()).unwrap(), t);
            }
        }
    }
}
