//! Top-level statements and the global sections: `path`, `include`, `log`,
//! `privsep`, `padding`, `listen`, `timer`, `gss_id_enc`, `pfkey_buffer`,
//! `complex_bundle`.

use common::addr::Endpoint;

use super::super::error::ErrorKind;
use super::super::feature::Feature;
use super::super::global::{
    AdminSock, GssIdEnc, LogLevel, Privsep, UserOrId, ISAKMP_PORT, NATT_PORT,
};
use super::super::lexer::Tok;
use super::super::Located;
use super::{FileParser, Result};

const STATEMENTS: &[&str] = &[
    "path",
    "include",
    "log",
    "privsep",
    "padding",
    "listen",
    "timer",
    "remote",
    "sainfo",
    "mode_cfg",
    "ldapcfg",
    "radiuscfg",
    "gss_id_enc",
    "pfkey_buffer",
    "complex_bundle",
];

const PATH_TYPES: &[&str] = &[
    "include",
    "pre_shared_key",
    "certificate",
    "backupsa",
    "script",
    "pidfile",
];

const PRIVSEP: &[&str] = &["user", "group", "chroot"];
const PADDING: &[&str] = &[
    "randomize",
    "randomize_length",
    "maximum_length",
    "strict_check",
    "exclusive_tail",
];
const LISTEN: &[&str] = &["isakmp", "isakmp_natt", "adminsock", "strict_address"];
const TIMER: &[&str] = &[
    "counter",
    "interval",
    "persend",
    "phase1",
    "phase2",
    "natt_keepalive",
];

impl FileParser<'_, '_> {
    /// One top-level statement.
    pub(super) fn statement(&mut self) -> Result<()> {
        let start = self.pos;
        let word = self.directive_word("the top level", STATEMENTS)?;
        let at = self.here();
        self.bump();
        match word.as_str() {
            "path" => self.path(start),
            "include" => self.include(start),
            "log" => {
                let level = self.keyword("log level", LogLevel::NAMES, LogLevel::from_word)?;
                self.semi(start)?;
                self.config().log = Some(Located::new(level, at));
                Ok(())
            }
            "privsep" => self.privsep(start),
            "padding" => self.padding(start),
            "listen" => self.listen(start),
            "timer" => self.timer(start),
            "remote" => self.remote(start),
            "sainfo" => self.sainfo(start),
            "mode_cfg" => self.mode_cfg(start),
            "ldapcfg" => self.ldapcfg(start),
            "radiuscfg" => self.radiuscfg(start),
            "gss_id_enc" => {
                let enc = self.keyword(
                    "GSS-API id encoding",
                    &["latin1", "utf-16le"],
                    |w| match w {
                        "latin1" => Some(GssIdEnc::Latin1),
                        "utf-16le" => Some(GssIdEnc::Utf16le),
                        _ => None,
                    },
                )?;
                self.semi(start)?;
                self.uses(Feature::Gssapi, "gss_id_enc", at);
                self.config().gss_id_enc = enc;
                Ok(())
            }
            "pfkey_buffer" => {
                let size = self.number("a buffer size in KiB")?;
                self.semi(start)?;
                self.config().pfkey_buffer = Some(size);
                Ok(())
            }
            _ => {
                // complex_bundle
                let on = self.switch()?;
                self.semi(start)?;
                self.config().complex_bundle = on;
                Ok(())
            }
        }
    }

    /// `path TYPE "dir";`
    fn path(&mut self, start: usize) -> Result<()> {
        let at = self.here();
        let kind = self.keyword("path type", PATH_TYPES, |w| {
            PATH_TYPES.iter().position(|t| *t == w)
        })?;
        let value = self.quoted("a quoted path")?;
        self.semi(start)?;
        let located = Some(Located::new(value, at.clone()));
        let paths = &mut self.config().paths;
        match kind {
            0 => paths.include = located,
            1 => paths.pre_shared_key = located,
            2 => paths.certificate = located,
            3 => paths.backupsa = located,
            4 => paths.script = located,
            _ => paths.pidfile = located,
        }
        // `path certificate` and `path script` only name directories (every distro
        // default sets them); the directives that use them are what gets reported.
        if kind == 3 {
            self.uses(Feature::BackupSa, "path backupsa", at);
        }
        Ok(())
    }

    /// `privsep { user ...; group ...; chroot "dir"; }`
    fn privsep(&mut self, start: usize) -> Result<()> {
        let at = self.location_of(&self.tokens[start].clone());
        self.open(start)?;
        let mut privsep = Privsep::default();
        self.block_body("privsep", |p| {
            let start = p.pos;
            let word = p.directive_word("privsep", PRIVSEP)?;
            p.bump();
            match word.as_str() {
                "chroot" => privsep.chroot = Some(p.quoted("a quoted directory")?),
                "user" => privsep.user = Some(p.user_or_id("user")?),
                _ => privsep.group = Some(p.user_or_id("group")?),
            }
            p.semi(start)
        })?;
        self.uses(Feature::Privsep, "privsep", at);
        self.config().privsep = Some(privsep);
        Ok(())
    }

