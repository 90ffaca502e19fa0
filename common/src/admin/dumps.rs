//! The records of `show-sa isakmp` (`struct ph1dump`) and `show-schedule`
//! (`struct scheddump`), sent back to back in the reply.

use super::error::{need, take, AdminError};
use super::sockaddr::{decode_sockaddr, encode_sockaddr, SOCKADDR_STORAGE_LEN};
use std::net::SocketAddr;

/// `isakmp_index` (16), `int status, side`, two storages, `u8 version, etype`, padding
/// to 8, `time_t created`, `int ph2cnt`, padding to 8.
pub const PH1DUMP_LEN: usize = 304;

const REMOTE_AT: usize = 24;
const LOCAL_AT: usize = REMOTE_AT + SOCKADDR_STORAGE_LEN;
const VERSION_AT: usize = LOCAL_AT + SOCKADDR_STORAGE_LEN;
const CREATED_AT: usize = 288;
const PH2CNT_AT: usize = 296;

/// One phase-1 SA as racoon's `dumpph1` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ph1Dump {
    pub icookie: [u8; 8],
    pub rcookie: [u8; 8],
    /// `PHASE1ST_*`: 9 is established.
    pub status: i32,
    /// 0 initiator, 1 responder.
    pub side: i32,
    pub remote: Option<SocketAddr>,
    pub local: Option<SocketAddr>,
    /// ISAKMP version byte (0x10 for 1.0).
    pub version: u8,
    /// Exchange type (2 main mode, 4 aggressive).
    pub etype: u8,
    /// Seconds since the epoch; 0 when unknown.
    pub created: i64,
    pub ph2cnt: i32,
}

impl Ph1Dump {
    pub fn encode(&self) -> [u8; PH1DUMP_LEN] {
        let mut b = [0; PH1DUMP_LEN];
        b[0..8].copy_from_slice(&self.icookie);
        b[8..16].copy_from_slice(&self.rcookie);
        b[16..20].copy_from_slice(&self.status.to_ne_bytes());
        b[20..24].copy_from_slice(&self.side.to_ne_bytes());
        b[REMOTE_AT..LOCAL_AT].copy_from_slice(&encode_sockaddr(self.remote));
        b[LOCAL_AT..VERSION_AT].copy_from_slice(&encode_sockaddr(self.local));
        b[VERSION_AT] = self.version;
        b[VERSION_AT + 1] = self.etype;
        b[CREATED_AT..CREATED_AT + 8].copy_from_slice(&self.created.to_ne_bytes());
        b[PH2CNT_AT..PH2CNT_AT + 4].copy_from_slice(&self.ph2cnt.to_ne_bytes());
        b
    }

    pub fn decode(bytes: &[u8]) -> Result<Ph1Dump, AdminError> {
        let what = "ph1dump";
        need(bytes, PH1DUMP_LEN, what)?;
        Ok(Ph1Dump {
            icookie: take::<8>(bytes, 0, what)?,
            rcookie: take::<8>(bytes, 8, what)?,
            status: i32::from_ne_bytes(take::<4>(bytes, 16, what)?),
            side: i32::from_ne_bytes(take::<4>(bytes, 20, what)?),
            remote: decode_sockaddr(&bytes[REMOTE_AT..])?,
            local: decode_sockaddr(&bytes[LOCAL_AT..])?,
            version: bytes[VERSION_AT],
            etype: bytes[VERSION_AT + 1],
            created: i64::from_ne_bytes(take::<8>(bytes, CREATED_AT, what)?),
            ph2cnt: i32::from_ne_bytes(take::<4>(bytes, PH2CNT_AT, what)?),
        })
    }

    /// Every whole record of a reply; the count of bytes left over (the original
    /// prints `invalid length` for them).
    pub fn decode_all(bytes: &[u8]) -> (Vec<Ph1Dump>, usize) {
        let records = bytes
            .chunks_exact(PH1DUMP_LEN)
            .filter_map(|c| Ph1Dump::decode(c).ok())
            .collect();
        (records, bytes.len() % PH1DUMP_LEN)
    }
}

/// `time_t xtime; long id; time_t created; time_t tick;`
pub const SCHEDDUMP_LEN: usize = 32;

/// One scheduled event: when it fires, its id, when it was scheduled, its interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchedDump {
    pub xtime: i64,
    pub id: i64,
    pub created: i64,
    pub tick: i64,
}

impl SchedDump {
    pub fn encode(&self) -> [u8; SCHEDDUMP_LEN] {
        let mut b = [0; SCHEDDUMP_LEN];
        for (i, v) in [self.xtime, self.id, self.created, self.tick]
            .into_iter()
            .enumerate()
        {
            b[i * 8..i * 8 + 8].copy_from_slice(&v.to_ne_bytes());
        }
        b
    }

    pub fn decode(bytes: &[u8]) -> Result<SchedDump, AdminError> {
        let f = |i: usize| take::<8>(bytes, i * 8, "scheddump").map(i64::from_ne_bytes);
        Ok(SchedDump {
            xtime: f(0)?,
            id: f(1)?,
            created: f(2)?,
            tick: f(3)?,
        })
    }
}
