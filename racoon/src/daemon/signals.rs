//! SIGTERM, SIGINT and SIGHUP through a self-pipe: the handler writes the signal number
//! into a non-blocking pipe whose read end sits in the daemon's poll set, so a signal
//! never races the wait. SIGCHLD (a `script` hook exited) only wakes the loop.

use std::io;
use std::sync::atomic::{AtomicI32, Ordering};

static WRITE_FD: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_signal(sig: libc::c_int) {
    let fd = WRITE_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        let b = sig as u8;
        // SAFETY: write(2) is async-signal-safe; a full pipe just drops the byte.
        unsafe { libc::write(fd, std::ptr::addr_of!(b).cast(), 1) };
    }
}

/// What a signal asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// SIGTERM or SIGINT, with its number for the log.
    Stop(i32),
    Reload,
}

pub struct Signals {
    read_fd: i32,
}

impl Signals {
    /// Installs the handlers.
    pub fn install() -> io::Result<Signals> {
        let mut fds = [0i32; 2];
        // SAFETY: fds has room for the two descriptors.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) } != 0 {
            return Err(io::Error::last_os_error());
        }
        WRITE_FD.store(fds[1], Ordering::Relaxed);
        for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGCHLD] {
            // SAFETY: a zeroed sigaction with a plain handler is valid.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                sa.sa_flags = libc::SA_RESTART | libc::SA_NOCLDSTOP;
                libc::sigemptyset(&mut sa.sa_mask);
                if libc::sigaction(sig, &sa, std::ptr::null_mut()) != 0 {
                    return Err(io::Error::last_os_error());
                }
            }
        }
        // SAFETY: ignoring SIGPIPE is always sound.
        unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
        Ok(Signals { read_fd: fds[0] })
    }

    pub fn fd(&self) -> i32 {
        self.read_fd
    }

    /// The signals that arrived, most important first (a stop wins over a reload).
    pub fn take(&self) -> Option<Request> {
        let mut buf = [0u8; 64];
        let mut got = None;
        loop {
            // SAFETY: buf is valid for its length.
            let n = unsafe { libc::read(self.read_fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                return got;
            }
            for &b in &buf[..n as usize] {
                if i32::from(b) == libc::SIGCHLD {
                    // A script exited: the wake-up alone is the point (it is reaped).
                    continue;
                }
                let req = if i32::from(b) == libc::SIGHUP {
                    Request::Reload
                } else {
                    Request::Stop(i32::from(b))
                };
                if !matches!(got, Some(Request::Stop(_))) {
                    got = Some(req);
                }
            }
        }
    }
}
