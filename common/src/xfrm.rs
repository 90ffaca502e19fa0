//! XFRM netlink: the message codec and the NETLINK_XFRM backend ([`XfrmKernel`]).
//!
//! # Dependencies: our own codec on `libc`
//!
//! `netlink-packet-xfrm` 0.5 was evaluated and not used. It covers every message and
//! attribute we need, but it is not total: a NEWPOLICY or DELPOLICY shorter than its
//! fixed structure panics on a slice index (`policy/{modify,delget}/message.rs`), an
//! `XFRMA_TMPL` whose length is not a multiple of a template is silently truncated,
//! and it needs Rust 1.88 (`as_chunks`) against our 1.80. Its types are raw mirrors of
//! the C structs, so the mapping to the model would have been ours to write anyway.
//! The codec here is the structs of `include/uapi/linux/xfrm.h` with bounds-checked
//! reads, typed errors, byte-exact tests against the header's layout and against what
//! `ip xfrm` sends, and a fuzz target.
//!
//! `netlink-sys` was not used either: its `Socket` wraps socket/bind/send/recv, but
//! the backend also needs `SO_RCVBUFFORCE`/`SO_SNDBUFFORCE` (large buffers are what
//! makes pipelining safe) and `poll` with a timeout, so raw `libc` calls would remain
//! beside it; seven small wrappers in `xfrm/sys.rs` cover everything with one crate we
//! already depend on.
//!
//! # Layout
//! - `consts`, `wire`, `error`: numbers from the header, byte cursor and attribute
//!   framing, error types.
//! - `selector`, `state`, `policy`, `attr`, `message`: the kernel's structures.
//! - `lifetime`, `map_sa`, `map_policy`, `event`: the model to and from XFRM, the way
//!   Linux's af_key maps the same kernel state to PF_KEY.
//! - `sys`, `socket`, `backend`: the socket and the [`Kernel`](crate::kernel::Kernel)
//!   implementation.

mod attr;
mod backend;
mod consts;
mod error;
mod event;
mod lifetime;
mod map_policy;
mod map_sa;
mod message;
mod policy;
mod selector;
mod socket;
mod state;
mod sys;
#[cfg(test)]
mod tests;
mod wire;

pub use backend::XfrmKernel;
pub use error::{DecodeError, EncodeError};
pub use event::decode_event;
pub use message::{decode_all, split, Body, Header, Message};

/// The codec's structures and attributes, for tools that show raw kernel messages
/// (`setkey -x`) and for tests.
pub mod raw {
    pub use super::attr::{Algo, AlgoAead, AlgoAuth, Attr, EncapTmpl, ReplayEsn, SecCtxAttr};
    pub use super::consts::*;
    pub use super::policy::{UserAcquire, UserPolExpire, UserPolicyId, UserPolicyInfo, UserTmpl};
    pub use super::selector::{LifetimeCfg, LifetimeCur, RawAddr, Stats, XfrmId, XfrmSelector};
    pub use super::state::{UserExpire, UserSaId, UserSaInfo, UserSpiInfo};
}

/// The model to and from XFRM structures, without a socket.
pub mod map {
    pub use super::map_policy::{decode_policy, encode_policy, encode_policy_id};
    pub use super::map_sa::{decode_sa, decode_sa_id, encode_sa, encode_sa_id};
}
