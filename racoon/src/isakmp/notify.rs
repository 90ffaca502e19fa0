//! Notification and delete payloads (RFC 2408 3.14, 3.15; RFC 2407 4.6.3, 4.6.4). Both
//! carry SPIs whose size is stated separately from their number; a delete whose count and
//! size disagree with its length is an error, never a short read.

use super::error::{DecodeError, EncodeError, ErrorKind};
use super::reader::Reader;
use super::{NotifyType, ProtocolId};

/// A notification payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub doi: u32,
    pub protocol: ProtocolId,
    /// Empty, an IPsec SPI, or the two cookies (16 bytes) for ISAKMP.
    pub spi: Vec<u8>,
    pub message_type: NotifyType,
    /// Type-specific data: the DPD sequence number, RESPONDER-LIFETIME attributes, ...
    pub data: Vec<u8>,
}

/// A delete payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delete {
    pub doi: u32,
    pub protocol: ProtocolId,
    /// The size of every SPI: 16 for an ISAKMP SA (both cookies), 4 for AH and ESP.
    pub spi_size: u8,
    pub spis: Vec<Vec<u8>>,
}

impl Notification {
    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Notification, DecodeError> {
        let doi = r.u32("notification DOI")?;
        let protocol = ProtocolId::from(r.u8("notification protocol")?);
        let spi_size = r.u8("notification SPI size")?;
        let message_type = NotifyType::from(r.u16("notify message type")?);
        let spi = r.take(usize::from(spi_size), "notification SPI")?.to_vec();
        let data = r.rest().to_vec();
        Ok(Notification {
            doi,
            protocol,
            spi,
            message_type,
            data,
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let spi_size = u8::try_from(self.spi.len()).map_err(|_| EncodeError::TooLong {
            what: "notification SPI",
            length: self.spi.len(),
            max: 255,
        })?;
        out.extend_from_slice(&self.doi.to_be_bytes());
        out.extend_from_slice(&[self.protocol.value(), spi_size]);
        out.extend_from_slice(&self.message_type.value().to_be_bytes());
        out.extend_from_slice(&self.spi);
        out.extend_from_slice(&self.data);
        Ok(())
    }
}

impl Delete {
    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Delete, DecodeError> {
        let doi = r.u32("delete DOI")?;
        let protocol = ProtocolId::from(r.u8("delete protocol")?);
        let spi_size = r.u8("delete SPI size")?;
        let count = r.u16("number of SPIs")?;
        let bytes = r.remaining();
        // Zero-size SPIs would let a 12-byte payload claim 65535 of them.
        if usize::from(spi_size) * usize::from(count) != bytes || (spi_size == 0 && count > 0) {
            return Err(r.error(ErrorKind::SpiCount {
                count,
                spi_size,
                bytes,
            }));
        }
        let mut spis = Vec::with_capacity(usize::from(count).min(bytes));
        for _ in 0..count {
            spis.push(r.take(usize::from(spi_size), "SPI")?.to_vec());
        }
        Ok(Delete {
            doi,
            protocol,
            spi_size,
            spis,
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let count = u16::try_from(self.spis.len()).map_err(|_| EncodeError::TooLong {
            what: "SPI list",
            length: self.spis.len(),
            max: usize::from(u16::MAX),
        })?;
        if let Some(bad) = self
            .spis
            .iter()
            .find(|s| s.len() != usize::from(self.spi_size))
        {
            return Err(EncodeError::SpiSize {
                spi_size: self.spi_size,
                found: bad.len(),
            });
        }
        out.extend_from_slice(&self.doi.to_be_bytes());
        out.extend_from_slice(&[self.protocol.value(), self.spi_size]);
        out.extend_from_slice(&count.to_be_bytes());
        self.spis.iter().for_each(|s| out.extend_from_slice(s));
        Ok(())
    }
}
