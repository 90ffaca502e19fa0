//! Value spaces shared by the phase-1 (RFC 2409 appendix A) and IPsec DOI (RFC 2407 4.5)
//! attributes. Algorithm and group numbers are never spelled here: they resolve against
//! the algorithm table ([`common::alg`]) and the group table ([`common::alg::dh`]).

use super::attr::{Attribute, AttributeValue};
use super::error::EncodeError;
use super::wire_enum::wire_enum;
use common::alg::dh::{self, DhGroup};
use common::alg::Algorithm;
use std::fmt;

wire_enum! {
    /// Phase-1 Authentication Method (RFC 2409 appendix A, RFC 4754, and the XAuth and
    /// hybrid values of draft-ietf-ipsec-isakmp-xauth / -hybrid-auth that racoon uses).
    /// racoon's GSSAPI method reused 65001 from the private range, so it reads as
    /// [`AuthMethod::XauthInitPsk`] here; the engine tells them apart by configuration.
    pub enum AuthMethod: u16 {
        PreSharedKey = 1 => "pre-shared key",
        DssSignature = 2 => "DSS signatures",
        RsaSignature = 3 => "RSA signatures",
        RsaEncryption = 4 => "Encryption with RSA",
        RsaRevisedEncryption = 5 => "Revised encryption with RSA",
        EcdsaSha256 = 9 => "ECDSA with SHA-256 on the P-256 curve",
        EcdsaSha384 = 10 => "ECDSA with SHA-384 on the P-384 curve",
        EcdsaSha512 = 11 => "ECDSA with SHA-512 on the P-521 curve",
        HybridInitRsa = 64221 => "Hybrid-RSA (initiator)",
        HybridRespRsa = 64222 => "Hybrid-RSA (responder)",
        HybridInitDss = 64223 => "Hybrid-DSS (initiator)",
        HybridRespDss = 64224 => "Hybrid-DSS (responder)",
        XauthInitPsk = 65001 => "XAuth pre-shared key (initiator)",
        XauthRespPsk = 65002 => "XAuth pre-shared key (responder)",
        XauthInitDss = 65003 => "XAuth DSS (initiator)",
        XauthRespDss = 65004 => "XAuth DSS (responder)",
        XauthInitRsa = 65005 => "XAuth RSA (initiator)",
        XauthRespRsa = 65006 => "XAuth RSA (responder)",
        XauthInitRsaEncryption = 65007 => "XAuth RSA encryption (initiator)",
        XauthRespRsaEncryption = 65008 => "XAuth RSA encryption (responder)",
        XauthInitRsaRevisedEncryption = 65009 => "XAuth revised RSA encryption (initiator)",
        XauthRespRsaRevisedEncryption = 65010 => "XAuth revised RSA encryption (responder)",
    }
}

wire_enum! {
    /// Life Type, the same values in phase 1 and the IPsec DOI.
    pub enum LifeType: u16 {
        Seconds = 1 => "seconds",
        Kilobytes = 2 => "kilobytes",
    }
}

wire_enum! {
    /// Phase-1 Group Type.
    pub enum GroupType: u16 {
        Modp = 1 => "MODP",
        Ecp = 2 => "ECP",
        Ec2n = 3 => "EC2N",
    }
}

wire_enum! {
    /// IPsec DOI Encapsulation Mode (RFC 2407 4.5, RFC 3947 for the UDP values, and the
    /// numbers draft-ietf-ipsec-nat-t-ike-00..03 used, which older peers still send).
    pub enum EncapsulationMode: u16 {
        Tunnel = 1 => "Tunnel",
        Transport = 2 => "Transport",
        UdpTunnel = 3 => "UDP-Encapsulated-Tunnel",
        UdpTransport = 4 => "UDP-Encapsulated-Transport",
        UdpTunnelDraft = 61443 => "UDP-Encapsulated-Tunnel (draft)",
        UdpTransportDraft = 61444 => "UDP-Encapsulated-Transport (draft)",
    }
}

/// An algorithm number resolved against the algorithm table. Which number space
/// (phase-1 cipher, phase-1 hash, IPsec DOI authentication algorithm) is decided by the
/// attribute that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlgorithmRef {
    Known(&'static Algorithm),
    Unknown(u16),
}

impl AlgorithmRef {
    pub(crate) fn resolve(value: u16, find: fn(u16) -> Option<&'static Algorithm>) -> Self {
        find(value).map_or(AlgorithmRef::Unknown(value), AlgorithmRef::Known)
    }

    pub(crate) fn value(
        self,
        what: &'static str,
        number: fn(&Algorithm) -> Option<u16>,
    ) -> Result<u16, EncodeError> {
        match self {
            AlgorithmRef::Known(alg) => number(alg).ok_or(EncodeError::NoWireValue {
                what,
                algorithm: alg.name(),
            }),
            AlgorithmRef::Unknown(v) => Ok(v),
        }
    }

    /// The table row, if the number is known.
    pub fn algorithm(self) -> Option<&'static Algorithm> {
        match self {
            AlgorithmRef::Known(alg) => Some(alg),
            AlgorithmRef::Unknown(_) => None,
        }
    }
}

impl fmt::Display for AlgorithmRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlgorithmRef::Known(alg) => f.write_str(alg.name()),
            AlgorithmRef::Unknown(v) => write!(f, "unknown({v})"),
        }
    }
}

/// A Group Description value resolved against the group table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRef {
    Known(&'static DhGroup),
    Unknown(u16),
}

impl GroupRef {
    pub fn from_number(value: u16) -> GroupRef {
        dh::find_dh_group(value).map_or(GroupRef::Unknown(value), GroupRef::Known)
    }

    pub fn value(self) -> u16 {
        match self {
            GroupRef::Known(g) => g.number,
            GroupRef::Unknown(v) => v,
        }
    }

    pub fn group(self) -> Option<&'static DhGroup> {
        match self {
            GroupRef::Known(g) => Some(g),
            GroupRef::Unknown(_) => None,
        }
    }
}

/// Why an attribute cannot be read as its typed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeError {
    /// A basic-only attribute sent in TLV form (RFC 2408 requires TV for those).
    NotBasic { kind: u16 },
    /// A numeric value wider than 64 bits.
    TooLarge { kind: u16 },
}

impl fmt::Display for AttributeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributeError::NotBasic { kind } => {
                write!(f, "attribute type {kind} must use the basic (TV) form")
            }
            AttributeError::TooLarge { kind } => {
                write!(f, "value of attribute type {kind} exceeds 64 bits")
            }
        }
    }
}

impl std::error::Error for AttributeError {}

/// The value of a basic-only attribute.
pub(crate) fn basic(a: &Attribute) -> Result<u16, AttributeError> {
    match a.value {
        AttributeValue::Basic(v) => Ok(v),
        AttributeValue::Variable(_) => Err(AttributeError::NotBasic { kind: a.kind }),
    }
}

/// The value of a variable-length numeric attribute (life duration) in either form.
pub(crate) fn number(a: &Attribute) -> Result<u64, AttributeError> {
    a.value
        .as_u64()
        .ok_or(AttributeError::TooLarge { kind: a.kind })
}
