//! `remote` blocks: the header (`remote ADDR [PORT]`, `remote anonymous [PORT]`,
//! `remote "name"`, each optionally `inherit PARENT`), the directives, and the checks
//! the original made when a block closed (`process_rmconf`).

use super::super::error::ErrorKind;
use super::super::feature::Feature;
use super::super::global::ISAKMP_PORT;
use super::super::lexer::Tok;
use super::super::remote::{
    AuthMethod, Certificate, Doi, ExchangeMode, GeneratePolicy, IkeFrag, NatTraversal, PeersCert,
    ProposalCheck, Rekey, Remote, RemoteSelector, Situation,
};
use super::super::Identifier;
use super::super::Location;
use super::{FileParser, Life, Result};

const REMOTE: &[&str] = &[
    "remote_address",
    "exchange_mode",
    "doi",
    "situation",
    "my_identifier",
    "peers_identifier",
    "verify_identifier",
    "xauth_login",
    "certificate_type",
    "ca_type",
    "peers_certfile",
    "send_cert",
    "send_cr",
    "match_empty_cr",
    "verify_cert",
    "mode_cfg",
    "weak_phase1_check",
    "script",
    "lifetime",
    "ike_frag",
    "esp_frag",
    "initial_contact",
    "passive",
    "proposal_check",
    "support_proxy",
    "generate_policy",
    "nat_traversal",
    "dpd",
    "dpd_delay",
    "dpd_retry",
    "dpd_maxfail",
    "rekey",
    "nonce_size",
    "ph1id",
    "proposal",
    "dh_group",
];

/// What a remote header names: itself or its parent.
enum Index {
    Name(String),
    Anonymous(u16),
    Address(common::addr::Endpoint),
}

impl FileParser<'_, '_> {
    /// After `remote`.
    pub(super) fn remote(&mut self, start: usize) -> Result<()> {
        let at = self.location_of(&self.tokens[start].clone());
        let index = self.remote_index(false)?;
        let selector = match index {
            Index::Name(name) => RemoteSelector::Named(name),
            Index::Anonymous(port) => RemoteSelector::Anonymous { port },
            Index::Address(endpoint) => RemoteSelector::Address(endpoint),
        };
        if let RemoteSelector::Named(name) = &selector {
            let exists = self
                .session
                .config
                .remotes
                .iter()
                .any(|r| r.selector == RemoteSelector::Named(name.clone()));
            if exists {
                return Err(self.error_at(
                    &self.tokens[start + 1].clone(),
                    ErrorKind::Duplicate {
                        what: format!("remote \"{name}\""),
                    },
                ));
            }
        }
        let mut remote = Remote::new(at.clone(), selector.clone());
        let mut inherited = false;
        if self.at_word("inherit") {
            self.bump();
            let parent_token = self.peek().clone();
            let parent_start = self.pos;
            let parent = self.remote_index(matches!(selector, RemoteSelector::Named(_)))?;
            let text = self.text_since(parent_start);
            let Some(found) = self.find_parent(&parent) else {
                return Err(self.error_at(&parent_token, ErrorKind::UnknownParent { parent: text }));
            };
            remote = found;
            remote.location = at.clone();
            remote.selector = selector;
            remote.inherited_from = Some(text);
            inherited = true;
            if self.at(&Tok::Semi) {
                self.bump();
                return self.finish_remote(remote, &at);
            }
        }
        self.open(start)?;
        let mut own_proposals = Vec::new();
        self.block_body("remote", |p| {
            if p.at(&Tok::Comma) {
                // The original's lexer ignored commas inside remote blocks.
                p.bump();
                return Ok(());
            }
            p.remote_directive(&mut remote, &mut own_proposals)
        })?;
        if !own_proposals.is_empty() || !inherited {
            remote.proposals = own_proposals;
        }
        self.finish_remote(remote, &at)
    }

    /// `"name"`, `anonymous [PORT]` or `ADDRESS [PORT]`; `named` demands the first.
    fn remote_index(&mut self, named: bool) -> Result<Index> {
        if let Tok::Quoted(name) = &self.peek().tok {
            let name = name.clone();
            self.bump();
            return Ok(Index::Name(name));
        }
        if named {
            return Err(self.expected("a quoted remote name"));
        }
        if self.at_word("anonymous") {
            self.bump();
            let port = match &self.peek().tok {
                Tok::Port(digits) => {
                    let digits = digits.clone();
                    let token = self.bump();
                    digits.parse::<u16>().map_err(|_| {
                        self.error_at(
                            &token,
                            ErrorKind::InvalidValue {
                                what: format!("port {digits}"),
                                reason: "ports go up to 65535".to_owned(),
                            },
                        )
                    })?
                }
                _ => ISAKMP_PORT,
            };
            return Ok(Index::Anonymous(port));
        }
        if self.peek().word().is_none() {
            return Err(self.expected("an address, `anonymous' or a quoted name"));
        }
        Ok(Index::Address(self.endpoint(ISAKMP_PORT)?))
    }

