//! `struct admin_com_indexes` (the SA selector of delete-sa, establish-sa, get-cert)
//! and `struct admin_com_psk` (establish-sa -u).

use super::error::{need, take, AdminError};
use super::sockaddr::{decode_sockaddr, encode_sockaddr, SOCKADDR_STORAGE_LEN};
use std::net::SocketAddr;

/// `u8 prefs, prefd, ul_proto, reserved` and two `sockaddr_storage`.
pub const INDEXES_LEN: usize = 4 + 2 * SOCKADDR_STORAGE_LEN;

/// The selector: source and destination with their prefix lengths and the upper-layer
/// protocol (0 = any). Ports travel inside the addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indexes {
    pub prefs: u8,
    pub prefd: u8,
    pub ul_proto: u8,
    pub src: Option<SocketAddr>,
    pub dst: Option<SocketAddr>,
}

impl Indexes {
    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(INDEXES_LEN);
        b.extend_from_slice(&[self.prefs, self.prefd, self.ul_proto, 0]);
        b.extend_from_slice(&encode_sockaddr(self.src));
        b.extend_from_slice(&encode_sockaddr(self.dst));
        b
    }

    pub fn decode(bytes: &[u8]) -> Result<Indexes, AdminError> {
        need(bytes, INDEXES_LEN, "admin_com_indexes")?;
        let [prefs, prefd, ul_proto, _] = take::<4>(bytes, 0, "admin_com_indexes")?;
        Ok(Indexes {
            prefs,
            prefd,
            ul_proto,
            src: decode_sockaddr(&bytes[4..])?,
            dst: decode_sockaddr(&bytes[4 + SOCKADDR_STORAGE_LEN..])?,
        })
    }
}

/// `int id_type; size_t id_len; size_t key_len;` (with the padding after `id_type`).
pub const PSK_HEAD_LEN: usize = 24;

/// XAuth credentials sent by `establish-sa -u`: the id and the password, each sent with
/// its terminating NUL.
#[derive(Clone, PartialEq, Eq)]
pub struct Psk {
    pub id_type: i32,
    pub id: String,
    pub key: String,
}

impl std::fmt::Debug for Psk {
    /// The password stays out of debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Psk")
            .field("id_type", &self.id_type)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Psk {
    pub fn encode(&self) -> Vec<u8> {
        let id_len = self.id.len() as u64 + 1;
        let key_len = self.key.len() as u64 + 1;
        let mut b = Vec::new();
        b.extend_from_slice(&self.id_type.to_ne_bytes());
        b.extend_from_slice(&[0; 4]);
        b.extend_from_slice(&id_len.to_ne_bytes());
        b.extend_from_slice(&key_len.to_ne_bytes());
        b.extend_from_slice(self.id.as_bytes());
        b.push(0);
        b.extend_from_slice(self.key.as_bytes());
        b.push(0);
        b
    }

    pub fn decode(bytes: &[u8]) -> Result<Psk, AdminError> {
        let what = "admin_com_psk";
        let id_type = i32::from_ne_bytes(take::<4>(bytes, 0, what)?);
        let id_len = u64::from_ne_bytes(take::<8>(bytes, 8, what)?);
        let key_len = u64::from_ne_bytes(take::<8>(bytes, 16, what)?);
        let rest = &bytes[PSK_HEAD_LEN..];
        let id_end = usize::try_from(id_len)
            .ok()
            .filter(|&n| n <= rest.len())
            .ok_or(AdminError::BadInnerLength {
                what: "psk id",
                len: id_len,
            })?;
        let key_end = usize::try_from(key_len)
            .ok()
            .and_then(|n| id_end.checked_add(n))
            .filter(|&n| n <= rest.len())
            .ok_or(AdminError::BadInnerLength {
                what: "psk key",
                len: key_len,
            })?;
        Ok(Psk {
            id_type,
            id: c_string(&rest[..id_end], "psk id")?,
            key: c_string(&rest[id_end..key_end], "psk key")?,
        })
    }
}

/// A NUL-terminated string filling `bytes` (anything after the first NUL is ignored).
pub(super) fn c_string(bytes: &[u8], what: &'static str) -> Result<String, AdminError> {
    let end = bytes
        .iter()
        .position(|&b| b == 0)
        .ok_or(AdminError::BadString(what))?;
    String::from_utf8(bytes[..end].to_vec()).map_err(|_| AdminError::BadString(what))
}
