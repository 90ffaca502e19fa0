//! Identification payloads (RFC 2408 3.8 with the IPsec DOI layout of RFC 2407 4.6.2) and
//! NAT original address payloads (RFC 3947 5.2), whose address forms are the same.
//! Address types must have exactly their address length; names and DER blobs are bytes,
//! not strings, because peers send whatever they like there.

use super::error::{DecodeError, ErrorKind};
use super::reader::Reader;
use super::IdType;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An ID payload: IDii/IDir in phase 1, IDci/IDcr in quick mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identification {
    /// IP protocol number, 0 for any.
    pub protocol: u8,
    /// Port, 0 for any.
    pub port: u16,
    pub data: IdData,
}

/// The identification data, by ID type. Subnets keep the mask as sent, since a peer may
/// send a non-contiguous one; [`IdData::prefix_len`] gives the prefix where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdData {
    Ipv4(Ipv4Addr),
    Fqdn(Vec<u8>),
    UserFqdn(Vec<u8>),
    Ipv4Subnet {
        addr: Ipv4Addr,
        mask: Ipv4Addr,
    },
    Ipv6(Ipv6Addr),
    Ipv6Subnet {
        addr: Ipv6Addr,
        mask: Ipv6Addr,
    },
    Ipv4Range {
        start: Ipv4Addr,
        end: Ipv4Addr,
    },
    Ipv6Range {
        start: Ipv6Addr,
        end: Ipv6Addr,
    },
    DerAsn1Dn(Vec<u8>),
    DerAsn1Gn(Vec<u8>),
    KeyId(Vec<u8>),
    /// An ID type without a name here, kept as received.
    Other {
        id_type: u8,
        data: Vec<u8>,
    },
}

impl IdData {
    pub fn id_type(&self) -> IdType {
        match self {
            IdData::Ipv4(_) => IdType::Ipv4Addr,
            IdData::Fqdn(_) => IdType::Fqdn,
            IdData::UserFqdn(_) => IdType::UserFqdn,
            IdData::Ipv4Subnet { .. } => IdType::Ipv4AddrSubnet,
            IdData::Ipv6(_) => IdType::Ipv6Addr,
            IdData::Ipv6Subnet { .. } => IdType::Ipv6AddrSubnet,
            IdData::Ipv4Range { .. } => IdType::Ipv4AddrRange,
            IdData::Ipv6Range { .. } => IdType::Ipv6AddrRange,
            IdData::DerAsn1Dn(_) => IdType::DerAsn1Dn,
            IdData::DerAsn1Gn(_) => IdType::DerAsn1Gn,
            IdData::KeyId(_) => IdType::KeyId,
            IdData::Other { id_type, .. } => IdType::from(*id_type),
        }
    }

    /// The prefix length of a subnet whose mask is contiguous.
    pub fn prefix_len(&self) -> Option<u8> {
        let bits: u128 = match self {
            IdData::Ipv4Subnet { mask, .. } => u128::from(u32::from(*mask)) << 96,
            IdData::Ipv6Subnet { mask, .. } => u128::from(*mask),
            _ => return None,
        };
        let ones = bits.leading_ones();
        (bits.checked_shl(ones).unwrap_or(0) == 0).then_some(ones as u8)
    }