    /// The remote `inherit` names, as defined so far (latest definition first, as the
    /// original searched).
    fn find_parent(&self, parent: &Index) -> Option<Remote> {
        let remotes = &self.session.config.remotes;
        let found = match parent {
            Index::Name(name) => remotes
                .iter()
                .rev()
                .find(|r| r.selector == RemoteSelector::Named(name.clone())),
            Index::Anonymous(_) => remotes
                .iter()
                .rev()
                .find(|r| matches!(r.selector, RemoteSelector::Anonymous { .. })),
            Index::Address(endpoint) => remotes
                .iter()
                .rev()
                .find(|r| r.peer() == Some(*endpoint))
                .or_else(|| {
                    remotes
                        .iter()
                        .rev()
                        .find(|r| r.peer().map(|e| e.address()) == Some(endpoint.address()))
                }),
        };
        found.cloned()
    }

    /// One directive inside `remote { }`.
    fn remote_directive(
        &mut self,
        r: &mut Remote,
        proposals: &mut Vec<super::super::remote::Proposal>,
    ) -> Result<()> {
        let start = self.pos;
        let at = self.here();
        let word = self.directive_word("remote", REMOTE)?;
        self.bump();
        match word.as_str() {
            "proposal" => {
                let proposal = self.proposal(start)?;
                proposals.push(proposal);
                return Ok(());
            }
            "dh_group" => {
                return Err(self.error_at(
                    &self.tokens[start].clone(),
                    ErrorKind::Misplaced {
                        directive: "dh_group".to_owned(),
                        reason: "it belongs in a `proposal' block",
                    },
                ))
            }
            "remote_address" => {
                let token = self.tokens[start].clone();
                let endpoint = self.endpoint(ISAKMP_PORT)?;
                if matches!(r.selector, RemoteSelector::Address(_)) {
                    return Err(self.error_at(
                        &token,
                        ErrorKind::Misplaced {
                            directive: "remote_address".to_owned(),
                            reason: "this remote is already given by its address",
                        },
                    ));
                }
                if r.remote_address.is_some() {
                    return Err(self.duplicate(start, "remote_address"));
                }
                r.remote_address = Some(endpoint);
            }
            "exchange_mode" => {
                r.exchange_modes.clear();
                loop {
                    if self.at(&Tok::Comma) {
                        self.bump();
                        continue;
                    }
                    let more = self
                        .peek()
                        .word()
                        .and_then(ExchangeMode::from_word)
                        .is_some();
                    if !more && !r.exchange_modes.is_empty() {
                        break;
                    }
                    let mode = self.keyword(
                        "exchange mode",
                        ExchangeMode::NAMES,
                        ExchangeMode::from_word,
                    )?;
                    if mode == ExchangeMode::Base {
                        self.uses(Feature::BaseMode, "exchange_mode base", at.clone());
                    }
                    r.exchange_modes.push(mode);
                }
            }
            "doi" => {
                r.doi = self.keyword("DOI", &["ipsec_doi"], |w| {
                    (w == "ipsec_doi").then_some(Doi::IpsecDoi)
                })?
            }
            "situation" => {
                r.situation = self.keyword(
                    "situation",
                    &["identity_only", "secrecy", "integrity"],
                    |w| match w {
                        "identity_only" => Some(Situation::IdentityOnly),
                        "secrecy" => Some(Situation::Secrecy),
                        "integrity" => Some(Situation::Integrity),
                        _ => None,
                    },
                )?
            }
            "my_identifier" | "peers_identifier" => {
                let id = self.identifier(true)?;
                if matches!(id, Identifier::Asn1Dn(_)) {
                    self.uses(Feature::X509, format!("{word} asn1dn"), at.clone());
                }
                if word == "my_identifier" {
                    r.my_identifier = Some(id);
                } else {
                    r.peers_identifiers.push(id);
                }
            }
            "xauth_login" => {
                let login = match &self.peek().tok {
                    Tok::Quoted(s) | Tok::Word(s) => s.clone(),
                    _ => return Err(self.expected("a quoted login name")),
                };
                self.bump();
                self.uses(Feature::Xauth, "xauth_login", at.clone());
                r.xauth_login = Some(login);
            }
            "certificate_type" => self.certificate_type(r, start, &at)?,
            "ca_type" => {
                self.keyword("CA type", &["x509"], |w| (w == "x509").then_some(()))?;
                let file = self.quoted("a quoted CA certificate file")?;
                if r.ca_file.is_some() {
                    return Err(self.duplicate(start, "ca_type"));
                }
                self.uses(Feature::X509, "ca_type", at.clone());
                r.ca_file = Some(file);
            }
            "peers_certfile" => self.peers_certfile(r, start, &at)?,
            "send_cert" | "send_cr" | "match_empty_cr" | "verify_cert" => {
                let on = self.switch()?;
                if on {
                    self.uses(Feature::X509, format!("{word} on"), at.clone());
                }
                match word.as_str() {
                    "send_cert" => r.send_cert = on,
                    "send_cr" => r.send_cr = on,
                    "match_empty_cr" => r.match_empty_cr = on,
                    _ => r.verify_cert = on,
                }
            }
            "script" => {
                let path = self.quoted("a quoted script path")?;
                let hook = self.keyword(
                    "script hook",
                    &["phase1_up", "phase1_down", "phase1_dead"],
                    |w| match w {
                        "phase1_up" => Some(0),
                        "phase1_down" => Some(1),
                        "phase1_dead" => Some(2),
                        _ => None,
                    },
                )?;
                self.uses(Feature::Scripts, "script", at.clone());
                let slot = match hook {
                    0 => &mut r.scripts.phase1_up,
                    1 => &mut r.scripts.phase1_down,
                    _ => &mut r.scripts.phase1_dead,
                };
                *slot = Some(path);
            }
            "lifetime" => match self.lifetime()? {
                Life::Seconds(t) => r.lifetime = t,
                Life::Kilobytes(kb) => r.lifebyte = kb,
            },
            "ike_frag" => {
                r.ike_frag = self.on_off_force(IkeFrag::On, IkeFrag::Off, IkeFrag::Force)?;
                if r.ike_frag != IkeFrag::Off {
                    let text = self.text_since(start);
                    self.uses(Feature::IkeFrag, text, at.clone());
                }
            }
            "nat_traversal" => {
                r.nat_traversal =
                    self.on_off_force(NatTraversal::On, NatTraversal::Off, NatTraversal::Force)?;
                if r.nat_traversal != NatTraversal::Off {
                    let text = self.text_since(start);
                    self.uses(Feature::NatTraversal, text, at.clone());
                }
            }
            "rekey" => r.rekey = self.on_off_force(Rekey::On, Rekey::Off, Rekey::Force)?,
            "esp_frag" => {
                r.esp_frag = self.number("a packet size in bytes")?;
                self.uses(Feature::EspFrag, "esp_frag", at.clone());
            }
            "proposal_check" => {
                r.proposal_check = self.keyword(
                    "proposal_check level",
                    ProposalCheck::NAMES,
                    ProposalCheck::from_word,
                )?
            }
            "generate_policy" => {
                r.generate_policy = self.keyword(
                    "generate_policy level",
                    &["on", "off", "require", "unique"],
                    |w| match w {
                        "on" | "require" => Some(GeneratePolicy::Require),
                        "off" => Some(GeneratePolicy::Off),
                        "unique" => Some(GeneratePolicy::Unique),
                        _ => None,
                    },
                )?
            }
            "mode_cfg" => {
                r.mode_cfg = self.switch()?;
                if r.mode_cfg {
                    self.uses(Feature::ModeCfgRemote, "mode_cfg on", at.clone());
                }
            }
            "dpd_delay" => {
                r.dpd_delay = self.number("a number of seconds")?;
                if r.dpd_delay > 0 {
                    let text = self.text_since(start);
                    self.uses(Feature::Dpd, text, at.clone());
                }
            }
            "dpd_retry" => r.dpd_retry = self.number("a number of seconds")?,
            "dpd_maxfail" => r.dpd_maxfail = self.number("a number of tries")?,
            "nonce_size" => r.nonce_size = self.number("a nonce size in bytes")?,
            "ph1id" => r.ph1id = Some(self.number("a number")?),
            switch => {
                let on = self.switch()?;
                match switch {
                    "verify_identifier" => r.verify_identifier = on,
                    "weak_phase1_check" => r.weak_phase1_check = on,
                    "initial_contact" => r.initial_contact = on,
                    "passive" => r.passive = on,
                    "support_proxy" => r.support_proxy = on,
                    _ => r.dpd = on,
                }
            }
        }
        self.semi(start)
    }

