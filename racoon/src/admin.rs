//! racoon's admin socket server, what racoonctl talks to (admin.c, evt.c).
//!
//! The socket comes from `listen { adminsock "path" "owner" "group" mode; }` (default
//! [`common::admin::ADMINSOCK_PATH`], root only), `adminsock disabled` turns it off.
//! Connections are non-blocking with their own buffers; the daemon's poll loop asks for
//! [`AdminServer::pollfds`] and hands the results to [`AdminServer::service`], which
//! accepts, reads requests and answers them through the engine's admin queries and
//! commands; [`AdminServer::publish`], called once the engine's outputs are performed,
//! pushes events to subscribed connections. The socket file is removed when the server
//! is dropped.
//!
//! Files: `listener` (creating the socket), `conn` (one connection), `dispatch` (one
//! request to its reply), `events` (events from the engine's handles), `status`
//! (`racoonctl status`), `sadump` (show-sa esp as PF_KEY dump messages).

mod conn;
mod dispatch;
mod events;
mod listener;
mod sadump;
pub mod status;

use crate::conf::{AdminSock, Listen, LogLevel};
use crate::daemon::Logger;
use crate::engine::Engine;
use common::admin::{evt, Command, Event, Reply, ADMINSOCK_PATH};
use common::kernel::{Backend, Kernel};
use conn::{Conn, Input};
use std::os::fd::AsRawFd;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub use dispatch::{dispatch, Context, Outcome, Scope};
pub use events::{Emitted, Tracker};

/// More connections than this and the oldest one that is not waiting for events goes.
const MAX_CONNS: usize = 64;

/// The admin server's own handle on the kernel, for show-sa and flush-sa: opened on
/// first use with the daemon's backend.
pub struct KernelSlot {
    backend: Backend,
    kernel: Option<Box<dyn Kernel>>,
}

impl KernelSlot {
    pub fn new(backend: Backend) -> KernelSlot {
        KernelSlot {
            backend,
            kernel: None,
        }
    }

    /// A slot holding this kernel already (tests: the in-memory one).
    pub fn with(kernel: Box<dyn Kernel>) -> KernelSlot {
        KernelSlot {
            backend: kernel.backend(),
            kernel: Some(kernel),
        }
    }

    pub fn get(&mut self) -> Result<&mut (dyn Kernel + 'static), String> {
        if self.kernel.is_none() {
            let k = common::kernel::open(self.backend).map_err(|e| e.to_string())?;
            self.kernel = Some(k);
        }
        match self.kernel.as_mut() {
            Some(k) => Ok(k.as_mut()),
            None => Err("no kernel interface".to_owned()),
        }
    }
}

pub struct AdminServer {
    listener: Option<listener::Listener>,
    conns: Vec<Conn>,
    tracker: events::Tracker,
    kernel: KernelSlot,
}