    pub(crate) fn decode(id_type: u8, r: &mut Reader<'_>) -> Result<IdData, DecodeError> {
        let at = r.offset();
        let data = r.rest();
        let t = IdType::from(id_type);
        let wrong = || DecodeError {
            offset: at,
            kind: ErrorKind::IdLength {
                id_type: t,
                length: data.len(),
            },
        };
        let v4 = |b: &[u8]| <[u8; 4]>::try_from(b).map(Ipv4Addr::from);
        let v6 = |b: &[u8]| <[u8; 16]>::try_from(b).map(Ipv6Addr::from);
        let halves = |n: usize| {
            (data.len() == 2 * n)
                .then(|| data.split_at(n))
                .ok_or_else(wrong)
        };
        Ok(match t {
            IdType::Ipv4Addr => IdData::Ipv4(v4(data).map_err(|_| wrong())?),
            IdType::Ipv6Addr => IdData::Ipv6(v6(data).map_err(|_| wrong())?),
            IdType::Ipv4AddrSubnet | IdType::Ipv4AddrRange => {
                let (a, b) = halves(4)?;
                let (a, b) = (v4(a).map_err(|_| wrong())?, v4(b).map_err(|_| wrong())?);
                if t == IdType::Ipv4AddrSubnet {
                    IdData::Ipv4Subnet { addr: a, mask: b }
                } else {
                    IdData::Ipv4Range { start: a, end: b }
                }
            }
            IdType::Ipv6AddrSubnet | IdType::Ipv6AddrRange => {
                let (a, b) = halves(16)?;
                let (a, b) = (v6(a).map_err(|_| wrong())?, v6(b).map_err(|_| wrong())?);
                if t == IdType::Ipv6AddrSubnet {
                    IdData::Ipv6Subnet { addr: a, mask: b }
                } else {
                    IdData::Ipv6Range { start: a, end: b }
                }
            }
            IdType::Fqdn => IdData::Fqdn(data.to_vec()),
            IdType::UserFqdn => IdData::UserFqdn(data.to_vec()),
            IdType::DerAsn1Dn => IdData::DerAsn1Dn(data.to_vec()),
            IdType::DerAsn1Gn => IdData::DerAsn1Gn(data.to_vec()),
            IdType::KeyId => IdData::KeyId(data.to_vec()),
            IdType::Unknown(id_type) => IdData::Other {
                id_type,
                data: data.to_vec(),
            },
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        match self {
            IdData::Ipv4(a) => out.extend_from_slice(&a.octets()),
            IdData::Ipv6(a) => out.extend_from_slice(&a.octets()),
            IdData::Ipv4Subnet { addr: a, mask: b } | IdData::Ipv4Range { start: a, end: b } => {
                out.extend_from_slice(&a.octets());
                out.extend_from_slice(&b.octets());
            }
            IdData::Ipv6Subnet { addr: a, mask: b } | IdData::Ipv6Range { start: a, end: b } => {
                out.extend_from_slice(&a.octets());
                out.extend_from_slice(&b.octets());
            }
            IdData::Fqdn(d)
            | IdData::UserFqdn(d)
            | IdData::DerAsn1Dn(d)
            | IdData::DerAsn1Gn(d)
            | IdData::KeyId(d)
            | IdData::Other { data: d, .. } => out.extend_from_slice(d),
        }
    }
}

impl Identification {
    /// An identification without protocol or port, as phase 1 mostly sends it.
    pub fn new(data: IdData) -> Identification {
        Identification {
            protocol: 0,
            port: 0,
            data,
        }
    }

    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Identification, DecodeError> {
        let id_type = r.u8("ID type")?;
        let protocol = r.u8("ID protocol")?;
        let port = r.u16("ID port")?;
        let data = IdData::decode(id_type, r)?;
        Ok(Identification {
            protocol,
            port,
            data,
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.data.id_type().value());
        out.push(self.protocol);
        out.extend_from_slice(&self.port.to_be_bytes());
        self.data.encode(out);
    }
}

/// The body of a NAT-OA payload: the original address of a peer behind NAT.
pub(crate) fn decode_nat_oa(r: &mut Reader<'_>) -> Result<IpAddr, DecodeError> {
    let at = r.offset();
    let id_type = r.u8("NAT-OA ID type")?;
    let _reserved = r.take(3, "NAT-OA reserved")?;
    match IdData::decode(id_type, r)? {
        IdData::Ipv4(a) => Ok(IpAddr::V4(a)),
        IdData::Ipv6(a) => Ok(IpAddr::V6(a)),
        other => Err(DecodeError {
            offset: at,
            kind: ErrorKind::NatOaType(other.id_type()),
        }),
    }
}

pub(crate) fn encode_nat_oa(addr: &IpAddr, out: &mut Vec<u8>) {
    let data = match addr {
        IpAddr::V4(a) => IdData::Ipv4(*a),
        IpAddr::V6(a) => IdData::Ipv6(*a),
    };
    out.extend_from_slice(&[data.id_type().value(), 0, 0, 0]);
    data.encode(out);
}
