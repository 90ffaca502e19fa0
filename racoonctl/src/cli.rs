//! racoonctl's command line, read as ipsec-tools 0.9.1 reads it.
//!
//! Global options come first (getopt string `lds:`); the original sets
//! POSIXLY_CORRECT on Linux so that getopt stops at the command word and
//! leaves the command's own `-u`, `-n`, `-w`, `-v`, `-f` alone, so we always
//! parse in POSIX order. There is no `-h` or `-V`: like any unknown letter
//! they print getopt's complaint and the usage, and racoonctl exits 0. The
//! command's own arguments are kept as given for the command to read.
//! Parsing uses [`common::getopt`]; see there why not clap.

use std::ffi::OsString;
use std::path::PathBuf;

use common::getopt::{self, Getopt, Opt, Ordering};

/// glibc getopt letters, as the original has them.
pub const OPTSTRING: &str = "lds:";

/// The admin socket racoonctl talks to without `-s`: the one racoon opens by default.
pub use common::admin::ADMINSOCK_PATH;

/// The admin commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    ReloadConfig,
    ShowSchedule,
    ShowSa,
    GetCert,
    FlushSa,
    DeleteSa,
    EstablishSa,
    VpnConnect,
    VpnDisconnect,
    ShowEvent,
    LogoutUser,
    Status,
}

/// Each command's name and short alias.
const COMMANDS: &[(&str, &str, Command)] = &[
    ("reload-config", "rc", Command::ReloadConfig),
    ("show-schedule", "sc", Command::ShowSchedule),
    ("show-sa", "ss", Command::ShowSa),
    ("get-cert", "gc", Command::GetCert),
    ("flush-sa", "fs", Command::FlushSa),
    ("delete-sa", "ds", Command::DeleteSa),
    ("establish-sa", "es", Command::EstablishSa),
    ("vpn-connect", "vc", Command::VpnConnect),
    ("vpn-disconnect", "vd", Command::VpnDisconnect),
    ("show-event", "se", Command::ShowEvent),
    ("logout-user", "lu", Command::LogoutUser),
    ("status", "st", Command::Status),
];

impl Command {
    /// The command a word names, by full name or alias (exact match).
    pub fn from_word(word: &str) -> Option<Command> {
        COMMANDS
            .iter()
            .find(|(name, alias, _)| *name == word || *alias == word)
            .map(|&(_, _, command)| command)
    }

    /// The full name, e.g. `show-sa`.
    pub fn name(self) -> &'static str {
        COMMANDS
            .iter()
            .find(|(_, _, command)| *command == self)
            .map_or("?", |&(name, _, _)| name)
    }
}

/// Everything the command line said, for a run that goes ahead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// `-d`, counted: hex dump the request before sending it.
    pub debug: u32,
    /// `-l`, counted: longer output (mainly show-sa).
    pub long_format: u32,
    /// `-s socket`, else [`ADMINSOCK_PATH`].
    pub socket: PathBuf,
    /// The command word.
    pub command: Command,
    /// Everything after the command word, untouched.
    pub args: Vec<String>,
}

/// How parsing ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A known command.
    Run(Options),
    /// No command word: print the usage, exit 0.
    Usage,
    /// getopt complained: its message on stderr, then the usage, exit 0.
    BadOption(getopt::Error),
    /// A command word we do not know: `Invalid command [word]` on stdout,
    /// `racoonctl: kmpstat: Invalid argument` on stderr, exit 1.
    InvalidCommand(String),
}

