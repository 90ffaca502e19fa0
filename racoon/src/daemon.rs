//! The racoon daemon: the I/O around the sans-IO [`crate::engine`].
//!
//! One thread, one `poll(2)` over the IKE sockets, the kernel's event socket and a
//! signal pipe, with the engine's next timer as the timeout. Datagrams go to
//! `handle_datagram`, kernel events (ACQUIRE, EXPIRE, policy changes) to
//! `handle_kernel_event`; the engine's outputs are performed in order: datagrams sent,
//! GETSPI answered synchronously, SAs installed or deleted, log lines written.
//!
//! Files: `log` (plog.c's format and sinks), `sockets` (binding, local addresses),
//! `bypass` (the IKE sockets' exemption from IPsec policies),
//! `kernel_io` (performing the engine's kernel requests), `signals` (self-pipe),
//! `scripts` (the `script` hooks, started and reaped),
//! `daemonize` (fork, setsid, pid file).

mod bypass;
mod daemonize;
mod kernel_io;
mod log;
mod natt_socket;
pub mod scripts;
mod signals;
mod sockets;
mod xauth_login;

pub use log::{effective_level, level_name, Logger};

use crate::conf::{Config, LogLevel};
use crate::crypto::OsRng;
use crate::engine::{Engine, Output};
use crate::psk::{check_file_mode, PskFile};
use common::kernel::{self, Backend};
use kernel_io::KernelIo;
use signals::{Request, Signals};
use sockets::IkeSocket;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the command line asks of the daemon.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub config_file: PathBuf,
    pub foreground: bool,
    /// `-d`, counted.
    pub debug: u32,
    pub log_file: Option<PathBuf>,
    /// `-p`.
    pub isakmp_port: Option<u16>,
    /// `-P`: the NAT-T port (4500).
    pub natt_port: Option<u16>,
    /// `-4` (`Some(true)`) / `-6` (`Some(false)`).
    pub ipv4_only: Option<bool>,
    pub backend: Backend,
    /// `-L`: each log line names the source file and line that logged it.
    pub print_location: bool,
}

/// A configuration that loaded, with its pre-shared keys and what to warn about.
pub struct Loaded {
    pub config: Config,
    pub psk: PskFile,
    /// The certificates and keys the configuration names.
    pub certs: crate::crypto::CertStore,
    pub warnings: Vec<String>,
}

/// Loads racoon.conf and the psk file it names (checking its owner and mode). The
/// error is the text after `racoon: ` (`FILE:LINE:COL: ...` for the configuration).
pub fn load(path: &str) -> Result<Loaded, String> {
    let config = Config::load(path).map_err(|e| e.to_string())?;
    let mut warnings: Vec<String> = config.warnings.iter().map(|w| w.to_string()).collect();
    warnings.extend(config.unimplemented.iter().map(|u| u.to_string()));
    let psk = match &config.paths.pre_shared_key {
        Some(p) => {
            let file = &p.value;
            check_file_mode(file).map_err(|e| e.to_string())?;
            let text = std::fs::read(file)
                .map_err(|e| format!("{}: {file}: {}", p.location, io_text(&e)))?;
            let psk = PskFile::parse(&text);
            warnings.extend(psk.warnings().into_iter().map(|w| format!("{file}: {w}")));
            psk
        }
        None => PskFile::parse(b""),
    };
    let certs = crate::crypto::CertStore::load(&config)?;
    Ok(Loaded {
        config,
        psk,
        certs,
        warnings,
    })
}

fn io_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    s.split(" (os error").next().unwrap_or(&s).to_owned()
}

/// `racoon -t`: load and report; exit status 0 or 1.
pub fn config_test(settings: &Settings, name: &str) -> bool {
    match load(&settings.config_file.to_string_lossy()) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("{name}: WARNING: {w}");
            }
            true
        }
        Err(e) => {
            eprintln!("{name}: {e}");
            false
        }
    }
}

