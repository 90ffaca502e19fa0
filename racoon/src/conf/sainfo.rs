//! The model of a `sainfo` block: what to propose and accept in quick mode for traffic
//! between two identities.

use common::addr::{Address, Selector};
use common::alg::Algorithm;

use super::dh::DhGroup;
use super::ident::Identifier;
use super::Location;

/// The quick-mode lifetime when a sainfo gives none (RFC 2407's default hour).
pub const DEFAULT_PHASE2_LIFETIME: u64 = 60 * 60;

/// A `sainfo` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Sainfo {
    pub location: Location,
    /// The local side (source of outbound traffic).
    pub local: SainfoId,
    /// The remote side.
    pub remote: SainfoId,
    /// `from IDTYPE [ID]`: only for phase 1 with this peer identity.
    pub from: Option<Identifier>,
    /// `group "name"`: only for XAuth users in this group.
    pub group: Option<String>,
    /// `pfs_group`; `None`: no PFS.
    pub pfs_group: Option<DhGroup>,
    /// `remoteid N;`: only with remotes whose `ph1id` is N.
    pub remoteid: Option<u64>,
    /// `lifetime time N unit;` in seconds.
    pub lifetime: u64,
    /// `lifetime byte N unit;` in kilobytes; 0: none.
    pub lifebyte: u64,
    /// `encryption_algorithm`, in order of preference; never empty.
    pub encryption: Vec<SainfoAlg>,
    /// `authentication_algorithm`; never empty.
    pub authentication: Vec<&'static Algorithm>,
    /// `compression_algorithm`; never empty.
    pub compression: Vec<&'static Algorithm>,
}

impl Sainfo {
    /// How messages name the block, in racoon's `sainfo2str` spirit.
    pub fn describe(&self) -> String {
        if self.local == SainfoId::Anonymous && self.remote == SainfoId::Anonymous {
            "sainfo anonymous".to_owned()
        } else {
            format!("sainfo {} {}", self.local, self.remote)
        }
    }
}

/// An encryption algorithm with the key length written after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SainfoAlg {
    pub algorithm: &'static Algorithm,
    /// `None`: the algorithm's default.
    pub key_length: Option<u16>,
}

/// One side of a sainfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SainfoId {
    /// `anonymous`: any identity.
    Anonymous,
    /// `clientaddr` (remote side only): the address mode-config gave the peer.
    ClientAddr,
    /// `address|subnet ADDR[/PLEN][[PORT]] UL_PROTO`.
    Selector {
        selector: Selector,
        /// Upper-layer protocol number; `None` is `any`.
        ul_proto: Option<u8>,
    },
    /// `address|subnet LOW-HIGH[[PORT]] UL_PROTO`: an address range.
    Range {
        low: Address,
        high: Address,
        port: Option<u16>,
        ul_proto: Option<u8>,
    },
    /// `fqdn|user_fqdn|keyid "text"`.
    Name {
        id_type: super::IdType,
        value: String,
    },
}

impl std::fmt::Display for SainfoId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let proto = |p: &Option<u8>| p.map_or("any".to_owned(), |p| p.to_string());
        match self {
            SainfoId::Anonymous => f.write_str("anonymous"),
            SainfoId::ClientAddr => f.write_str("clientaddr"),
            SainfoId::Selector { selector, ul_proto } => {
                write!(f, "address {selector} {}", proto(ul_proto))
            }
            SainfoId::Range {
                low,
                high,
                port,
                ul_proto,
            } => {
                write!(f, "address {low}-{high}")?;
                if let Some(p) = port {
                    write!(f, "[{p}]")?;
                }
                write!(f, " {}", proto(ul_proto))
            }
            SainfoId::Name { id_type, value } => write!(f, "{} \"{value}\"", id_type.name()),
        }
    }
}

/// The upper-layer protocol names racoon.conf knows (`cftoken.l`'s UL_PROTO).
pub const UL_PROTOS: &[(&str, u8)] = &[
    ("icmp", 1),
    ("tcp", 6),
    ("udp", 17),
    ("gre", 47),
    ("esp", 50),
    ("ah", 51),
    ("icmp6", 58),
    ("ipcomp", 108),
];
