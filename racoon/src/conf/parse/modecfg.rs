//! `mode_cfg`, `ldapcfg` and `radiuscfg` sections.

use std::net::Ipv4Addr;

use super::super::error::ErrorKind;
use super::super::feature::Feature;
use super::super::lexer::Tok;
use super::super::modecfg::{ModeCfg, RadiusCfg, RadiusServer, Source, SplitNetwork};
use super::{FileParser, Result};

const MODE_CFG: &[&str] = &[
    "network4",
    "netmask4",
    "dns4",
    "wins4",
    "nbns4",
    "split_network",
    "split_dns",
    "default_domain",
    "auth_source",
    "auth_groups",
    "group_source",
    "accounting",
    "conf_source",
    "pool_size",
    "pfs_group",
    "save_passwd",
    "auth_throttle",
    "banner",
];

const LDAP: &[&str] = &[
    "version",
    "debug",
    "timeout",
    "uri",
    "host",
    "port",
    "base",
    "subtree",
    "bind_dn",
    "bind_pw",
    "attr_user",
    "attr_addr",
    "attr_mask",
    "attr_group",
    "attr_member",
    "attr_device",
];

const RADIUS: &[&str] = &["auth", "acct", "timeout", "retries"];

impl FileParser<'_, '_> {
    /// `mode_cfg { ... }`; a second section adds to the first, as in the original.
    pub(super) fn mode_cfg(&mut self, start: usize) -> Result<()> {
        let at = self.location_of(&self.tokens[start].clone());
        self.open(start)?;
        let mut cfg = self.config().mode_cfg.take().unwrap_or_default();
        let result = self.block_body("mode_cfg", |p| p.mode_cfg_directive(&mut cfg));
        self.config().mode_cfg = Some(cfg);
        result?;
        self.uses(Feature::ModeCfg, "mode_cfg", at);
        Ok(())
    }

    fn mode_cfg_directive(&mut self, cfg: &mut ModeCfg) -> Result<()> {
        let start = self.pos;
        let word = self.directive_word("mode_cfg", MODE_CFG)?;
        self.bump();
        match word.as_str() {
            "network4" => cfg.network4 = Some(self.ipv4()?),
            "netmask4" => cfg.netmask4 = Some(self.ipv4()?),
            "dns4" => self.list(|p| {
                cfg.dns4.push(p.ipv4()?);
                Ok(())
            })?,
            "wins4" | "nbns4" => self.list(|p| {
                cfg.wins4.push(p.ipv4()?);
                Ok(())
            })?,
            "split_network" => {
                let local_lan = self.keyword(
                    "split_network type",
                    &["include", "local_lan"],
                    |w| match w {
                        "include" => Some(false),
                        "local_lan" => Some(true),
                        _ => None,
                    },
                )?;
                let mut networks = Vec::new();
                self.list(|p| {
                    let network = p.ipv4()?;
                    let token = p.peek().clone();
                    let Tok::Prefix(digits) = &token.tok else {
                        return Err(p.expected("a prefix length such as /24"));
                    };
                    let len = digits
                        .parse::<u8>()
                        .ok()
                        .filter(|l| *l <= 32)
                        .ok_or_else(|| {
                            p.error_at(
                                &token,
                                ErrorKind::InvalidValue {
                                    what: format!("prefix length /{digits}"),
                                    reason: "IPv4 prefixes go up to /32".to_owned(),
                                },
                            )
                        })?;
                    p.bump();
                    networks.push((network, len));
                    Ok(())
                })?;
                cfg.split_network = Some(SplitNetwork {
                    local_lan,
                    networks,
                });
            }
            "split_dns" => self.list(|p| {
                cfg.split_dns.push(p.quoted("a quoted domain")?);
                Ok(())
            })?,
            "auth_groups" => self.list(|p| {
                cfg.auth_groups.push(p.quoted("a quoted group name")?);
                Ok(())
            })?,
            "default_domain" => cfg.default_domain = Some(self.quoted("a quoted domain")?),
            "banner" => cfg.banner = Some(self.quoted("a quoted file name")?),
            "auth_source" => {
                cfg.auth_source =
                    Some(self.source("auth_source", &["system", "radius", "pam", "ldap"])?)
            }
            "group_source" => {
                cfg.group_source = Some(self.source("group_source", &["system", "ldap"])?)
            }
            "accounting" => {
                cfg.accounting =
                    Some(self.source("accounting", &["none", "system", "radius", "pam"])?)
            }
            "conf_source" => {
                cfg.conf_source = Some(self.source("conf_source", &["local", "radius", "ldap"])?)
            }
            "pool_size" => cfg.pool_size = Some(self.number("a pool size")?),
            "pfs_group" => cfg.pfs_group = Some(self.number("a DH group number")?),
            "auth_throttle" => cfg.auth_throttle = Some(self.number("a number of seconds")?),
            _ => cfg.save_passwd = Some(self.switch()?),
        }
        self.semi(start)
    }

