//! A getopt(3) that behaves like glibc's, shared by the three front ends.
//!
//! Why not clap (which the design card names): the contract is that every
//! command line means what it meant, and what scripts can observe of a bad
//! one is getopt's own wording on stderr (`setkey: invalid option -- 'z'`,
//! `... option requires an argument -- 'f'`, prefixed with argv[0] verbatim),
//! followed by each program's hand-made usage text on stdout and its own exit
//! status (setkey 1 even for `-h`, racoonctl 0). On top of that the programs
//! act on options one at a time as getopt hands them out: `setkey -V -z`
//! prints the version, `setkey -z -V` complains about `z`; `-?` is an
//! ordinary option letter for setkey; `--help` is not a long option at all
//! but the short options `-`, `h`, `e`, ... ; glibc permutes operands behind
//! options unless POSIXLY_CORRECT is set, and racoonctl forces it. clap can
//! be bent towards some of this, but not to all of it at once without
//! overriding nearly everything it prints, so a hundred lines of getopt are
//! the smaller and more faithful tool.
//!
//! Only the getopt features the originals use are here: single-letter
//! options with or without a required argument, operand permutation or
//! POSIX order, `--`, and (for our own additions, which must not clash with
//! any letter) exact-match long options in GNU spelling.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

/// How operands mixed with options are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ordering {
    /// glibc's default: operands are collected and scanning goes on, so
    /// `setkey file -v` still sees `-v`.
    Permute,
    /// POSIX: the first operand ends option processing.
    RequireOrder,
}

impl Ordering {
    /// What glibc's getopt does in this environment: POSIX order when
    /// POSIXLY_CORRECT is set, permutation otherwise.
    pub fn from_env() -> Self {
        Self::from_posixly_correct(std::env::var_os("POSIXLY_CORRECT").is_some())
    }

    /// The same choice, given whether POSIXLY_CORRECT is set.
    pub fn from_posixly_correct(set: bool) -> Self {
        if set {
            Ordering::RequireOrder
        } else {
            Ordering::Permute
        }
    }
}

/// A long option (`--name value` or `--name=value`), matched exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongOpt {
    pub name: &'static str,
    pub takes_arg: bool,
}

/// One option as found on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opt {
    /// A letter without an argument.
    Flag(u8),
    /// A letter with its argument, glued (`-ffile`) or separate (`-f file`).
    WithArg(u8, OsString),
    /// A long option with its argument, if it takes one.
    Long(&'static str, Option<OsString>),
}

/// What getopt complains about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// A letter that is not in the option string.
    Unknown(u8),
    /// A letter that needs an argument and was last on the command line.
    MissingArgument(u8),
    /// A long option that needs an argument and was last.
    LongMissingArgument(&'static str),
    /// `--name=value` for a long option that takes none.
    LongUnexpectedArgument(&'static str),
}

impl Error {
    /// The line glibc's getopt prints on stderr, newline included, with the
    /// program name as given in argv[0] (not its basename: glibc does not
    /// shorten it).
    pub fn message(&self, argv0: &OsStr) -> Vec<u8> {
        let mut out = argv0.as_bytes().to_vec();
        match self {
            Error::Unknown(c) => {
                out.extend_from_slice(b": invalid option -- '");
                out.push(*c);
                out.extend_from_slice(b"'\n");
            }
            Error::MissingArgument(c) => {
                out.extend_from_slice(b": option requires an argument -- '");
                out.push(*c);
                out.extend_from_slice(b"'\n");
            }
            Error::LongMissingArgument(name) => {
                out.extend_from_slice(
                    format!(": option '--{name}' requires an argument\n").as_bytes(),
                );
            }
            Error::LongUnexpectedArgument(name) => {
                out.extend_from_slice(
                    format!(": option '--{name}' doesn't allow an argument\n").as_bytes(),
                );
            }
        }
        out
    }
}

/// The last path component of argv[0], as err(3) and warn(3) print it.
pub fn short_program_name(argv0: &OsStr) -> &OsStr {
    let bytes = argv0.as_bytes();
    match bytes.iter().rposition(|&b| b == b'/') {
        Some(slash) => OsStr::from_bytes(&bytes[slash + 1..]),
        None => argv0,
    }
}

/// Iterates over the options of `args` (argv, program name first), like
/// repeated calls of getopt(3). Stop at the first error if the program does;
/// after the iterator has returned `None`, [`Getopt::into_operands`] gives the
/// operands in their original order.
pub struct Getopt<'a> {
    args: &'a [OsString],
    optstring: &'a [u8],
    longs: &'a [LongOpt],
    ordering: Ordering,
    /// Next argv element to look at.
    next: usize,
    /// Inside a cluster of letters: (argv index, byte offset of the next letter).
    cluster: Option<(usize, usize)>,
    operands: Vec<OsString>,
    done: bool,
}

