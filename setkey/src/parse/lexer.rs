//! Tokens of setkey.conf.
//!
//! One context-free token set serves the whole language, policies included: a *word* is
//! any run of the characters addresses, names, numbers, options and keys are made of
//! (`10.0.0.1`, `fe80::1%eth0`, `aes-cbc`, `0x1234`, `-E`, `unique:2`, `135,0`,
//! `10.0.0.1-10.0.0.2`), and `/ [ ] ;` and `"quoted strings"` stand apart. The original
//! switched its lexer into a raw mode after `-P`; with words this wide the policy
//! grammar reads the same tokens as everything else, so one error path serves both.
//! Whitespace (CR included, so CRLF files work) and `#` comments separate tokens.
//!
//! Tokens are produced on demand, not all at once: the original stopped reading at
//! `exit;`, and garbage after it must not turn into an error.

use nom::branch::alt;
use nom::bytes::complete::{take_till, take_while1};
use nom::character::complete::char;
use nom::combinator::{recognize, value};
use nom::multi::many0_count;
use nom::sequence::{delimited, preceded};
use nom::IResult;

use crate::ast::Pos;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    /// `"..."`; [`Token::text`] is the inside, [`Token::raw`] keeps the quotes.
    Quoted,
    Slash,
    LBracket,
    RBracket,
    Semi,
}

/// One token, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub kind: Kind,
    /// The token's value: a quoted string without its quotes, else as written.
    pub text: &'a str,
    /// The token as written, for error messages.
    pub raw: &'a str,
    pub pos: Pos,
}

impl Token<'_> {
    /// Whether this is the word `word`.
    pub fn is_word(&self, word: &str) -> bool {
        self.kind == Kind::Word && self.text == word
    }
}

/// Text that is no token at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LexError {
    /// A `\`: the original had no line continuation and neither do we, but people
    /// write them out of shell habit, so the message says so.
    Backslash,
    /// A `"` without its closing partner.
    UnterminatedQuote,
    /// Any other character outside the token set.
    Unexpected(char),
}

impl LexError {
    pub fn message(&self) -> String {
        match self {
            LexError::Backslash => "syntax error: `\\' does not continue a line in setkey.conf \
                 (a statement may span lines as it is, up to its `;')"
                .to_owned(),
            LexError::UnterminatedQuote => "syntax error: missing closing `\"'".to_owned(),
            LexError::Unexpected(c) => format!("syntax error: unexpected character {c:?}"),
        }
    }
}

/// The characters a word is made of.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.' | '%' | ',' | '+' | '-')
}

/// Whitespace and comments. A comment runs to the end of the line whatever it holds;
/// the `#!/usr/sbin/setkey -f` line of executable scripts is one.
fn trivia(input: &str) -> IResult<&str, &str> {
    recognize(many0_count(alt((
        take_while1(|c: char| c.is_ascii_whitespace()),
        recognize(preceded(char('#'), take_till(|c| c == '\n'))),
    ))))(input)
}

fn token_kind(input: &str) -> IResult<&str, Kind> {
    alt((
        value(
            Kind::Quoted,
            delimited(char('"'), take_till(|c| c == '"'), char('"')),
        ),
        value(Kind::Word, take_while1(is_word_char)),
        value(Kind::Slash, char('/')),
        value(Kind::LBracket, char('[')),
        value(Kind::RBracket, char(']')),
        value(Kind::Semi, char(';')),
    ))(input)
}

