//! The setkey.conf parser: text in, [`Statement`]s out, or one [`ParseError`] saying
//! where and what was expected.
//!
//! The whole file is parsed before anything is applied, so a typo on the last line
//! leaves the kernel untouched (the original applied every statement before the bad
//! one). [`StatementReader`] serves `setkey -c`, which applies statements as they are
//! typed.
//!
//! The grammar is setkey(8)'s, read from the original `parse.y`, `token.l` and
//! libipsec's `policy_parse.y`, with these differences:
//! - `update` works (documented, never implemented by the original);
//! - SA options (`-m -r -u -f -lh -ls -bh -bs -ctx`) may come in any order, before or
//!   after the algorithms;
//! - AES-GCM and GMAC (`-E aes-gcm-16 KEY`) are accepted: the kernel has them;
//! - algorithms Linux cannot install are refused here, as the original refused
//!   keyed-md5 with "Not supported" (see [`key`]);
//! - `getspi`, a NAT-OA address after `esp-udp`, and the `bypass`/`entrust` actions
//!   are refused with a message instead of failing in the kernel.
//!
//! Lexing uses `nom`; the statement grammar is recursive descent over the tokens, so
//! that every error can say which token was wrong and what would have been right.

mod address;
mod command;
mod cursor;
mod error;
mod key;
mod lexer;
mod number;
mod policy;
mod request;
mod sa;
mod sa_opts;
mod spd;
mod stream;
#[cfg(test)]
mod tests;
mod upper;

pub use error::ParseError;
pub use stream::StatementReader;

use crate::ast::{Command, Pos, Statement};
use cursor::Cursor;

/// Parses a whole file. Reading stops after `exit`, `quit` or `bye`, as in the
/// original: whatever follows is not even lexed.
pub fn parse_str(file: &str, text: &str) -> Result<Vec<Statement>, ParseError> {
    let mut c = Cursor::new(file, text, Pos { line: 1, col: 1 });
    let mut statements = Vec::new();
    while let Some(statement) = command::statement(&mut c)? {
        let exit = statement.command == Command::Exit;
        statements.push(statement);
        if exit {
            break;
        }
    }
    Ok(statements)
}

/// Parses exactly one statement from `text`, which starts at `start` in `file`;
/// `Ok(None)` when `text` holds no statement (only blanks and comments). Anything after
/// the statement's `;` other than blanks and comments is an error.
pub fn parse_statement(
    file: &str,
    text: &str,
    start: Pos,
) -> Result<Option<Statement>, ParseError> {
    let mut c = Cursor::new(file, text, start);
    let Some(statement) = command::statement(&mut c)? else {
        return Ok(None);
    };
    match c.peek()? {
        None => Ok(Some(statement)),
        Some(t) => Err(c.error_at(&t, "syntax error: expected one statement only")),
    }
}
