//! The racoon admin socket protocol (`admin.h`, `evt.h` of ipsec-tools), spoken by
//! racoonctl and racoon over an AF_UNIX stream socket.
//!
//! Every message starts with `struct admin_com`: four `u16` in host byte order —
//! length, command, a third field that is the errno of a reply, the protocol version of
//! a request (when the command carries [`FLAG_VERSION`]) or the high bits of the length
//! of a long reply (when a reply's command carries [`FLAG_LONG_REPLY`]), and the
//! protocol. The payloads are C structures copied as they lie in memory; the layouts
//! here are those of Linux on LP64 machines (x86_64, aarch64), where `time_t` and
//! `long` are 8 bytes and `struct sockaddr_storage` is 128.
//!
//! | payload                     | type            | C structure                |
//! |-----------------------------|-----------------|----------------------------|
//! | header                      | [`Header`]      | `struct admin_com`         |
//! | SA selector                 | [`Indexes`]     | `struct admin_com_indexes` |
//! | establish-sa -u credentials | [`Psk`]         | `struct admin_com_psk`     |
//! | one event                   | [`Event`]       | `struct evt_async`         |
//! | one phase-1 SA of show-sa   | [`Ph1Dump`]     | `struct ph1dump`           |
//! | one show-schedule entry     | [`SchedDump`]   | `struct scheddump`         |
//!
//! Decoding is total: any input gives a value or an [`AdminError`].

mod consts;
mod dumps;
mod error;
mod event;
mod header;
mod indexes;
mod message;
mod sockaddr;
#[cfg(test)]
mod tests;

pub use consts::*;
pub use dumps::{Ph1Dump, SchedDump, PH1DUMP_LEN, SCHEDDUMP_LEN};
pub use error::AdminError;
pub use event::{Event, EVT_ASYNC_LEN};
pub use header::{Header, HEADER_LEN};
pub use indexes::{Indexes, Psk, INDEXES_LEN, PSK_HEAD_LEN};
pub use message::{Body, Reply, Request};
pub use sockaddr::{decode_sockaddr, encode_sockaddr, SOCKADDR_STORAGE_LEN};

/// The admin socket racoon listens on and racoonctl talks to unless told otherwise
/// (`ADMINPORTDIR "/racoon.sock"` with ipsec-tools' default directory).
pub const ADMINSOCK_PATH: &str = "/var/racoon/racoon.sock";