/// Seconds since the epoch now.
pub fn wall_clock() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl AdminServer {
    /// Opens the socket the configuration names; failures are logged and leave racoon
    /// running without one.
    pub fn open(listen: &Listen, backend: Backend, logger: &mut Logger) -> AdminServer {
        let listener = match listen.adminsock.as_ref().map(|l| &l.value) {
            Some(AdminSock::Disabled) => None,
            Some(AdminSock::Socket {
                path,
                owner,
                group,
                mode,
            }) => Some(listener::open(
                path,
                owner.as_deref(),
                group.as_deref(),
                *mode,
            )),
            None => Some(listener::open(ADMINSOCK_PATH, None, None, None)),
        };
        let listener = match listener {
            Some(Ok(l)) => {
                logger.log(
                    LogLevel::Debug,
                    &format!("open {} as racoon management.", l.path.display()),
                );
                Some(l)
            }
            Some(Err(e)) => {
                logger.log(LogLevel::Error, &e);
                None
            }
            None => None,
        };
        AdminServer {
            listener,
            conns: Vec::new(),
            tracker: events::Tracker::default(),
            kernel: KernelSlot::new(backend),
        }
    }

    /// What to poll: the listening socket, then every connection.
    pub fn pollfds(&self) -> Vec<libc::pollfd> {
        let listen = self.listener.iter().map(|l| libc::pollfd {
            fd: l.sock.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        });
        let conns = self.conns.iter().map(|c| libc::pollfd {
            fd: c.fd(),
            events: libc::POLLIN | if c.wants_write() { libc::POLLOUT } else { 0 },
            revents: 0,
        });
        listen.chain(conns).collect()
    }

    /// One turn: accept, read and answer requests, push events, write. `ready` is what
    /// poll returned for [`AdminServer::pollfds`]. Returns whether racoonctl asked for
    /// the configuration to be reloaded.
    pub fn service(
        &mut self,
        ready: &[libc::pollfd],
        engine: &mut Engine,
        logger: &mut Logger,
    ) -> bool {
        let now = Instant::now();
        let wall = wall_clock();
        let is_ready = |fd: i32| ready.iter().any(|p| p.fd == fd && p.revents != 0);
        if let Some(l) = &self.listener {
            if is_ready(l.sock.as_raw_fd()) {
                while let Ok((stream, _)) = l.sock.accept() {
                    if let Ok(c) = Conn::new(stream) {
                        if self.conns.len() >= MAX_CONNS {
                            if let Some(i) = self.conns.iter().position(|c| c.scope.is_none()) {
                                self.conns.remove(i);
                            }
                        }
                        self.conns.push(c);
                    }
                }
            }
        }
        let mut reload = false;
        for i in 0..self.conns.len() {
            let fd = self.conns[i].fd();
            let new = !ready.iter().any(|p| p.fd == fd);
            if !(new || is_ready(fd)) {
                continue;
            }
            if let Input::Request(req) = self.conns[i].read() {
                let mut log = |level: LogLevel, text: String| logger.log(level, &text);
                let mut cx = Context {
                    engine,
                    kernel: &mut self.kernel,
                    log: &mut log,
                    now,
                    wall,
                };
                let out = dispatch::dispatch(&req, &mut cx);
                reload |= out.reload;
                let c = &mut self.conns[i];
                c.queue(&out.reply.encode());
                match out.subscribe {
                    Some(scope) if out.reply.errno == 0 => {
                        logger.log(
                            LogLevel::Debug,
                            &format!("[{fd}] admin connection is polling events"),
                        );
                        c.scope = Some(scope);
                    }
                    _ => c.closing = true,
                }
            }
        }
        for c in &mut self.conns {
            c.flush();
        }
        self.conns.retain(|c| !c.dead);
        reload
    }

    /// Events since the last call, pushed to the connections that asked for them. The
    /// daemon calls this once the engine's outputs are performed, so that "Phase 2
    /// established" is never reported before the kernel has the SAs.
    pub fn publish(&mut self, engine: &Engine) {
        self.push_events(engine, wall_clock());
        for c in &mut self.conns {
            c.flush();
        }
        self.conns.retain(|c| !c.dead);
    }

    /// Events since the last turn, to the connections that asked for them; a
    /// connection waiting on a handle that is gone is closed after its last event.
    fn push_events(&mut self, engine: &Engine, wall: i64) {
        let emitted = self.tracker.update_with_dpd(
            &engine.admin_ph1s(),
            &engine.admin_ph2s(),
            engine.dpd_dead(),
            wall,
        );
        for e in emitted {
            let bytes = event_message(&e.event);
            for c in &mut self.conns {
                let (wants, ends) = match c.scope {
                    Some(Scope::All) => (true, false),
                    Some(Scope::Ph1(id)) => (e.ph1 == Some(id), e.ends && e.ph2.is_none()),
                    Some(Scope::Ph2(id)) => (e.ph2 == Some(id), e.ends),
                    None => (false, false),
                };
                if wants {
                    c.queue(&bytes);
                    if ends {
                        c.closing = true;
                    }
                }
            }
        }
    }
}

/// An event as it goes on the wire: a reply to `ADMIN_SHOW_EVT`.
fn event_message(e: &Event) -> Vec<u8> {
    Reply {
        cmd: Command::ShowEvt.code(),
        proto: 0,
        errno: 0,
        payload: e.encode(),
    }
    .encode()
}

impl Drop for AdminServer {
    /// Subscribers hear that racoon is going; the socket file is removed with the
    /// listener.
    fn drop(&mut self) {
        let quit = event_message(&Event {
            kind: evt::RACOON_QUIT,
            timestamp: wall_clock(),
            ph1src: None,
            ph1dst: None,
            ph2msgid: 0,
            data: Vec::new(),
        });
        for c in &mut self.conns {
            if c.scope.is_some() {
                c.queue(&quit);
                c.flush();
            }
        }
    }
}
