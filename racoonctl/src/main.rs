//! racoonctl: control a running racoon through its admin socket.

mod cli;
mod usage;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use common::getopt::short_program_name;

use cli::Parsed;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let argv0 = args.first().cloned().unwrap_or_else(|| "racoonctl".into());
    let name = short_program_name(&argv0).to_string_lossy().into_owned();
    // The original exits 0 after printing its usage, even for a bad option.
    match cli::parse(&args) {
        Parsed::Usage => {
            stdout(usage::usage(&argv0).as_bytes());
            ExitCode::SUCCESS
        }
        Parsed::BadOption(e) => {
            stderr(&e.message(&argv0));
            stdout(usage::usage(&argv0).as_bytes());
            ExitCode::SUCCESS
        }
        Parsed::InvalidCommand(word) => {
            stdout(format!("Invalid command [{word}]\n").as_bytes());
            stderr(format!("{name}: kmpstat: Invalid argument\n").as_bytes());
            ExitCode::FAILURE
        }
        Parsed::Run(opts) => {
            let what = opts.command.name();
            stderr(format!("{name}: {what}: not implemented yet\n").as_bytes());
            ExitCode::FAILURE
        }
    }
}

/// Writes to stdout; a closed pipe is the reader's choice, not our error.
fn stdout(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

fn stderr(bytes: &[u8]) {
    let _ = std::io::stderr().lock().write_all(bytes);
}
