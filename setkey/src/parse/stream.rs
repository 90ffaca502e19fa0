//! Statement by statement, for `setkey -c`: lines arrive one at a time from a terminal
//! or a pipe, and each statement is applied as soon as its `;` arrives.
//!
//! Like the original's `-c` loop, an error costs only its own statement: the reader
//! reports it and carries on with the text after that statement's `;`. Unlike the
//! original, a `;` inside a quoted key or a comment does not end a statement, and a
//! quoted string may continue on the next line.

use super::command;
use super::cursor::Cursor;
use super::error::ParseError;
use super::lexer::{Kind, LexError, Lexer};
use crate::ast::{Command, Pos, Statement};

/// Accumulates lines and hands out statements as they complete.
#[derive(Debug, Clone)]
pub struct StatementReader {
    file: String,
    /// Text after the last complete statement.
    pending: String,
    /// Where `pending` starts.
    start: Pos,
    /// Line number the next pushed line gets.
    next_line: u32,
    /// An `exit` was read: everything after it is ignored.
    done: bool,
}

/// What [`Lexer`] found in the pending text.
enum Scan {
    /// A statement ends `len` bytes in, the next text starts at `next`.
    Complete { len: usize, next: Pos },
    /// Text that can never lex ends with the `;` `len` bytes in.
    Broken {
        error: ParseError,
        len: usize,
        next: Pos,
    },
    /// No `;` yet.
    Incomplete,
}

impl StatementReader {
    /// A reader whose errors name `file` (the original said `<stdin>`).
    pub fn new(file: &str) -> StatementReader {
        StatementReader {
            file: file.to_owned(),
            pending: String::new(),
            start: Pos { line: 1, col: 1 },
            next_line: 1,
            done: false,
        }
    }

    /// Whether `exit`, `quit` or `bye` has been read; later lines are ignored.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Adds one line (a trailing newline is optional) and returns the statements it
    /// completed, in order, each parsed on its own.
    pub fn push_line(&mut self, line: &str) -> Vec<Result<Statement, ParseError>> {
        let mut out = Vec::new();
        if self.done {
            return out;
        }
        if self.pending.trim().is_empty() {
            self.pending.clear();
            self.start = Pos {
                line: self.next_line,
                col: 1,
            };
        }
        self.pending
            .push_str(line.strip_suffix('\n').unwrap_or(line));
        self.pending.push('\n');
        self.next_line = self.next_line.saturating_add(1);
        loop {
            match self.scan() {
                Scan::Incomplete => break,
                Scan::Broken { error, len, next } => {
                    out.push(Err(error));
                    self.consume(len, next);
                }
                Scan::Complete { len, next } => {
                    let result = self.parse_chunk(len);
                    self.consume(len, next);
                    let exit = matches!(&result, Ok(st) if st.command == Command::Exit);
                    out.push(result);
                    if exit {
                        self.done = true;
                        self.pending.clear();
                        break;
                    }
                }
            }
        }
        out
    }

    /// The end of the input: an unfinished statement is an error.
    pub fn finish(self) -> Option<ParseError> {
        if self.done {
            return None;
        }
        let mut c = Cursor::new(&self.file, &self.pending, self.start);
        command::statement(&mut c).err()
    }

    fn consume(&mut self, len: usize, next: Pos) {
        self.pending.drain(..len.min(self.pending.len()));
        self.start = next;
    }

