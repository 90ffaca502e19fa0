//! The IKEv1 fragment payload (next payload 132), the proprietary fragmentation Cisco
//! introduced and racoon (`ike_frag`) and strongSwan speak: a message too large for the
//! path is cut into pieces, each sent as an ISAKMP message of its own that carries the
//! original header (exchange type, cookies, message ID) and one fragment payload:
//!
//! ```text
//!  0                   1                   2                   3
//! +---------------+---------------+-------------------------------+
//! | Next Payload  |   RESERVED    |        Payload Length         |
//! +---------------+---------------+---------------+---------------+
//! |          Fragment ID          |  Fragment Nr  |     Flags     |
//! +---------------+---------------+---------------+---------------+
//! |                     Fragment Data ...                         |
//! ```
//!
//! Fragments are numbered from 1; flag bit 0 marks the last one. The data of fragments
//! 1 to n, concatenated, are the original message.

use super::{DecodeError, Flags, Header, PayloadType};
use std::fmt;

/// The payload type of a fragment.
pub const FRAGMENT_PAYLOAD: u8 = 132;

/// The flag of the last fragment of a message.
pub const FRAGMENT_LAST: u8 = 0x01;

/// The generic payload header and the fragment's own fields.
pub const FRAGMENT_HEADER_LEN: usize = 8;

/// One received or to-be-sent fragment message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// The ISAKMP header as it stands on the wire (next payload 132).
    pub header: Header,
    pub id: u16,
    /// 1 for the first fragment.
    pub number: u8,
    pub last: bool,
    pub data: Vec<u8>,
}

/// Why a datagram is not a well-formed fragment message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FragmentError {
    /// The ISAKMP header itself is invalid.
    Header(DecodeError),
    /// The header names another first payload.
    NotAFragment(PayloadType),
    /// The header's length field disagrees with the datagram.
    MessageLength { header: u32, actual: usize },
    /// Fewer bytes than a fragment payload header.
    Truncated { available: usize },
    /// The payload's length field is shorter than its header plus one byte of data, or
    /// runs past the end of the message.
    PayloadLength { length: u16, available: usize },
    /// Fragment numbers start at 1.
    NumberZero,
}

impl fmt::Display for FragmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FragmentError::Header(e) => write!(f, "invalid ISAKMP header: {e}"),
            FragmentError::NotAFragment(t) => write!(f, "first payload is {t}, not a fragment"),
            FragmentError::MessageLength { header, actual } => write!(
                f,
                "Message too short: header says {header} bytes, {actual} received"
            ),
            FragmentError::Truncated { available } => write!(
                f,
                "Message too short: {available} bytes after the ISAKMP header"
            ),
            FragmentError::PayloadLength { length, available } => write!(
                f,
                "Fragment too short: payload length {length}, {available} bytes available"
            ),
            FragmentError::NumberZero => f.write_str("Fragment number 0"),
        }
    }
}

impl std::error::Error for FragmentError {}

impl Fragment {
    /// Decodes a datagram whose first payload is a fragment. Anything after the
    /// fragment payload (within the header's length) is ignored, as racoon does.
    pub fn decode(datagram: &[u8]) -> Result<Fragment, FragmentError> {
        let header = Header::decode(datagram).map_err(FragmentError::Header)?;
        if header.next_payload.value() != FRAGMENT_PAYLOAD {
            return Err(FragmentError::NotAFragment(header.next_payload));
        }
        if header.length as usize != datagram.len() {
            return Err(FragmentError::MessageLength {
                header: header.length,
                actual: datagram.len(),
            });
        }
        let rest = &datagram[Header::LEN..];
        let [_, _, l0, l1, i0, i1, number, flags, ..] = *rest else {
            return Err(FragmentError::Truncated {
                available: rest.len(),
            });
        };
        let length = u16::from_be_bytes([l0, l1]);
        if usize::from(length) < FRAGMENT_HEADER_LEN + 1 || usize::from(length) > rest.len() {
            return Err(FragmentError::PayloadLength {
                length,
                available: rest.len(),
            });
        }
        if number == 0 {
            return Err(FragmentError::NumberZero);
        }
        Ok(Fragment {
            header,
            id: u16::from_be_bytes([i0, i1]),
            number,
            last: flags & FRAGMENT_LAST != 0,
            data: rest[FRAGMENT_HEADER_LEN..usize::from(length)].to_vec(),
        })
    }

