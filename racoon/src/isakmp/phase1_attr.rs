//! Typed phase-1 (Oakley) SA attributes, RFC 2409 appendix A: the transform attributes of
//! an ISAKMP proposal. Decoded from and encoded to the generic [`Attribute`], which keeps
//! the wire form; encoding chooses racoon's forms (basic where the value fits).

use super::attr::{Attribute, AttributeValue};
use super::attr_values::{
    basic, number, AlgorithmRef, AttributeError, AuthMethod, GroupRef, GroupType, LifeType,
};
use super::error::EncodeError;
use common::alg::{self, Class};

/// Attribute classes of RFC 2409 appendix A.
mod class {
    pub const ENCRYPTION: u16 = 1;
    pub const HASH: u16 = 2;
    pub const AUTH_METHOD: u16 = 3;
    pub const GROUP_DESCRIPTION: u16 = 4;
    pub const GROUP_TYPE: u16 = 5;
    pub const GROUP_PRIME: u16 = 6;
    pub const GROUP_GENERATOR_ONE: u16 = 7;
    pub const GROUP_GENERATOR_TWO: u16 = 8;
    pub const GROUP_CURVE_A: u16 = 9;
    pub const GROUP_CURVE_B: u16 = 10;
    pub const LIFE_TYPE: u16 = 11;
    pub const LIFE_DURATION: u16 = 12;
    pub const PRF: u16 = 13;
    pub const KEY_LENGTH: u16 = 14;
    pub const FIELD_SIZE: u16 = 15;
    pub const GROUP_ORDER: u16 = 16;
}

/// One phase-1 attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase1Attribute {
    /// Encryption Algorithm: the table's `ike_value` of a cipher row.
    Encryption(AlgorithmRef),
    /// Hash Algorithm: the table's `ike_value` of an auth row.
    Hash(AlgorithmRef),
    AuthMethod(AuthMethod),
    GroupDescription(GroupRef),
    GroupType(GroupType),
    GroupPrime(Vec<u8>),
    GroupGeneratorOne(Vec<u8>),
    GroupGeneratorTwo(Vec<u8>),
    GroupCurveA(Vec<u8>),
    GroupCurveB(Vec<u8>),
    LifeType(LifeType),
    /// Seconds or kilobytes, per the preceding Life Type.
    LifeDuration(u64),
    /// No PRFs are defined (RFC 2409 appendix A); kept as a number.
    Prf(u16),
    /// Bits of cipher key, for variable-key ciphers.
    KeyLength(u16),
    FieldSize(u16),
    GroupOrder(Vec<u8>),
    /// Anything else, as received.
    Other(Attribute),
}

fn find_cipher(v: u16) -> Option<&'static alg::Algorithm> {
    alg::find_ike(Class::Encrypt, v)
}

fn find_hash(v: u16) -> Option<&'static alg::Algorithm> {
    alg::find_ike(Class::Auth, v)
}

fn ike_value(a: &alg::Algorithm) -> Option<u16> {
    a.ike_value
}

impl Phase1Attribute {
    /// Reads the typed value of a received attribute.
    pub fn from_attribute(a: &Attribute) -> Result<Phase1Attribute, AttributeError> {
        use Phase1Attribute as P;
        let bytes = || a.value.to_bytes();
        Ok(match a.kind {
            class::ENCRYPTION => P::Encryption(AlgorithmRef::resolve(basic(a)?, find_cipher)),
            class::HASH => P::Hash(AlgorithmRef::resolve(basic(a)?, find_hash)),
            class::AUTH_METHOD => P::AuthMethod(basic(a)?.into()),
            class::GROUP_DESCRIPTION => P::GroupDescription(GroupRef::from_number(basic(a)?)),
            class::GROUP_TYPE => P::GroupType(basic(a)?.into()),
            class::GROUP_PRIME => P::GroupPrime(bytes()),
            class::GROUP_GENERATOR_ONE => P::GroupGeneratorOne(bytes()),
            class::GROUP_GENERATOR_TWO => P::GroupGeneratorTwo(bytes()),
            class::GROUP_CURVE_A => P::GroupCurveA(bytes()),
            class::GROUP_CURVE_B => P::GroupCurveB(bytes()),
            class::LIFE_TYPE => P::LifeType(basic(a)?.into()),
            class::LIFE_DURATION => P::LifeDuration(number(a)?),
            class::PRF => P::Prf(basic(a)?),
            class::KEY_LENGTH => P::KeyLength(basic(a)?),
            class::FIELD_SIZE => P::FieldSize(basic(a)?),
            class::GROUP_ORDER => P::GroupOrder(bytes()),
            _ => P::Other(a.clone()),
        })
    }

    /// The attribute to send.
    pub fn to_attribute(&self) -> Result<Attribute, EncodeError> {
        use Phase1Attribute as P;
        let var = |kind, bytes: &Vec<u8>| Attribute::variable(kind, bytes.clone());
        Ok(match self {
            P::Encryption(r) => Attribute::basic(
                class::ENCRYPTION,
                r.value("IKE encryption algorithm", ike_value)?,
            ),
            P::Hash(r) => Attribute::basic(class::HASH, r.value("IKE hash algorithm", ike_value)?),
            P::AuthMethod(m) => Attribute::basic(class::AUTH_METHOD, m.value()),
            P::GroupDescription(g) => Attribute::basic(class::GROUP_DESCRIPTION, g.value()),
            P::GroupType(t) => Attribute::basic(class::GROUP_TYPE, t.value()),
            P::GroupPrime(b) => var(class::GROUP_PRIME, b),
            P::GroupGeneratorOne(b) => var(class::GROUP_GENERATOR_ONE, b),
            P::GroupGeneratorTwo(b) => var(class::GROUP_GENERATOR_TWO, b),
            P::GroupCurveA(b) => var(class::GROUP_CURVE_A, b),
            P::GroupCurveB(b) => var(class::GROUP_CURVE_B, b),
            P::LifeType(t) => Attribute::basic(class::LIFE_TYPE, t.value()),
            P::LifeDuration(n) => Attribute {
                kind: class::LIFE_DURATION,
                value: AttributeValue::from_number(*n),
            },
            P::Prf(v) => Attribute::basic(class::PRF, *v),
            P::KeyLength(v) => Attribute::basic(class::KEY_LENGTH, *v),
            P::FieldSize(v) => Attribute::basic(class::FIELD_SIZE, *v),
            P::GroupOrder(b) => var(class::GROUP_ORDER, b),
            P::Other(a) => a.clone(),
        })
    }

    /// The typed view of a whole transform's attributes.
    pub fn from_attributes(attrs: &[Attribute]) -> Result<Vec<Phase1Attribute>, AttributeError> {
        attrs.iter().map(Phase1Attribute::from_attribute).collect()
    }

    /// Generic attributes for a transform, in the given order.
    pub fn to_attributes(attrs: &[Phase1Attribute]) -> Result<Vec<Attribute>, EncodeError> {
        attrs.iter().map(Phase1Attribute::to_attribute).collect()
    }
}