impl<'a> Getopt<'a> {
    /// `optstring` is getopt's: letters, each followed by `:` if it takes an
    /// argument. A leading `+` (glibc's "POSIX order") is accepted and means
    /// the same as [`Ordering::RequireOrder`].
    pub fn new(args: &'a [OsString], optstring: &'a str, ordering: Ordering) -> Self {
        let (optstring, ordering) = match optstring.strip_prefix('+') {
            Some(rest) => (rest, Ordering::RequireOrder),
            None => (optstring, ordering),
        };
        Getopt {
            args,
            optstring: optstring.as_bytes(),
            longs: &[],
            ordering,
            next: 1,
            cluster: None,
            operands: Vec::new(),
            done: false,
        }
    }

    /// Also recognise these long options.
    pub fn with_long(mut self, longs: &'a [LongOpt]) -> Self {
        self.longs = longs;
        self
    }

    /// The operands, in command-line order. Meant for after the iterator has
    /// returned `None`; if it was abandoned early, whatever was not scanned
    /// yet is appended as is.
    pub fn into_operands(mut self) -> Vec<OsString> {
        if !self.done {
            let rest = self.args.get(self.next..).unwrap_or_default();
            self.operands.extend(rest.iter().cloned());
        }
        self.operands
    }

    /// Whether letter `c` exists, and whether it takes an argument.
    fn lookup(&self, c: u8) -> Option<bool> {
        if c == b':' {
            return None;
        }
        let at = self.optstring.iter().position(|&o| o == c)?;
        Some(self.optstring.get(at + 1) == Some(&b':'))
    }

    fn short(&mut self, index: usize, offset: usize) -> Result<Opt, Error> {
        let arg = self.args[index].as_bytes();
        let c = arg[offset];
        let rest = &arg[offset + 1..];
        self.cluster = if rest.is_empty() {
            None
        } else {
            Some((index, offset + 1))
        };
        match self.lookup(c) {
            None => Err(Error::Unknown(c)),
            Some(false) => Ok(Opt::Flag(c)),
            Some(true) => {
                self.cluster = None;
                if !rest.is_empty() {
                    Ok(Opt::WithArg(c, OsStr::from_bytes(rest).to_os_string()))
                } else if let Some(value) = self.args.get(self.next) {
                    self.next += 1;
                    Ok(Opt::WithArg(c, value.clone()))
                } else {
                    Err(Error::MissingArgument(c))
                }
            }
        }
    }

    /// `--name[=value]` if it names one of our long options.
    fn long(&mut self, body: &[u8]) -> Option<Result<Opt, Error>> {
        let (name, value) = match body.iter().position(|&b| b == b'=') {
            Some(eq) => (&body[..eq], Some(&body[eq + 1..])),
            None => (body, None),
        };
        let long = *self.longs.iter().find(|l| l.name.as_bytes() == name)?;
        let value = value.map(|v| OsStr::from_bytes(v).to_os_string());
        Some(match (long.takes_arg, value) {
            (false, None) => Ok(Opt::Long(long.name, None)),
            (false, Some(_)) => Err(Error::LongUnexpectedArgument(long.name)),
            (true, Some(v)) => Ok(Opt::Long(long.name, Some(v))),
            (true, None) => match self.args.get(self.next) {
                Some(v) => {
                    self.next += 1;
                    Ok(Opt::Long(long.name, Some(v.clone())))
                }
                None => Err(Error::LongMissingArgument(long.name)),
            },
        })
    }
}

