//! What the engine hands back to its driver: datagrams, kernel requests, log lines and
//! the next timer. The driver (the daemon, or a test) performs them and reports results
//! back through `Engine::handle_*`.

use crate::conf::LogLevel;
use common::policy::{Policy, PolicyId};
use common::sa::{Sa, SaId, SaType};
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

/// Identifies a GETSPI request; its answer comes back through `Engine::handle_spi`.
pub type SpiRequestId = u64;

/// A kernel operation the engine needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KernelRequest {
    /// Reserve an inbound SPI for `src -> dst` (src is the peer).
    GetSpi {
        id: SpiRequestId,
        src: IpAddr,
        dst: IpAddr,
        satype: SaType,
        reqid: u32,
    },
    /// Install a negotiated pair, or one half of it: `inbound` updates the larval SA
    /// GETSPI made, `outbound` is added. The initiator installs both at once; the
    /// responder installs `inbound` as it sends quick mode's message 2 (so that the
    /// initiator's first packet on the new SA finds it) and `outbound` on message 3.
    Install {
        inbound: Option<Box<Sa>>,
        outbound: Option<Box<Sa>>,
    },
    /// Delete one SA.
    Delete { sa: SaId },
    /// Add a policy, or replace the one with its selector and direction (`spdupdate`):
    /// the responder's `generate_policy`.
    AddPolicy { policy: Box<Policy> },
    /// Delete a policy `AddPolicy` installed.
    DeletePolicy { id: PolicyId },
}

/// One thing for the driver to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Send {
        from: SocketAddr,
        to: SocketAddr,
        bytes: Vec<u8>,
    },
    Kernel(KernelRequest),
    Log {
        level: LogLevel,
        text: String,
        /// Where in our source the line was logged (`racoon -L` prints it).
        at: &'static std::panic::Location<'static>,
    },
    /// Call `Engine::handle_timeout` at (or after) this instant.
    ArmTimer {
        at: Instant,
    },
    /// Start a `script` hook without waiting for it (see `engine::script`).
    Script(super::script::ScriptRun),
}
