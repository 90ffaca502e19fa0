//! racoon: the IKEv1 key management daemon.

mod cli;
mod usage;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use common::getopt::short_program_name;

use cli::Outcome;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let argv0 = args.first().cloned().unwrap_or_else(|| "racoon".into());
    let name = short_program_name(&argv0).to_string_lossy().into_owned();
    let parsed = cli::parse(&args);
    for notice in &parsed.notices {
        stdout(notice.text().as_bytes());
    }
    match parsed.outcome {
        Outcome::Version => {
            stdout(usage::version().as_bytes());
            ExitCode::SUCCESS
        }
        Outcome::Usage => {
            stdout(usage::usage().as_bytes());
            ExitCode::FAILURE
        }
        Outcome::BadOption(e) => {
            stderr(&e.message(&argv0));
            stdout(usage::usage().as_bytes());
            ExitCode::FAILURE
        }
        Outcome::BadPort { option, value } => {
            let msg = format!(
                "{name}: -{}: invalid port number `{}'\n",
                char::from(option),
                value.to_string_lossy()
            );
            stderr(msg.as_bytes());
            ExitCode::FAILURE
        }
        Outcome::Run(opts) => {
            let what = if opts.config_test {
                "-t"
            } else {
                "daemon mode"
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
