//! Typed IPsec DOI SA attributes (RFC 2407 4.5): the transform attributes of AH, ESP and
//! IPCOMP proposals in quick mode.

use super::attr::{Attribute, AttributeValue};
use super::attr_values::{
    basic, number, AlgorithmRef, AttributeError, EncapsulationMode, GroupRef, LifeType,
};
use super::error::EncodeError;
use common::alg;

/// Attribute classes of RFC 2407 4.5.
mod class {
    pub const LIFE_TYPE: u16 = 1;
    pub const LIFE_DURATION: u16 = 2;
    pub const GROUP_DESCRIPTION: u16 = 3;
    pub const ENCAPSULATION_MODE: u16 = 4;
    pub const AUTH_ALGORITHM: u16 = 5;
    pub const KEY_LENGTH: u16 = 6;
    pub const KEY_ROUNDS: u16 = 7;
    pub const COMPRESS_DICTIONARY_SIZE: u16 = 8;
    pub const COMPRESS_PRIVATE_ALGORITHM: u16 = 9;
}

/// One IPsec DOI attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpsecAttribute {
    LifeType(LifeType),
    /// Seconds or kilobytes, per the preceding Life Type.
    LifeDuration(u64),
    /// The PFS group.
    GroupDescription(GroupRef),
    EncapsulationMode(EncapsulationMode),
    /// The table's `auth_attr` of an auth row.
    AuthAlgorithm(AlgorithmRef),
    KeyLength(u16),
    KeyRounds(u16),
    CompressDictionarySize(u16),
    CompressPrivateAlgorithm(Vec<u8>),
    /// Anything else, as received.
    Other(Attribute),
}

fn auth_attr(a: &alg::Algorithm) -> Option<u16> {
    a.auth_attr
}

impl IpsecAttribute {
    pub fn from_attribute(a: &Attribute) -> Result<IpsecAttribute, AttributeError> {
        use IpsecAttribute as I;
        Ok(match a.kind {
            class::LIFE_TYPE => I::LifeType(basic(a)?.into()),
            class::LIFE_DURATION => I::LifeDuration(number(a)?),
            class::GROUP_DESCRIPTION => I::GroupDescription(GroupRef::from_number(basic(a)?)),
            class::ENCAPSULATION_MODE => I::EncapsulationMode(basic(a)?.into()),
            class::AUTH_ALGORITHM => {
                I::AuthAlgorithm(AlgorithmRef::resolve(basic(a)?, alg::find_auth_attr))
            }
            class::KEY_LENGTH => I::KeyLength(basic(a)?),
            class::KEY_ROUNDS => I::KeyRounds(basic(a)?),
            class::COMPRESS_DICTIONARY_SIZE => I::CompressDictionarySize(basic(a)?),
            class::COMPRESS_PRIVATE_ALGORITHM => I::CompressPrivateAlgorithm(a.value.to_bytes()),
            _ => I::Other(a.clone()),
        })
    }

    pub fn to_attribute(&self) -> Result<Attribute, EncodeError> {
        use IpsecAttribute as I;
        Ok(match self {
            I::LifeType(t) => Attribute::basic(class::LIFE_TYPE, t.value()),
            I::LifeDuration(n) => Attribute {
                kind: class::LIFE_DURATION,
                value: AttributeValue::from_number(*n),
            },
            I::GroupDescription(g) => Attribute::basic(class::GROUP_DESCRIPTION, g.value()),
            I::EncapsulationMode(m) => Attribute::basic(class::ENCAPSULATION_MODE, m.value()),
            I::AuthAlgorithm(r) => Attribute::basic(
                class::AUTH_ALGORITHM,
                r.value("IPsec DOI authentication algorithm", auth_attr)?,
            ),
            I::KeyLength(v) => Attribute::basic(class::KEY_LENGTH, *v),
            I::KeyRounds(v) => Attribute::basic(class::KEY_ROUNDS, *v),
            I::CompressDictionarySize(v) => Attribute::basic(class::COMPRESS_DICTIONARY_SIZE, *v),
            I::CompressPrivateAlgorithm(b) => {
                Attribute::variable(class::COMPRESS_PRIVATE_ALGORITHM, b.clone())
            }
            I::Other(a) => a.clone(),
        })
    }

    pub fn from_attributes(attrs: &[Attribute]) -> Result<Vec<IpsecAttribute>, AttributeError> {
        attrs.iter().map(IpsecAttribute::from_attribute).collect()
    }

    pub fn to_attributes(attrs: &[IpsecAttribute]) -> Result<Vec<Attribute>, EncodeError> {
        attrs.iter().map(IpsecAttribute::to_attribute).collect()
    }
}
