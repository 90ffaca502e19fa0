//! setkey's command line, read as ipsec-tools 0.9.1 reads it.
//!
//! The original's getopt string is `acdf:HlnvxDFPphVrk?`; we add `N` (hide
//! per-socket policies, from the maintained fork's manual) and the long
//! option `--backend`, which no getopt letter cluster can spell. Parsing uses
//! [`common::getopt`] (see there why not clap) and acts on options in order,
//! as the original does: `-V`, `-h`, `-?`, `-d` and the first bad option end
//! parsing on the spot.

use std::ffi::{OsStr, OsString};

use common::getopt::{self, Getopt, LongOpt, Opt, Ordering};

/// glibc getopt letters: the original's plus `N`.
pub const OPTSTRING: &str = "acdf:HlnNvxDFPphVrk?";

/// Our additions that cannot clash with a letter.
pub const LONG_OPTIONS: &[LongOpt] = &[LongOpt {
    name: "backend",
    takes_arg: true,
}];

/// Which kernel interface carries the SA and SP operations (`--backend`): the one
/// definition lives with the kernel interface.
pub use common::kernel::Backend;

/// What setkey was asked to do; the last of `-c -f -D -F -x` wins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `-c`: commands from standard input.
    Stdin,
    /// `-f file`: commands from a file; `-` means standard input.
    Script(OsString),
    /// `-D`: dump the SAD (the SPD with `-P`).
    Dump,
    /// `-F`: flush the SAD (the SPD with `-P`).
    Flush,
    /// `-x`: print every PF_KEY message.
    Monitor,
}

/// How Linux `in` policies get their `fwd` twin (`-r` / `-k`, last wins).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Semantics {
    /// `-r`, the default: as the RFCs describe, a `fwd` policy for every `in`.
    #[default]
    Rfc,
    /// `-k`: exactly what the kernel is told.
    Kernel,
}

/// Everything the command line said, for a run that goes ahead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `-c`, `-f`, `-D`, `-F` or `-x`, whichever came last.
    pub mode: Option<Mode>,
    /// `-a`: show dead SAs too.
    pub all: bool,
    /// `-l`: with `-D`, loop forever with short output.
    pub forever: bool,
    /// `-n`: parse and check, change nothing.
    pub no_action: bool,
    /// `-N`: leave per-socket policies out of `-DP`.
    pub hide_per_socket: bool,
    /// `-H`: hex dump in `-x` mode.
    pub hexdump: bool,
    /// `-P`: `-D` and `-F` act on the SPD.
    pub policy: bool,
    /// `-p`: show ports.
    pub with_ports: bool,
    /// `-v`: print the kernel messages exchanged.
    pub verbose: bool,
    /// How many `-x`: 1 prints local times of day, 2 or more raw timestamps.
    pub monitor_timestamps: u32,
    /// `-r` / `-k`.
    pub semantics: Semantics,
    /// `--backend`.
    pub backend: Backend,
    /// Operands: files of PF_KEY messages to print. Given any, setkey does
    /// only that, whatever the mode.
    pub files: Vec<OsString>,
}

/// What to do, after the option letters have been weighed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action<'a> {
    /// `setkey file ...`.
    PrintFiles(&'a [OsString]),
    /// `-D` / `-DP`.
    Dump { policy: bool },
    /// `-F` / `-FP`.
    Flush { policy: bool },
    /// `-f file`.
    Script(&'a OsStr),
    /// `-c`.
    Stdin,
    /// `-x`.
    Monitor,
    /// No mode given: print the usage (and exit 1).
    Usage,
}

impl Options {
    /// The original's precedence: operands first, then the mode.
    pub fn action(&self) -> Action<'_> {
        if !self.files.is_empty() {
            return Action::PrintFiles(&self.files);
        }
        match &self.mode {
            Some(Mode::Dump) => Action::Dump {
                policy: self.policy,
            },
            Some(Mode::Flush) => Action::Flush {
                policy: self.policy,
            },
            Some(Mode::Script(file)) => Action::Script(file),
            Some(Mode::Stdin) => Action::Stdin,
            Some(Mode::Monitor) => Action::Monitor,
            None => Action::Usage,
        }
    }
}

/// How parsing ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A usable command line.
    Run(Options),
    /// `-V`: print the version line, exit 1.
    Version,
    /// No arguments, `-h`, `-?` or `-d`: print version and usage, exit 1.
    Usage,
    /// getopt complained: print its message on stderr, then the usage, exit 1.
    BadOption(getopt::Error),
    /// `--backend` with a value we do not know: print the message, exit 1.
    BadBackend(OsString),
}

