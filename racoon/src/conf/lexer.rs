//! Splits racoon.conf text into tokens.
//!
//! The original lexer (`cftoken.l`) knew keywords per section; here a keyword is just a
//! [`Tok::Word`] and the parser decides what it means where, which lets errors name the
//! word that was not understood. What this lexer keeps from the original is where
//! tokens begin and end, because real files depend on it:
//!
//! - a word is a run of letters, digits and `_ . : % -`, so `10.0.0.1`, `fe80::1%eth0`,
//!   `hmac_sha1` and `utf-16le` are single words; the parser splits `aes128` and `10sec`
//!   where the original's longest-match rules did;
//! - `/24` and `[500]` / `[any]` are tokens of their own, glued to the word before them
//!   or not (`172.16.0.1[500]`, `remote 172.16.5.4 [500]`);
//! - `(` and `)` are dropped, as the original's catch-all rule dropped them: the FreeBSD
//!   handbook writes `sainfo (address ... any address ... any)`;
//! - `#` starts a comment to the end of the line anywhere outside a string; there are
//!   no C-style comments (the original defined the pattern but never used it);
//! - strings are `"..."` without escapes and may span lines; CR is whitespace, so CRLF
//!   files read like LF files.
//!
//! Characters the original silently swallowed (anything else) are reported instead: a
//! stray `!` or `*` in a configuration is a mistake, not a feature.

use nom::branch::alt;
use nom::bytes::complete::{is_not, tag, take_till, take_while1};
use nom::character::complete::{char, digit1};
use nom::combinator::{map, opt, recognize};
use nom::sequence::{delimited, pair, preceded};
use nom::IResult;

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A keyword, number, address or algorithm name.
    Word(String),
    /// A `"string"`, without its quotes.
    Quoted(String),
    /// `/N`, the prefix length of an address; the digits as written.
    Prefix(String),
    /// `[N]`, a port; the digits as written.
    Port(String),
    /// `[any]`.
    PortAny,
    /// `{`
    Open,
    /// `}`
    Close,
    /// `;`
    Semi,
    /// `,`
    Comma,
    /// Something no rule matches; the parser reports it when it reaches it, so that an
    /// earlier syntax error is still the one reported.
    Bad(BadToken),
    /// End of the file.
    Eof,
}

/// Why a piece of text is not a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadToken {
    /// A character no token starts with.
    Char(char),
    /// A `"` without its closing quote.
    UnterminatedString,
    /// A `/` not followed by digits.
    BarePrefix,
    /// A `[` not followed by digits or `any` and `]`.
    BadPort(String),
}

/// A token and where it starts (1-based line and column, columns in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub line: u32,
    pub column: u32,
    /// The source text of the token, for messages that quote what was written.
    pub text: String,
}

impl Token {
    /// How an error message names this token: `` `word' ``, `"string"`, `end of file`.
    pub fn describe(&self) -> String {
        match &self.tok {
            Tok::Eof => "end of file".to_owned(),
            Tok::Quoted(s) => format!("\"{s}\""),
            _ => format!("`{}'", self.text),
        }
    }

    /// The word, if this token is one.
    pub fn word(&self) -> Option<&str> {
        match &self.tok {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }
}

/// Characters of a word.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '%' | '-')
}

/// Whitespace, comments and the dropped parentheses.
fn is_skipped(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\x0b' | '\x0c' | '(' | ')')
}

fn skip(input: &str) -> IResult<&str, ()> {
    let mut rest = input;
    loop {
        let trimmed = rest.trim_start_matches(is_skipped);
        if let Some(comment) = trimmed.strip_prefix('#') {
            rest = comment.trim_start_matches(|c| c != '\n');
        } else {
            return Ok((trimmed, ()));
        }
    }
}

fn word(input: &str) -> IResult<&str, Tok> {
    map(take_while1(is_word_char), |w: &str| Tok::Word(w.to_owned()))(input)
}

fn quoted(input: &str) -> IResult<&str, Tok> {
    alt((
        map(delimited(char('"'), opt(is_not("\"")), char('"')), |s| {
            Tok::Quoted(s.unwrap_or("").to_owned())
        }),
        map(preceded(char('"'), take_till(|_| false)), |_| {
            Tok::Bad(BadToken::UnterminatedString)
        }),
    ))(input)
}