/// Runs the daemon until SIGTERM/SIGINT; the result is the exit status's reason.
pub fn run(settings: &Settings, name: &str) -> Result<(), String> {
    let path = settings.config_file.to_string_lossy().into_owned();
    let loaded = load(&path)?;
    let level = effective_level(loaded.config.log.as_ref().map(|l| l.value), settings.debug);
    let mut logger = Logger::open(level, settings.foreground, settings.log_file.as_deref())
        .map_err(|e| {
            let file = settings.log_file.clone().unwrap_or_default();
            let file = file.display();
            format!("failed to open log file {file}: {}", io_text(&e))
        })?;
    logger.set_print_location(settings.print_location);
    logger.log(LogLevel::Info, &format!("@(#){}", crate_version()));
    for w in &loaded.warnings {
        logger.log(LogLevel::Warning, w);
    }

    let mut kernel = kernel::open(settings.backend).map_err(|e| e.to_string())?;
    kernel
        .subscribe()
        .map_err(|e| format!("failed to register with the kernel: {e}"))?;
    logger.log(
        LogLevel::Debug,
        &format!("kernel interface: {}", kernel.backend().name()),
    );

    let sockets = open_sockets(&loaded.config, settings, &mut logger)?;
    if sockets.is_empty() {
        return Err("no address could be used as isakmp port".to_owned());
    }

    if !settings.foreground {
        daemonize::daemonize().map_err(|e| format!("failed to daemonize: {e}"))?;
        let pidfile = loaded
            .config
            .paths
            .pidfile
            .as_ref()
            .map_or(daemonize::DEFAULT_PIDFILE.to_owned(), |p| p.value.clone());
        if let Err(e) = daemonize::write_pidfile(&pidfile) {
            logger.log(
                LogLevel::Error,
                &format!("cannot write pid file {pidfile}: {}", io_text(&e)),
            );
        }
    }
    let signals = Signals::install().map_err(|e| format!("signal setup: {e}"))?;
    let admin =
        crate::admin::AdminServer::open(&loaded.config.listen, settings.backend, &mut logger);

    let local_addrs: Vec<IpAddr> = sockets.iter().map(|s| s.local.ip()).collect();
    let mut engine = Engine::new(
        Arc::new(loaded.config),
        Arc::new(loaded.psk),
        local_addrs,
        Box::new(OsRng),
    );
    engine.set_certs(Arc::new(loaded.certs));
    engine.set_xauth_backend(Box::new(xauth_login::SystemLogin));
    engine.set_natt_port(settings.natt_port.unwrap_or(natt_socket::NATT_PORT));
    let mut kio = KernelIo::new(kernel);
    kio.load_policies(&mut engine, &mut logger);

    let mut daemon = Daemon {
        engine,
        sockets,
        logger,
        buf: vec![0; 65536],
        debug: settings.debug,
        admin,
        scripts: scripts::Children::default(),
    };
    let stopped = daemon.run_loop(&mut kio, &signals, name, &path);
    if let Ok(sig) = stopped {
        daemon
            .logger
            .log(LogLevel::Info, &format!("caught signal {sig}"));
    }
    // The peers hear that our SAs are gone (DELETE payloads) before they go from the
    // kernel, so that theirs go too; then whatever we installed and still see goes.
    daemon.engine.shutdown(Instant::now());
    daemon.drain(&mut kio);
    kio.delete_ours(&mut daemon.logger);
    daemon.logger.log(
        LogLevel::Info,
        &format!("racoon process {} shutdown", std::process::id()),
    );
    stopped.map(|_| ())
}

fn crate_version() -> String {
    format!("racoon (Rust) {}", env!("CARGO_PKG_VERSION"))
}

fn open_sockets(
    config: &Config,
    settings: &Settings,
    logger: &mut Logger,
) -> Result<Vec<IkeSocket>, String> {
    let port = settings.isakmp_port.unwrap_or(crate::conf::ISAKMP_PORT);
    let mut addrs: Vec<SocketAddr> = Vec::new();
    if config.listen.isakmp.is_empty() {
        let ips =
            sockets::local_addresses(settings.ipv4_only).map_err(|e| format!("getifaddrs: {e}"))?;
        addrs.extend(ips.into_iter().map(|ip| SocketAddr::new(ip, port)));
    } else {
        for ep in &config.listen.isakmp {
            let sa = ep
                .value
                .to_socket_addr()
                .map_err(|e| format!("{}: {e}", ep.location))?;
            addrs.push(sa);
        }
    }
    let mut out = Vec::new();
    for a in addrs {
        match sockets::bind(a) {
            Ok(s) => {
                logger.log(
                    LogLevel::Info,
                    &format!(
                        "{}[{}] used as isakmp port (fd={})",
                        s.local.ip(),
                        s.local.port(),
                        s.fd()
                    ),
                );
                out.push(s);
            }
            Err(e) if config.listen.strict_address => {
                return Err(format!("failed to bind to {a}: {e}"));
            }
            Err(e) => logger.log(LogLevel::Error, &format!("failed to bind to {a}: {e}")),
        }
    }
    let natt_port = settings.natt_port.unwrap_or(natt_socket::NATT_PORT);
    natt_socket::open(config, &mut out, natt_port, logger)?;
    Ok(out)
}

struct Daemon {
    engine: Engine,
    sockets: Vec<IkeSocket>,
    logger: Logger,
    buf: Vec<u8>,
    /// `-d`, counted: it raises the level a reloaded configuration sets.
    debug: u32,
    /// racoonctl's socket (`racoon/src/admin.rs`).
    admin: crate::admin::AdminServer,
    /// `script` hooks still running.
    scripts: scripts::Children,
}

/// Without an event descriptor (the in-memory kernel) the kernel is polled this often.
const KERNEL_POLL: Duration = Duration::from_millis(10);