/// Parses argv (program name first), honouring POSIXLY_CORRECT as glibc does.
pub fn parse(args: &[OsString]) -> Parsed {
    parse_with(args, Ordering::from_env())
}

/// Parses argv with the given operand ordering.
pub fn parse_with(args: &[OsString], ordering: Ordering) -> Parsed {
    if args.len() <= 1 {
        return Parsed::Usage;
    }
    let mut opts = Options::default();
    // Like racoon's numeric arguments, a bad backend is reported only if
    // nothing ends parsing first.
    let mut bad_backend = None;
    let mut getopt = Getopt::new(args, OPTSTRING, ordering).with_long(LONG_OPTIONS);
    for item in getopt.by_ref() {
        let opt = match item {
            Ok(opt) => opt,
            Err(e) => return Parsed::BadOption(e),
        };
        match opt {
            Opt::Flag(b'c') => opts.mode = Some(Mode::Stdin),
            Opt::WithArg(b'f', file) => opts.mode = Some(Mode::Script(file)),
            Opt::Flag(b'D') => opts.mode = Some(Mode::Dump),
            Opt::Flag(b'F') => opts.mode = Some(Mode::Flush),
            Opt::Flag(b'a') => opts.all = true,
            Opt::Flag(b'l') => opts.forever = true,
            Opt::Flag(b'n') => opts.no_action = true,
            Opt::Flag(b'N') => opts.hide_per_socket = true,
            Opt::Flag(b'H') => opts.hexdump = true,
            Opt::Flag(b'x') => {
                opts.mode = Some(Mode::Monitor);
                opts.monitor_timestamps += 1;
            }
            Opt::Flag(b'P') => opts.policy = true,
            Opt::Flag(b'p') => opts.with_ports = true,
            Opt::Flag(b'v') => opts.verbose = true,
            Opt::Flag(b'r') => opts.semantics = Semantics::Rfc,
            Opt::Flag(b'k') => opts.semantics = Semantics::Kernel,
            Opt::Flag(b'V') => return Parsed::Version,
            Opt::Long("backend", Some(value)) => match value.to_str().and_then(Backend::parse) {
                Some(backend) => opts.backend = backend,
                None => {
                    bad_backend.get_or_insert(value);
                }
            },
            // `-h` (on Linux), `-?`, and `-d`, which the original's getopt
            // string lists but its switch does not handle.
            _ => return Parsed::Usage,
        }
    }
    opts.files = getopt.into_operands();
    match bad_backend {
        Some(value) => Parsed::BadBackend(value),
        None => Parsed::Run(opts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use common::getopt::Error;

    fn parse_list(list: &[&str]) -> Parsed {
        let args: Vec<OsString> = std::iter::once("setkey")
            .chain(list.iter().copied())
            .map(OsString::from)
            .collect();
        parse_with(&args, Ordering::Permute)
    }

    fn run(list: &[&str]) -> Options {
        match parse_list(list) {
            Parsed::Run(opts) => opts,
            other => panic!("{list:?}: expected Run, got {other:?}"),
        }
    }

    #[test]
    fn no_arguments_is_usage() {
        assert_eq!(parse_list(&[]), Parsed::Usage);
    }

    #[test]
    fn every_flag() {
        let o = run(&["-a"]);
        assert!(o.all);
        assert_eq!(o.action(), Action::Usage);
        assert_eq!(run(&["-c"]).action(), Action::Stdin);
        assert_eq!(
            run(&["-f", "x.conf"]).action(),
            Action::Script(OsStr::new("x.conf"))
        );
        assert!(run(&["-H"]).hexdump);
        assert!(run(&["-l"]).forever);
        assert!(run(&["-n"]).no_action);
        assert!(run(&["-N"]).hide_per_socket);
        assert!(run(&["-v"]).verbose);
        let o = run(&["-x"]);
        assert_eq!(o.action(), Action::Monitor);
        assert_eq!(o.monitor_timestamps, 1);
        assert_eq!(run(&["-D"]).action(), Action::Dump { policy: false });
        assert_eq!(run(&["-F"]).action(), Action::Flush { policy: false });
        assert!(run(&["-P"]).policy);
        assert!(run(&["-p"]).with_ports);
        assert_eq!(run(&["-k"]).semantics, Semantics::Kernel);
        assert_eq!(run(&["-k", "-r"]).semantics, Semantics::Rfc);
        assert_eq!(run(&["-D"]).semantics, Semantics::Rfc);
        assert_eq!(parse_list(&["-V"]), Parsed::Version);
        assert_eq!(parse_list(&["-h"]), Parsed::Usage);
        assert_eq!(parse_list(&["-?"]), Parsed::Usage);
        assert_eq!(parse_list(&["-d"]), Parsed::Usage);
    }

    #[test]
    fn combined_flags() {
        assert_eq!(run(&["-DP"]).action(), Action::Dump { policy: true });
        assert_eq!(run(&["-FP"]).action(), Action::Flush { policy: true });
        let o = run(&["-DPalpNv"]);
        assert!(o.policy && o.all && o.forever && o.with_ports && o.hide_per_socket && o.verbose);
        assert_eq!(run(&["-xx"]).monitor_timestamps, 2);
        let o = run(&["-Hxxx"]);
        assert!(o.hexdump);
        assert_eq!(o.monitor_timestamps, 3);
        let o = run(&["-nvf", "file"]);
        assert!(o.no_action && o.verbose);
        assert_eq!(o.mode, Some(Mode::Script("file".into())));
        assert_eq!(run(&["-ffile"]).mode, Some(Mode::Script("file".into())));
        assert_eq!(run(&["-f", "-"]).mode, Some(Mode::Script("-".into())));
    }

    #[test]
    fn last_mode_wins() {
        assert_eq!(run(&["-D", "-F"]).action(), Action::Flush { policy: false });
        assert_eq!(run(&["-x", "-c"]).action(), Action::Stdin);
        assert_eq!(
            run(&["-f", "a", "-f", "b"]).mode,
            Some(Mode::Script("b".into()))
        );
        // -x counts even when another mode wins.
        assert_eq!(run(&["-x", "-D"]).monitor_timestamps, 1);
    }

    #[test]
    fn operands_override_the_mode_and_may_come_anywhere() {
        let o = run(&["a.bin", "-v", "-D", "b.bin"]);
        assert!(o.verbose);
        let files = [OsString::from("a.bin"), OsString::from("b.bin")];
        assert_eq!(o.action(), Action::PrintFiles(&files));
        let o = run(&["--", "-D"]);
        assert_eq!(o.files, vec![OsString::from("-D")]);
        assert_eq!(o.mode, None);
    }

    #[test]
    fn posix_order_stops_at_the_first_operand() {
        let args: Vec<OsString> = ["setkey", "file", "-D"]
            .iter()
            .map(OsString::from)
            .collect();
        match parse_with(&args, Ordering::RequireOrder) {
            Parsed::Run(o) => {
                assert_eq!(o.mode, None);
                assert_eq!(o.files.len(), 2);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn options_act_in_order() {
        assert_eq!(parse_list(&["-V", "-z"]), Parsed::Version);
        assert_eq!(
            parse_list(&["-z", "-V"]),
            Parsed::BadOption(Error::Unknown(b'z'))
        );
        assert_eq!(parse_list(&["-h", "-V"]), Parsed::Usage);
        assert_eq!(parse_list(&["-Vh"]), Parsed::Version);
        assert_eq!(parse_list(&["-D", "-dV"]), Parsed::Usage);
    }

    #[test]
    fn errors() {
        assert_eq!(parse_list(&["-z"]), Parsed::BadOption(Error::Unknown(b'z')));
        assert_eq!(
            parse_list(&["-Dz"]),
            Parsed::BadOption(Error::Unknown(b'z'))
        );
        assert_eq!(
            parse_list(&["-f"]),
            Parsed::BadOption(Error::MissingArgument(b'f'))
        );
        assert_eq!(
            parse_list(&["-nvf"]),
            Parsed::BadOption(Error::MissingArgument(b'f'))
        );
        assert_eq!(
            parse_list(&["--help"]),
            Parsed::BadOption(Error::Unknown(b'-'))
        );
        assert_eq!(
            parse_list(&["-D", "--backend"]),
            Parsed::BadOption(Error::LongMissingArgument("backend"))
        );
    }

    #[test]
    fn backend() {
        assert_eq!(run(&["-D"]).backend, Backend::Auto);
        assert_eq!(run(&["-D", "--backend", "xfrm"]).backend, Backend::Xfrm);
        assert_eq!(run(&["--backend=pfkey", "-D"]).backend, Backend::Pfkey);
        assert_eq!(
            run(&["--backend=pfkey", "--backend", "auto"]).backend,
            Backend::Auto
        );
        assert_eq!(
            parse_list(&["-D", "--backend", "netlink"]),
            Parsed::BadBackend("netlink".into())
        );
        assert_eq!(
            parse_list(&["--backend=", "-D"]),
            Parsed::BadBackend("".into())
        );
        // A terminating option still wins over a bad value, wherever it is.
        assert_eq!(parse_list(&["--backend=bad", "-V"]), Parsed::Version);
        for b in [Backend::Auto, Backend::Pfkey, Backend::Xfrm] {
            assert_eq!(Backend::parse(b.name()), Some(b));
        }
    }
}
