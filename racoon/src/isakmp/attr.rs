//! Data attributes (RFC 2408 3.3) in their two forms: basic (TV, a 16-bit value inside the
//! type word, marked by the AF bit) and variable (TLV). The form is kept as received, so
//! re-encoding is byte-exact whatever the peer chose; the typed views in `phase1_attr` and
//! `ipsec_attr` decide what each form means.

use super::error::{DecodeError, EncodeError};
use super::reader::{put_len16, Reader};

/// The Attribute Format bit: set for the TV form.
const AF: u16 = 0x8000;

/// One attribute as the wire carries it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attribute {
    /// The attribute type without the AF bit.
    pub kind: u16,
    pub value: AttributeValue,
}

/// An attribute value in the form it was (or will be) sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AttributeValue {
    /// TV form.
    Basic(u16),
    /// TLV form.
    Variable(Vec<u8>),
}

impl AttributeValue {
    /// The value as an unsigned integer: a basic value, or a variable one read big-endian
    /// (leading zero bytes allowed). `None` if it does not fit in 64 bits.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            AttributeValue::Basic(v) => Some(u64::from(*v)),
            AttributeValue::Variable(bytes) => {
                let significant = bytes.iter().skip_while(|&&b| b == 0).count();
                if significant > 8 {
                    return None;
                }
                Some(bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
            }
        }
    }

    /// The value as bytes: a variable value as is, a basic one as two big-endian bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            AttributeValue::Basic(v) => v.to_be_bytes().to_vec(),
            AttributeValue::Variable(bytes) => bytes.clone(),
        }
    }

    /// How racoon sends a variable-length number such as a lifetime: basic when it fits
    /// in 16 bits, else four bytes (eight if it must).
    pub fn from_number(n: u64) -> AttributeValue {
        if let Ok(v) = u16::try_from(n) {
            AttributeValue::Basic(v)
        } else if let Ok(v) = u32::try_from(n) {
            AttributeValue::Variable(v.to_be_bytes().to_vec())
        } else {
            AttributeValue::Variable(n.to_be_bytes().to_vec())
        }
    }
}

impl Attribute {
    pub fn basic(kind: u16, value: u16) -> Attribute {
        Attribute {
            kind,
            value: AttributeValue::Basic(value),
        }
    }

    pub fn variable(kind: u16, value: Vec<u8>) -> Attribute {
        Attribute {
            kind,
            value: AttributeValue::Variable(value),
        }
    }

    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Attribute, DecodeError> {
        let word = r.u16("attribute type")?;
        let kind = word & !AF;
        if word & AF != 0 {
            return Ok(Attribute::basic(kind, r.u16("attribute value")?));
        }
        let len = r.u16("attribute length")?;
        let value = r.take(usize::from(len), "attribute value")?.to_vec();
        Ok(Attribute::variable(kind, value))
    }

    /// Decodes attributes until `r` is exhausted.
    pub(crate) fn decode_all(r: &mut Reader<'_>) -> Result<Vec<Attribute>, DecodeError> {
        let mut out = Vec::new();
        while !r.is_empty() {
            out.push(Attribute::decode(r)?);
        }
        Ok(out)
    }

    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if self.kind & AF != 0 {
            return Err(EncodeError::AttributeType(self.kind));
        }
        match &self.value {
            AttributeValue::Basic(v) => {
                out.extend_from_slice(&(self.kind | AF).to_be_bytes());
                out.extend_from_slice(&v.to_be_bytes());
            }
            AttributeValue::Variable(bytes) => {
                out.extend_from_slice(&self.kind.to_be_bytes());
                put_len16(out, bytes.len(), "attribute value")?;
                out.extend_from_slice(bytes);
            }
        }
        Ok(())
    }

    pub(crate) fn encode_all(attrs: &[Attribute], out: &mut Vec<u8>) -> Result<(), EncodeError> {
        attrs.iter().try_for_each(|a| a.encode(out))
    }
}