    fn user_or_id(&mut self, what: &str) -> Result<UserOrId> {
        if let Tok::Quoted(name) = &self.peek().tok {
            let name = name.clone();
            self.bump();
            return Ok(UserOrId::Name(name));
        }
        let token = self.peek().clone();
        let n = self.number(&format!("a quoted {what} name or a number"))?;
        u32::try_from(n).map(UserOrId::Id).map_err(|_| {
            self.error_at(
                &token,
                ErrorKind::NumberTooLarge {
                    text: token.text.clone(),
                },
            )
        })
    }

    /// `padding { ... }`
    fn padding(&mut self, start: usize) -> Result<()> {
        self.open(start)?;
        self.block_body("padding", |p| {
            let start = p.pos;
            let word = p.directive_word("padding", PADDING)?;
            p.bump();
            if word == "maximum_length" {
                let n = p.number("a number of bytes")?;
                p.config().padding.maximum_length = n;
            } else {
                let on = p.switch()?;
                let padding = &mut p.config().padding;
                match word.as_str() {
                    "randomize" => padding.randomize = on,
                    "randomize_length" => padding.randomize_length = on,
                    "strict_check" => padding.strict_check = on,
                    _ => padding.exclusive_tail = on,
                }
            }
            p.semi(start)
        })
    }

    /// `listen { ... }`
    fn listen(&mut self, start: usize) -> Result<()> {
        self.open(start)?;
        self.block_body("listen", |p| {
            let start = p.pos;
            let at = p.here();
            let word = p.directive_word("listen", LISTEN)?;
            p.bump();
            match word.as_str() {
                "isakmp" | "isakmp_natt" => {
                    let natt = word == "isakmp_natt";
                    let endpoint = p.endpoint(if natt { NATT_PORT } else { ISAKMP_PORT })?;
                    p.semi(start)?;
                    let located = Located::new(endpoint, at.clone());
                    if natt {
                        p.uses(Feature::NatTraversal, "isakmp_natt", at);
                        p.config().listen.isakmp_natt.push(located);
                    } else {
                        p.config().listen.isakmp.push(located);
                    }
                }
                "strict_address" => {
                    p.semi(start)?;
                    p.config().listen.strict_address = true;
                }
                _ => {
                    let sock = p.adminsock()?;
                    p.semi(start)?;
                    p.config().listen.adminsock = Some(Located::new(sock, at));
                }
            }
            Ok(())
        })
    }

    /// After `adminsock`: `disabled`, `"path"` or `"path" "owner" "group" mode`.
    fn adminsock(&mut self) -> Result<AdminSock> {
        if self.at_word("disabled") {
            self.bump();
            return Ok(AdminSock::Disabled);
        }
        let path = self.quoted("a quoted socket path or `disabled'")?;
        if !matches!(self.peek().tok, Tok::Quoted(_)) {
            return Ok(AdminSock::Socket {
                path,
                owner: None,
                group: None,
                mode: None,
            });
        }
        let owner = self.quoted("a quoted owner")?;
        let group = self.quoted("a quoted group")?;
        let token = self.peek().clone();
        let digits = match token.word() {
            Some(w) if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) => w.to_owned(),
            _ => return Err(self.expected("a permission mode such as 0660")),
        };
        // Written like chmod's octal mode; the original read it as decimal and
        // converted the digits.
        let mode = u32::from_str_radix(&digits, 8)
            .ok()
            .filter(|m| *m <= 0o7777)
            .ok_or_else(|| {
                self.error_at(
                    &token,
                    ErrorKind::InvalidValue {
                        what: format!("mode `{digits}'"),
                        reason: "expected octal digits, at most 07777".to_owned(),
                    },
                )
            })?;
        self.bump();
        Ok(AdminSock::Socket {
            path,
            owner: Some(owner),
            group: Some(group),
            mode: Some(mode),
        })
    }

    /// `ADDRESS [PORT]` with a default port.
    pub(super) fn endpoint(&mut self, default_port: u16) -> Result<Endpoint> {
        let token = self.peek().clone();
        let Some(host) = token.word().map(str::to_owned) else {
            return Err(self.expected("an address"));
        };
        self.bump();
        let mut text = host;
        match &self.peek().tok {
            Tok::Port(digits) => {
                text = format!("{text}[{digits}]");
                self.bump();
            }
            Tok::Prefix(_) => return Err(self.expected("a port in brackets or `;'")),
            _ => {}
        }
        Endpoint::parse_with_default(&text, default_port)
            .map_err(|error| self.error_at(&token, ErrorKind::Address { text, error }))
    }

    /// `timer { ... }`
    fn timer(&mut self, start: usize) -> Result<()> {
        self.open(start)?;
        self.block_body("timer", |p| {
            let start = p.pos;
            let at = p.here();
            let word = p.directive_word("timer", TIMER)?;
            p.bump();
            match word.as_str() {
                "counter" => p.config().timer.counter = p.number("a number of tries")?,
                "persend" => p.config().timer.persend = p.number("a number of packets")?,
                _ => {
                    let seconds = p.time()?;
                    let timer = &mut p.config().timer;
                    match word.as_str() {
                        "interval" => timer.interval = seconds,
                        "phase1" => timer.phase1 = seconds,
                        "phase2" => timer.phase2 = seconds,
                        _ => {
                            timer.natt_keepalive = seconds;
                            if seconds > 0 {
                                p.uses(Feature::NatTraversal, "natt_keepalive", at);
                            }
                        }
                    }
                }
            }
            p.semi(start)
        })
    }
}