/// Reads tokens from a text that starts at a given position (a `-c` statement starts
/// wherever its line did).
#[derive(Debug, Clone)]
pub(crate) struct Lexer<'a> {
    rest: &'a str,
    len: usize,
    pos: Pos,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str, start: Pos) -> Lexer<'a> {
        Lexer {
            rest: text,
            len: text.len(),
            pos: start,
        }
    }

    /// Bytes of the input behind the lexer: after a token, its end; after an error,
    /// the offending character.
    pub fn consumed(&self) -> usize {
        self.len - self.rest.len()
    }

    /// Where the lexer stands (before any trivia it has not skipped yet).
    pub fn pos(&self) -> Pos {
        self.pos
    }

    /// The next token, `Ok(None)` at the end of the input. On an error the position is
    /// that of the offending character, and the lexer does not move.
    pub fn next_token(&mut self) -> Result<Option<Token<'a>>, (LexError, Pos)> {
        self.skip_trivia();
        if self.rest.is_empty() {
            return Ok(None);
        }
        match token_kind(self.rest) {
            Ok((after, kind)) => {
                let raw = &self.rest[..self.rest.len() - after.len()];
                let text = match kind {
                    Kind::Quoted => raw.get(1..raw.len().saturating_sub(1)).unwrap_or(""),
                    _ => raw,
                };
                let token = Token {
                    kind,
                    text,
                    raw,
                    pos: self.pos,
                };
                self.advance(raw.len());
                Ok(Some(token))
            }
            Err(_) => {
                let error = match self.rest.chars().next() {
                    Some('"') => LexError::UnterminatedQuote,
                    Some('\\') => LexError::Backslash,
                    Some(c) => LexError::Unexpected(c),
                    None => LexError::Unexpected('\0'),
                };
                Err((error, self.pos))
            }
        }
    }

    /// Where the next token would start; at the end, the position after the input.
    pub fn pos_after_trivia(&mut self) -> Pos {
        self.skip_trivia();
        self.pos
    }

    fn skip_trivia(&mut self) {
        let skipped = match trivia(self.rest) {
            Ok((after, _)) => self.rest.len() - after.len(),
            Err(_) => 0,
        };
        self.advance(skipped);
    }

    /// Moves past `len` bytes of the input, counting lines and (character) columns.
    fn advance(&mut self, len: usize) {
        let (consumed, rest) = self.rest.split_at(len.min(self.rest.len()));
        for c in consumed.chars() {
            if c == '\n' {
                self.pos.line = self.pos.line.saturating_add(1);
                self.pos.col = 1;
            } else {
                self.pos.col = self.pos.col.saturating_add(1);
            }
        }
        self.rest = rest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> Pos {
        Pos { line: 1, col: 1 }
    }

    fn tokens(text: &str) -> Vec<(Kind, &str, u32, u32)> {
        let mut lexer = Lexer::new(text, start());
        let mut out = Vec::new();
        while let Some(t) = lexer.next_token().unwrap() {
            out.push((t.kind, t.text, t.pos.line, t.pos.col));
        }
        out
    }

    #[test]
    fn words_punctuation_and_positions() {
        assert_eq!(
            tokens("spdadd 10.0.0.0/24[any] fe80::1%eth0 \"a b\";\n  -P"),
            vec![
                (Kind::Word, "spdadd", 1, 1),
                (Kind::Word, "10.0.0.0", 1, 8),
                (Kind::Slash, "/", 1, 16),
                (Kind::Word, "24", 1, 17),
                (Kind::LBracket, "[", 1, 19),
                (Kind::Word, "any", 1, 20),
                (Kind::RBracket, "]", 1, 23),
                (Kind::Word, "fe80::1%eth0", 1, 25),
                (Kind::Quoted, "a b", 1, 38),
                (Kind::Semi, ";", 1, 43),
                (Kind::Word, "-P", 2, 3),
            ]
        );
    }

    #[test]
    fn policy_words() {
        let t = tokens("esp/tunnel/10.0.0.1-10.0.0.2/unique:2 prio def +5 135,0");
        let words: Vec<&str> = t.iter().map(|t| t.1).collect();
        assert_eq!(
            words,
            [
                "esp",
                "/",
                "tunnel",
                "/",
                "10.0.0.1-10.0.0.2",
                "/",
                "unique:2",
                "prio",
                "def",
                "+5",
                "135,0"
            ]
        );
    }

    #[test]
    fn comments_whitespace_crlf() {
        let t = tokens("#!/usr/sbin/setkey -f\r\nflush;\t# done\r\n\x0c spdflush ;#x");
        assert_eq!(
            t,
            vec![
                (Kind::Word, "flush", 2, 1),
                (Kind::Semi, ";", 2, 6),
                (Kind::Word, "spdflush", 3, 3),
                (Kind::Semi, ";", 3, 12),
            ]
        );
        // A comment ending in a lone CR is still a comment.
        assert_eq!(tokens("# a\rb\nx"), vec![(Kind::Word, "x", 2, 1)]);
    }

    #[test]
    fn quoted_strings_keep_their_raw_form_and_may_span_lines() {
        let mut lexer = Lexer::new("\"a#b\nc\" x", start());
        let t = lexer.next_token().unwrap().unwrap();
        assert_eq!(
            (t.kind, t.text, t.raw),
            (Kind::Quoted, "a#b\nc", "\"a#b\nc\"")
        );
        let x = lexer.next_token().unwrap().unwrap();
        assert_eq!((x.text, x.pos), ("x", Pos { line: 2, col: 4 }));
        assert_eq!(lexer.next_token(), Ok(None));
    }

    #[test]
    fn errors_and_their_positions() {
        let cases = [
            ("add \\\n", LexError::Backslash, 1, 5),
            ("  \"abc", LexError::UnterminatedQuote, 1, 3),
            ("x\n {", LexError::Unexpected('{'), 2, 2),
            ("é", LexError::Unexpected('é'), 1, 1),
        ];
        for (text, error, line, col) in cases {
            let mut lexer = Lexer::new(text, start());
            let result = loop {
                match lexer.next_token() {
                    Ok(Some(_)) => continue,
                    other => break other,
                }
            };
            assert_eq!(result, Err((error, Pos { line, col })), "{text:?}");
        }
    }

    #[test]
    fn columns_count_characters() {
        let t = tokens("\"ü\" x");
        assert_eq!(t[1], (Kind::Word, "x", 1, 5));
    }

    #[test]
    fn end_position() {
        let mut lexer = Lexer::new("a\n# c\n  ", start());
        lexer.next_token().unwrap();
        assert_eq!(lexer.next_token(), Ok(None));
        assert_eq!(lexer.pos_after_trivia(), Pos { line: 3, col: 3 });
    }
}
