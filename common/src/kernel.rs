//! The kernel interface: one trait, two backends (PF_KEY v2 and XFRM netlink).
//!
//! setkey and racoon speak only to [`Kernel`]; which backend runs is chosen once, at
//! start-up ([`Backend`]): XFRM when the kernel has no AF_KEY, otherwise PF_KEY as the
//! original tools did, or whichever the user names.

pub mod memory;
mod open;
pub mod rfc_pfkey;

pub use open::{open, resolve_backend, OpenError};

use crate::policy::{Policy, PolicyId, Request};
use crate::sa::{Dumped, Mode, Sa, SaId, SaType};
use std::fmt;
use std::net::IpAddr;

/// Which kernel interface to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backend {
    /// PF_KEY if the kernel has AF_KEY, XFRM otherwise.
    #[default]
    Auto,
    Pfkey,
    Xfrm,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Auto => "auto",
            Backend::Pfkey => "pfkey",
            Backend::Xfrm => "xfrm",
        }
    }

    /// Parses `auto`, `pfkey` or `xfrm`.
    pub fn parse(s: &str) -> Option<Backend> {
        match s {
            "auto" => Some(Backend::Auto),
            "pfkey" => Some(Backend::Pfkey),
            "xfrm" => Some(Backend::Xfrm),
            _ => None,
        }
    }
}

/// One change to the kernel's tables. Changes are handed over in batches so a backend
/// can send them all before reading the replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    AddSa(Sa),
    /// Replace an SA's keys, lifetimes and flags (`update`); with PF_KEY, also what
    /// completes a larval SA reserved by GETSPI.
    UpdateSa(Sa),
    DeleteSa(SaId),
    /// Remove every SA, or every SA of one type.
    FlushSa(Option<SaType>),
    AddPolicy(Policy),
    /// Add or replace (`spdupdate`).
    UpdatePolicy(Policy),
    DeletePolicy(PolicyId),
    /// Remove every policy.
    FlushPolicy,
}

/// What GETSPI reserves an SPI for: a larval SA from `src` to `dst` with this mode and
/// reqid, its SPI picked by the kernel in `min..=max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpiRequest {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub satype: SaType,
    pub mode: Mode,
    pub reqid: u32,
    pub min: u32,
    pub max: u32,
}

impl SpiRequest {
    /// The range Linux searches when a GETSPI names none (`pfkey_getspi`).
    pub const KERNEL_MIN: u32 = 0x100;
    pub const KERNEL_MAX: u32 = 0x0fff_ffff;
}

/// A kernel refusal: the errno the kernel answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelError {
    pub errno: i32,
}

impl KernelError {
    pub fn new(errno: i32) -> KernelError {
        KernelError { errno }
    }

    pub fn last_os_error() -> KernelError {
        KernelError::new(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }
}

impl fmt::Display for KernelError {
    /// The C library's text for the errno alone ("File exists"), as the original prints
    /// it after `file,line: `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let full = std::io::Error::from_raw_os_error(self.errno).to_string();
        // std appends " (os error N)"; the original prints strerror() alone.
        let text = full.split(" (os error").next().unwrap_or(&full);
        f.write_str(text)
    }
}

impl std::error::Error for KernelError {}

impl From<std::io::Error> for KernelError {
    fn from(e: std::io::Error) -> KernelError {
        // An error without an errno (never from a syscall) is reported as EIO.
        KernelError::new(e.raw_os_error().unwrap_or(EIO))
    }
}

const EIO: i32 = 5;

/// A message the kernel sends on its own: what racoon waits for and `setkey -x` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Outbound traffic hit a policy with no SA: negotiate one. `seq` is echoed back
    /// when the SA is installed (PF_KEY) so the kernel can match it to its larval state.
    Acquire {
        src: IpAddr,
        dst: IpAddr,
        satype: SaType,
        policy: Policy,
        request: Request,
        seq: u32,
    },
    /// An SA reached its soft (`hard == false`) or hard lifetime.
    Expire {
        sa: Sa,
        hard: bool,
    },
    SaAdded(Sa),
    SaUpdated(Sa),
    SaDeleted(SaId),
    SaFlushed(Option<SaType>),
    PolicyAdded(Policy),
    PolicyUpdated(Policy),
    PolicyDeleted(Policy),
    PolicyFlushed,
    /// A message this model does not represent, kept for `-x` to show.
    Other {
        kind: String,
    },
}

