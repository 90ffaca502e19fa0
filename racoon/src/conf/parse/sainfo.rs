//! `sainfo` blocks: the two identities (`anonymous`, `clientaddr`, `address ...`,
//! `fqdn "..."`), `from` / `group`, and the quick-mode algorithms.

use common::addr::{Address, Family, SelectorParts};
use common::alg::{find_racoon, Class};

use super::super::error::ErrorKind;
use super::super::feature::Feature;
use super::super::ident::IdType;
use super::super::lexer::Tok;
use super::super::sainfo::{Sainfo, SainfoAlg, SainfoId, DEFAULT_PHASE2_LIFETIME, UL_PROTOS};
use super::{is_digits, FileParser, Life, Result};

const SAINFO: &[&str] = &[
    "pfs_group",
    "remoteid",
    "lifetime",
    "encryption_algorithm",
    "authentication_algorithm",
    "compression_algorithm",
];

impl FileParser<'_, '_> {
    /// After `sainfo`.
    pub(super) fn sainfo(&mut self, start: usize) -> Result<()> {
        let at = self.location_of(&self.tokens[start].clone());
        let (local, remote) = if self.at_word("anonymous") {
            self.bump();
            let remote = if self.at_word("clientaddr") {
                let token = self.bump();
                self.uses(
                    Feature::ModeCfgRemote,
                    "sainfo ... clientaddr",
                    self.location_of(&token),
                );
                SainfoId::ClientAddr
            } else if self.peek().word().and_then(IdType::from_word).is_some() {
                self.sainfo_id()?
            } else {
                SainfoId::Anonymous
            };
            (SainfoId::Anonymous, remote)
        } else {
            if self.peek().word().and_then(IdType::from_word).is_none() {
                return Err(self.expected(
                    "`anonymous' or an identifier type (address, subnet, fqdn, user_fqdn, keyid)",
                ));
            }
            let local = self.sainfo_id()?;
            let remote = match self.peek().word() {
                Some("anonymous") => {
                    self.bump();
                    SainfoId::Anonymous
                }
                Some("clientaddr") => {
                    let token = self.bump();
                    self.uses(
                        Feature::ModeCfgRemote,
                        "sainfo ... clientaddr",
                        self.location_of(&token),
                    );
                    SainfoId::ClientAddr
                }
                Some(w) if IdType::from_word(w).is_some() => self.sainfo_id()?,
                _ => {
                    return Err(self.expected_after(
                        "`anonymous', `clientaddr' or the remote identifier",
                        start,
                    ))
                }
            };
            (local, remote)
        };
        let mut sainfo = Sainfo {
            location: at.clone(),
            local,
            remote,
            from: None,
            group: None,
            pfs_group: None,
            remoteid: None,
            lifetime: DEFAULT_PHASE2_LIFETIME,
            lifebyte: 0,
            encryption: Vec::new(),
            authentication: Vec::new(),
            compression: Vec::new(),
        };
        match self.peek().word() {
            Some("from") => {
                self.bump();
                sainfo.from = Some(self.identifier(false)?);
            }
            Some("group") => {
                let token = self.bump();
                sainfo.group = Some(self.quoted("a quoted group name")?);
                self.uses(
                    Feature::SainfoGroup,
                    "sainfo ... group",
                    self.location_of(&token),
                );
            }
            _ => {}
        }
        self.open(start)?;
        self.block_body("sainfo", |p| p.sainfo_directive(&mut sainfo))?;
        self.finish_sainfo(sainfo)
    }

