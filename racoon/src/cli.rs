//! racoon's command line, read as ipsec-tools 0.9.1 reads it.
//!
//! The original's getopt string on Linux (IPv6 enabled, no YYDEBUG) is
//! `dLFp:P:f:l:tvVZBC46`; there is no `-h`, so `racoon -h` is an invalid
//! option followed by the usage. Options act in order: `-V` prints the
//! version and exits 0 on the spot, the first bad option ends parsing, and
//! `-F` / `-Z` announce themselves on stdout as soon as they are seen (so
//! `racoon -F -V` prints "Foreground mode." before the version). Parsing
//! uses [`common::getopt`]; see there why not clap.

use std::ffi::OsString;
use std::path::PathBuf;

use common::getopt::{self, Getopt, LongOpt, Opt, Ordering};

/// Which kernel interface racoon uses (`--backend`), as setkey's option.
pub use common::kernel::Backend;

/// Our addition that no getopt letter can spell: `--backend pfkey|xfrm|auto`.
pub const LONG_OPTIONS: &[LongOpt] = &[LongOpt {
    name: "backend",
    takes_arg: true,
}];

/// glibc getopt letters, as the original's Linux build has them.
pub const OPTSTRING: &str = "dLFp:P:f:l:tvVZBC46";

/// Where racoon.conf is read from without `-f`.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/racoon/racoon.conf";

/// The IKE port, `-p`'s default.
pub const PORT_ISAKMP: u16 = 500;

/// The NAT-T port, `-P`'s default.
pub const PORT_ISAKMP_NATT: u16 = 4500;

/// `-4` / `-6`: the address family used where the configuration leaves it open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Inet,
    Inet6,
}

/// Everything the command line said, for a run that goes ahead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// `-d`, counted: each one raises the log level by one step.
    pub debug: u32,
    /// `-L`: each log line names where it was logged. The original prints its C
    /// `file.c:line:function()`; ours prints the Rust `file.rs:line` that logged it.
    pub print_location: bool,
    /// `-F`: stay in the foreground and log to stdout.
    pub foreground: bool,
    /// `-p port`: the IKE port (default [`PORT_ISAKMP`]).
    pub isakmp_port: Option<u16>,
    /// `-P port`: the NAT-T port (default [`PORT_ISAKMP_NATT`]).
    pub natt_port: Option<u16>,
    /// `-f file`, else [`DEFAULT_CONFIG_PATH`].
    pub config_file: PathBuf,
    /// `-l file`: log there instead of syslog.
    pub log_file: Option<PathBuf>,
    /// `-t`: check the configuration, then exit 0 or 1.
    pub config_test: bool,
    /// `-v`, counted, and otherwise without effect, as in the original: its `vflag`
    /// only feeds the tcpdump-derived packet printer (`HAVE_PRINT_ISAKMP_C`), which
    /// ipsec-tools' default build leaves out. `-d` raises the log level.
    pub verbose: u32,
    /// `-Z`: local test mode (several racoons on one host).
    pub local_test: bool,
    /// `-B`: install the SAs from `path backupsa` at start-up.
    pub load_backup_sa: bool,
    /// `-C`, counted: dump the parsed configuration.
    pub dump_config: u32,
    /// `-4` / `-6`, the last one given.
    pub family: Option<Family>,
    /// `--backend`.
    pub backend: Backend,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            debug: 0,
            print_location: false,
            foreground: false,
            isakmp_port: None,
            natt_port: None,
            config_file: PathBuf::from(DEFAULT_CONFIG_PATH),
            log_file: None,
            config_test: false,
            verbose: 0,
            local_test: false,
            load_backup_sa: false,
            dump_config: 0,
            family: None,
            backend: Backend::Auto,
        }
    }
}

/// A line racoon prints on stdout while it reads its options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// `-F`.
    Foreground,
    /// `-Z`.
    LocalTest,
}

impl Notice {
    pub fn text(self) -> &'static str {
        match self {
            Notice::Foreground => "Foreground mode.\n",
            Notice::LocalTest => "Local test mode.\n",
        }
    }
}

/// How parsing ended, not counting the notices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A usable command line.
    Run(Options),
    /// `-V`: print the version and feature list, exit 0.
    Version,
    /// Operands after the options: print the usage, exit 1.
    Usage,
    /// getopt complained: its message on stderr, then the usage, exit 1.
    BadOption(getopt::Error),
    /// `-p` or `-P` with something that is not a port number, exit 1.
    BadPort { option: u8, value: OsString },
    /// `--backend` with a value we do not know, exit 1.
    BadBackend(OsString),
}

