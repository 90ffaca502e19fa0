//! The AF_KEY socket: the only unsafe code of the PF_KEY backend, each call a thin
//! wrapper around one system call.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

use libc::c_int;

use super::consts::PF_KEY_V2;
use super::error::OpenError;
use crate::kernel::KernelError;

/// Socket buffer size asked for, both ways. A whole batch's replies (and a dump's
/// chunks) queue here; the kernel silently drops a broadcast reply that does not fit,
/// so the receive buffer is made large and the backend bounds what is in flight.
const BUFFER_BYTES: c_int = 4 << 20;

/// `SO_SNDBUFFORCE` / `SO_RCVBUFFORCE` (asm-generic values; libc does not export them
/// for Linux): as root, buffers past `net.core.rmem_max`.
#[cfg(not(any(target_arch = "mips", target_arch = "mips64", target_arch = "sparc64")))]
const FORCE_OPTS: Option<(c_int, c_int)> = Some((32, 33));
#[cfg(any(target_arch = "mips", target_arch = "mips64", target_arch = "sparc64"))]
const FORCE_OPTS: Option<(c_int, c_int)> = None;

/// An open `socket(PF_KEY, SOCK_RAW, PF_KEY_V2)`.
#[derive(Debug)]
pub(crate) struct KeySocket {
    fd: OwnedFd,
}

impl AsRawFd for KeySocket {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.fd.as_raw_fd()
    }
}

impl KeySocket {
    pub(crate) fn open() -> Result<KeySocket, OpenError> {
        // SAFETY: socket(2) takes no pointers; the result is checked before use.
        let fd = unsafe {
            libc::socket(
                libc::PF_KEY,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                c_int::from(PF_KEY_V2),
            )
        };
        if fd < 0 {
            let errno = io::Error::last_os_error().raw_os_error().unwrap_or(0);
            return Err(match errno {
                libc::EAFNOSUPPORT | libc::EPROTONOSUPPORT | libc::ESOCKTNOSUPPORT => {
                    OpenError::Unavailable
                }
                libc::EPERM | libc::EACCES => OpenError::PermissionDenied,
                _ => OpenError::Os(KernelError::new(errno)),
            });
        }
        // SAFETY: `fd` is a descriptor socket(2) just returned; nothing else owns it.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let sock = KeySocket { fd };
        sock.set_buffers();
        Ok(sock)
    }

    /// Best effort: the plain options are capped by sysctls, the forcing ones need
    /// CAP_NET_ADMIN (which opening AF_KEY needed anyway).
    fn set_buffers(&self) {
        let _ = self.set_int(libc::SO_SNDBUF, BUFFER_BYTES);
        let _ = self.set_int(libc::SO_RCVBUF, BUFFER_BYTES);
        if let Some((snd, rcv)) = FORCE_OPTS {
            let _ = self.set_int(snd, BUFFER_BYTES);
            let _ = self.set_int(rcv, BUFFER_BYTES);
        }
    }

    fn set_int(&self, opt: c_int, value: c_int) -> io::Result<()> {
        // SAFETY: the option value points to a live c_int whose size is passed along.
        let rc = unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_SOCKET,
                opt,
                (&value as *const c_int).cast(),
                std::mem::size_of::<c_int>() as libc::socklen_t,
            )
        };
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }

    /// Sends one message. The kernel processes it inside the call: its reply (or error
    /// message) is queued on a socket before this returns. An error here means the
    /// message was refused before processing (bad header, too large).
    pub(crate) fn send(&self, bytes: &[u8]) -> Result<(), KernelError> {
        loop {
            // SAFETY: the pointer and length describe `bytes`, which outlives the call.
            let n =
                unsafe { libc::send(self.fd.as_raw_fd(), bytes.as_ptr().cast(), bytes.len(), 0) };
            if n >= 0 {
                return Ok(());
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e.into());
            }
        }
    }

    /// Waits up to `timeout` (forever if `None`) for the socket to be readable.
    fn wait_readable(&self, deadline: Option<Instant>) -> Result<bool, KernelError> {
        loop {
            let ms = match deadline {
                None => -1,
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    c_int::try_from(left.as_nanos().div_ceil(1_000_000)).unwrap_or(c_int::MAX)
                }
            };
            let mut pfd = libc::pollfd {
                fd: self.fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, and nfds says one.
            let rc = unsafe { libc::poll(&mut pfd, 1, ms) };
            if rc > 0 {
                return Ok(true);
            }
            if rc == 0 {
                return Ok(false);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e.into());
            }
        }
    }

    /// The next message, or `None` if none arrived within `timeout`.
    pub(crate) fn recv(
        &self,
        buf: &mut Vec<u8>,
        timeout: Option<Duration>,
    ) -> Result<Option<Vec<u8>>, KernelError> {
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            if !self.wait_readable(deadline)? {
                return Ok(None);
            }
            // Learn the datagram's size first so that no message is ever cut short.
            let size =
                self.recv_into(buf, libc::MSG_PEEK | libc::MSG_TRUNC | libc::MSG_DONTWAIT)?;
            let Some(size) = size else { continue };
            if size > buf.len() {
                buf.resize(size, 0);
            }
            match self.recv_into(buf, libc::MSG_DONTWAIT)? {
                Some(n) => return Ok(Some(buf[..n.min(buf.len())].to_vec())),
                None => continue,
            }
        }
    }

    /// recv(2) into `buf`; `None` when nothing is there after all (EAGAIN).
    fn recv_into(&self, buf: &mut [u8], flags: c_int) -> Result<Option<usize>, KernelError> {
        loop {
            // SAFETY: the pointer and length describe `buf`, exclusively borrowed here.
            let n = unsafe {
                libc::recv(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    flags,
                )
            };
            if let Ok(n) = usize::try_from(n) {
                return Ok(Some(n));
            }
            let e = io::Error::last_os_error();
            match e.kind() {
                io::ErrorKind::Interrupted => continue,
                io::ErrorKind::WouldBlock => return Ok(None),
                _ => return Err(e.into()),
            }
        }
    }
}

/// Whether this kernel has AF_KEY: a socket can be opened, or (without the privilege
/// to open one) `/proc/net/pfkey` exists.
pub fn pfkey_available() -> bool {
    match KeySocket::open() {
        Ok(_) => true,
        Err(OpenError::PermissionDenied) => std::path::Path::new("/proc/net/pfkey").exists(),
        Err(_) => false,
    }
}