    fn duplicate(&self, start: usize, what: &str) -> super::super::ConfError {
        self.error_at(
            &self.tokens[start].clone(),
            ErrorKind::Duplicate {
                what: format!("`{what}'"),
            },
        )
    }

    /// `on`, `off` or `force`.
    fn on_off_force<T>(&mut self, on: T, off: T, force: T) -> Result<T> {
        match self.peek().word() {
            Some("force") => {
                self.bump();
                Ok(force)
            }
            Some("on" | "off") => Ok(if self.switch()? { on } else { off }),
            _ => Err(self.expected("`on', `off' or `force'")),
        }
    }

    /// `certificate_type x509 "cert" "key"` or `certificate_type plain_rsa "key"`.
    fn certificate_type(&mut self, r: &mut Remote, start: usize, at: &Location) -> Result<()> {
        let x509 = self.keyword("certificate type", &["x509", "plain_rsa"], |w| match w {
            "x509" => Some(true),
            "plain_rsa" => Some(false),
            _ => None,
        })?;
        let cert = if x509 {
            let cert = self.quoted("a quoted certificate file")?;
            let key = self.quoted("a quoted private key file")?;
            Certificate::X509 { cert, key }
        } else {
            Certificate::PlainRsa {
                key: self.quoted("a quoted private key file")?,
            }
        };
        if r.certificate.is_some() {
            return Err(self.duplicate(start, "certificate_type"));
        }
        if x509 {
            self.uses(Feature::X509, "certificate_type x509", at.clone());
        } else {
            // The original turned these off for plain RSA keys.
            r.send_cr = false;
            r.send_cert = false;
            r.verify_cert = false;
            self.uses(Feature::PlainRsa, "certificate_type plain_rsa", at.clone());
        }
        r.certificate = Some(cert);
        Ok(())
    }

