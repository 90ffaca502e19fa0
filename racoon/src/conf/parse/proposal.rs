//! Phase-1 `proposal { }` blocks, and the reader for `NAME [KEYLEN]` algorithm
//! specifications that proposals and sainfo share.

use common::alg::{find_phase1, Algorithm, Class, KeyBits, UnknownAlgorithm};

use super::super::dh::DhGroup;
use super::super::error::ErrorKind;
use super::super::feature::Feature;
use super::super::lexer::{Tok, Token};
use super::super::remote::{AuthMethod, Proposal};
use super::{is_digits, parse_u64, FileParser, Life, Result};

const PROPOSAL: &[&str] = &[
    "encryption_algorithm",
    "hash_algorithm",
    "authentication_method",
    "dh_group",
    "lifetime",
    "gss_id",
    "gssapi_id",
];

/// An algorithm name and the key length written after it, with the token that held
/// the length (for messages).
pub(super) struct AlgSpec {
    pub algorithm: &'static Algorithm,
    pub key_length: Option<(u64, Token)>,
}

impl FileParser<'_, '_> {
    /// After `proposal`.
    pub(super) fn proposal(&mut self, start: usize) -> Result<Proposal> {
        let at = self.location_of(&self.tokens[start].clone());
        self.open(start)?;
        let mut encryption = None;
        let mut hash = None;
        let mut auth_method = None;
        let mut dh_group = None;
        let mut lifetime = None;
        let mut lifebyte = None;
        let mut gss_id = None;
        self.block_body("proposal", |p| {
            let start = p.pos;
            let directive_at = p.here();
            let word = p.directive_word("proposal", PROPOSAL)?;
            p.bump();
            match word.as_str() {
                "encryption_algorithm" => {
                    let spec = p.algorithm(|n| find_phase1(Class::Encrypt, n))?;
                    let bits = p.key_length(&spec)?;
                    encryption = Some((spec.algorithm, bits));
                }
                "hash_algorithm" => {
                    let spec = p.algorithm(|n| find_phase1(Class::Auth, n))?;
                    p.ignored_number(&spec, "hash_algorithm");
                    hash = Some(spec.algorithm);
                }
                "authentication_method" => {
                    let token = p.peek().clone();
                    let method = p.keyword(
                        "authentication method",
                        AuthMethod::NAMES,
                        AuthMethod::from_word,
                    )?;
                    if p.peek().word().is_some_and(is_digits) {
                        // The original read a key length here too, and ignored it.
                        let number = p.bump();
                        p.warn(
                            p.location_of(&number),
                            format!("`{}' after `authentication_method' is ignored", number.text),
                        );
                    }
                    if let Some(feature) = auth_method_feature(method) {
                        let text = format!("authentication_method {}", token.text);
                        p.uses(feature, text, directive_at);
                    }
                    auth_method = Some(method);
                }
                "dh_group" => {
                    let group = p.dh_group()?;
                    if group.is_ec2n() {
                        let text = p.text_since(start);
                        p.uses(Feature::Ec2nGroup, text, directive_at);
                    }
                    dh_group = Some(group);
                }
                "lifetime" => match p.lifetime()? {
                    Life::Seconds(t) => lifetime = Some(t),
                    Life::Kilobytes(kb) => lifebyte = Some(kb),
                },
                _ => {
                    gss_id = Some(p.quoted("a quoted GSS-API id")?);
                    p.uses(Feature::Gssapi, word.clone(), directive_at);
                }
            }
            p.semi(start)
        })?;
        let missing = |what: &str| {
            super::super::ConfError::new(
                at.clone(),
                ErrorKind::Incomplete {
                    block: "proposal".to_owned(),
                    problem: format!("no {what} given"),
                },
            )
        };
        let (encryption, key_length) = encryption.ok_or_else(|| missing("encryption_algorithm"))?;
        let hash = hash.ok_or_else(|| missing("hash_algorithm"))?;
        let dh_group = dh_group.ok_or_else(|| missing("dh_group"))?;
        let auth_method = auth_method.ok_or_else(|| missing("authentication_method"))?;
        if gss_id.is_some() && auth_method != AuthMethod::GssapiKrb {
            return Err(super::super::ConfError::new(
                at,
                ErrorKind::Incomplete {
                    block: "proposal".to_owned(),
                    problem: "gss_id needs `authentication_method gssapi_krb'".to_owned(),
                },
            ));
        }
        Ok(Proposal {
            location: at,
            encryption,
            key_length,
            hash,
            auth_method,
            dh_group,
            lifetime,
            lifebyte,
            gss_id,
        })
    }

    /// A DH group name or number.
    pub(super) fn dh_group(&mut self) -> Result<DhGroup> {
        let token = self.peek().clone();
        let Some(word) = token.word() else {
            return Err(self.expected("a DH group"));
        };
        let group = DhGroup::from_word(word).ok_or_else(|| {
            self.error_at(
                &token,
                ErrorKind::UnknownDhGroup {
                    word: word.to_owned(),
                },
            )
        })?;
        self.bump();
        Ok(group)
    }