    /// The fragment message's bytes; the header's next payload and length are set here.
    /// Data longer than a payload can hold is cut at the payload's limit.
    pub fn encode(&self) -> Vec<u8> {
        let max = usize::from(u16::MAX) - FRAGMENT_HEADER_LEN;
        let data = &self.data[..self.data.len().min(max)];
        let payload_len = FRAGMENT_HEADER_LEN + data.len();
        let mut header = self.header.clone();
        header.next_payload = PayloadType::from(FRAGMENT_PAYLOAD);
        header.length = u32::try_from(Header::LEN + payload_len).unwrap_or(u32::MAX);
        let mut out = Vec::with_capacity(Header::LEN + payload_len);
        header.encode(&mut out);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&u16::try_from(payload_len).unwrap_or(u16::MAX).to_be_bytes());
        out.extend_from_slice(&self.id.to_be_bytes());
        out.push(self.number);
        out.push(if self.last { FRAGMENT_LAST } else { 0 });
        out.extend_from_slice(data);
        out
    }
}

/// Cuts an encoded ISAKMP message into fragment messages of at most `max_len` bytes
/// each (header included), numbered from 1, all with fragment ID `id`. Each carries the
/// message's header with the encryption flag cleared: the fragment payload itself is
/// never encrypted (the data it carries may be). `max_len` below the two headers plus
/// one byte is raised to that.
pub fn split(message: &[u8], header: &Header, id: u16, max_len: usize) -> Vec<Vec<u8>> {
    let room =
        max_len.max(Header::LEN + FRAGMENT_HEADER_LEN + 1) - Header::LEN - FRAGMENT_HEADER_LEN;
    let mut h = header.clone();
    h.flags = h.flags.without(Flags::ENCRYPTION);
    let chunks: Vec<&[u8]> = message.chunks(room).collect();
    let count = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(n, chunk)| {
            Fragment {
                header: h.clone(),
                id,
                number: u8::try_from(n + 1).unwrap_or(u8::MAX),
                last: n + 1 == count,
                data: chunk.to_vec(),
            }
            .encode()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::isakmp::ExchangeType;

    fn header() -> Header {
        Header::new(
            [1; 8],
            [2; 8],
            ExchangeType::IdentityProtection,
            Flags(1),
            0,
        )
    }

    #[test]
    fn a_fragment_round_trips_and_its_bytes_are_the_draft_layout() {
        let f = Fragment {
            header: header(),
            id: 1,
            number: 2,
            last: true,
            data: vec![0xaa, 0xbb, 0xcc],
        };
        let bytes = f.encode();
        assert_eq!(bytes.len(), 28 + 8 + 3);
        assert_eq!(bytes[16], 132);
        assert_eq!(&bytes[24..28], &39u32.to_be_bytes());
        assert_eq!(&bytes[28..], &[0, 0, 0, 11, 0, 1, 2, 1, 0xaa, 0xbb, 0xcc]);
        let back = Fragment::decode(&bytes).unwrap();
        assert_eq!(back.data, f.data);
        assert_eq!((back.id, back.number, back.last), (1, 2, true));
    }

    #[test]
    fn malformed_fragments_are_typed_errors() {
        let good = Fragment {
            header: header(),
            id: 1,
            number: 1,
            last: false,
            data: vec![7; 10],
        }
        .encode();
        let mut short = good[..30].to_vec();
        short[24..28].copy_from_slice(&30u32.to_be_bytes());
        assert_eq!(
            Fragment::decode(&short),
            Err(FragmentError::Truncated { available: 2 })
        );
        let mut overrun = good.clone();
        overrun[30..32].copy_from_slice(&100u16.to_be_bytes());
        assert!(matches!(
            Fragment::decode(&overrun),
            Err(FragmentError::PayloadLength { length: 100, .. })
        ));
        let mut empty = good.clone();
        empty[30..32].copy_from_slice(&8u16.to_be_bytes());
        assert!(matches!(
            Fragment::decode(&empty),
            Err(FragmentError::PayloadLength { length: 8, .. })
        ));
        let mut zero = good.clone();
        zero[34] = 0;
        assert_eq!(Fragment::decode(&zero), Err(FragmentError::NumberZero));
        assert!(matches!(
            Fragment::decode(&good[..good.len() - 1]),
            Err(FragmentError::MessageLength { .. })
        ));
    }

    #[test]
    fn split_cuts_at_the_limit_and_marks_the_last() {
        let msg: Vec<u8> = (0..1200u32).map(|i| i as u8).collect();
        let frags = split(&msg, &header(), 1, 552);
        assert_eq!(frags.len(), 3);
        assert!(frags.iter().all(|f| f.len() <= 552));
        let decoded: Vec<Fragment> = frags.iter().map(|f| Fragment::decode(f).unwrap()).collect();
        assert_eq!(decoded[0].data.len(), 552 - 36);
        assert_eq!(
            decoded
                .iter()
                .map(|f| (f.number, f.last))
                .collect::<Vec<_>>(),
            vec![(1, false), (2, false), (3, true)]
        );
        assert!(decoded
            .iter()
            .all(|f| !f.header.flags.contains(Flags::ENCRYPTION)));
        let joined: Vec<u8> = decoded.iter().flat_map(|f| f.data.clone()).collect();
        assert_eq!(joined, msg);
    }
}
