//! racoonctl: control a running racoon through its admin socket.

mod cli;
mod client;
mod fail;
mod output;
mod password;
mod request;
mod saopts;
mod usage;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use common::admin::{evt, Command, Event, Proto, Reply, EVT_ASYNC_LEN};
use common::dump::SystemClock;
use common::getopt::short_program_name;

use cli::Parsed;
use client::Client;
use request::Wait;

fn main() -> ExitCode {
    common::sigpipe::restore_default();
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
        Parsed::Run(opts) => ExitCode::from(run(&opts, &name)),
    }
}

fn run(opts: &cli::Options, name: &str) -> u8 {
    let built = match request::build(opts.command, &opts.args, &mut request::System) {
        Ok(b) => b,
        Err(f) => {
            let (out, err) = f.render(name);
            if let Some(o) = out {
                stdout(o.as_bytes());
            }
            stderr(err.as_bytes());
            return 1;
        }
    };
    for w in &built.warnings {
        stderr(format!("{name}: {w}\n").as_bytes());
    }
    let bytes = built.request.encode();
    if opts.debug > 0 {
        stdout(output::hexdump::hexdump(&bytes).as_bytes());
    }
    let command = opts.command.name();
    let fail = |e: client::ClientError| {
        match (&e, e.message()) {
            (client::ClientError::Refused(_), Some(m)) => {
                stderr(format!("{name}: {command}: {m}\n").as_bytes())
            }
            (_, Some(m)) => stderr(format!("{name}: {m}\n").as_bytes()),
            (_, None) => {}
        }
        e.exit_code()
    };
    let mut client = match Client::connect(&opts.socket) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    if let Err(e) = client.send(&bytes) {
        return fail(e);
    }
    let mut wait = built.wait;
    loop {
        let reply = match client.recv() {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        if let Some(code) = handle(&reply, opts.long_format, &mut wait, name) {
            return code;
        }
        // The reply to the request comes first; then only events end a wait.
        if wait == Wait::Reply {
            return 0;
        }
    }
}

/// Prints one reply; `Some(status)` to stop at once.
fn handle(reply: &Reply, long: u32, wait: &mut Wait, name: &str) -> Option<u8> {
    let clock = SystemClock;
    let payload = &reply.payload;
    match Command::from_code(reply.cmd) {
        Some(Command::ShowSched) => stdout(output::schedule::print(payload, &clock).as_bytes()),
        Some(Command::ShowEvt) => {
            if payload.is_empty() {
                return None;
            }
            if payload.len() < EVT_ASYNC_LEN {
                stderr(format!("{name}: Short buffer\n\n").as_bytes());
                return Some(1);
            }
            let Ok(e) = Event::decode(payload) else {
                return None;
            };
            match *wait {
                Wait::Reply | Wait::Forever => stdout(output::event::print_evt(&e).as_bytes()),
                Wait::Event(k) if k == e.kind => {
                    let text = if k == evt::PHASE1_MODE_CFG {
                        output::event::print_cfg(&e, columns())
                    } else {
                        output::event::print_evt(&e)
                    };
                    stdout(text.as_bytes());
                    *wait = Wait::Reply;
                }
                Wait::Event(_) => {}
            }
        }
        Some(Command::GetSaCert) => stdout(payload),
        Some(Command::ShowSa) => {
            let text = match Proto::from_code(reply.proto) {
                Some(Proto::Isakmp) => output::isakmp::dump(payload, long, &clock),
                Some(Proto::Ipsec | Proto::Ah | Proto::Esp) => {
                    output::sadump::print(payload, &clock)
                }
                _ => format!("Invalid proto [{}]\n", reply.proto),
            };
            stdout(text.as_bytes());
        }
        Some(Command::Status | Command::StatusVerbose) => stdout(payload),
        _ => {}
    }
    None
}

/// The terminal's width for the mode-config banner; 0 when stdout is no terminal.
fn columns() -> usize {
    // SAFETY: winsize is plain data; TIOCGWINSZ only fills it in.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    if unsafe { libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) } == -1 {
        return 0;
    }
    usize::from(ws.ws_col)
}

/// Writes to stdout; a closed pipe is the reader's choice, not our error.
fn stdout(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

fn stderr(bytes: &[u8]) {
    let _ = std::io::stderr().lock().write_all(bytes);
}
