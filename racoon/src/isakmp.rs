//! The ISAKMP message codec (RFC 2408) with the IPsec DOI (RFC 2407) and the IKEv1
//! (RFC 2409) attribute spaces, in the style of rustls' `msgs/`: plain data types, a
//! total decoder that returns a typed [`DecodeError`] (with the offset) for any input and
//! never panics, and an encoder that reproduces received messages byte for byte (reserved
//! fields aside, which are ignored on receipt and sent as zero).
//!
//! Layers, bottom up:
//! - [`Header`] and the generic payload framing, where all length checks live;
//! - [`RawPayloads`]: the payload chain as byte ranges, for the hashes that must cover
//!   exactly what was received;
//! - [`Payload`] and [`Message`]: typed payloads, SA/proposal/transform nesting checked;
//! - [`Phase1Attribute`] and [`IpsecAttribute`]: typed views of transform attributes,
//!   with algorithm and group numbers resolved against the tables in `common::alg`;
//! - [`encrypt`] / [`decrypt`]: the phase-1 cipher applied to everything after the header.
//!
//! Nothing here does I/O or keeps state between messages: the IV chaining of encrypted
//! messages is the caller's (the engine's), passed in and handed back.

mod attr;
mod attr_values;
mod cfg_attr;
mod encrypted;
mod error;
mod frag;
mod frame;
mod header;
mod id;
mod ipsec_attr;
mod message;
mod notify;
mod notify_type;
mod payload;
mod phase1_attr;
mod reader;
mod sa;
mod types;
mod wire_enum;

pub use attr::{Attribute, AttributeValue};
pub use attr_values::{
    AlgorithmRef, AttributeError, AuthMethod, EncapsulationMode, GroupRef, GroupType, LifeType,
};
pub use cfg_attr::{
    CfgAttrError, CfgAttrType, CfgAttribute, CfgValue, ConfigPayload, UNITY_NETWORK_LEN,
    XAUTH_STATUS_FAIL, XAUTH_STATUS_OK, XAUTH_TYPE_GENERIC,
};
pub use encrypted::{
    decrypt, decrypt_message, encrypt, encrypt_message, Decrypted, Encrypted, EncryptedError,
};
pub use error::{DecodeError, EncodeError, ErrorKind};
pub use frag::{
    split as split_fragments, Fragment, FragmentError, FRAGMENT_LAST, FRAGMENT_PAYLOAD,
};
pub use header::{Cookie, Flags, Header};
pub use id::{IdData, Identification};
pub use ipsec_attr::IpsecAttribute;
pub use message::Message;
pub use notify::{Delete, Notification};
pub use notify_type::NotifyType;
pub use payload::{decode_payloads, encode_payloads, Payload, RawPayload, RawPayloads, Trailing};
pub use phase1_attr::Phase1Attribute;
pub use sa::{Proposal, SecurityAssociation, Transform};
pub use types::{
    CertEncoding, ConfigType, ExchangeType, IdType, PayloadType, ProtocolId, DOI_IPSEC, KEY_IKE,
    SIT_IDENTITY_ONLY,
};