/// The notices printed along the way, in order, and how parsing ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub notices: Vec<Notice>,
    pub outcome: Outcome,
}

/// Parses argv (program name first), honouring POSIXLY_CORRECT as glibc does.
pub fn parse(args: &[OsString]) -> Parsed {
    parse_with(args, Ordering::from_env())
}

/// Parses argv with the given operand ordering.
pub fn parse_with(args: &[OsString], ordering: Ordering) -> Parsed {
    let mut notices = Vec::new();
    let outcome = parse_options(args, ordering, &mut notices);
    Parsed { notices, outcome }
}

fn parse_options(args: &[OsString], ordering: Ordering, notices: &mut Vec<Notice>) -> Outcome {
    let mut opts = Options::default();
    // The original takes ports with atoi(), so garbage silently becomes 0 or
    // a prefix. We refuse it instead, but only once nothing else (-V, a bad
    // option) has ended parsing, so those keep their order.
    let mut bad_port = None;
    let mut bad_backend = None;
    let mut getopt = Getopt::new(args, OPTSTRING, ordering).with_long(LONG_OPTIONS);
    for item in getopt.by_ref() {
        let opt = match item {
            Ok(opt) => opt,
            Err(e) => return Outcome::BadOption(e),
        };
        match opt {
            Opt::Flag(b'd') => opts.debug += 1,
            Opt::Flag(b'L') => opts.print_location = true,
            Opt::Flag(b'F') => {
                notices.push(Notice::Foreground);
                opts.foreground = true;
            }
            Opt::WithArg(c @ (b'p' | b'P'), value) => match parse_port(&value) {
                Some(port) if c == b'p' => opts.isakmp_port = Some(port),
                Some(port) => opts.natt_port = Some(port),
                None => {
                    bad_port.get_or_insert((c, value));
                }
            },
            Opt::WithArg(b'f', file) => opts.config_file = file.into(),
            Opt::WithArg(b'l', file) => opts.log_file = Some(file.into()),
            Opt::Flag(b't') => opts.config_test = true,
            Opt::Flag(b'v') => opts.verbose += 1,
            Opt::Flag(b'V') => return Outcome::Version,
            Opt::Flag(b'Z') => {
                notices.push(Notice::LocalTest);
                opts.local_test = true;
            }
            Opt::Flag(b'B') => opts.load_backup_sa = true,
            Opt::Flag(b'C') => opts.dump_config += 1,
            Opt::Flag(b'4') => opts.family = Some(Family::Inet),
            Opt::Flag(b'6') => opts.family = Some(Family::Inet6),
            Opt::Long("backend", Some(value)) => match value.to_str().and_then(Backend::parse) {
                Some(backend) => opts.backend = backend,
                None => {
                    bad_backend.get_or_insert(value);
                }
            },
            // Every letter of OPTSTRING is handled above.
            _ => return Outcome::Usage,
        }
    }
    if !getopt.into_operands().is_empty() {
        return Outcome::Usage;
    }
    match (bad_port, bad_backend) {
        (Some((option, value)), _) => Outcome::BadPort { option, value },
        (None, Some(value)) => Outcome::BadBackend(value),
        (None, None) => Outcome::Run(opts),
    }
}

