//! setkey: manually manipulate the IPsec SA/SP database.

mod cli;
mod usage;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use common::getopt::short_program_name;

use cli::{Action, Options, Parsed};
use common::dump::{CachedClock, DumpOptions, SystemClock};
use common::kernel;
use setkey::printer::Printer;
use setkey::resolve::{Semantics, SystemResolver};
use setkey::run::{self, Ctx};
use std::io::Read;

fn main() -> ExitCode {
    common::sigpipe::restore_default();
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
        Parsed::Run(opts) => match run(&name, &opts) {
            Ok(code) => ExitCode::from(code),
            Err(e) => {
                stderr(format!("{name}: {e}\n").as_bytes());
                ExitCode::FAILURE
            }
        },
    }
}

/// Runs the action the options ask for; the exit status, or an error that ends setkey
/// with status 1.
fn run(name: &str, opts: &Options) -> Result<u8, String> {
    let clock = CachedClock::new(SystemClock);
    let mut dump_opts = DumpOptions::new(&clock);
    dump_opts.with_ports = opts.with_ports;
    dump_opts.show_dead = opts.all;
    dump_opts.hide_per_socket = opts.hide_per_socket;
    let printer = Printer { opts: dump_opts };
    let semantics = Semantics {
        rfc_fwd: opts.semantics == cli::Semantics::Rfc,
    };
    let runs = matches!(
        opts.action(),
        Action::Script(_) | Action::Stdin | Action::Dump { .. } | Action::Flush { .. }
    );
    let trace = opts.verbose && runs && !opts.no_action;
    // The kernel is opened before the output borrows begin (they must outlive it), and
    // not at all where nothing will reach it (-n, usage, a file that cannot be read).
    let action = opts.action();
    let script = match action {
        Action::Script(path) => Some(read_script(path)?),
        _ => None,
    };
    let needs_kernel = match action {
        Action::Script(_) | Action::Stdin => !opts.no_action,
        Action::Dump { .. } | Action::Flush { .. } => true,
        _ => false,
    };
    let mut kernel = match action {
        Action::Dump { .. } if !trace => Some(open_reader(opts.backend)?),
        _ if needs_kernel => Some(open_kernel(opts.backend, trace)?),
        _ => None,
    };
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    let mut cx = Ctx {
        name,
        semantics,
        resolver: &SystemResolver,
        printer: &printer,
        out: &mut out,
        err: &mut err,
    };
    let io = |e: std::io::Error| e.to_string();
    let k = kernel.as_deref_mut();
    match (action, k) {
        (Action::Script(_), k) => {
            let (file, text) = script.unwrap_or_default();
            run::file(&mut cx, k, &file, &text).map_err(io)
        }
        (Action::Stdin, k) => {
            let stdin = std::io::stdin();
            run::stdin(&mut cx, k, &mut stdin.lock()).map_err(io)
        }
        (Action::Dump { policy }, Some(k)) if opts.forever => {
            let second = std::time::Duration::from_secs(1);
            run::dump_forever(&mut cx, k, policy, &printer.opts, None, second).map_err(io)
        }
        (Action::Dump { policy }, Some(k)) => {
            run::dump(&mut cx, k, policy, &printer.opts).map_err(io)
        }
        (Action::Flush { policy }, Some(k)) => run::flush(&mut cx, k, policy).map_err(io),
        (Action::PrintFiles(files), _) => {
            setkey::monitor::print_files(name, files, &printer.opts, opts.verbose, cx.out, cx.err)
                .map_err(io)
        }
        (Action::Monitor, _) => {
            setkey::monitor::run(opts.backend, opts.monitor_timestamps, opts.hexdump, cx.out)
        }
        (Action::Usage, _) | (_, None) => {
            stdout(usage::usage().as_bytes());
            Ok(1)
        }
    }
}

/// The kernel interface for `-D` and `-DP`. The PF_KEY backend reads the tables
/// through XFRM netlink anyway (`kernel::rfc_pfkey`), so a dump opens only that socket
/// where it can: closing an AF_KEY socket waits for an RCU grace period
/// (`pfkey_release`), which costs a short dump more than the dump itself.
fn open_reader(choice: kernel::Backend) -> Result<Box<dyn kernel::Kernel>, String> {
    if kernel::resolve_backend(choice) == kernel::Backend::Pfkey {
        if let Ok(x) = common::xfrm::XfrmKernel::open() {
            return Ok(Box::new(x));
        }
    }
    open_kernel(choice, false)
}

/// The kernel interface; with `trace` (`-v`), every message exchanged is printed as
/// the original's `kdebug_sadb()` does: on PF_KEY the messages themselves, on XFRM
/// their PF_KEY equivalents (`setkey::trace`).
fn open_kernel(choice: kernel::Backend, trace: bool) -> Result<Box<dyn kernel::Kernel>, String> {
    if !trace {
        return kernel::open(choice).map_err(|e| e.to_string());
    }
    if kernel::resolve_backend(choice) != kernel::Backend::Pfkey {
        let inner = kernel::open(choice).map_err(|e| e.to_string())?;
        return Ok(Box::new(setkey::trace::PfkeyTrace::new(
            inner,
            Box::new(|text: &str| stdout(text.as_bytes())),
        )));
    }
    let mut pfkey = common::pfkey::PfkeyKernel::open().map_err(|e| e.to_string())?;
    pfkey.set_trace(Some(Box::new(|bytes: &[u8]| {
        stdout(setkey::monitor::trace_text(bytes).as_bytes());
    })));
    Ok(Box::new(
        kernel::rfc_pfkey::RfcPfkey::new(pfkey).reading_through_pfkey(),
    ))
}

/// The script's name for messages and its text; `-` is standard input.
fn read_script(path: &std::ffi::OsStr) -> Result<(String, String), String> {
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| e.to_string())?;
        return Ok(("<stdin>".to_owned(), text));
    }
    let file = path.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("Can't open `{file}': {}", kernel::KernelError::from(e)))?;
    Ok((file, text))
}

/// Writes to stdout; a closed pipe is the reader's choice, not our error.
fn stdout(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

fn stderr(bytes: &[u8]) {
    let _ = std::io::stderr().lock().write_all(bytes);
}
