//! racoon.conf(5): the parser and the configuration model.
//!
//! [`Config::load`] reads a file and everything it includes; [`parse_str`] parses text
//! with includes served by any [`Includer`] (tests and the fuzzer use memory). Either
//! returns a [`Config`] — typed sections with racoon's defaults filled in, every
//! `remote` with its inheritance applied — or the first [`ConfError`], which says
//! `FILE:LINE:COLUMN:` and what was expected.
//!
//! The whole racoon.conf(5) language of ipsec-tools 0.8/0.9 is read (the grammar of
//! `cfparse.y` and the token boundaries of `cftoken.l`), so every file the original
//! accepted still loads. Directives whose feature the daemon does not implement yet
//! are kept in the model *and* listed in [`Config::unimplemented`] so that racoon can
//! warn about each; see [`Feature::is_implemented`].

mod dh;
mod error;
mod feature;
mod global;
mod ident;
mod include;
mod lexer;
mod modecfg;
mod parse;
mod remote;
mod sainfo;

use std::fmt;
use std::sync::Arc;

pub use dh::DhGroup;
pub use error::{ConfError, ErrorKind};
pub use feature::{Feature, Unimplemented};
pub use global::{
    AdminSock, GssIdEnc, Listen, LogLevel, Padding, Paths, Privsep, Timer, UserOrId, ISAKMP_PORT,
    NATT_PORT,
};
pub use ident::{IdType, Identifier};
pub use include::{FsIncluder, Includer, MemIncluder, NoIncludes};
pub use lexer::BadToken;
pub use modecfg::{LdapCfg, ModeCfg, RadiusCfg, RadiusServer, Source, SplitNetwork};
pub use remote::{
    AuthMethod, Certificate, Doi, ExchangeMode, GeneratePolicy, IkeFrag, NatTraversal, PeersCert,
    Proposal, ProposalCheck, Rekey, Remote, RemoteSelector, Scripts, Situation, DEFAULT_NONCE_SIZE,
    DEFAULT_PHASE1_LIFETIME,
};
pub use sainfo::{Sainfo, SainfoAlg, SainfoId, DEFAULT_PHASE2_LIFETIME};

/// A place in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file as it was named: the path given to [`Config::load`] or [`parse_str`],
    /// or the included file's path.
    pub file: Arc<str>,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
}

impl fmt::Display for Location {
    /// `FILE:LINE:COLUMN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A value and the directive it came from, for messages that must point at it later
/// (a listen address that cannot be bound, a psk.txt that cannot be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub location: Location,
}

impl<T> Located<T> {
    pub fn new(value: T, location: Location) -> Located<T> {
        Located { value, location }
    }
}

/// Something the file says that is accepted as the original accepted it, but that is
/// probably not what was meant (`hash_algorithm sha1_96`: the 96 is ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// A whole racoon configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub paths: Paths,
    /// `log LEVEL;`; `None`: racoon's default (and `-d` flags) apply.
    pub log: Option<Located<LogLevel>>,
    pub privsep: Option<Privsep>,
    pub padding: Padding,
    pub timer: Timer,
    pub listen: Listen,
    pub gss_id_enc: GssIdEnc,
    /// `pfkey_buffer N;` (KiB); `None`: the kernel's default.
    pub pfkey_buffer: Option<u64>,
    /// `complex_bundle on|off;` (default on, as the original's code had it).
    pub complex_bundle: bool,
    /// `remote` blocks in file order.
    pub remotes: Vec<Remote>,
    /// `sainfo` blocks in file order.
    pub sainfos: Vec<Sainfo>,
    pub mode_cfg: Option<ModeCfg>,
    pub ldap: Option<LdapCfg>,
    pub radius: Option<RadiusCfg>,
    /// Every use of a feature the daemon does not implement yet, in file order.
    pub unimplemented: Vec<Unimplemented>,
    /// Things accepted for compatibility that deserve a word in the log.
    pub warnings: Vec<Warning>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            paths: Paths::default(),
            log: None,
            privsep: None,
            padding: Padding::default(),
            timer: Timer::default(),
            listen: Listen::default(),
            gss_id_enc: GssIdEnc::default(),
            pfkey_buffer: None,
            complex_bundle: true,
            remotes: Vec::new(),
            sainfos: Vec::new(),
            mode_cfg: None,
            ldap: None,
            radius: None,
            unimplemented: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

impl Config {
    /// Reads `path` and the files it includes.
    pub fn load(path: &str) -> Result<Config, ConfError> {
        let bytes = std::fs::read(path).map_err(|e| {
            ConfError::new(
                Location {
                    file: Arc::from(path),
                    line: 0,
                    column: 0,
                },
                ErrorKind::Io {
                    path: path.to_owned(),
                    reason: e.to_string(),
                },
            )
        })?;
        parse_str(path, &String::from_utf8_lossy(&bytes), &mut FsIncluder)
    }

    /// The remote with this name (`remote "name"`).
    pub fn remote_by_name(&self, name: &str) -> Option<&Remote> {
        self.remotes
            .iter()
            .find(|r| matches!(&r.selector, RemoteSelector::Named(n) if n == name))
    }
}

/// Parses the text of file `file`; `include` statements are served by `includer`.
/// Never panics, whatever the text.
pub fn parse_str(file: &str, text: &str, includer: &mut dyn Includer) -> Result<Config, ConfError> {
    let mut session = parse::Session {
        config: Config::default(),
        includer,
        depth: 0,
        files_read: 0,
    };
    session.parse_file(file, text)?;
    Ok(session.config)
}