/// A port number in decimal, 0 to 65535.
fn parse_port(value: &std::ffi::OsStr) -> Option<u16> {
    let s = value.to_str()?;
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use common::getopt::Error;

    fn parse_list(list: &[&str]) -> Parsed {
        let args: Vec<OsString> = std::iter::once("racoon")
            .chain(list.iter().copied())
            .map(OsString::from)
            .collect();
        parse_with(&args, Ordering::Permute)
    }

    fn outcome(list: &[&str]) -> Outcome {
        parse_list(list).outcome
    }

    fn run(list: &[&str]) -> Options {
        match outcome(list) {
            Outcome::Run(opts) => opts,
            other => panic!("{list:?}: expected Run, got {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let o = run(&[]);
        assert_eq!(o, Options::default());
        assert_eq!(o.config_file, PathBuf::from("/etc/racoon/racoon.conf"));
    }

    #[test]
    fn backend_long_option() {
        assert_eq!(run(&[]).backend, Backend::Auto);
        assert_eq!(run(&["--backend", "xfrm"]).backend, Backend::Xfrm);
        assert_eq!(run(&["--backend=pfkey", "-F"]).backend, Backend::Pfkey);
        assert_eq!(
            outcome(&["--backend", "bsd"]),
            Outcome::BadBackend("bsd".into())
        );
    }

    #[test]
    fn every_flag() {
        assert_eq!(run(&["-d"]).debug, 1);
        assert!(run(&["-L"]).print_location);
        assert!(run(&["-F"]).foreground);
        assert_eq!(run(&["-p", "5000"]).isakmp_port, Some(5000));
        assert_eq!(run(&["-P", "4501"]).natt_port, Some(4501));
        assert_eq!(
            run(&["-f", "/tmp/r.conf"]).config_file,
            PathBuf::from("/tmp/r.conf")
        );
        assert_eq!(
            run(&["-l", "/tmp/log"]).log_file,
            Some(PathBuf::from("/tmp/log"))
        );
        assert!(run(&["-t"]).config_test);
        assert_eq!(run(&["-v"]).verbose, 1);
        assert!(run(&["-Z"]).local_test);
        assert!(run(&["-B"]).load_backup_sa);
        assert_eq!(run(&["-C"]).dump_config, 1);
        assert_eq!(run(&["-4"]).family, Some(Family::Inet));
        assert_eq!(run(&["-6"]).family, Some(Family::Inet6));
        assert_eq!(outcome(&["-V"]), Outcome::Version);
    }

    #[test]
    fn combined_and_repeated() {
        let o = run(&["-ddd", "-Fv", "-v"]);
        assert_eq!(o.debug, 3);
        assert_eq!(o.verbose, 2);
        assert!(o.foreground);
        let o = run(&["-tf", "x.conf"]);
        assert!(o.config_test);
        assert_eq!(o.config_file, PathBuf::from("x.conf"));
        let o = run(&["-Lp500", "-P4500", "-46"]);
        assert!(o.print_location);
        assert_eq!((o.isakmp_port, o.natt_port), (Some(500), Some(4500)));
        assert_eq!(o.family, Some(Family::Inet6));
        assert_eq!(run(&["-f", "a", "-f", "b"]).config_file, PathBuf::from("b"));
        assert_eq!(run(&["-CC"]).dump_config, 2);
    }

    #[test]
    fn notices_in_order() {
        let p = parse_list(&["-FZF", "-d"]);
        assert_eq!(
            p.notices,
            vec![Notice::Foreground, Notice::LocalTest, Notice::Foreground]
        );
        let p = parse_list(&["-F", "-V", "-Z"]);
        assert_eq!(p.notices, vec![Notice::Foreground]);
        assert_eq!(p.outcome, Outcome::Version);
        assert_eq!(parse_list(&["-V", "-F"]).notices, vec![]);
        assert_eq!(Notice::Foreground.text(), "Foreground mode.\n");
        assert_eq!(Notice::LocalTest.text(), "Local test mode.\n");
    }

    #[test]
    fn errors() {
        assert_eq!(outcome(&["-h"]), Outcome::BadOption(Error::Unknown(b'h')));
        assert_eq!(outcome(&["-?"]), Outcome::BadOption(Error::Unknown(b'?')));
        assert_eq!(outcome(&["-dx"]), Outcome::BadOption(Error::Unknown(b'x')));
        assert_eq!(
            outcome(&["-f"]),
            Outcome::BadOption(Error::MissingArgument(b'f'))
        );
        assert_eq!(
            outcome(&["-Fl"]),
            Outcome::BadOption(Error::MissingArgument(b'l'))
        );
        assert_eq!(outcome(&["-V", "-x"]), Outcome::Version);
        assert_eq!(
            outcome(&["-x", "-V"]),
            Outcome::BadOption(Error::Unknown(b'x'))
        );
        assert_eq!(outcome(&["extra"]), Outcome::Usage);
        assert_eq!(outcome(&["-F", "extra", "-d"]), Outcome::Usage);
        assert_eq!(outcome(&["-V", "extra"]), Outcome::Version);
    }

    #[test]
    fn ports() {
        for bad in ["", "abc", "500x", "-1", "65536", "+5"] {
            assert_eq!(
                outcome(&["-p", bad]),
                Outcome::BadPort {
                    option: b'p',
                    value: bad.into()
                },
                "{bad:?}"
            );
        }
        assert_eq!(run(&["-p", "0"]).isakmp_port, Some(0));
        assert_eq!(run(&["-P", "65535"]).natt_port, Some(65535));
        assert_eq!(outcome(&["-P", "x", "-V"]), Outcome::Version);
        assert_eq!(
            outcome(&["-P", "x", "-p", "y"]),
            Outcome::BadPort {
                option: b'P',
                value: "x".into()
            }
        );
    }
}
