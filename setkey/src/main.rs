//! setkey: manually manipulate the IPsec SA/SP database.

mod cli;
mod usage;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use common::getopt::short_program_name;

use cli::{Action, Parsed};

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let argv0 = args.first().cloned().unwrap_or_else(|| "setkey".into());
    let name = short_program_name(&argv0).to_string_lossy().into_owned();
    // The original's usage() exits 1 whatever brought it there, -V included.
    match cli::parse(&args) {
        Parsed::Version => {
            stdout(usage::version().as_bytes());
            ExitCode::FAILURE
        }
        Parsed::Usage => {
            stdout(usage::usage().as_bytes());
            ExitCode::FAILURE
        }
        Parsed::BadOption(e) => {
            stderr(&e.message(&argv0));
            stdout(usage::usage().as_bytes());
            ExitCode::FAILURE
        }
        Parsed::BadBackend(value) => {
            let msg = format!(
                "{name}: unknown backend `{}' (expected pfkey, xfrm or auto)\n",
                value.to_string_lossy()
            );
            stderr(msg.as_bytes());
            ExitCode::FAILURE
        }
        Parsed::Run(opts) => {
            let what = match opts.action() {
                Action::Usage => {
                    stdout(usage::usage().as_bytes());
                    return ExitCode::FAILURE;
                }
                Action::PrintFiles(_) => "file arguments",
                Action::Dump { policy: false } => "-D",
                Action::Dump { policy: true } => "-DP",
                Action::Flush { policy: false } => "-F",
                Action::Flush { policy: true } => "-FP",
                Action::Script(_) => "-f",
                Action::Stdin => "-c",
                Action::Monitor => "-x",
            };
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
