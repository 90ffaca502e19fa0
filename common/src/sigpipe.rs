//! SIGPIPE as C programs have it.
//!
//! Rust ignores SIGPIPE before `main`, so a write to a closed pipe returns EPIPE and
//! the tool would print "Broken pipe" on `setkey -D | head`. The originals are C
//! programs: the signal ends them silently, and scripts rely on that.

/// Restores the default action (terminate) for SIGPIPE. Call first thing in `main`.
pub fn restore_default() {
    // SAFETY: signal(2) with SIG_DFL installs no handler; nothing else runs yet.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
