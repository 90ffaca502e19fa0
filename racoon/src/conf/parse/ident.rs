//! Identifiers: `IDTYPE [file|tag] [VALUE]` after `my_identifier`, `peers_identifier`
//! and sainfo's `from`.

use common::addr::Address;

use super::super::error::ErrorKind;
use super::super::ident::{IdType, Identifier};
use super::super::lexer::Tok;
use super::{FileParser, Result};

impl FileParser<'_, '_> {
    /// An identifier; `qualifiers` says whether `file`/`tag` may follow the type.
    pub(super) fn identifier(&mut self, qualifiers: bool) -> Result<Identifier> {
        let type_token = self.peek().clone();
        let id_type = self.keyword("identifier type", IdType::NAMES, IdType::from_word)?;
        let mut tag = false;
        if qualifiers && matches!(self.peek().word(), Some("file" | "tag")) {
            if id_type != IdType::KeyId {
                return Err(self.error_at(
                    self.peek(),
                    ErrorKind::InvalidValue {
                        what: format!("qualifier `{}'", self.peek().text),
                        reason: "only keyid identifiers take `file' or `tag'".to_owned(),
                    },
                ));
            }
            tag = self.bump().word() == Some("tag");
        }
        let value_token = self.peek().clone();
        let value = match &value_token.tok {
            Tok::Quoted(s) => Some(s.clone()),
            Tok::Word(w) if looks_like_address(w) => Some(w.clone()),
            _ => None,
        };
        if value.is_some() {
            self.bump();
        }
        let required = |p: &Self, value: Option<String>| {
            value.ok_or_else(|| p.expected(&format!("a quoted {} value", id_type.name())))
        };
        Ok(match id_type {
            IdType::Address => Identifier::Address(match value {
                None => None,
                Some(text) => Some(text.parse::<Address>().map_err(|error| {
                    self.error_at(&value_token, ErrorKind::Address { text, error })
                })?),
            }),
            IdType::Fqdn => Identifier::Fqdn(required(self, value)?),
            IdType::UserFqdn => Identifier::UserFqdn(required(self, value)?),
            IdType::KeyId if tag => Identifier::KeyIdTag(required(self, value)?),
            IdType::KeyId => {
                let path = required(self, value)?;
                match self.session.includer.read_value_file(&path) {
                    None => Identifier::KeyIdFile(path),
                    Some(Ok(bytes)) => Identifier::KeyId(bytes),
                    Some(Err(e)) => {
                        let reason = e.to_string();
                        // std appends " (os error N)"; strerror's text alone, as racoon.
                        let reason = reason.split(" (os error").next().unwrap_or(&reason);
                        return Err(self.error_at(
                            &value_token,
                            ErrorKind::Io {
                                path,
                                reason: reason.to_owned(),
                            },
                        ));
                    }
                }
            }
            IdType::Asn1Dn => Identifier::Asn1Dn(value),
            IdType::Subnet => {
                return Err(self.error_at(
                    &type_token,
                    ErrorKind::InvalidValue {
                        what: "identifier type `subnet'".to_owned(),
                        reason: "subnets select sainfo traffic; an identity is an address"
                            .to_owned(),
                    },
                ))
            }
        })
    }
}

/// Words the original lexer read as an address string (hex digits, `:`, `.`, `%`).
fn looks_like_address(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_ascii_hexdigit() || c == ':')
}