/// Where a streamed dump ([`Kernel::each_sa`], [`Kernel::each_policy`]) delivers its
/// entries.
pub type EachEntry<'a, T> = &'a mut dyn FnMut(Dumped<T>) -> Result<(), KernelError>;

/// A kernel's SA and policy tables, reached through PF_KEY or XFRM.
pub trait Kernel {
    /// Which backend this is, for messages.
    fn backend(&self) -> Backend;

    /// Applies `ops` in order and returns one result per op. A failed op does not stop
    /// the ones after it (setkey reports each failure against its own line and goes on,
    /// as the original does). Backends may pipeline the whole batch.
    fn apply(&mut self, ops: &[Op]) -> Vec<Result<(), KernelError>>;

    /// Reserves an SPI in `min..=max` for an SA from `src` to `dst` (GETSPI).
    fn get_spi(
        &mut self,
        src: IpAddr,
        dst: IpAddr,
        satype: SaType,
        reqid: u32,
        min: u32,
        max: u32,
    ) -> Result<u32, KernelError>;

    /// GETSPI with the mode too, as setkey's `getspi` sends it (`-m tunnel` leaves a
    /// tunnel-mode larval SA). Backends that model the mode override this; the default
    /// reserves without it.
    fn reserve_spi(&mut self, req: &SpiRequest) -> Result<u32, KernelError> {
        self.get_spi(req.src, req.dst, req.satype, req.reqid, req.min, req.max)
    }

    fn get_sa(&mut self, id: &SaId) -> Result<Dumped<Sa>, KernelError>;

    /// Every SA, or every SA of one type, in the kernel's order.
    fn dump_sa(&mut self, satype: Option<SaType>) -> Result<Vec<Dumped<Sa>>, KernelError>;

    /// Every policy, in the kernel's order. `per_socket` policies (set with
    /// setsockopt) are included only if asked for.
    fn dump_policy(&mut self, per_socket: bool) -> Result<Vec<Dumped<Policy>>, KernelError>;

    /// [`Kernel::dump_sa`] handed over one SA at a time, as it is read, so a dump of
    /// any size is printed without being held whole; stops at the first error `each`
    /// returns. The entries and their `seq` are those `dump_sa` would give (the last 0).
    fn each_sa(
        &mut self,
        satype: Option<SaType>,
        each: EachEntry<'_, Sa>,
    ) -> Result<(), KernelError> {
        self.dump_sa(satype)?.into_iter().try_for_each(each)
    }

    /// [`Kernel::dump_policy`] handed over one policy at a time, as [`Kernel::each_sa`].
    fn each_policy(
        &mut self,
        per_socket: bool,
        each: EachEntry<'_, Policy>,
    ) -> Result<(), KernelError> {
        self.dump_policy(per_socket)?.into_iter().try_for_each(each)
    }

    /// Starts listening for [`Event`]s (ACQUIRE, EXPIRE and, for monitoring, every
    /// change). After this, [`Kernel::next_event`] returns them.
    fn subscribe(&mut self) -> Result<(), KernelError>;

    /// The next event, waiting at most `timeout` (forever if `None`); `Ok(None)` when
    /// the time ran out.
    fn next_event(
        &mut self,
        timeout: Option<std::time::Duration>,
    ) -> Result<Option<Event>, KernelError>;

    /// The descriptor that becomes readable when an event may be waiting, for a daemon
    /// that polls it with its own sockets; `None` before [`Kernel::subscribe`] or where
    /// there is none (the in-memory kernel: poll [`Kernel::next_event`] instead). Events
    /// can also be queued inside the backend, so after the descriptor turns readable
    /// (and once after subscribing) read with `next_event(Some(Duration::ZERO))` until
    /// it returns `Ok(None)`.
    fn event_fd(&self) -> Option<std::os::fd::RawFd> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_error_prints_strerror_alone() {
        assert_eq!(KernelError::new(17).to_string(), "File exists");
        assert_eq!(KernelError::new(22).to_string(), "Invalid argument");
        assert_eq!(KernelError::new(2).to_string(), "No such file or directory");
    }

    #[test]
    fn backend_names_round_trip() {
        for b in [Backend::Auto, Backend::Pfkey, Backend::Xfrm] {
            assert_eq!(Backend::parse(b.name()), Some(b));
        }
        assert_eq!(Backend::parse("PF_KEY"), None);
    }
}
