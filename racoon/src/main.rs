//! racoon: the IKEv1 key management daemon.

mod cli;
mod usage;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use common::getopt::short_program_name;

use cli::Outcome;
use racoon::daemon;

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
        Outcome::BadBackend(value) => {
            let msg = format!(
                "{name}: --backend: unknown kernel interface `{}' (pfkey, xfrm or auto)\n",
                value.to_string_lossy()
            );
            stderr(msg.as_bytes());
            ExitCode::FAILURE
        }
        Outcome::Run(opts) => {
            let settings = daemon::Settings {
                config_file: opts.config_file.clone(),
                foreground: opts.foreground,
                debug: opts.debug,
                log_file: opts.log_file.clone(),
                isakmp_port: opts.isakmp_port,
                natt_port: opts.natt_port,
                ipv4_only: opts.family.map(|f| f == cli::Family::Inet),
                backend: opts.backend,
                print_location: opts.print_location,
            };
            if opts.config_test {
                return if daemon::config_test(&settings, &name) {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                };
            }
            match daemon::run(&settings, &name) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    stderr(format!("{name}: {e}\n").as_bytes());
                    ExitCode::FAILURE
                }
            }
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