    /// `peers_certfile ["x509"|"plain_rsa"] "file"` or `peers_certfile dnssec`.
    fn peers_certfile(&mut self, r: &mut Remote, start: usize, at: &Location) -> Result<()> {
        let cert = match &self.peek().tok {
            Tok::Quoted(file) => {
                let file = file.clone();
                let token = self.bump();
                self.warn(
                    self.location_of(&token),
                    format!("`peers_certfile \"{file}\"' is deprecated; write `peers_certfile x509 \"{file}\"'"),
                );
                PeersCert::X509(file)
            }
            _ => {
                let kind = self.keyword(
                    "peers_certfile type",
                    &["x509", "plain_rsa", "dnssec"],
                    |w| match w {
                        "x509" => Some(0),
                        "plain_rsa" => Some(1),
                        "dnssec" => Some(2),
                        _ => None,
                    },
                )?;
                match kind {
                    0 => PeersCert::X509(self.quoted("a quoted certificate file")?),
                    1 => PeersCert::PlainRsa(vec![self.quoted("a quoted public key file")?]),
                    _ => PeersCert::Dnssec,
                }
            }
        };
        let cert = match (r.peers_certfile.take(), cert) {
            (None, cert) => cert,
            (Some(PeersCert::PlainRsa(mut keys)), PeersCert::PlainRsa(more)) => {
                keys.extend(more);
                PeersCert::PlainRsa(keys)
            }
            (Some(_), _) => return Err(self.duplicate(start, "peers_certfile")),
        };
        let feature = match cert {
            PeersCert::X509(_) => Feature::X509,
            PeersCert::PlainRsa(_) => Feature::PlainRsa,
            PeersCert::Dnssec => Feature::Dnssec,
        };
        self.uses(feature, "peers_certfile", at.clone());
        r.peers_certfile = Some(cert);
        Ok(())
    }

    /// The checks of the original's `process_rmconf`, then stores the remote.
    fn finish_remote(&mut self, remote: Remote, at: &Location) -> Result<()> {
        let incomplete = |problem: &str| {
            super::super::ConfError::new(
                at.clone(),
                ErrorKind::Incomplete {
                    block: remote.describe(),
                    problem: problem.to_owned(),
                },
            )
        };
        if remote.exchange_modes.is_empty() {
            return Err(incomplete("no exchange_mode given"));
        }
        if remote.my_identifier == Some(Identifier::Asn1Dn(None)) && remote.certificate.is_none() {
            return Err(incomplete(
                "my_identifier asn1dn needs a DN or a certificate_type to take it from",
            ));
        }
        if remote.proposals.is_empty() {
            return Err(incomplete("no proposal block"));
        }
        if remote.exchange_modes.contains(&ExchangeMode::Aggressive) {
            let first = remote.proposals[0].dh_group;
            if remote.proposals.iter().any(|p| p.dh_group != first) {
                return Err(incomplete(
                    "with aggressive mode every proposal must use the same dh_group",
                ));
            }
        }
        let plain_rsa_peer = matches!(remote.peers_certfile, Some(PeersCert::PlainRsa(_)));
        let plain_rsa_own = matches!(remote.certificate, Some(Certificate::PlainRsa { .. }));
        let rsasig = remote
            .proposals
            .iter()
            .any(|p| p.auth_method == AuthMethod::RsaSig);
        if rsasig && plain_rsa_peer && !plain_rsa_own {
            return Err(incomplete(
                "rsasig with plain RSA peer keys needs `certificate_type plain_rsa'",
            ));
        }
        self.config().remotes.push(remote);
        Ok(())
    }
}
