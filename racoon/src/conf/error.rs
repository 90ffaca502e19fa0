//! The one error type of the configuration parser.
//!
//! Every message starts `FILE:LINE:COLUMN:` and says what was expected, because the
//! person reading it is editing that file and has nothing else to go on. The original
//! printed `racoon.conf:14: "}" syntax error`; we say which `;` is missing after what.

use std::fmt;

use common::addr::AddrError;
use common::alg::UnknownAlgorithm;

use super::lexer::BadToken;
use super::Location;

/// A configuration that cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfError {
    /// Where the problem is: the file as it was named (the command line's `-f`, or the
    /// include path), the line and the column.
    pub location: Location,
    pub kind: ErrorKind,
}

impl ConfError {
    pub(crate) fn new(location: Location, kind: ErrorKind) -> ConfError {
        ConfError { location, kind }
    }
}

impl fmt::Display for ConfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.kind)
    }
}

impl std::error::Error for ConfError {}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// `expected a number, found `}'`.
    Expected { expected: String, found: String },
    /// `expected `;' after `exchange_mode main', found `}'`: the directive so far is
    /// quoted so that the missing token can be placed.
    ExpectedAfter {
        expected: String,
        after: String,
        found: String,
    },
    /// A word that is not a directive of the section it is in.
    UnknownDirective {
        word: String,
        section: &'static str,
        valid: &'static [&'static str],
    },
    /// A word that is not one of a directive's keywords (`log verbose`).
    UnknownValue {
        what: &'static str,
        word: String,
        valid: &'static [&'static str],
    },
    /// An algorithm name the algorithm table does not know in that place.
    Algorithm(UnknownAlgorithm),
    /// A DH group that racoon does not know.
    UnknownDhGroup { word: String },
    /// A key length given to an algorithm with a fixed key (`3des 192`, `hmac_sha1 96`).
    KeyLengthNotAllowed { algorithm: String, bits: u64 },
    /// A key length the algorithm does not accept.
    InvalidKeyLength {
        algorithm: String,
        bits: u64,
        expected: String,
    },
    /// An address, prefix or port that does not read.
    Address { text: String, error: AddrError },
    /// A number too large for what it counts.
    NumberTooLarge { text: String },
    /// Text that is no token at all.
    BadToken(BadToken),
    /// An include pattern that names no file, or whose files cannot be read.
    Include { path: String, reason: String },
    /// Includes more than ten deep, most likely a file including itself.
    IncludeDepth { path: String },
    /// More than [`super::include::MAX_FILES`] files read in all.
    TooManyIncludes { path: String },
    /// The main file cannot be read.
    Io { path: String, reason: String },
    /// A directive that cannot appear where it is, with the reason.
    Misplaced {
        directive: String,
        reason: &'static str,
    },
    /// A directive given twice where only one is allowed.
    Duplicate { what: String },
    /// A `remote` or `sainfo` block that lacks something it needs, or whose parts do
    /// not fit together; the message names the block.
    Incomplete { block: String, problem: String },
    /// `inherit` names a remote that is not (yet) defined.
    UnknownParent { parent: String },
    /// Any other value that is out of range or malformed, with what was wrong.
    InvalidValue { what: String, reason: String },
}

fn list(f: &mut fmt::Formatter<'_>, valid: &[&str]) -> fmt::Result {
    f.write_str(&valid.join(", "))
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Expected { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ErrorKind::ExpectedAfter {
                expected,
                after,
                found,
            } => write!(f, "expected {expected} after `{after}', found {found}"),
            ErrorKind::UnknownDirective {
                word,
                section,
                valid,
            } => {
                write!(f, "unknown directive `{word}' in {section}; valid: ")?;
                list(f, valid)
            }
            ErrorKind::UnknownValue { what, word, valid } => {
                write!(f, "unknown {what} `{word}'; valid: ")?;
                list(f, valid)
            }
            ErrorKind::Algorithm(e) => e.fmt(f),
            ErrorKind::UnknownDhGroup { word } => write!(
                f,
                "unknown DH group `{word}'; valid: {}",
                super::dh::valid_names()
            ),
            ErrorKind::KeyLengthNotAllowed { algorithm, bits } => {
                write!(f, "key length {bits} not allowed after `{algorithm}'")
            }
            ErrorKind::InvalidKeyLength {
                algorithm,
                bits,
                expected,
            } => write!(
                f,
                "invalid key length {bits} for `{algorithm}': expected {expected}"
            ),
            ErrorKind::Address { text, error } => write!(f, "invalid address `{text}': {error}"),
            ErrorKind::NumberTooLarge { text } => write!(f, "number `{text}' is too large"),
            ErrorKind::BadToken(BadToken::Char(c)) => {
                write!(f, "unexpected character `{}'", c.escape_default())
            }
            ErrorKind::BadToken(BadToken::UnterminatedString) => {
                f.write_str("unterminated string: no closing `\"'")
            }
            ErrorKind::BadToken(BadToken::BarePrefix) => {
                f.write_str("expected a prefix length after `/'")
            }
            ErrorKind::BadToken(BadToken::BadPort(text)) => write!(
                f,
                "invalid port `{text}': expected a number or `any' in brackets, without spaces"
            ),
            ErrorKind::Include { path, reason } => write!(f, "include \"{path}\": {reason}"),
            ErrorKind::IncludeDepth { path } => write!(
                f,
                "include \"{path}\": includes nested more than {} deep",
                super::include::MAX_DEPTH
            ),
            ErrorKind::TooManyIncludes { path } => write!(
                f,
                "include \"{path}\": more than {} files included in all",
                super::include::MAX_FILES
            ),
            ErrorKind::Io { path, reason } => write!(f, "cannot read {path}: {reason}"),
            ErrorKind::Misplaced { directive, reason } => {
                write!(f, "`{directive}' is not allowed here: {reason}")
            }
            ErrorKind::Duplicate { what } => write!(f, "{what} already given"),
            ErrorKind::Incomplete { block, problem } => write!(f, "{block}: {problem}"),
            ErrorKind::UnknownParent { parent } => write!(
                f,
                "cannot inherit from {parent}: no such remote is defined before this one"
            ),
            ErrorKind::InvalidValue { what, reason } => write!(f, "invalid {what}: {reason}"),
        }
    }
}
