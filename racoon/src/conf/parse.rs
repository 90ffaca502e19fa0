//! The recursive-descent parser over [`lexer`](super::lexer) tokens.
//!
//! One [`FileParser`] reads one file's statements into the [`Session`]'s [`Config`];
//! an `include` starts another over the included file. The grammar is `cfparse.y`'s,
//! section by section in the submodules; this file holds the cursor and the small
//! readers every section uses (numbers, switches, strings, times, `;`).

mod global;
mod ident;
mod modecfg;
mod proposal;
mod remote;
mod sainfo;

use std::sync::Arc;

use super::error::{ConfError, ErrorKind};
use super::feature::{Feature, Unimplemented};
use super::include::{Includer, MAX_DEPTH, MAX_FILES};
use super::lexer::{tokenize, Tok, Token};
use super::{Config, Location};

/// State shared by the files of one configuration.
pub(super) struct Session<'a> {
    pub config: Config,
    pub includer: &'a mut dyn Includer,
    /// How many includes deep the current file is.
    pub depth: usize,
    /// How many files have been read.
    pub files_read: usize,
}

impl Session<'_> {
    /// Parses one file's text into the configuration.
    pub fn parse_file(&mut self, file: &str, text: &str) -> Result<()> {
        let mut parser = FileParser {
            session: self,
            tokens: tokenize(text),
            pos: 0,
            file: Arc::from(file),
        };
        parser.statements()
    }
}

type Result<T> = std::result::Result<T, ConfError>;

/// The cursor over one file's tokens.
pub(super) struct FileParser<'s, 'a> {
    session: &'s mut Session<'a>,
    tokens: Vec<Token>,
    pos: usize,
    file: Arc<str>,
}

impl FileParser<'_, '_> {
    fn config(&mut self) -> &mut Config {
        &mut self.session.config
    }

    /// The current token; the last token is always [`Tok::Eof`], which is never passed.
    fn peek(&self) -> &Token {
        let last = self.tokens.len().saturating_sub(1);
        &self.tokens[self.pos.min(last)]
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if token.tok != Tok::Eof {
            self.pos += 1;
        }
        token
    }

    fn location_of(&self, token: &Token) -> Location {
        Location {
            file: self.file.clone(),
            line: token.line,
            column: token.column,
        }
    }

    fn here(&self) -> Location {
        self.location_of(self.peek())
    }

    fn error_at(&self, token: &Token, kind: ErrorKind) -> ConfError {
        ConfError::new(self.location_of(token), kind)
    }

    /// An error at the current token. A token the lexer could not read is reported
    /// as itself, whatever was expected.
    fn expected(&self, expected: &str) -> ConfError {
        let token = self.peek();
        if let Tok::Bad(bad) = &token.tok {
            return self.error_at(token, ErrorKind::BadToken(bad.clone()));
        }
        self.error_at(
            token,
            ErrorKind::Expected {
                expected: expected.to_owned(),
                found: token.describe(),
            },
        )
    }

    /// Like [`Self::expected`], quoting the directive read since token `start`.
    fn expected_after(&self, expected: &str, start: usize) -> ConfError {
        let token = self.peek();
        if let Tok::Bad(bad) = &token.tok {
            return self.error_at(token, ErrorKind::BadToken(bad.clone()));
        }
        self.error_at(
            token,
            ErrorKind::ExpectedAfter {
                expected: expected.to_owned(),
                after: self.text_since(start),
                found: token.describe(),
            },
        )
    }

    /// The tokens from `start` to the current one as written, blank-separated except
    /// that `/24` and `[500]` stay glued to what precedes them.
    fn text_since(&self, start: usize) -> String {
        let mut text = String::new();
        for token in &self.tokens[start.min(self.pos)..self.pos] {
            let glued = matches!(
                token.tok,
                Tok::Prefix(_) | Tok::Port(_) | Tok::PortAny | Tok::Comma
            );
            if !text.is_empty() && !glued {
                text.push(' ');
            }
            text.push_str(&token.text);
        }
        text
    }

    /// Records that a directive uses a feature; kept if the feature is unimplemented.
    fn uses(&mut self, feature: Feature, directive: impl Into<String>, at: Location) {
        if !feature.is_implemented() {
            self.config().unimplemented.push(Unimplemented {
                feature,
                directive: directive.into(),
                location: at,
            });
        }
    }

    /// A warning about something accepted for compatibility.
    fn warn(&mut self, at: Location, message: String) {
        self.config().warnings.push(super::Warning {
            location: at,
            message,
        });
    }

    /// Whether the current token is the word `word`.
    fn at_word(&self, word: &str) -> bool {
        self.peek().word() == Some(word)
    }