    /// `address|subnet ADDR[/PLEN][[PORT]] UL_PROTO`, a range `LOW-HIGH`, or
    /// `fqdn|user_fqdn|keyid "text"`.
    fn sainfo_id(&mut self) -> Result<SainfoId> {
        let type_token = self.bump();
        let id_type = type_token
            .word()
            .and_then(IdType::from_word)
            .unwrap_or(IdType::Address);
        if let Tok::Quoted(value) = &self.peek().tok {
            let value = value.clone();
            if matches!(id_type, IdType::Address | IdType::Subnet | IdType::Asn1Dn) {
                return Err(self.error_at(
                    &type_token,
                    ErrorKind::InvalidValue {
                        what: format!("sainfo identifier `{} \"{value}\"'", id_type.name()),
                        reason: "only fqdn, user_fqdn and keyid take a quoted value".to_owned(),
                    },
                ));
            }
            self.bump();
            return Ok(SainfoId::Name { id_type, value });
        }
        if !matches!(id_type, IdType::Address | IdType::Subnet) {
            return Err(self.expected(&format!("a quoted {} value", id_type.name())));
        }
        let host_token = self.peek().clone();
        let Some(host) = host_token.word().map(str::to_owned) else {
            return Err(self.expected("an address"));
        };
        if host == "any" {
            return Err(self.error_at(
                &host_token,
                ErrorKind::InvalidValue {
                    what: "address `any'".to_owned(),
                    reason: "write `anonymous' for any address".to_owned(),
                },
            ));
        }
        self.bump();
        let prefix = match &self.peek().tok {
            Tok::Prefix(digits) => {
                let digits = digits.clone();
                self.bump();
                Some(digits)
            }
            _ => None,
        };
        let port = match &self.peek().tok {
            Tok::Port(digits) => {
                let digits = digits.clone();
                self.bump();
                Some(digits)
            }
            Tok::PortAny => {
                self.bump();
                Some("any".to_owned())
            }
            _ => None,
        };
        let proto_token = self.peek().clone();
        let ul_proto = self.ul_proto()?;
        let address_error = |p: &Self, text: String, error| {
            p.error_at(&host_token, ErrorKind::Address { text, error })
        };
        let mut text = host.clone();
        if let Some(prefix) = &prefix {
            text = format!("{text}/{prefix}");
        }
        if let Some(port) = &port {
            text = format!("{text}[{port}]");
        }
        let parts =
            SelectorParts::parse(&text).map_err(|e| address_error(self, text.clone(), e))?;
        let port_value = parts.port.map(|p| p.get()).filter(|&p| p != 0);
        if matches!(ul_proto, Some(1 | 58)) && port_value.is_some() {
            return Err(self.error_at(
                &proto_token,
                ErrorKind::InvalidValue {
                    what: "port".to_owned(),
                    reason: "with icmp or icmp6 the port must be `any'".to_owned(),
                },
            ));
        }
        let (id, family) = if let Some((low, high)) = host.split_once('-') {
            let low: Address = low
                .parse()
                .map_err(|e| address_error(self, text.clone(), e))?;
            let high: Address = high
                .parse()
                .map_err(|e| address_error(self, text.clone(), e))?;
            if prefix.is_some() || low.family() != high.family() {
                return Err(self.error_at(
                    &host_token,
                    ErrorKind::InvalidValue {
                        what: format!("address range `{host}'"),
                        reason: "both ends must be of one family, without a prefix length"
                            .to_owned(),
                    },
                ));
            }
            let id = SainfoId::Range {
                low,
                high,
                port: port_value,
                ul_proto,
            };
            (id, low.family())
        } else {
            let address: Address = parts
                .host
                .parse()
                .map_err(|e| address_error(self, text.clone(), e))?;
            let selector = parts
                .into_selector(address)
                .map_err(|e| address_error(self, text.clone(), e))?;
            (SainfoId::Selector { selector, ul_proto }, address.family())
        };
        let mismatch = matches!(
            (family, ul_proto),
            (Family::Ipv4, Some(58)) | (Family::Ipv6, Some(1))
        );
        if mismatch {
            return Err(self.error_at(
                &proto_token,
                ErrorKind::InvalidValue {
                    what: format!("upper-layer protocol `{}'", proto_token.text),
                    reason: "it does not match the address family".to_owned(),
                },
            ));
        }
        Ok(id)
    }

