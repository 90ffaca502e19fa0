//! Security associations as every tool of the suite sees them.
//!
//! The model follows PF_KEY v2's view of an SA (RFC 2367 plus the KAME `SADB_X_*`
//! extensions), because that is what `setkey -D` and `racoonctl show-sa` print and what
//! scripts parse. The XFRM backend maps its own messages into the same types, so the
//! printer and everything above the kernel interface never know which backend ran.

use crate::alg::Algorithm;
use std::fmt;
use std::net::IpAddr;

/// The SA type: the protocol the SA protects with (`sadb_msg_satype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SaType {
    Ah,
    Esp,
    IpComp,
    /// TCP-MD5 signatures (RFC 2385): setkey's `tcp` protocol.
    TcpMd5,
}

impl SaType {
    /// The name setkey reads and prints: `ah`, `esp`, `ipcomp`, `tcp`.
    pub fn name(self) -> &'static str {
        match self {
            SaType::Ah => "ah",
            SaType::Esp => "esp",
            SaType::IpComp => "ipcomp",
            SaType::TcpMd5 => "tcp",
        }
    }

    /// The IP protocol number the SA's packets carry (XFRM's `id.proto`).
    pub fn ip_proto(self) -> u8 {
        match self {
            SaType::Ah => 51,
            SaType::Esp => 50,
            SaType::IpComp => 108,
            SaType::TcpMd5 => 6,
        }
    }

    pub fn from_ip_proto(proto: u8) -> Option<SaType> {
        match proto {
            51 => Some(SaType::Ah),
            50 => Some(SaType::Esp),
            108 => Some(SaType::IpComp),
            6 => Some(SaType::TcpMd5),
            _ => None,
        }
    }
}

impl fmt::Display for SaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// IPsec mode of an SA or of a policy's request (`sadb_x_sa2_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Usable in either mode; what setkey installs when `-m` is not given.
    #[default]
    Any,
    Transport,
    Tunnel,
}

impl Mode {
    /// `any`, `transport`, `tunnel`: the words of setkey's `-m` and of `mode=` in dumps.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Any => "any",
            Mode::Transport => "transport",
            Mode::Tunnel => "tunnel",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An SA's life stage (`sadb_sa_state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SaState {
    /// Reserved by GETSPI, not yet keyed.
    Larval,
    #[default]
    Mature,
    /// Past its soft lifetime.
    Dying,
    /// Past its hard lifetime.
    Dead,
}

impl SaState {
    pub fn name(self) -> &'static str {
        match self {
            SaState::Larval => "larval",
            SaState::Mature => "mature",
            SaState::Dying => "dying",
            SaState::Dead => "dead",
        }
    }
}

/// One algorithm with its key (an empty key for keyless algorithms such as `null`).
#[derive(Clone, PartialEq, Eq)]
pub struct Keyed {
    pub alg: &'static Algorithm,
    pub key: Vec<u8>,
}

impl fmt::Debug for Keyed {
    /// Keys are secrets: debug output names the algorithm and the key length only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({} key bytes)", self.alg.name(), self.key.len())
    }
}

/// One PF_KEY lifetime (`sadb_lifetime`): hard and soft limits, or the current usage.
/// Times are seconds: for limits, durations; for the current lifetime, Unix times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lifetime {
    pub allocations: u32,
    pub bytes: u64,
    pub addtime: u64,
    pub usetime: u64,
}

impl Lifetime {
    pub fn is_unlimited(&self) -> bool {
        *self == Lifetime::default()
    }
}

/// NAT traversal of an ESP SA: ESP in UDP (RFC 3948) between these ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NatT {
    /// Encapsulation type; Linux supports only `UDP_ENCAP_ESPINUDP` (2).
    pub encap: u8,
    pub sport: u16,
    pub dport: u16,
    /// The peer's original address before NAT, when known.
    pub original_address: Option<IpAddr>,
}

impl NatT {
    pub const UDP_ENCAP_ESPINUDP: u8 = 2;
}

/// A security context (SELinux labelled IPsec): setkey's `-ctx doi alg "label"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecCtx {
    pub doi: u8,
    pub alg: u8,
    pub label: String,
}

/// What names one SA in the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SaId {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub satype: SaType,
    pub spi: u32,
}

/// KAME SA flags (`sadb_sa_flags` / `SADB_X_EXT_*`), as setkey's `-f` sets them.
pub mod flags {
    /// Old-style (RFC 1827/1829) AH or ESP: setkey's `ah-old` and `esp-old`.
    pub const OLD: u32 = 0x0001;
    pub const IV4B: u32 = 0x0010;
    pub const DERIV: u32 = 0x0020;
    /// IPComp: the SPI given is the CPI as is (`-C alg -R`).
    pub const RAWCPI: u32 = 0x0080;
    /// Do not wrap the sequence number around: `-f nocyclic-seq`.
    pub const CYCSEQ: u32 = 0x0040;
    pub const PSEQ: u32 = 0x0000;
    /// `-f random-pad`.
    pub const PRAND: u32 = 0x0100;
    /// `-f zero-pad`.
    pub const PZERO: u32 = 0x0200;
    pub const PMASK: u32 = 0x0300;
}

/// A security association, complete: what `add` installs and what a dump returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sa {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub satype: SaType,
    pub spi: u32,
    pub mode: Mode,
    pub reqid: u32,
    /// Replay window size in packets (`-r`); 0 disables replay protection.
    pub replay: u32,
    /// [`flags`] bits.
    pub flags: u32,
    pub state: SaState,
    /// Cipher (ESP, including AEADs) or, for IPComp, nothing: see `comp`.
    pub enc: Option<Keyed>,
    pub auth: Option<Keyed>,
    pub comp: Option<&'static Algorithm>,
    pub natt: Option<NatT>,
    pub hard: Lifetime,
    pub soft: Lifetime,
    /// Usage so far; only in what the kernel returns.
    pub current: Option<Lifetime>,
    /// Sequence number the SA was created for (`sadb_x_sa2_sequence`), as dumps print it.
    pub seq: u32,
    pub sec_ctx: Option<SecCtx>,
}

impl Sa {
    /// An SA with every optional part empty, ready to be filled in.
    pub fn new(src: IpAddr, dst: IpAddr, satype: SaType, spi: u32) -> Sa {
        Sa {
            src,
            dst,
            satype,
            spi,
            mode: Mode::Any,
            reqid: 0,
            replay: 0,
            flags: 0,
            state: SaState::Mature,
            enc: None,
            auth: None,
            comp: None,
            natt: None,
            hard: Lifetime::default(),
            soft: Lifetime::default(),
            current: None,
            seq: 0,
            sec_ctx: None,
        }
    }

    pub fn id(&self) -> SaId {
        SaId {
            src: self.src,
            dst: self.dst,
            satype: self.satype,
            spi: self.spi,
        }
    }
}

/// An entry as a kernel dump returned it, with the message header fields that
/// `setkey -D` prints after it (`sadb_seq=N pid=N refcnt=N`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dumped<T> {
    pub entry: T,
    /// `sadb_msg_seq` of the dump message: Linux numbers entries 1, 2, 3, ... and the
    /// last one 0.
    pub seq: u32,
    pub pid: u32,
    /// `sadb_msg_reserved`, which the original prints as `refcnt`.
    pub refcnt: u32,
}
