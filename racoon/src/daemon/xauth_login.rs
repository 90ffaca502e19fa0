//! The daemon's side of XAuth and mode-cfg: `auth_source system` checks a login against
//! the local accounts as the original's xauth_login_system did without PAM: the hash
//! from the shadow entry (getspnam; no entry, no login), the account from the password
//! database (getpwnam; uid 0 never logs in), and crypt(3) of the password with that hash
//! as its setting must give the hash back. crypt comes from the system's libcrypt
//! (libxcrypt on current distributions), so every scheme the system uses for its own
//! logins (yescrypt, SHA-512, MD5, ...) works without a second implementation; the
//! non-reentrant crypt() is called under a lock. The banner is
//! read when a client asks, at most 64 KiB as the original's MAXMOTD.

use crate::engine::XauthBackend;
use std::ffi::{CStr, CString};
use std::io::Read;
use std::os::raw::c_char;

#[link(name = "crypt")]
extern "C" {
    fn crypt(key: *const c_char, salt: *const c_char) -> *mut c_char;
}

/// The original's MAXMOTD.
const MAX_BANNER: u64 = 65536;

/// Logins against the local accounts, banners from files.
pub(crate) struct SystemLogin;

impl XauthBackend for SystemLogin {
    fn login(&self, user: &[u8], password: &[u8]) -> bool {
        system_login(user, password)
    }

    fn banner(&self, path: &str) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        std::fs::File::open(path)
            .ok()?
            .take(MAX_BANNER)
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    }
}

/// A C string of `bytes` up to their first NUL, as the original held them.
fn c_string(bytes: &[u8]) -> Option<CString> {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(bytes.get(..end)?).ok()
}

/// Runs a reentrant `get*nam_r` lookup with a growing buffer; `None` when not found.
fn lookup<T>(call: impl Fn(*mut T, &mut [c_char], *mut *mut T) -> i32) -> Option<(T, Vec<c_char>)> {
    let mut size = 1024;
    loop {
        let mut buf = vec![0 as c_char; size];
        let mut entry = std::mem::MaybeUninit::<T>::zeroed();
        let mut found: *mut T = std::ptr::null_mut();
        let rc = call(entry.as_mut_ptr(), &mut buf, &mut found);
        if rc == libc::ERANGE && size < 1 << 20 {
            size *= 2;
            continue;
        }
        if rc != 0 || found.is_null() {
            return None;
        }
        // SAFETY: the call succeeded and filled `entry`, whose pointers point into `buf`,
        // returned with it.
        return Some((unsafe { entry.assume_init() }, buf));
    }
}

/// xauth_login_system: whether `password` is the local user's.
pub(crate) fn system_login(user: &[u8], password: &[u8]) -> bool {
    let (Some(user), Some(password)) = (c_string(user), c_string(password)) else {
        return false;
    };
    let Some((spw, _spbuf)) = lookup::<libc::spwd>(|e, buf, found| {
        // SAFETY: all pointers are valid for the call; buf's length is passed.
        unsafe { libc::getspnam_r(user.as_ptr(), e, buf.as_mut_ptr(), buf.len(), found) }
    }) else {
        return false;
    };
    let Some((pw, _pwbuf)) = lookup::<libc::passwd>(|e, buf, found| {
        // SAFETY: as above.
        unsafe { libc::getpwnam_r(user.as_ptr(), e, buf.as_mut_ptr(), buf.len(), found) }
    }) else {
        return false;
    };
    // No root login. Ever.
    if pw.pw_uid == 0 || spw.sp_pwdp.is_null() {
        return false;
    }
    // SAFETY: sp_pwdp points into _spbuf, alive here, NUL-terminated by getspnam_r.
    let hash = unsafe { CStr::from_ptr(spw.sp_pwdp) }.to_owned();
    hash_matches(&password, &hash)
}

/// crypt(3) writes into one static buffer: calls are serialised, the result read under
/// the lock (the daemon has one thread, but the tests run several at once).
static CRYPT: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Whether crypt(password, hash) gives `hash` back.
fn hash_matches(password: &CStr, hash: &CStr) -> bool {
    let _one_at_a_time = CRYPT.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: both are NUL-terminated; crypt returns NULL or a pointer to its static
    // buffer, read below while the lock is held.
    let out = unsafe { crypt(password.as_ptr(), hash.as_ptr()) };
    if out.is_null() {
        return false;
    }
    // SAFETY: non-NULL results of crypt are NUL-terminated strings.
    let out = unsafe { CStr::from_ptr(out) };
    !hash.to_bytes().is_empty() && out == hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> CString {
        CString::new(s).unwrap()
    }

    #[test]
    fn crypt_checks_sha512_and_md5_hashes_made_by_openssl() {
        let sha512 = c("$6$saltsalt$As4wrv0kZlfch1du9WeH7qhskyLriQWySXrZzynnvi46nFnNxjdpl6ksRegrrKexvhIa/Iny8S8uF3fVWTMuC1");
        assert!(hash_matches(&c("s3cret"), &sha512));
        assert!(!hash_matches(&c("s3creT"), &sha512));
        let md5 = c("$1$abc$dPsF0HDVjaO430ypNfqhr.");
        assert!(hash_matches(&c("s3cret"), &md5));
        assert!(!hash_matches(&c(""), &md5));
    }

    #[test]
    fn locked_and_empty_hashes_never_match() {
        for h in ["!", "*", "", "!$6$saltsalt$x"] {
            assert!(!hash_matches(&c(""), &c(h)), "{h:?}");
            assert!(!hash_matches(&c("s3cret"), &c(h)), "{h:?}");
        }
    }

    #[test]
    fn root_and_unknown_users_are_refused() {
        assert!(!system_login(b"root", b"anything"));
        assert!(!system_login(b"no-such-user-h15", b"x"));
        assert!(!system_login(b"", b""));
    }

    #[test]
    fn names_end_at_the_first_nul() {
        assert_eq!(c_string(b"alice\0junk").unwrap().as_bytes(), b"alice");
        assert_eq!(c_string(b"").unwrap().as_bytes(), b"");
    }

    #[test]
    fn the_banner_is_the_file_read_to_64_kib() {
        let dir = std::env::temp_dir().join(format!("h15-banner-{}", std::process::id()));
        std::fs::write(&dir, vec![b'x'; 70000]).unwrap();
        let b = SystemLogin.banner(dir.to_str().unwrap()).unwrap();
        assert_eq!(b.len(), 65536);
        std::fs::remove_file(&dir).unwrap();
        assert!(SystemLogin.banner("/nonexistent/h15").is_none());
    }
}