    fn at(&self, tok: &Tok) -> bool {
        &self.peek().tok == tok
    }

    /// The `;` ending the directive that began at token `start`.
    fn semi(&mut self, start: usize) -> Result<()> {
        if self.at(&Tok::Semi) {
            self.bump();
            Ok(())
        } else {
            Err(self.expected_after("`;'", start))
        }
    }

    /// The `{` opening the block that began at token `start`.
    fn open(&mut self, start: usize) -> Result<()> {
        if self.at(&Tok::Open) {
            self.bump();
            Ok(())
        } else {
            Err(self.expected_after("`{'", start))
        }
    }

    /// Runs `directive` for each directive of a `{ ... }` block until its `}`.
    fn block_body(
        &mut self,
        section: &'static str,
        mut directive: impl FnMut(&mut Self) -> Result<()>,
    ) -> Result<()> {
        loop {
            match &self.peek().tok {
                Tok::Close => {
                    self.bump();
                    return Ok(());
                }
                Tok::Eof => {
                    return Err(self.expected(&format!("`}}' closing {section}")));
                }
                _ => directive(self)?,
            }
        }
    }

    /// The directive word at the current token, or an error naming the section.
    fn directive_word(
        &self,
        section: &'static str,
        valid: &'static [&'static str],
    ) -> Result<String> {
        match self.peek().word() {
            Some(w) if valid.contains(&w) => Ok(w.to_owned()),
            Some(w) => Err(self.error_at(
                self.peek(),
                ErrorKind::UnknownDirective {
                    word: w.to_owned(),
                    section,
                    valid,
                },
            )),
            None => Err(self.expected(&format!("a directive or `}}' in {section}"))),
        }
    }

    /// A decimal number.
    fn number(&mut self, what: &str) -> Result<u64> {
        let token = self.peek().clone();
        match token.word() {
            Some(w) if is_digits(w) => {
                self.bump();
                parse_u64(w).ok_or_else(|| {
                    self.error_at(&token, ErrorKind::NumberTooLarge { text: w.to_owned() })
                })
            }
            _ => Err(self.expected(what)),
        }
    }

    /// `on` or `off`.
    fn switch(&mut self) -> Result<bool> {
        match self.peek().word() {
            Some("on") => {
                self.bump();
                Ok(true)
            }
            Some("off") => {
                self.bump();
                Ok(false)
            }
            _ => Err(self.expected("`on' or `off'")),
        }
    }

    /// A `"string"`.
    fn quoted(&mut self, what: &str) -> Result<String> {
        if let Tok::Quoted(s) = &self.peek().tok {
            let s = s.clone();
            self.bump();
            Ok(s)
        } else {
            Err(self.expected(what))
        }
    }

    /// A word from a fixed set, or an error listing the set.
    fn keyword<T>(
        &mut self,
        what: &'static str,
        valid: &'static [&'static str],
        lookup: impl Fn(&str) -> Option<T>,
    ) -> Result<T> {
        let token = self.peek().clone();
        let Some(word) = token.word() else {
            return Err(self.expected(&format!("{what} ({})", valid.join(", "))));
        };
        match lookup(word) {
            Some(value) => {
                self.bump();
                Ok(value)
            }
            None => Err(self.error_at(
                &token,
                ErrorKind::UnknownValue {
                    what,
                    word: word.to_owned(),
                    valid,
                },
            )),
        }
    }

    /// `N unit` in seconds, where the number and the unit may be glued (`10sec`), as
    /// the original's lexer allowed.
    fn time(&mut self) -> Result<u64> {
        self.amount(
            time_unit,
            "a number of seconds, minutes or hours",
            "a time unit (sec, min or hour)",
        )
    }

    /// `N unit` scaled by the unit `unit` names; number and unit may be glued.
    fn amount(
        &mut self,
        unit: fn(&str) -> Option<u64>,
        number_what: &str,
        unit_what: &str,
    ) -> Result<u64> {
        let token = self.peek().clone();
        let glued = token.word().and_then(|w| {
            let split = w.find(|c: char| !c.is_ascii_digit())?;
            let (digits, u) = w.split_at(split);
            (!digits.is_empty() && unit(u).is_some()).then(|| (digits.to_owned(), u))
        });
        let (digits, factor) = match glued {
            Some((digits, u)) => {
                let factor = unit(u).unwrap_or(1);
                self.bump();
                (digits, factor)
            }
            None => {
                let Some(w) = token.word().filter(|w| is_digits(w)) else {
                    return Err(self.expected(number_what));
                };
                let digits = w.to_owned();
                self.bump();
                let Some(factor) = self.peek().word().and_then(unit) else {
                    return Err(self.expected(&format!("{unit_what} after `{digits}'")));
                };
                self.bump();
                (digits, factor)
            }
        };
        parse_u64(&digits)
            .and_then(|n| n.checked_mul(factor))
            .ok_or_else(|| self.error_at(&token, ErrorKind::NumberTooLarge { text: digits }))
    }

    /// `lifetime time N unit` or `lifetime byte N unit`, after `lifetime`. A byte
    /// lifetime is kept in kilobytes, the unit IKE carries it in; the original's
    /// grammar had this (below 1 KB refused) but had switched it off.
    fn lifetime(&mut self) -> Result<Life> {
        match self.peek().word() {
            Some("time") => {
                self.bump();
                self.time().map(Life::Seconds)
            }
            Some("byte") => {
                self.bump();
                let token = self.peek().clone();
                let bytes = self.amount(
                    byte_unit,
                    "a number of bytes, KB, MB or GB",
                    "a byte unit (B, KB, MB or GB)",
                )?;
                if bytes < 1024 {
                    return Err(self.error_at(
                        &token,
                        ErrorKind::InvalidValue {
                            what: "byte lifetime".to_owned(),
                            reason: "byte size should be more than 1024B".to_owned(),
                        },
                    ));
                }
                Ok(Life::Kilobytes(bytes / 1024))
            }
            _ => Err(self.expected("`time' or `byte'")),
        }
    }

    /// The file's statements, to the end.
    fn statements(&mut self) -> Result<()> {
        while !self.at(&Tok::Eof) {
            self.statement()?;
        }
        Ok(())
    }

    /// `include "pattern";`: parses each matching file in turn.
    fn include(&mut self, start: usize) -> Result<()> {
        let name_token = self.peek().clone();
        let name = self.quoted("a quoted file name")?;
        self.semi(start)?;
        let pattern = match &self.session.config.paths.include {
            _ if name.starts_with('/') => name.clone(),
            Some(dir) => format!("{}/{}", dir.value, name),
            // The original looked for "(null)/name" and failed; the directory of the
            // including file is the only sensible reading.
            None => match self.file.rfind('/') {
                Some(slash) => format!("{}/{}", &self.file[..slash], name),
                None => name.clone(),
            },
        };
        let include_error = |reason: String| ErrorKind::Include {
            path: pattern.clone(),
            reason,
        };
        if self.session.depth >= MAX_DEPTH {
            return Err(self.error_at(
                &name_token,
                ErrorKind::IncludeDepth {
                    path: pattern.clone(),
                },
            ));
        }
        let files = self
            .session
            .includer
            .expand(&pattern)
            .map_err(|e| self.error_at(&name_token, include_error(e.to_string())))?;
        if files.is_empty() {
            return Err(self.error_at(&name_token, include_error("no file matches".to_owned())));
        }
        let mut read_any = false;
        let mut last_error = String::new();
        for path in files {
            if self.session.files_read >= MAX_FILES {
                return Err(self.error_at(
                    &name_token,
                    ErrorKind::TooManyIncludes {
                        path: pattern.clone(),
                    },
                ));
            }
            match self.session.includer.read(&path) {
                Ok(text) => {
                    self.session.files_read += 1;
                    read_any = true;
                    self.session.depth += 1;
                    let result = self.session.parse_file(&path, &text);
                    self.session.depth -= 1;
                    result?;
                }
                Err(e) => last_error = format!("cannot read {path}: {e}"),
            }
        }
        if read_any {
            Ok(())
        } else {
            Err(self.error_at(&name_token, include_error(last_error)))
        }
    }
}

/// Seconds in a time unit (`cftoken.l`'s UNITTYPE_SEC/MIN/HOUR).
fn time_unit(word: &str) -> Option<u64> {
    match word {
        "sec" | "secs" | "second" | "seconds" => Some(1),
        "min" | "mins" | "minute" | "minutes" => Some(60),
        "hour" | "hours" => Some(3600),
        _ => None,
    }
}

fn byte_unit(word: &str) -> Option<u64> {
    match word {
        "B" | "byte" | "bytes" => Some(1),
        "KB" => Some(1 << 10),
        "MB" => Some(1 << 20),
        "GB" => Some(1 << 30),
        _ => None,
    }
}

/// A `lifetime` directive's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Life {
    Seconds(u64),
    Kilobytes(u64),
}

fn is_digits(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// A decimal number; `None` when it overflows.
fn parse_u64(digits: &str) -> Option<u64> {
    digits.bytes().try_fold(0u64, |acc, b| {
        acc.checked_mul(10)?
            .checked_add(u64::from(b.wrapping_sub(b'0')))
    })
}
