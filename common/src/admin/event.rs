//! `struct evt_async`: one event pushed to a subscribed admin connection, after an
//! `admin_com` header whose command is `ADMIN_SHOW_EVT`.

use super::error::{need, take, AdminError};
use super::sockaddr::{decode_sockaddr, encode_sockaddr, SOCKADDR_STORAGE_LEN};
use std::net::SocketAddr;

/// `u32 ec_type` (padded to 8), `time_t ec_timestamp`, two `sockaddr_storage`,
/// `u32 ec_ph2msgid` (padded to 8).
pub const EVT_ASYNC_LEN: usize = 8 + 8 + 2 * SOCKADDR_STORAGE_LEN + 8;

const SRC_AT: usize = 16;
const DST_AT: usize = SRC_AT + SOCKADDR_STORAGE_LEN;
const MSGID_AT: usize = DST_AT + SOCKADDR_STORAGE_LEN;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// One of [`super::evt`].
    pub kind: u32,
    /// Seconds since the epoch.
    pub timestamp: i64,
    pub ph1src: Option<SocketAddr>,
    pub ph1dst: Option<SocketAddr>,
    pub ph2msgid: u32,
    /// ISAKMP attributes after the structure (mode-config), as received.
    pub data: Vec<u8>,
}

impl Event {
    pub fn encode(&self) -> Vec<u8> {
        let mut b = vec![0; EVT_ASYNC_LEN];
        b[0..4].copy_from_slice(&self.kind.to_ne_bytes());
        b[8..16].copy_from_slice(&self.timestamp.to_ne_bytes());
        b[SRC_AT..DST_AT].copy_from_slice(&encode_sockaddr(self.ph1src));
        b[DST_AT..MSGID_AT].copy_from_slice(&encode_sockaddr(self.ph1dst));
        b[MSGID_AT..MSGID_AT + 4].copy_from_slice(&self.ph2msgid.to_ne_bytes());
        b.extend_from_slice(&self.data);
        b
    }

    pub fn decode(bytes: &[u8]) -> Result<Event, AdminError> {
        need(bytes, EVT_ASYNC_LEN, "evt_async")?;
        Ok(Event {
            kind: u32::from_ne_bytes(take::<4>(bytes, 0, "evt_async")?),
            timestamp: i64::from_ne_bytes(take::<8>(bytes, 8, "evt_async")?),
            ph1src: decode_sockaddr(&bytes[SRC_AT..])?,
            ph1dst: decode_sockaddr(&bytes[DST_AT..])?,
            ph2msgid: u32::from_ne_bytes(take::<4>(bytes, MSGID_AT, "evt_async")?),
            data: bytes[EVT_ASYNC_LEN..].to_vec(),
        })
    }
}