    /// `NAME [KEYLEN]`, also glued (`aes128`, and `sha1_96` where the original's lexer
    /// dropped the `_`).
    pub(super) fn algorithm(
        &mut self,
        find: impl Fn(&str) -> std::result::Result<&'static Algorithm, UnknownAlgorithm>,
    ) -> Result<AlgSpec> {
        let token = self.peek().clone();
        let Some(word) = token.word() else {
            return Err(self.expected("an algorithm name"));
        };
        let error = match find(word) {
            Ok(algorithm) => {
                self.bump();
                let key_length = match self.peek().word() {
                    Some(w) if is_digits(w) => {
                        let w = w.to_owned();
                        let number = self.bump();
                        Some((self.number_value(&w, &number)?, number))
                    }
                    _ => None,
                };
                return Ok(AlgSpec {
                    algorithm,
                    key_length,
                });
            }
            Err(error) => error,
        };
        let digits_at = word.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (name, digits) = word.split_at(digits_at);
        let name = name.strip_suffix('_').unwrap_or(name);
        if !digits.is_empty() && !name.is_empty() {
            if let Ok(algorithm) = find(name) {
                self.bump();
                let bits = self.number_value(digits, &token)?;
                return Ok(AlgSpec {
                    algorithm,
                    key_length: Some((bits, token)),
                });
            }
        }
        Err(self.error_at(&token, ErrorKind::Algorithm(error)))
    }

    fn number_value(&self, digits: &str, token: &Token) -> Result<u64> {
        parse_u64(digits).ok_or_else(|| {
            self.error_at(
                token,
                ErrorKind::NumberTooLarge {
                    text: digits.to_owned(),
                },
            )
        })
    }

    /// Checks the key length of an encryption algorithm: allowed only where the
    /// algorithm has more than one key size, as the original's `default_keylen`.
    pub(super) fn key_length(&self, spec: &AlgSpec) -> Result<Option<u16>> {
        let Some((bits, token)) = &spec.key_length else {
            return Ok(None);
        };
        let algorithm = spec.algorithm;
        let name = algorithm
            .racoon_names
            .first()
            .or(algorithm.phase1_names.first())
            .copied()
            .unwrap_or_else(|| algorithm.name());
        let variable = match algorithm.key_bits {
            KeyBits::Fixed(sizes) => sizes.len() > 1,
            KeyBits::Range { .. } => true,
        };
        if !variable {
            return Err(self.error_at(
                token,
                ErrorKind::KeyLengthNotAllowed {
                    algorithm: name.to_owned(),
                    bits: *bits,
                },
            ));
        }
        let salt = u64::from(algorithm.salt_bits);
        let fits = u32::try_from(bits.saturating_add(salt))
            .is_ok_and(|total| algorithm.key_bits.allows(total));
        match u16::try_from(*bits) {
            Ok(b) if fits => Ok(Some(b)),
            _ => Err(self.error_at(
                token,
                ErrorKind::InvalidKeyLength {
                    algorithm: name.to_owned(),
                    bits: *bits,
                    expected: cipher_sizes(algorithm),
                },
            )),
        }
    }

    /// A number after `hash_algorithm`: the original accepted and ignored it.
    fn ignored_number(&mut self, spec: &AlgSpec, directive: &str) {
        if let Some((bits, token)) = &spec.key_length {
            let at = self.location_of(token);
            self.warn(
                at,
                format!("key length {bits} after `{directive}' is ignored"),
            );
        }
    }

    /// Whether the token is a comma.
    pub(super) fn at_comma(&self) -> bool {
        self.at(&Tok::Comma)
    }
}

/// The key sizes of a cipher in racoon's terms: without the nonce or salt.
fn cipher_sizes(algorithm: &Algorithm) -> String {
    match algorithm.key_bits {
        KeyBits::Fixed(sizes) if algorithm.salt_bits > 0 => {
            let bits: Vec<String> = sizes
                .iter()
                .map(|s| s.saturating_sub(algorithm.salt_bits).to_string())
                .collect();
            match bits.split_last() {
                Some((last, [])) => format!("{last} bits"),
                Some((last, rest)) => format!("{} or {last} bits", rest.join(", ")),
                None => "no key".to_owned(),
            }
        }
        other => other.to_string(),
    }
}

/// The feature an authentication method needs, if it is one not implemented by
/// pre-shared keys alone.
fn auth_method_feature(method: AuthMethod) -> Option<Feature> {
    match method {
        AuthMethod::PreSharedKey => None,
        AuthMethod::RsaSig => Some(Feature::X509),
        AuthMethod::DssSig | AuthMethod::RsaEnc | AuthMethod::RsaRev => {
            Some(Feature::DssOrRsaEncryption)
        }
        AuthMethod::GssapiKrb => Some(Feature::Gssapi),
        AuthMethod::HybridRsaServer
        | AuthMethod::HybridRsaClient
        | AuthMethod::HybridDssServer
        | AuthMethod::HybridDssClient => Some(Feature::Hybrid),
        AuthMethod::XauthPskServer | AuthMethod::XauthPskClient => Some(Feature::Xauth),
        AuthMethod::XauthRsaServer | AuthMethod::XauthRsaClient => Some(Feature::XauthRsa),
    }
}
