//! PF_KEY v2 (RFC 2367 + KAME extensions, as Linux's `net/key/af_key.c` implements
//! them): the `sadb_*` codec, the mapping between messages and the SA/policy model, and
//! the AF_KEY backend of [`crate::kernel::Kernel`].
//!
//! The layers, each usable alone:
//! - [`Message`] / [`Extension`]: a total codec. `Message::decode` checks what the
//!   kernel checks and returns a [`DecodeError`] saying where; `Message::encode` writes
//!   the exact bytes the kernel expects.
//! - [`request`] (model to messages) and [`reply`] (messages to model).
//! - [`PfkeyKernel`]: the backend, with [`pfkey_available`] to choose it.
//! - [`truncation_mismatch`]: the HMAC-SHA-2 truncation PF_KEY cannot express.
//!
//! Linux behaviours worth knowing, all handled here: replies to ADD, UPDATE, DELETE,
//! FLUSH and the SPD changes are broadcast to every PF_KEY socket; FLUSH and SPDFLUSH
//! answer twice when the table was not empty; an empty dump answers ENOENT; a missing
//! SA on DELETE or GET is ESRCH, a missing policy on SPDDELETE ENOENT; dumps number
//! their messages 1, 2, ... and mark the last with 0.

mod backend;
pub mod consts;
pub mod debug;
mod error;
mod ext;
mod message;
mod policy_ext;
pub mod reply;
pub mod request;
mod sockaddr;
mod socket;
mod truncation;
mod wire;

#[cfg(test)]
mod tests;

pub use backend::{PfkeyKernel, RawEvent, Subscription, Trace};
pub use debug::{hexdump, kdebug, kdebug_bytes};
pub use error::{DecodeError, DecodeErrorKind, EncodeError, MapError, OpenError};
pub use ext::{
    AddressExt, AlgDesc, Comb, Extension, FilterExt, IdentityExt, KeyExt, KmAddressExt,
    LifetimeExt, ProposalExt, Sa2Ext, SaExt, SecCtxExt, SensitivityExt, SpiRangeExt,
};
pub use message::{Header, Message, HEADER_LEN};
pub use policy_ext::{IpsecRequest, PolicyExt};
pub use reply::is_per_socket_policy_id;
pub use request::SpiRequest;
pub use sockaddr::SockAddr;
pub use socket::pfkey_available;
pub use truncation::{truncation_mismatch, truncation_mismatches, TruncationMismatch};
