//! What a setkey.conf statement means, once parsed: the parser's output and the input of
//! everything that applies statements to the kernel.
//!
//! Addresses are kept as written (a host name may stand where an address does); the
//! resolver turns them into the kernel model's `Sa` and `Policy` values, one per
//! resolved address pair, as the original does.

use common::addr::{Port, SelectorParts};
use common::alg::Algorithm;
use common::policy::{Action, Direction, Level};
use common::sa::{Mode, SaType, SecCtx};

/// Where a statement or token starts in its file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// An address as written: a numeric address or a host name still to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSpec {
    pub text: String,
    pub pos: Pos,
}

/// A policy selector address as written: host or prefix, optional `/plen`, optional
/// `[port]` (`[any]` is `Port::ANY`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixSpec {
    pub host: HostSpec,
    pub prefix_len: Option<u8>,
    pub port: Option<Port>,
}

impl PrefixSpec {
    /// The common address module's view of the same text, for resolution.
    pub fn parts(&self) -> SelectorParts<'_> {
        SelectorParts {
            host: &self.host.text,
            prefix_len: self.prefix_len,
            port: self.port,
        }
    }
}

/// `-4`, `-6` or neither, on commands that take an address family filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FamilyFilter {
    #[default]
    Any,
    Inet,
    Inet6,
}

/// The address options of `add`, `get`, `delete`, `deleteall`, `spdadd`...: `-4`, `-6`
/// and `-n` (do not resolve names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddrOpts {
    pub family: FamilyFilter,
    pub numeric_only: bool,
}

/// The protocol of an SA command as written: `esp-old` and `ah-old` are ESP and AH with
/// the OLD flag; `esp-udp` is ESP in UDP with the ports taken from the addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtoSpec {
    pub satype: SaType,
    pub old: bool,
    pub udp_encap: bool,
}

/// An algorithm with its key as written (`"ascii"` or `0xhex`, already decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlgKey {
    pub alg: &'static Algorithm,
    pub key: Vec<u8>,
    pub pos: Pos,
}

/// The algorithm part of `add`/`update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlgSpec {
    /// `-E ealgo key [-A aalgo key]` (ESP; `-E` with an AEAD takes no `-A`).
    Esp { enc: AlgKey, auth: Option<AlgKey> },
    /// `-A aalgo key`: AH and TCP-MD5. (ESP always names a cipher, `-E null` for
    /// authentication only, as the original's grammar requires.)
    Auth(AlgKey),
    /// `-C calgo [-R]`: IPComp; `-R` means the SPI field is the CPI as given.
    Comp {
        alg: &'static Algorithm,
        raw_cpi: bool,
    },
}

/// SA options: `-m -r -u -f -lh -ls -bh -bs -ctx`, in any order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaOpts {
    pub mode: Option<Mode>,
    pub replay: Option<u32>,
    pub reqid: Option<u32>,
    /// `common::sa::flags` bits from `-f zero-pad|random-pad|seq-pad|nocyclic-seq`.
    pub flags: u32,
    pub lifetime_hard_secs: Option<u64>,
    pub lifetime_soft_secs: Option<u64>,
    pub bytes_hard: Option<u64>,
    pub bytes_soft: Option<u64>,
    pub sec_ctx: Option<SecCtx>,
}

/// `add` or `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaSpec {
    pub opts_addr: AddrOpts,
    pub src: HostSpec,
    pub dst: HostSpec,
    /// Ports written after the addresses (`10.0.0.1[4500]`), used by `esp-udp`.
    pub src_port: Option<u16>,
    pub dst_port: Option<u16>,
    pub proto: ProtoSpec,
    /// `esp-udp ADDRESS`: the NAT-OA, the peer's address before NAT (RFC 3947).
    pub nat_oa: Option<HostSpec>,
    pub spi: u32,
    pub opts: SaOpts,
    pub algs: AlgSpec,
}

/// `getspi [-46n] SRC[PORT] DST[PORT] PROTO SPI [EXTENSIONS];`: GETSPI, which leaves a
/// larval SA for a key daemon to complete with `update`. SPI 0 lets the kernel pick.
/// Linux's GETSPI reads only the addresses, the SA2 extension (`-m`, `-u`) and the
/// SPI range: the ports, a NAT-OA and the other extensions are parsed, as the
/// original's grammar takes them, and have no effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetSpiSpec {
    pub opts_addr: AddrOpts,
    pub src: HostSpec,
    pub dst: HostSpec,
    pub proto: ProtoSpec,
    pub spi: u32,
    pub opts: SaOpts,
}

/// The upper-layer part of a policy selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpperSpec {
    /// `any` (255).
    Any,
    /// A protocol by name or number (`tcp`, `udp`, `icmp`, `6`).
    Proto(u8),
    /// `icmp6 type[,code]` (type and code ride in the ports).
    Icmp6 {
        icmp_type: Option<u8>,
        code: Option<u8>,
    },
    /// `gre key` (the key rides in the ports).
    Gre { key: Option<u32> },
}

/// One `proto/mode/src-dst/level` element of an `ipsec` policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSpec {
    pub proto: SaType,
    pub mode: Mode,
    /// `src-dst` tunnel ends as written; `None` when the request leaves them empty
    /// (`esp/transport//require`, or a tunnel request without end points).
    pub tunnel: Option<(HostSpec, HostSpec)>,
    pub level: Level,
    /// `unique:N`.
    pub reqid: Option<u32>,
}

/// The policy part: `-P dir [prio N] discard|none|ipsec requests...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySpec {
    pub dir: Direction,
    pub priority: Option<u32>,
    pub action: Action,
    pub requests: Vec<RequestSpec>,
}

/// What `spdadd`, `spdupdate` and `spddelete` select on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectorSpec {
    Addresses {
        src: PrefixSpec,
        dst: PrefixSpec,
        upper: UpperSpec,
    },
    Tagged(String),
}

/// A policy command's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpdSpec {
    pub opts_addr: AddrOpts,
    pub selector: SelectorSpec,
    pub policy: PolicySpec,
    pub sec_ctx: Option<SecCtx>,
}

/// One setkey.conf statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Add(SaSpec),
    /// Documented in setkey(8) but never implemented by the original; we implement it.
    Update(SaSpec),
    Get {
        opts_addr: AddrOpts,
        src: HostSpec,
        dst: HostSpec,
        proto: ProtoSpec,
        spi: u32,
    },
    Delete {
        opts_addr: AddrOpts,
        src: HostSpec,
        dst: HostSpec,
        proto: ProtoSpec,
        spi: u32,
    },
    GetSpi(GetSpiSpec),
    DeleteAll {
        opts_addr: AddrOpts,
        src: HostSpec,
        dst: HostSpec,
        proto: ProtoSpec,
    },
    /// `flush [proto]`.
    Flush(Option<SaType>),
    Dump(Option<SaType>),
    SpdAdd(SpdSpec),
    SpdUpdate(SpdSpec),
    /// `spddelete selector -P dir;` (the policy part may hold only the direction).
    SpdDelete(SpdSpec),
    SpdFlush,
    SpdDump,
    /// `exit`, `quit` or `bye`: stop reading.
    Exit,
}

/// A statement with where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub pos: Pos,
    pub command: Command,
}
