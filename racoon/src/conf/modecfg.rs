//! The model of `mode_cfg`, `ldapcfg` and `radiuscfg`: what a gateway hands out to
//! remote-access clients (Cisco Unity / Apple "Cisco IPSec") and where it checks them.

use std::net::Ipv4Addr;

/// `mode_cfg { ... }`. Lists keep file order; repeated `dns4` lines add up, as in the
/// original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModeCfg {
    pub network4: Option<Ipv4Addr>,
    pub netmask4: Option<Ipv4Addr>,
    pub dns4: Vec<Ipv4Addr>,
    /// `wins4` (or its alias `nbns4`).
    pub wins4: Vec<Ipv4Addr>,
    pub split_network: Option<SplitNetwork>,
    pub split_dns: Vec<String>,
    pub default_domain: Option<String>,
    pub auth_source: Option<Source>,
    pub auth_groups: Vec<String>,
    pub group_source: Option<Source>,
    pub accounting: Option<Source>,
    pub conf_source: Option<Source>,
    pub pool_size: Option<u64>,
    pub pfs_group: Option<u64>,
    pub save_passwd: Option<bool>,
    pub auth_throttle: Option<u64>,
    /// `banner "file"`: the message of the day file.
    pub banner: Option<String>,
}

/// `split_network include|local_lan a/len, ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitNetwork {
    /// `local_lan` rather than `include`.
    pub local_lan: bool,
    pub networks: Vec<(Ipv4Addr, u8)>,
}

/// Where users, groups, accounting or configuration come from. Not every source is
/// allowed for every directive; the parser checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    System,
    Local,
    None,
    Radius,
    Pam,
    Ldap,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::System => "system",
            Source::Local => "local",
            Source::None => "none",
            Source::Radius => "radius",
            Source::Pam => "pam",
            Source::Ldap => "ldap",
        }
    }
}

/// `ldapcfg { ... }`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LdapCfg {
    pub version: Option<u64>,
    pub debug: Option<u64>,
    pub timeout: Option<u64>,
    pub uri: Option<String>,
    pub host: Option<String>,
    pub port: Option<u64>,
    pub base: Option<String>,
    pub subtree: Option<bool>,
    pub bind_dn: Option<String>,
    pub bind_pw: Option<String>,
    pub attr_user: Option<String>,
    pub attr_addr: Option<String>,
    pub attr_mask: Option<String>,
    pub attr_group: Option<String>,
    pub attr_member: Option<String>,
    pub attr_device: Option<String>,
}

/// `radiuscfg { ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RadiusCfg {
    pub auth: Vec<RadiusServer>,
    pub acct: Vec<RadiusServer>,
    pub timeout: u64,
    pub retries: u64,
}

impl Default for RadiusCfg {
    /// The original set 3 and 3 when the section began.
    fn default() -> RadiusCfg {
        RadiusCfg {
            auth: Vec::new(),
            acct: Vec::new(),
            timeout: 3,
            retries: 3,
        }
    }
}

/// `auth|acct "host" [port] "secret";`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RadiusServer {
    pub host: String,
    /// `None`: the RADIUS library's default port.
    pub port: Option<u64>,
    pub secret: String,
}
