//! Security policies (SPD entries) as every tool of the suite sees them.
//!
//! Modelled on PF_KEY's `sadb_x_policy` with its `sadb_x_ipsecrequest`s, because that is
//! what `setkey -DP` prints; the XFRM backend maps `xfrm_userpolicy_info` and its
//! templates into the same types.

use crate::addr::Selector;
use crate::sa::{Lifetime, Mode, SaType, SecCtx};
use std::fmt;
use std::net::IpAddr;

/// Policy direction. Linux has three: `fwd` covers packets routed through the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    In,
    Out,
    Fwd,
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
            Direction::Fwd => "fwd",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a policy does with matching packets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Drop them.
    Discard,
    /// Let them pass without IPsec (`none`, "bypass").
    None,
    /// Protect them as the requests say.
    Ipsec,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Discard => "discard",
            Action::None => "none",
            Action::Ipsec => "ipsec",
        }
    }
}

/// How strictly a request must be met (`default`, `use`, `require`, `unique`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Level {
    /// The system default (on Linux: `require`).
    Default,
    /// Use an SA if there is one, send in the clear otherwise.
    Use,
    #[default]
    Require,
    /// Require an SA used by this policy alone (`unique`, `unique:N` sets the reqid).
    Unique,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Default => "default",
            Level::Use => "use",
            Level::Require => "require",
            Level::Unique => "unique",
        }
    }
}

/// One element of a policy's SA bundle: `esp/tunnel/192.168.1.100-192.168.2.100/require`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Request {
    pub proto: SaType,
    pub mode: Mode,
    /// Tunnel end points (source, destination); `None` in transport mode, or when a
    /// tunnel request leaves them to the kernel.
    pub tunnel: Option<(IpAddr, IpAddr)>,
    pub level: Level,
    /// The request id tying the policy to its SAs; set by `unique:N`.
    pub reqid: u32,
}

/// The traffic a policy applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PolicySelector {
    /// Source and destination prefixes with ports and an upper-layer protocol.
    /// `ul_proto` 255 means any. For ICMP and ICMPv6 the ports carry type and code; for
    /// GRE they carry the key's high and low 16 bits, as KAME does.
    Addresses {
        src: Selector,
        dst: Selector,
        ul_proto: u8,
    },
    /// Packets tagged by the packet filter (`spdadd tagged "name"`); not on Linux.
    Tagged(String),
}

/// Upper-layer protocol value meaning "any".
pub const UL_ANY: u8 = 255;

/// Priority constants of KAME's `prio low|def|high` on Linux, where a lower number
/// wins. An offset raises the priority: `prio def + 10` is [`PRIORITY_DEFAULT`] - 10,
/// as the original's policy parser installs it and its dump prints it back.
pub const PRIORITY_HIGH: u32 = 0x4000_0000;
pub const PRIORITY_DEFAULT: u32 = 0x8000_0000;
pub const PRIORITY_LOW: u32 = 0xC000_0000;

/// A security policy, complete: what `spdadd` installs and what a dump returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub selector: PolicySelector,
    pub dir: Direction,
    pub priority: u32,
    pub action: Action,
    /// Empty unless `action` is [`Action::Ipsec`].
    pub requests: Vec<Request>,
    /// The kernel's policy id (`spid`); 0 when asking the kernel to pick.
    pub id: u32,
    /// Created / last used (Unix times); only in what the kernel returns.
    pub current: Option<Lifetime>,
    /// `lifetime` (addtime) and `validtime` (usetime) limits in seconds.
    pub hard: Lifetime,
    pub soft: Lifetime,
    pub sec_ctx: Option<SecCtx>,
}

impl Policy {
    pub fn new(selector: PolicySelector, dir: Direction, action: Action) -> Policy {
        Policy {
            selector,
            dir,
            priority: 0,
            action,
            requests: Vec::new(),
            id: 0,
            current: None,
            hard: Lifetime::default(),
            soft: Lifetime::default(),
            sec_ctx: None,
        }
    }
}

/// What names one policy in the kernel: its selector and direction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PolicyId {
    pub selector: PolicySelector,
    pub dir: Direction,
}