    /// `item [, item]...`
    fn list(&mut self, mut item: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        loop {
            item(self)?;
            if !self.at(&Tok::Comma) {
                return Ok(());
            }
            self.bump();
        }
    }

    fn ipv4(&mut self) -> Result<Ipv4Addr> {
        let token = self.peek().clone();
        let Some(word) = token.word() else {
            return Err(self.expected("an IPv4 address"));
        };
        let address = word.parse::<Ipv4Addr>().map_err(|_| {
            self.error_at(
                &token,
                ErrorKind::InvalidValue {
                    what: format!("IPv4 address `{word}'"),
                    reason: "expected four decimal numbers separated by dots".to_owned(),
                },
            )
        })?;
        self.bump();
        Ok(address)
    }

    fn source(&mut self, what: &'static str, valid: &'static [&'static str]) -> Result<Source> {
        self.keyword(what, valid, |w| {
            if !valid.contains(&w) {
                return None;
            }
            Some(match w {
                "system" => Source::System,
                "local" => Source::Local,
                "none" => Source::None,
                "radius" => Source::Radius,
                "pam" => Source::Pam,
                _ => Source::Ldap,
            })
        })
    }

    /// `ldapcfg { ... }`
    pub(super) fn ldapcfg(&mut self, start: usize) -> Result<()> {
        let at = self.location_of(&self.tokens[start].clone());
        self.open(start)?;
        let mut cfg = self.config().ldap.take().unwrap_or_default();
        let result = self.block_body("ldapcfg", |p| {
            let start = p.pos;
            let word = p.directive_word("ldapcfg", LDAP)?;
            p.bump();
            match word.as_str() {
                "version" => {
                    let token = p.peek().clone();
                    let v = p.number("2 or 3")?;
                    if !(2..=3).contains(&v) {
                        return Err(p.error_at(
                            &token,
                            ErrorKind::InvalidValue {
                                what: format!("LDAP version {v}"),
                                reason: "expected 2 or 3".to_owned(),
                            },
                        ));
                    }
                    cfg.version = Some(v);
                }
                "debug" => cfg.debug = Some(p.number("a debug level")?),
                "timeout" => cfg.timeout = Some(p.number("a number of seconds")?),
                "port" => cfg.port = Some(p.number("a port")?),
                "subtree" => cfg.subtree = Some(p.switch()?),
                text => {
                    let value = Some(p.quoted("a quoted string")?);
                    match text {
                        "uri" => cfg.uri = value,
                        "host" => cfg.host = value,
                        "base" => cfg.base = value,
                        "bind_dn" => cfg.bind_dn = value,
                        "bind_pw" => cfg.bind_pw = value,
                        "attr_user" => cfg.attr_user = value,
                        "attr_addr" => cfg.attr_addr = value,
                        "attr_mask" => cfg.attr_mask = value,
                        "attr_group" => cfg.attr_group = value,
                        "attr_member" => cfg.attr_member = value,
                        _ => cfg.attr_device = value,
                    }
                }
            }
            p.semi(start)
        });
        self.config().ldap = Some(cfg);
        result?;
        self.uses(Feature::Ldap, "ldapcfg", at);
        Ok(())
    }

    /// `radiuscfg { ... }`
    pub(super) fn radiuscfg(&mut self, start: usize) -> Result<()> {
        let at = self.location_of(&self.tokens[start].clone());
        self.open(start)?;
        let mut cfg = RadiusCfg::default();
        self.block_body("radiuscfg", |p| {
            let start = p.pos;
            let word = p.directive_word("radiuscfg", RADIUS)?;
            p.bump();
            match word.as_str() {
                "timeout" => cfg.timeout = p.number("a number of seconds")?,
                "retries" => cfg.retries = p.number("a number of tries")?,
                kind => {
                    let host = p.quoted("a quoted server")?;
                    let port = match p.peek().tok {
                        Tok::Word(_) => Some(p.number("a port")?),
                        _ => None,
                    };
                    let secret = p.quoted("a quoted secret")?;
                    let server = RadiusServer { host, port, secret };
                    if kind == "auth" {
                        cfg.auth.push(server);
                    } else {
                        cfg.acct.push(server);
                    }
                }
            }
            p.semi(start)
        })?;
        self.config().radius = Some(cfg);
        self.uses(Feature::Radius, "radiuscfg", at);
        Ok(())
    }
}
