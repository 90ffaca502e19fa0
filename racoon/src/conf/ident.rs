//! Identities as `my_identifier`, `peers_identifier` and sainfo `from` write them.

use common::addr::Address;

/// The identifier types of racoon.conf (`cftoken.l`'s IDENTIFIERTYPE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdType {
    Address,
    Subnet,
    Fqdn,
    UserFqdn,
    KeyId,
    Asn1Dn,
}

impl IdType {
    pub const NAMES: &'static [&'static str] =
        &["address", "subnet", "fqdn", "user_fqdn", "keyid", "asn1dn"];

    pub fn from_word(word: &str) -> Option<IdType> {
        Some(match word {
            "address" => IdType::Address,
            "subnet" => IdType::Subnet,
            "fqdn" => IdType::Fqdn,
            "user_fqdn" => IdType::UserFqdn,
            "keyid" => IdType::KeyId,
            "asn1dn" => IdType::Asn1Dn,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            IdType::Address => "address",
            IdType::Subnet => "subnet",
            IdType::Fqdn => "fqdn",
            IdType::UserFqdn => "user_fqdn",
            IdType::KeyId => "keyid",
            IdType::Asn1Dn => "asn1dn",
        }
    }
}

/// An identity of this host or of a peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    /// `address [ADDR]`: without an address, the address the exchange runs on.
    Address(Option<Address>),
    /// `fqdn "host.example"`.
    Fqdn(String),
    /// `user_fqdn "user@example"`.
    UserFqdn(String),
    /// `keyid [file] "path"` in text parsed without reading files: the path.
    KeyIdFile(String),
    /// `keyid [file] "path"` as loaded: the file's bytes, all of them, are the key id
    /// (read while parsing, as the original did).
    KeyId(Vec<u8>),
    /// `keyid tag "text"`: the key id is the text itself.
    KeyIdTag(String),
    /// `asn1dn ["DN"]`: without a DN, the subject of the own certificate.
    Asn1Dn(Option<String>),
}

impl Identifier {
    /// The identifier type this identity has.
    pub fn id_type(&self) -> IdType {
        match self {
            Identifier::Address(_) => IdType::Address,
            Identifier::Fqdn(_) => IdType::Fqdn,
            Identifier::UserFqdn(_) => IdType::UserFqdn,
            Identifier::KeyIdFile(_) | Identifier::KeyId(_) | Identifier::KeyIdTag(_) => {
                IdType::KeyId
            }
            Identifier::Asn1Dn(_) => IdType::Asn1Dn,
        }
    }
}