    fn scan(&self) -> Scan {
        let mut lexer = Lexer::new(&self.pending, self.start);
        loop {
            match lexer.next_token() {
                Ok(Some(t)) if t.kind == Kind::Semi => {
                    return Scan::Complete {
                        len: lexer.consumed(),
                        next: lexer.pos(),
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) | Err((LexError::UnterminatedQuote, _)) => return Scan::Incomplete,
                Err((error, pos)) => {
                    let at = lexer.consumed();
                    let Some(semi) = self.pending[at..].find(';') else {
                        return Scan::Incomplete;
                    };
                    let len = at + semi + 1;
                    let next = after(&self.pending[..len], self.start);
                    let error = ParseError::new(&self.file, pos, error.message(), None);
                    return Scan::Broken { error, len, next };
                }
            }
        }
    }

    fn parse_chunk(&self, len: usize) -> Result<Statement, ParseError> {
        let chunk = &self.pending[..len];
        let mut c = Cursor::new(&self.file, chunk, self.start);
        match command::statement(&mut c)? {
            Some(statement) => Ok(statement),
            None => Err(c.expected("a statement")),
        }
    }
}

/// The position just after `text`, which starts at `start`.
fn after(text: &str, start: Pos) -> Pos {
    text.chars().fold(start, |pos, c| {
        if c == '\n' {
            Pos {
                line: pos.line.saturating_add(1),
                col: 1,
            }
        } else {
            Pos {
                line: pos.line,
                col: pos.col.saturating_add(1),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(reader: &mut StatementReader, line: &str) -> Vec<Result<Command, String>> {
        reader
            .push_line(line)
            .into_iter()
            .map(|r| r.map(|s| s.command).map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn statements_complete_at_their_semicolon() {
        let mut r = StatementReader::new("<stdin>");
        assert_eq!(feed(&mut r, "# comment"), vec![]);
        assert_eq!(
            feed(&mut r, "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec"),
            vec![]
        );
        let got = r.push_line("  esp/transport//require; flush; dump");
        assert_eq!(got.len(), 2);
        let first = got[0].as_ref().unwrap();
        assert_eq!(first.pos, Pos { line: 2, col: 1 });
        assert!(matches!(first.command, Command::SpdAdd(_)));
        assert_eq!(got[1].as_ref().unwrap().pos, Pos { line: 3, col: 27 });
        assert_eq!(
            feed(&mut r, "esp;"),
            vec![Ok(Command::Dump(Some(common::sa::SaType::Esp)))]
        );
        assert_eq!(r.finish(), None);
    }

    #[test]
    fn an_error_costs_only_its_statement() {
        let mut r = StatementReader::new("<stdin>");
        let got = feed(&mut r, "flush foo; spdflush;");
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0],
            Err("<stdin>,1:7: syntax error: expected a protocol (esp, esp-old, esp-udp, ah, ah-old, ipcomp or tcp) or `;' at `foo'".into())
        );
        assert_eq!(got[1], Ok(Command::SpdFlush));
        // A character that cannot lex: reported when its statement ends.
        assert_eq!(feed(&mut r, "add \\"), vec![]);
        let got = feed(&mut r, "x; flush;");
        assert_eq!(got.len(), 2);
        assert!(got[0]
            .as_ref()
            .unwrap_err()
            .starts_with("<stdin>,2:5: syntax error: `\\' does not"));
        assert_eq!(got[1], Ok(Command::Flush(None)));
    }

    #[test]
    fn quotes_and_comments_do_not_end_statements() {
        let mut r = StatementReader::new("<stdin>");
        assert_eq!(
            feed(
                &mut r,
                "add 10.0.0.1 10.0.0.2 ah 0x200 -A hmac-md5 \"1234567;"
            ),
            vec![]
        );
        let got = r.push_line("9012345\"; # ; not a statement");
        assert_eq!(got.len(), 1);
        let Ok(Statement {
            command: Command::Add(spec),
            ..
        }) = &got[0]
        else {
            panic!("{got:?}");
        };
        let crate::ast::AlgSpec::Auth(key) = &spec.algs else {
            panic!("{spec:?}");
        };
        assert_eq!(key.key, b"1234567;\n9012345");
        assert_eq!(r.finish(), None);
    }

    #[test]
    fn exit_stops_reading() {
        let mut r = StatementReader::new("<stdin>");
        let got = feed(&mut r, "flush; quit; garbage \\");
        assert_eq!(got, vec![Ok(Command::Flush(None)), Ok(Command::Exit)]);
        assert!(r.is_done());
        assert_eq!(feed(&mut r, "flush;"), vec![]);
        assert_eq!(r.finish(), None);
    }

    #[test]
    fn unfinished_input_is_an_error_at_the_end() {
        let mut r = StatementReader::new("<stdin>");
        assert_eq!(feed(&mut r, "flush"), vec![]);
        assert_eq!(
            r.finish().unwrap().to_string(),
            "<stdin>,2:1: syntax error: expected a protocol (esp, esp-old, esp-udp, ah, ah-old, ipcomp or tcp) or `;', found the end of the file"
        );
        let mut r = StatementReader::new("<stdin>");
        feed(&mut r, "add \"abc");
        assert_eq!(
            r.finish().unwrap().to_string(),
            "<stdin>,1:5: syntax error: missing closing `\"'"
        );
        let r = StatementReader::new("<stdin>");
        assert_eq!(r.finish(), None);
    }
}
