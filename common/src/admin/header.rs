//! `struct admin_com`: the eight bytes before every message, in host byte order.

use super::error::{take, AdminError};

pub const HEADER_LEN: usize = 8;

/// The header as it lies on the wire; what the third field means depends on the
/// direction and the flag bits of `cmd` (see [`super::Request`] and [`super::Reply`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// `ac_len`: the whole message, header included (low 16 bits for a long reply).
    pub len: u16,
    /// `ac_cmd`, flag bits included.
    pub cmd: u16,
    /// `ac_errno` / `ac_version` / `ac_len_high`.
    pub third: u16,
    /// `ac_proto`.
    pub proto: u16,
}

impl Header {
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0; HEADER_LEN];
        b[0..2].copy_from_slice(&self.len.to_ne_bytes());
        b[2..4].copy_from_slice(&self.cmd.to_ne_bytes());
        b[4..6].copy_from_slice(&self.third.to_ne_bytes());
        b[6..8].copy_from_slice(&self.proto.to_ne_bytes());
        b
    }

    pub fn decode(bytes: &[u8]) -> Result<Header, AdminError> {
        let field = |at| take::<2>(bytes, at, "admin header").map(u16::from_ne_bytes);
        Ok(Header {
            len: field(0)?,
            cmd: field(2)?,
            third: field(4)?,
            proto: field(6)?,
        })
    }
}
