//! The one error type of the parser.

use std::fmt;

use crate::ast::Pos;

/// Why a setkey.conf could not be parsed, and where.
///
/// The original printed `FILE,LINE: MESSAGE at `TOKEN'`; this adds the column, because a
/// line of setkey.conf often holds a whole statement and "syntax error" alone does not
/// say which of its ten words is wrong. The caller prints `setkey: ` before it and
/// `setkey: FILE,LINE: parse failed` after it, as the original did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub file: String,
    /// 1-based line of the offending token (of the end of the input when it ran out).
    pub line: u32,
    /// 1-based column, counted in characters.
    pub col: u32,
    /// What was wrong, phrased as what was expected where that helps.
    pub message: String,
    /// The offending token as written (quoted strings with their quotes); `None` at the
    /// end of the input.
    pub token: Option<String>,
}

impl ParseError {
    pub(crate) fn new(
        file: &str,
        pos: Pos,
        message: impl Into<String>,
        token: Option<&str>,
    ) -> Self {
        ParseError {
            file: file.to_owned(),
            line: pos.line,
            col: pos.col,
            message: message.into(),
            token: token.map(str::to_owned),
        }
    }

    /// Where the error is.
    pub fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }
}

impl fmt::Display for ParseError {
    /// `FILE,LINE:COL: MESSAGE at `TOKEN'`, without the ` at ...` part when there is no
    /// token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{},{}:{}: {}",
            self.file, self.line, self.col, self.message
        )?;
        if let Some(token) = &self.token {
            write!(f, " at `{token}'")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_with_and_without_token() {
        let pos = Pos { line: 3, col: 7 };
        let e = ParseError::new("a.conf", pos, "syntax error: expected `;'", Some("foo"));
        assert_eq!(
            e.to_string(),
            "a.conf,3:7: syntax error: expected `;' at `foo'"
        );
        assert_eq!(e.pos(), pos);
        let e = ParseError::new("a.conf", pos, "unexpected end of file", None);
        assert_eq!(e.to_string(), "a.conf,3:7: unexpected end of file");
    }
}