/// Parses argv (program name first).
pub fn parse(args: &[OsString]) -> Parsed {
    let mut debug = 0;
    let mut long_format = 0;
    let mut socket = PathBuf::from(ADMINSOCK_PATH);
    let mut getopt = Getopt::new(args, OPTSTRING, Ordering::RequireOrder);
    for item in getopt.by_ref() {
        match item {
            Ok(Opt::Flag(b'l')) => long_format += 1,
            Ok(Opt::Flag(b'd')) => debug += 1,
            Ok(Opt::WithArg(b's', path)) => socket = path.into(),
            Ok(_) => return Parsed::Usage,
            Err(e) => return Parsed::BadOption(e),
        }
    }
    let mut rest = getopt
        .into_operands()
        .into_iter()
        .map(|arg| arg.to_string_lossy().into_owned());
    let Some(word) = rest.next() else {
        return Parsed::Usage;
    };
    match Command::from_word(&word) {
        Some(command) => Parsed::Run(Options {
            debug,
            long_format,
            socket,
            command,
            args: rest.collect(),
        }),
        None => Parsed::InvalidCommand(word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use common::getopt::Error;

    fn parse_list(list: &[&str]) -> Parsed {
        let args: Vec<OsString> = std::iter::once("racoonctl")
            .chain(list.iter().copied())
            .map(OsString::from)
            .collect();
        parse(&args)
    }

    fn run(list: &[&str]) -> Options {
        match parse_list(list) {
            Parsed::Run(opts) => opts,
            other => panic!("{list:?}: expected Run, got {other:?}"),
        }
    }

    #[test]
    fn every_command_and_alias() {
        let all = [
            ("reload-config", "rc", Command::ReloadConfig),
            ("show-schedule", "sc", Command::ShowSchedule),
            ("show-sa", "ss", Command::ShowSa),
            ("get-cert", "gc", Command::GetCert),
            ("flush-sa", "fs", Command::FlushSa),
            ("delete-sa", "ds", Command::DeleteSa),
            ("establish-sa", "es", Command::EstablishSa),
            ("vpn-connect", "vc", Command::VpnConnect),
            ("vpn-disconnect", "vd", Command::VpnDisconnect),
            ("show-event", "se", Command::ShowEvent),
            ("logout-user", "lu", Command::LogoutUser),
            ("status", "st", Command::Status),
        ];
        assert_eq!(all.len(), COMMANDS.len());
        for (name, alias, command) in all {
            assert_eq!(run(&[name]).command, command);
            assert_eq!(run(&[alias]).command, command);
            assert_eq!(command.name(), name);
        }
    }

    #[test]
    fn defaults() {
        let o = run(&["show-sa", "isakmp"]);
        assert_eq!(o.debug, 0);
        assert_eq!(o.long_format, 0);
        assert_eq!(o.socket, PathBuf::from("/var/racoon/racoon.sock"));
        assert_eq!(o.args, vec!["isakmp"]);
    }

    #[test]
    fn global_options() {
        let o = run(&["-ll", "-d", "-s", "/run/r.sock", "ss", "esp"]);
        assert_eq!((o.long_format, o.debug), (2, 1));
        assert_eq!(o.socket, PathBuf::from("/run/r.sock"));
        let o = run(&["-lds/tmp/a.sock", "-s", "/tmp/b.sock", "rc"]);
        assert_eq!((o.long_format, o.debug), (1, 1));
        assert_eq!(o.socket, PathBuf::from("/tmp/b.sock"));
        let o = run(&["--", "sc"]);
        assert_eq!(o.command, Command::ShowSchedule);
    }

    #[test]
    fn command_arguments_are_left_alone() {
        let o = run(&["vc", "-u", "user", "gw.example.net"]);
        assert_eq!(o.command, Command::VpnConnect);
        assert_eq!(o.args, vec!["-u", "user", "gw.example.net"]);
        let o = run(&[
            "-l",
            "establish-sa",
            "-w",
            "isakmp",
            "inet",
            "10.0.0.1",
            "10.0.0.2",
            "-l",
        ]);
        assert_eq!(o.long_format, 1);
        assert_eq!(
            o.args,
            vec!["-w", "isakmp", "inet", "10.0.0.1", "10.0.0.2", "-l"]
        );
        let o = run(&["status", "-v", "--format=json"]);
        assert_eq!(o.args, vec!["-v", "--format=json"]);
    }

    #[test]
    fn usage_and_errors() {
        assert_eq!(parse_list(&[]), Parsed::Usage);
        assert_eq!(parse_list(&["-l"]), Parsed::Usage);
        assert_eq!(parse_list(&["--"]), Parsed::Usage);
        assert_eq!(parse_list(&["-h"]), Parsed::BadOption(Error::Unknown(b'h')));
        assert_eq!(parse_list(&["-V"]), Parsed::BadOption(Error::Unknown(b'V')));
        assert_eq!(
            parse_list(&["-lx", "rc"]),
            Parsed::BadOption(Error::Unknown(b'x'))
        );
        assert_eq!(
            parse_list(&["-s"]),
            Parsed::BadOption(Error::MissingArgument(b's'))
        );
        assert_eq!(
            parse_list(&["-ds"]),
            Parsed::BadOption(Error::MissingArgument(b's'))
        );
        assert_eq!(parse_list(&["show"]), Parsed::InvalidCommand("show".into()));
        assert_eq!(parse_list(&["SS"]), Parsed::InvalidCommand("SS".into()));
        assert_eq!(parse_list(&["-", "rc"]), Parsed::InvalidCommand("-".into()));
    }
}