    /// `any`, a protocol name or a number.
    fn ul_proto(&mut self) -> Result<Option<u8>> {
        let token = self.peek().clone();
        let Some(word) = token.word() else {
            return Err(
                self.expected("an upper-layer protocol (any, tcp, udp, icmp, ... or a number)")
            );
        };
        let proto = if word == "any" {
            None
        } else if let Some(&(_, n)) = UL_PROTOS.iter().find(|(name, _)| *name == word) {
            Some(n)
        } else if is_digits(word) {
            match word.parse::<u8>() {
                Ok(255) => None,
                Ok(n) => Some(n),
                Err(_) => {
                    return Err(self.error_at(
                        &token,
                        ErrorKind::InvalidValue {
                            what: format!("protocol number {word}"),
                            reason: "protocol numbers go up to 255".to_owned(),
                        },
                    ))
                }
            }
        } else {
            return Err(self.error_at(
                &token,
                ErrorKind::UnknownValue {
                    what: "upper-layer protocol",
                    word: word.to_owned(),
                    valid: &[
                        "any", "icmp", "tcp", "udp", "gre", "esp", "ah", "icmp6", "ipcomp",
                        "a number",
                    ],
                },
            ));
        };
        self.bump();
        Ok(proto)
    }

    /// One directive inside `sainfo { }`.
    fn sainfo_directive(&mut self, s: &mut Sainfo) -> Result<()> {
        let start = self.pos;
        let word = self.directive_word("sainfo", SAINFO)?;
        self.bump();
        match word.as_str() {
            "pfs_group" => s.pfs_group = Some(self.dh_group()?),
            "remoteid" => s.remoteid = Some(self.number("a number (a remote's ph1id)")?),
            "lifetime" => match self.lifetime()? {
                Life::Seconds(t) => s.lifetime = t,
                Life::Kilobytes(kb) => s.lifebyte = kb,
            },
            "encryption_algorithm" => loop {
                let spec = self.algorithm(|n| find_racoon(Class::Encrypt, n))?;
                let key_length = self.key_length(&spec)?;
                s.encryption.push(SainfoAlg {
                    algorithm: spec.algorithm,
                    key_length,
                });
                if !self.list_continues() {
                    break;
                }
            },
            other => loop {
                let class = if other == "authentication_algorithm" {
                    Class::Auth
                } else {
                    Class::Compress
                };
                let spec = self.algorithm(|n| find_racoon(class, n))?;
                // No key length: the original refused one ("keylen not allowed").
                self.key_length(&spec)?;
                if class == Class::Auth {
                    s.authentication.push(spec.algorithm);
                } else {
                    s.compression.push(spec.algorithm);
                }
                if !self.list_continues() {
                    break;
                }
            },
        }
        self.semi(start)
    }

    /// Consumes a `,` if one follows.
    fn list_continues(&mut self) -> bool {
        if self.at_comma() {
            self.bump();
            true
        } else {
            false
        }
    }

    /// The checks the original made at the end of a sainfo block.
    fn finish_sainfo(&mut self, sainfo: Sainfo) -> Result<()> {
        let problem = if sainfo.encryption.is_empty() {
            Some("no encryption_algorithm given")
        } else if sainfo.authentication.is_empty() {
            Some("no authentication_algorithm given")
        } else if sainfo.compression.is_empty() {
            Some("no compression_algorithm given")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(super::super::ConfError::new(
                sainfo.location.clone(),
                ErrorKind::Incomplete {
                    block: sainfo.describe(),
                    problem: problem.to_owned(),
                },
            ));
        }
        let anonymous = |s: &Sainfo| s.local == SainfoId::Anonymous;
        let duplicate = !anonymous(&sainfo)
            && self.session.config.sainfos.iter().any(|other| {
                !anonymous(other)
                    && other.local == sainfo.local
                    && other.remote == sainfo.remote
                    && other.from == sainfo.from
                    && other.remoteid == sainfo.remoteid
            });
        if duplicate {
            return Err(super::super::ConfError::new(
                sainfo.location.clone(),
                ErrorKind::Duplicate {
                    what: sainfo.describe(),
                },
            ));
        }
        self.config().sainfos.push(sainfo);
        Ok(())
    }
}
