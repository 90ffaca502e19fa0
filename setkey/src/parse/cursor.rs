//! The parser's view of the token stream: one token of lookahead and the helpers that
//! turn "not what the grammar wants here" into an error naming what it wanted.

use super::error::ParseError;
use super::lexer::{Kind, Lexer, Token};
use super::number;
use crate::ast::Pos;

pub(crate) struct Cursor<'a> {
    file: &'a str,
    lexer: Lexer<'a>,
    /// `Some(None)`: the end of the input has been seen.
    peeked: Option<Option<Token<'a>>>,
}

impl<'a> Cursor<'a> {
    pub fn new(file: &'a str, text: &'a str, start: Pos) -> Cursor<'a> {
        Cursor {
            file,
            lexer: Lexer::new(text, start),
            peeked: None,
        }
    }

    /// The file name errors carry.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The next token without taking it; `None` at the end of the input.
    pub fn peek(&mut self) -> Result<Option<Token<'a>>, ParseError> {
        if let Some(peeked) = self.peeked {
            return Ok(peeked);
        }
        let token = self
            .lexer
            .next_token()
            .map_err(|(e, pos)| ParseError::new(self.file, pos, e.message(), None))?;
        self.peeked = Some(token);
        Ok(token)
    }

    /// Takes the next token.
    pub fn next(&mut self) -> Result<Option<Token<'a>>, ParseError> {
        let token = self.peek()?;
        self.peeked = None;
        Ok(token)
    }

    /// The next token if it is a word for which `pred` holds.
    pub fn peek_word_if(
        &mut self,
        pred: impl Fn(&str) -> bool,
    ) -> Result<Option<Token<'a>>, ParseError> {
        Ok(self
            .peek()?
            .filter(|t| t.kind == Kind::Word && pred(t.text)))
    }

    /// Takes the next token if it is of this kind.
    pub fn eat(&mut self, kind: Kind) -> Result<Option<Token<'a>>, ParseError> {
        match self.peek()? {
            Some(t) if t.kind == kind => self.next(),
            _ => Ok(None),
        }
    }

    /// Takes the next token if it is the word `word`.
    pub fn eat_word(&mut self, word: &str) -> Result<Option<Token<'a>>, ParseError> {
        match self.peek()? {
            Some(t) if t.is_word(word) => self.next(),
            _ => Ok(None),
        }
    }

    /// An error at a token, showing it.
    pub fn error_at(&self, token: &Token<'_>, message: impl Into<String>) -> ParseError {
        ParseError::new(self.file, token.pos, message, Some(token.raw))
    }

    /// `syntax error: expected WHAT`, at the next token or at the end of the input.
    pub fn expected(&mut self, what: &str) -> ParseError {
        match self.peek() {
            Ok(Some(t)) => self.error_at(&t, format!("syntax error: expected {what}")),
            Ok(None) => {
                let pos = self.lexer.pos_after_trivia();
                ParseError::new(
                    self.file,
                    pos,
                    format!("syntax error: expected {what}, found the end of the file"),
                    None,
                )
            }
            Err(e) => e,
        }
    }

    /// Takes a token of `kind`, or fails with "expected WHAT".
    pub fn expect(&mut self, kind: Kind, what: &str) -> Result<Token<'a>, ParseError> {
        match self.peek()? {
            Some(t) if t.kind == kind => {
                self.next()?;
                Ok(t)
            }
            _ => Err(self.expected(what)),
        }
    }

    /// Takes a word, or fails with "expected WHAT".
    pub fn expect_word(&mut self, what: &str) -> Result<Token<'a>, ParseError> {
        self.expect(Kind::Word, what)
    }

    /// The `;` that ends every statement.
    pub fn expect_semi(&mut self) -> Result<Token<'a>, ParseError> {
        self.expect(Kind::Semi, "`;'")
    }

    /// A decimal number that fits `T`: `what` names it in messages ("replay window").
    pub fn expect_decimal<T>(&mut self, what: &str) -> Result<(T, Token<'a>), ParseError>
    where
        T: TryFrom<u128> + Bounded,
    {
        let t = self.expect_word(&format!("{what} (a decimal number)"))?;
        let Some(value) = number::decimal(t.text) else {
            return Err(self.error_at(
                &t,
                format!("syntax error: expected {what} (a decimal number)"),
            ));
        };
        match T::try_from(value) {
            Ok(v) => Ok((v, t)),
            Err(_) => Err(self.error_at(
                &t,
                format!("{what} {} out of range (0-{})", t.text, T::MAX_TEXT),
            )),
        }
    }
}

/// The largest value of an integer type, as error messages print it.
pub(crate) trait Bounded {
    const MAX_TEXT: &'static str;
}

impl Bounded for u8 {
    const MAX_TEXT: &'static str = "255";
}

impl Bounded for u16 {
    const MAX_TEXT: &'static str = "65535";
}

impl Bounded for u32 {
    const MAX_TEXT: &'static str = "4294967295";
}

impl Bounded for u64 {
    const MAX_TEXT: &'static str = "18446744073709551615";
}