impl Iterator for Getopt<'_> {
    type Item = Result<Opt, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some((index, offset)) = self.cluster {
            return Some(self.short(index, offset));
        }
        loop {
            if self.done {
                return None;
            }
            let Some(arg) = self.args.get(self.next) else {
                self.done = true;
                return None;
            };
            let index = self.next;
            let bytes = arg.as_bytes();
            if bytes == b"--" {
                self.operands.extend(self.args[index + 1..].iter().cloned());
                self.done = true;
                return None;
            }
            if bytes.len() > 1 && bytes[0] == b'-' {
                self.next += 1;
                if let Some(body) = bytes.strip_prefix(b"--") {
                    if let Some(found) = self.long(body) {
                        return Some(found);
                    }
                }
                // Plain getopt has no long options: `--foo` is the letters
                // `-`, `f`, `o`, `o`.
                return Some(self.short(index, 1));
            }
            match self.ordering {
                Ordering::RequireOrder => {
                    self.operands.extend(self.args[index..].iter().cloned());
                    self.done = true;
                    return None;
                }
                Ordering::Permute => {
                    self.operands.push(arg.clone());
                    self.next += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    /// Runs getopt to the end (or the first error) and returns what it saw.
    fn run(
        list: &[&str],
        optstring: &str,
        ordering: Ordering,
        longs: &[LongOpt],
    ) -> (Vec<Result<Opt, Error>>, Vec<OsString>) {
        let args = argv(list);
        let mut g = Getopt::new(&args, optstring, ordering).with_long(longs);
        let mut seen = Vec::new();
        for item in g.by_ref() {
            let stop = item.is_err();
            seen.push(item);
            if stop {
                break;
            }
        }
        (seen, g.into_operands())
    }

    fn with(c: u8, v: &str) -> Result<Opt, Error> {
        Ok(Opt::WithArg(c, v.into()))
    }

    #[test]
    fn clustered_flags_and_counts() {
        let (seen, ops) = run(&["p", "-DP", "-xx", "-a"], "aDPx", Ordering::Permute, &[]);
        assert_eq!(
            seen,
            vec![
                Ok(Opt::Flag(b'D')),
                Ok(Opt::Flag(b'P')),
                Ok(Opt::Flag(b'x')),
                Ok(Opt::Flag(b'x')),
                Ok(Opt::Flag(b'a')),
            ]
        );
        assert!(ops.is_empty());
    }

    #[test]
    fn argument_glued_separate_and_ending_a_cluster() {
        let (seen, _) = run(
            &["p", "-ffile", "-f", "other", "-nvf", "third", "-nvfglued"],
            "nvf:",
            Ordering::Permute,
            &[],
        );
        assert_eq!(
            seen,
            vec![
                with(b'f', "file"),
                with(b'f', "other"),
                Ok(Opt::Flag(b'n')),
                Ok(Opt::Flag(b'v')),
                with(b'f', "third"),
                Ok(Opt::Flag(b'n')),
                Ok(Opt::Flag(b'v')),
                with(b'f', "glued"),
            ]
        );
    }

    #[test]
    fn argument_may_look_like_an_option() {
        let (seen, ops) = run(&["p", "-f", "-x", "--", "-"], "f:x", Ordering::Permute, &[]);
        assert_eq!(seen, vec![with(b'f', "-x")]);
        assert_eq!(ops, argv(&["-"]));
        let (seen, _) = run(&["p", "-f", "--"], "f:", Ordering::Permute, &[]);
        assert_eq!(seen, vec![with(b'f', "--")]);
    }

    #[test]
    fn missing_argument() {
        let (seen, _) = run(&["p", "-v", "-f"], "vf:", Ordering::Permute, &[]);
        assert_eq!(
            seen,
            vec![Ok(Opt::Flag(b'v')), Err(Error::MissingArgument(b'f'))]
        );
        let (seen, _) = run(&["p", "-vf"], "vf:", Ordering::Permute, &[]);
        assert_eq!(
            seen,
            vec![Ok(Opt::Flag(b'v')), Err(Error::MissingArgument(b'f'))]
        );
    }

    #[test]
    fn unknown_letters() {
        let (seen, _) = run(&["p", "-az"], "a", Ordering::Permute, &[]);
        assert_eq!(seen, vec![Ok(Opt::Flag(b'a')), Err(Error::Unknown(b'z'))]);
        // ':' only marks arguments; it is never an option itself.
        let (seen, _) = run(&["p", "-:"], "f:", Ordering::Permute, &[]);
        assert_eq!(seen, vec![Err(Error::Unknown(b':'))]);
        // '?' is an option if, and only if, the option string lists it.
        let (seen, _) = run(&["p", "-?"], "a?", Ordering::Permute, &[]);
        assert_eq!(seen, vec![Ok(Opt::Flag(b'?'))]);
        let (seen, _) = run(&["p", "-?"], "a", Ordering::Permute, &[]);
        assert_eq!(seen, vec![Err(Error::Unknown(b'?'))]);
    }

    #[test]
    fn permutation_collects_operands_in_order() {
        let (seen, ops) = run(
            &["p", "one", "-a", "two", "-", "-b", "--", "-c", "three"],
            "abc",
            Ordering::Permute,
            &[],
        );
        assert_eq!(seen, vec![Ok(Opt::Flag(b'a')), Ok(Opt::Flag(b'b'))]);
        assert_eq!(ops, argv(&["one", "two", "-", "-c", "three"]));
    }

    #[test]
    fn require_order_stops_at_first_operand() {
        let (seen, ops) = run(
            &["p", "-l", "vc", "-u", "user", "--", "gw"],
            "lds:",
            Ordering::RequireOrder,
            &[],
        );
        assert_eq!(seen, vec![Ok(Opt::Flag(b'l'))]);
        assert_eq!(ops, argv(&["vc", "-u", "user", "--", "gw"]));
        let (_, ops) = run(&["p", "-", "-l"], "l", Ordering::RequireOrder, &[]);
        assert_eq!(ops, argv(&["-", "-l"]));
        let (seen, ops) = run(&["p", "-l"], "+l", Ordering::Permute, &[]);
        assert_eq!(seen, vec![Ok(Opt::Flag(b'l'))]);
        assert!(ops.is_empty());
        let (_, ops) = run(&["p", "x", "-l"], "+l", Ordering::Permute, &[]);
        assert_eq!(ops, argv(&["x", "-l"]));
    }

    #[test]
    fn double_dash_alone_ends_options() {
        let (seen, ops) = run(&["p", "--", "-a"], "a", Ordering::Permute, &[]);
        assert!(seen.is_empty());
        assert_eq!(ops, argv(&["-a"]));
    }

    const BACKEND: &[LongOpt] = &[
        LongOpt {
            name: "backend",
            takes_arg: true,
        },
        LongOpt {
            name: "quiet",
            takes_arg: false,
        },
    ];

    #[test]
    fn long_options() {
        let (seen, _) = run(
            &[
                "p",
                "--backend",
                "xfrm",
                "--backend=pfkey",
                "--backend=",
                "--quiet",
            ],
            "a",
            Ordering::Permute,
            BACKEND,
        );
        assert_eq!(
            seen,
            vec![
                Ok(Opt::Long("backend", Some("xfrm".into()))),
                Ok(Opt::Long("backend", Some("pfkey".into()))),
                Ok(Opt::Long("backend", Some("".into()))),
                Ok(Opt::Long("quiet", None)),
            ]
        );
        let (seen, _) = run(&["p", "--backend"], "a", Ordering::Permute, BACKEND);
        assert_eq!(seen, vec![Err(Error::LongMissingArgument("backend"))]);
        let (seen, _) = run(&["p", "--quiet=yes"], "a", Ordering::Permute, BACKEND);
        assert_eq!(seen, vec![Err(Error::LongUnexpectedArgument("quiet"))]);
    }

    #[test]
    fn unrecognised_long_options_are_letters_as_in_plain_getopt() {
        let (seen, _) = run(&["p", "--help"], "h", Ordering::Permute, BACKEND);
        assert_eq!(seen, vec![Err(Error::Unknown(b'-'))]);
        // No abbreviations: `--back` is not `--backend`.
        let (seen, _) = run(&["p", "--back"], "h", Ordering::Permute, BACKEND);
        assert_eq!(seen, vec![Err(Error::Unknown(b'-'))]);
        // With '-' unknown the letters after it are still scanned, as glibc does.
        let args = argv(&["p", "--ah"]);
        let all: Vec<_> = Getopt::new(&args, "ah", Ordering::Permute).collect();
        assert_eq!(
            all,
            vec![
                Err(Error::Unknown(b'-')),
                Ok(Opt::Flag(b'a')),
                Ok(Opt::Flag(b'h'))
            ]
        );
    }

    #[test]
    fn messages_match_glibc() {
        let p = OsStr::new("setkey");
        assert_eq!(
            Error::Unknown(b'z').message(p),
            b"setkey: invalid option -- 'z'\n"
        );
        assert_eq!(
            Error::MissingArgument(b'f').message(p),
            b"setkey: option requires an argument -- 'f'\n"
        );
        assert_eq!(
            Error::LongMissingArgument("backend").message(p),
            b"setkey: option '--backend' requires an argument\n"
        );
        assert_eq!(
            Error::LongUnexpectedArgument("quiet").message(OsStr::new("/sbin/x")),
            b"/sbin/x: option '--quiet' doesn't allow an argument\n"
        );
    }

    #[test]
    fn short_name() {
        assert_eq!(short_program_name(OsStr::new("/usr/sbin/setkey")), "setkey");
        assert_eq!(short_program_name(OsStr::new("racoon")), "racoon");
        assert_eq!(short_program_name(OsStr::new("./a/")), "");
    }

    #[test]
    fn posixly_correct() {
        assert_eq!(Ordering::from_posixly_correct(true), Ordering::RequireOrder);
        assert_eq!(Ordering::from_posixly_correct(false), Ordering::Permute);
    }

    #[test]
    fn no_arguments_at_all() {
        let args: Vec<OsString> = Vec::new();
        let mut g = Getopt::new(&args, "a", Ordering::Permute);
        assert_eq!(g.next(), None);
        assert!(g.into_operands().is_empty());
    }
}
