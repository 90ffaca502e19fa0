//! The SA payload with its nested proposals and transforms (RFC 2408 3.4-3.6, RFC 2407
//! 4.2). Nesting is strict: an SA holds only proposal payloads, a proposal only transform
//! payloads, each chain ends exactly where its parent ends, and a proposal holds exactly
//! the number of transforms it declares. racoon's proposal parser trusted these fields
//! (CVE-2008-3651 and the NULL dereferences around it); here each violation is a
//! [`DecodeError`] that maps to BAD-PROPOSAL-SYNTAX or PAYLOAD-MALFORMED.

use super::attr::Attribute;
use super::error::{DecodeError, EncodeError, ErrorKind};
use super::frame::{read_frame, write_frame};
use super::reader::Reader;
use super::types::{DOI_IPSEC, SIT_IDENTITY_ONLY};
use super::{PayloadType, ProtocolId};

/// An SA payload of the IPsec DOI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityAssociation {
    /// Always [`DOI_IPSEC`] when decoded.
    pub doi: u32,
    /// Always [`SIT_IDENTITY_ONLY`] when decoded.
    pub situation: u32,
    /// In order. Consecutive proposals with the same number form one AND-bundle
    /// (RFC 2408 4.2), e.g. ESP and IPCOMP together.
    pub proposals: Vec<Proposal>,
}

/// A proposal payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub number: u8,
    pub protocol: ProtocolId,
    /// Empty in phase 1; 4 bytes for AH and ESP; 2 (or 4) for IPCOMP's CPI.
    pub spi: Vec<u8>,
    /// Alternatives, in the sender's order of preference.
    pub transforms: Vec<Transform>,
}

/// A transform payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transform {
    pub number: u8,
    /// KEY_IKE in phase 1; the ESP, AH or IPCOMP transform id of the algorithm table in
    /// quick mode.
    pub id: u8,
    /// Phase-1 attributes for ISAKMP proposals, IPsec DOI attributes otherwise; see
    /// [`super::Phase1Attribute`] and [`super::IpsecAttribute`].
    pub attributes: Vec<Attribute>,
}

impl SecurityAssociation {
    /// An SA of the IPsec DOI, identity-only situation.
    pub fn ipsec(proposals: Vec<Proposal>) -> SecurityAssociation {
        SecurityAssociation {
            doi: DOI_IPSEC,
            situation: SIT_IDENTITY_ONLY,
            proposals,
        }
    }

    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<SecurityAssociation, DecodeError> {
        let doi_at = r.offset();
        let doi = r.u32("DOI")?;
        if doi != DOI_IPSEC {
            return Err(DecodeError {
                offset: doi_at,
                kind: ErrorKind::UnsupportedDoi(doi),
            });
        }
        let situation_at = r.offset();
        let situation = r.u32("situation")?;
        if situation != SIT_IDENTITY_ONLY {
            return Err(DecodeError {
                offset: situation_at,
                kind: ErrorKind::UnsupportedSituation(situation),
            });
        }
        if r.is_empty() {
            return Err(r.error(ErrorKind::Empty { what: "SA" }));
        }
        let mut proposals = Vec::new();
        loop {
            let mut frame = read_frame(r, PayloadType::Proposal, 4)?;
            proposals.push(Proposal::decode(&mut frame.body)?);
            match frame.next {
                PayloadType::None => break,
                PayloadType::Proposal => {}
                other => {
                    return Err(DecodeError {
                        offset: frame.offset,
                        kind: ErrorKind::MisplacedPayload {
                            payload: other,
                            inside: PayloadType::Sa,
                        },
                    })
                }
            }
        }
        r.finish("last proposal")?;
        Ok(SecurityAssociation {
            doi,
            situation,
            proposals,
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.extend_from_slice(&self.doi.to_be_bytes());
        out.extend_from_slice(&self.situation.to_be_bytes());
        let count = self.proposals.len();
        for (i, p) in self.proposals.iter().enumerate() {
            let next = if i + 1 < count {
                PayloadType::Proposal
            } else {
                PayloadType::None
            };
            write_frame(out, next, "proposal", |out| p.encode(out))?;
        }
        Ok(())
    }
}

impl Proposal {
    fn decode(r: &mut Reader<'_>) -> Result<Proposal, DecodeError> {
        let number = r.u8("proposal number")?;
        let protocol = ProtocolId::from(r.u8("protocol id")?);
        let spi_size = r.u8("SPI size")?;
        let count_at = r.offset();
        let declared = r.u8("number of transforms")?;
        let spi = r.take(usize::from(spi_size), "SPI")?.to_vec();
        if r.is_empty() {
            return Err(r.error(ErrorKind::Empty { what: "proposal" }));
        }
        let mut transforms = Vec::new();
        loop {
            let mut frame = read_frame(r, PayloadType::Transform, 4)?;
            transforms.push(Transform::decode(&mut frame.body)?);
            match frame.next {
                PayloadType::None => break,
                PayloadType::Transform => {}
                other => {
                    return Err(DecodeError {
                        offset: frame.offset,
                        kind: ErrorKind::MisplacedPayload {
                            payload: other,
                            inside: PayloadType::Proposal,
                        },
                    })
                }
            }
        }
        r.finish("last transform")?;
        if transforms.len() != usize::from(declared) {
            return Err(DecodeError {
                offset: count_at,
                kind: ErrorKind::TransformCount {
                    declared,
                    found: transforms.len(),
                },
            });
        }
        Ok(Proposal {
            number,
            protocol,
            spi,
            transforms,
        })
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let too_long = |what, length| EncodeError::TooLong {
            what,
            length,
            max: 255,
        };
        let spi_size = u8::try_from(self.spi.len()).map_err(|_| too_long("SPI", self.spi.len()))?;
        let count = u8::try_from(self.transforms.len())
            .map_err(|_| too_long("transform list", self.transforms.len()))?;
        out.extend_from_slice(&[self.number, self.protocol.value(), spi_size, count]);
        out.extend_from_slice(&self.spi);
        for (i, t) in self.transforms.iter().enumerate() {
            let next = if i + 1 < self.transforms.len() {
                PayloadType::Transform
            } else {
                PayloadType::None
            };
            write_frame(out, next, "transform", |out| t.encode(out))?;
        }
        Ok(())
    }
}

impl Transform {
    fn decode(r: &mut Reader<'_>) -> Result<Transform, DecodeError> {
        let number = r.u8("transform number")?;
        let id = r.u8("transform id")?;
        let _reserved = r.u16("transform reserved")?;
        let attributes = Attribute::decode_all(r)?;
        Ok(Transform {
            number,
            id,
            attributes,
        })
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.extend_from_slice(&[self.number, self.id, 0, 0]);
        Attribute::encode_all(&self.attributes, out)
    }
}
