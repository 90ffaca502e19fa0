//! The model of racoon.conf's global sections: `path`, `log`, `timer`, `listen`,
//! `padding`, `privsep` and the single-line switches. Defaults are the original's
//! (`localconf.h`), so a file that leaves a section out behaves as it did.

use common::addr::Endpoint;

use super::Located;

/// The port racoon listens on when `listen { isakmp ADDR; }` names none.
pub const ISAKMP_PORT: u16 = 500;
/// The NAT-T port for `isakmp_natt ADDR;` without a port.
pub const NATT_PORT: u16 = 4500;

/// `path TYPE "dir";`. `None` where the file does not say; the daemon applies its own
/// built-in locations then.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    /// Where relative `include` files are looked up.
    pub include: Option<Located<String>>,
    /// The psk.txt file.
    pub pre_shared_key: Option<Located<String>>,
    /// The directory relative certificate and key files are looked up in.
    pub certificate: Option<Located<String>>,
    /// The file `racoon -B` reads SAs from.
    pub backupsa: Option<Located<String>>,
    /// The directory relative `script` paths are looked up in.
    pub script: Option<Located<String>>,
    /// The pid file.
    pub pidfile: Option<Located<String>>,
}

/// `log LEVEL;`, from least to most verbose; `racoon -d` adds to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    Error,
    Warning,
    Notify,
    Info,
    Debug,
    Debug2,
}

impl LogLevel {
    pub const NAMES: &'static [&'static str] =
        &["error", "warning", "notify", "info", "debug", "debug2"];

    pub fn from_word(word: &str) -> Option<LogLevel> {
        Some(match word {
            "error" => LogLevel::Error,
            "warning" => LogLevel::Warning,
            "notify" => LogLevel::Notify,
            "info" => LogLevel::Info,
            "debug" => LogLevel::Debug,
            "debug2" => LogLevel::Debug2,
            _ => return None,
        })
    }
}

/// `timer { ... }`; times in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timer {
    /// `counter`: how many times a packet is sent before giving up.
    pub counter: u64,
    /// `interval`: seconds between resends.
    pub interval: u64,
    /// `persend`: copies of each packet per send.
    pub persend: u64,
    /// `phase1`: seconds phase 1 may take.
    pub phase1: u64,
    /// `phase2`: seconds phase 2 may take.
    pub phase2: u64,
    /// `natt_keepalive`: seconds between NAT-T keepalives; 0 disables them.
    pub natt_keepalive: u64,
}

impl Default for Timer {
    fn default() -> Timer {
        Timer {
            counter: 5,
            interval: 10,
            persend: 1,
            phase1: 30,
            phase2: 30,
            natt_keepalive: 20,
        }
    }
}

/// `padding { ... }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Padding {
    pub randomize: bool,
    pub randomize_length: bool,
    pub maximum_length: u64,
    pub strict_check: bool,
    pub exclusive_tail: bool,
}

impl Default for Padding {
    fn default() -> Padding {
        Padding {
            randomize: true,
            randomize_length: false,
            maximum_length: 20,
            strict_check: false,
            exclusive_tail: true,
        }
    }
}

/// `listen { ... }`. With no `isakmp` line racoon listens on every local address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listen {
    /// `isakmp ADDR [PORT];`, in file order.
    pub isakmp: Vec<Located<Endpoint>>,
    /// `isakmp_natt ADDR [PORT];`.
    pub isakmp_natt: Vec<Located<Endpoint>>,
    /// `strict_address;`: fail if a listen address does not exist.
    pub strict_address: bool,
    /// `adminsock ...`; `None` when not given (the built-in socket path applies).
    pub adminsock: Option<Located<AdminSock>>,
}

/// The admin socket racoonctl talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminSock {
    /// `adminsock disabled;`
    Disabled,
    /// `adminsock "path" ["owner" "group" mode];`
    Socket {
        path: String,
        owner: Option<String>,
        group: Option<String>,
        /// The permission bits, written in octal digits (`0660`).
        mode: Option<u32>,
    },
}

/// `privsep { user ...; group ...; chroot "dir"; }`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Privsep {
    pub user: Option<UserOrId>,
    pub group: Option<UserOrId>,
    pub chroot: Option<String>,
}

/// A user or group by name (looked up by the daemon) or by number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserOrId {
    Name(String),
    Id(u32),
}

/// `gss_id_enc latin1|utf-16le;`: how a GSS-API id is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GssIdEnc {
    Latin1,
    /// The default, for Windows.
    #[default]
    Utf16le,
}