fn prefix(input: &str) -> IResult<&str, Tok> {
    alt((
        map(preceded(char('/'), digit1), |d: &str| {
            Tok::Prefix(d.to_owned())
        }),
        map(char('/'), |_| Tok::Bad(BadToken::BarePrefix)),
    ))(input)
}

fn port(input: &str) -> IResult<&str, Tok> {
    alt((
        map(delimited(char('['), digit1, char(']')), |d: &str| {
            Tok::Port(d.to_owned())
        }),
        map(tag("[any]"), |_| Tok::PortAny),
        map(
            recognize(pair(char('['), take_till(|c: char| c == ']' || c == '\n'))),
            |t: &str| Tok::Bad(BadToken::BadPort(t.to_owned())),
        ),
    ))(input)
}

fn punct(input: &str) -> IResult<&str, Tok> {
    alt((
        map(char('{'), |_| Tok::Open),
        map(char('}'), |_| Tok::Close),
        map(char(';'), |_| Tok::Semi),
        map(char(','), |_| Tok::Comma),
    ))(input)
}

fn token(input: &str) -> IResult<&str, Tok> {
    alt((word, quoted, prefix, port, punct))(input)
}

/// Tracks line and column while the lexer moves through the text.
struct Position<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
    column: u32,
}

impl Position<'_> {
    /// Moves to `rest`, a suffix of the text.
    fn advance_to(&mut self, rest: &str) {
        let target = self.text.len() - rest.len();
        for c in self.text[self.offset..target].chars() {
            if c == '\n' {
                self.line = self.line.saturating_add(1);
                self.column = 1;
            } else {
                self.column = self.column.saturating_add(1);
            }
        }
        self.offset = target;
    }
}

/// All tokens of `text`, ending with [`Tok::Eof`]. Never fails: text no rule matches
/// becomes a [`Tok::Bad`] token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut pos = Position {
        text,
        offset: 0,
        line: 1,
        column: 1,
    };
    let mut rest = text;
    loop {
        if let Ok((after, ())) = skip(rest) {
            rest = after;
        }
        pos.advance_to(rest);
        let (line, column) = (pos.line, pos.column);
        if rest.is_empty() {
            tokens.push(Token {
                tok: Tok::Eof,
                line,
                column,
                text: String::new(),
            });
            return tokens;
        }
        let (after, tok) = match token(rest) {
            Ok(ok) => ok,
            Err(_) => {
                let c = rest.chars().next().unwrap_or('\0');
                (&rest[c.len_utf8()..], Tok::Bad(BadToken::Char(c)))
            }
        };
        let source = &rest[..rest.len() - after.len()];
        tokens.push(Token {
            tok,
            line,
            column,
            text: source.to_owned(),
        });
        rest = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        tokenize(text).into_iter().map(|t| t.tok).collect()
    }

    fn w(s: &str) -> Tok {
        Tok::Word(s.to_owned())
    }

    #[test]
    fn words_ports_prefixes() {
        assert_eq!(
            toks("isakmp 172.16.0.1[500];"),
            [
                w("isakmp"),
                w("172.16.0.1"),
                Tok::Port("500".into()),
                Tok::Semi,
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("address 10.0.0.0/24[any] any"),
            [
                w("address"),
                w("10.0.0.0"),
                Tok::Prefix("24".into()),
                Tok::PortAny,
                w("any"),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn comments_parens_crlf() {
        assert_eq!(
            toks("sainfo (address ::1 any)\r\n{ # x { y\r\n}"),
            [
                w("sainfo"),
                w("address"),
                w("::1"),
                w("any"),
                Tok::Open,
                Tok::Close,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn positions() {
        let t = tokenize("a\n  \"x\ny\" b");
        assert_eq!((t[1].line, t[1].column), (2, 3));
        assert_eq!((t[2].line, t[2].column), (3, 4));
        assert_eq!(t[1].tok, Tok::Quoted("x\ny".into()));
    }

    #[test]
    fn bad_tokens() {
        assert_eq!(toks("!")[0], Tok::Bad(BadToken::Char('!')));
        assert_eq!(toks("\"abc")[0], Tok::Bad(BadToken::UnterminatedString));
        assert_eq!(toks("/x")[0], Tok::Bad(BadToken::BarePrefix));
        assert_eq!(
            toks("[ 500 ]")[0],
            Tok::Bad(BadToken::BadPort("[ 500 ".into()))
        );
        assert_eq!(toks("é")[0], Tok::Bad(BadToken::Char('é')));
    }
}