impl Daemon {
    fn run_loop(
        &mut self,
        kio: &mut KernelIo,
        signals: &Signals,
        name: &str,
        path: &str,
    ) -> Result<i32, String> {
        // Events queued while subscribing never make the descriptor readable.
        self.read_kernel(kio);
        loop {
            self.drain(kio);
            self.scripts.reap();
            self.admin.publish(&self.engine);
            match signals.take() {
                Some(Request::Stop(sig)) => return Ok(sig),
                Some(Request::Reload) => self.reload(kio, name, path),
                None => {}
            }
            let now = Instant::now();
            let kernel_fd = kio.event_fd();
            let mut timeout = self
                .engine
                .poll_timeout()
                .map(|at| at.saturating_duration_since(now));
            if kernel_fd.is_none() {
                timeout = Some(timeout.map_or(KERNEL_POLL, |t| t.min(KERNEL_POLL)));
            }
            let mut fds: Vec<libc::pollfd> = self
                .sockets
                .iter()
                .map(|s| s.fd())
                .chain(kernel_fd)
                .chain([signals.fd()])
                .map(|fd| libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                })
                .collect();
            let admin_at = fds.len();
            fds.extend(self.admin.pollfds());
            let ms = timeout.map_or(-1, |t| {
                // Round up so that a timer is never polled for before it is due.
                i32::try_from(t.as_micros().div_ceil(1000)).unwrap_or(i32::MAX)
            });
            // SAFETY: fds is a valid array of pollfd of the given length.
            let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
            if n < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(format!("poll: {e}"));
            }
            let ready: Vec<usize> = fds[..self.sockets.len()]
                .iter()
                .enumerate()
                .filter(|(_, p)| p.revents != 0)
                .map(|(i, _)| i)
                .collect();
            for i in ready {
                self.read_socket(i);
            }
            let kernel_ready = kernel_fd.is_none() || fds[self.sockets.len()].revents != 0;
            if kernel_ready {
                self.read_kernel(kio);
            }
            let now = Instant::now();
            if self.engine.poll_timeout().is_some_and(|at| at <= now) {
                self.engine.handle_timeout(now);
            }
            if self
                .admin
                .service(&fds[admin_at..], &mut self.engine, &mut self.logger)
            {
                self.reload(kio, name, path);
            }
        }
    }

    /// SIGHUP: racoon.conf and the psk file are read again and handed to the engine for
    /// the negotiations to come; established SAs stay. A configuration that does not
    /// load leaves the running one in place, with the original's "config reload failed".
    fn reload(&mut self, _kio: &mut KernelIo, _name: &str, path: &str) {
        match load(path) {
            Ok(loaded) => {
                let level =
                    effective_level(loaded.config.log.as_ref().map(|l| l.value), self.debug);
                self.logger.set_level(level);
                for w in &loaded.warnings {
                    self.logger.log(LogLevel::Warning, w);
                }
                self.engine.set_config(
                    Instant::now(),
                    Arc::new(loaded.config),
                    Arc::new(loaded.psk),
                );
                self.engine.set_certs(Arc::new(loaded.certs));
                self.logger.log(
                    LogLevel::Debug,
                    &format!("configuration reloaded from {path}"),
                );
            }
            Err(e) => {
                self.logger.log(LogLevel::Error, &e);
                self.logger.log(LogLevel::Error, "config reload failed");
            }
        }
    }

    fn read_socket(&mut self, i: usize) {
        loop {
            let (n, from) = match self.sockets[i].sock.recv_from(&mut self.buf) {
                Ok(r) => r,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    // ICMP errors surface here (ECONNREFUSED); the next read goes on.
                    self.logger.log(LogLevel::Debug, &format!("recvfrom: {e}"));
                    return;
                }
            };
            let local = self.sockets[i].local;
            let bytes = self.buf[..n].to_vec();
            self.engine
                .handle_datagram(Instant::now(), local, from, &bytes);
        }
    }

    fn read_kernel(&mut self, kio: &mut KernelIo) {
        while let Some(ev) = kio.next_event(&mut self.engine, &mut self.logger) {
            self.engine.handle_kernel_event(Instant::now(), ev);
            // Outputs (GETSPI in particular) are performed between events so that
            // replies and events do not pile up.
            self.drain(kio);
        }
    }

    fn drain(&mut self, kio: &mut KernelIo) {
        while let Some(out) = self.engine.next_output() {
            match out {
                Output::Send { from, to, bytes } => self.send(from, to, &bytes),
                Output::Kernel(req) => kio.perform(&mut self.engine, req, &mut self.logger),
                Output::Log { level, text, at } => self.logger.log_at(level, &text, at),
                // The loop asks the engine for its next deadline on every turn.
                Output::ArmTimer { .. } => {}
                Output::Script(run) => self.scripts.start(&run, &mut self.logger),
            }
        }
    }

    fn send(&mut self, from: SocketAddr, to: SocketAddr, bytes: &[u8]) {
        let sock = self
            .sockets
            .iter()
            .find(|s| s.local == from)
            .or_else(|| self.sockets.iter().find(|s| s.local.ip() == from.ip()))
            .or_else(|| {
                self.sockets
                    .iter()
                    .find(|s| s.local.is_ipv4() == to.is_ipv4())
            });
        let Some(sock) = sock else {
            self.logger.log(
                LogLevel::Error,
                &format!("no socket to send from {from} to {to}"),
            );
            return;
        };
        if let Err(e) = sock.sock.send_to(bytes, to) {
            self.logger.log(
                LogLevel::Error,
                &format!("sendto ({} -> {to}): {e}", sock.local),
            );
        }
    }
}
