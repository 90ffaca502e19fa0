//! Going to the background as the original does without `-F`: fork, setsid, standard
//! descriptors on /dev/null, and the pid file (`path pidfile`, else /var/run/racoon.pid).

use std::io;

/// The pid file when racoon.conf names none.
pub const DEFAULT_PIDFILE: &str = "/var/run/racoon.pid";

/// Forks; the parent exits 0, the child returns in a new session.
pub fn daemonize() -> io::Result<()> {
    // SAFETY: the daemon is single-threaded at this point; the child only continues.
    match unsafe { libc::fork() } {
        -1 => return Err(io::Error::last_os_error()),
        0 => {}
        _ => std::process::exit(0),
    }
    // SAFETY: setsid and the dup2 onto /dev/null have no memory-safety preconditions.
    unsafe {
        if libc::setsid() < 0 {
            return Err(io::Error::last_os_error());
        }
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if null >= 0 {
            for fd in 0..3 {
                libc::dup2(null, fd);
            }
            if null > 2 {
                libc::close(null);
            }
        }
    }
    Ok(())
}

/// Writes our pid, as the original: the number and a newline.
pub fn write_pidfile(path: &str) -> io::Result<()> {
    std::fs::write(path, format!("{}\n", std::process::id()))
}
