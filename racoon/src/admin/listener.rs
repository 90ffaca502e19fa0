//! Creating the admin socket: the path checked as the maintained fork checks it, the
//! directory made if missing, a stale socket (and only a socket) replaced, then the
//! configured owner, group and mode applied before anyone can connect.

use std::ffi::CString;
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};

/// The mode without a `mode` in racoon.conf: root only.
pub const DEFAULT_MODE: u32 = 0o600;

pub struct Listener {
    pub sock: UnixListener,
    pub path: PathBuf,
}

/// `racoon.sock`, `*.sock` or `*.socket`, and no `..` component: racoon runs as root
/// here and must not unlink and replace an unrelated file named by a careless config.
pub fn check_path(path: &str) -> Result<(), String> {
    let refuse = || {
        Err(format!(
            "refusing admin socket path \"{path}\": the file name must be \"racoon.sock\" \
             or end with \".sock\"/\".socket\", and must not contain \"..\" components"
        ))
    };
    if path.is_empty() || Path::new(path).components().any(|c| c.as_os_str() == "..") {
        return refuse();
    }
    let base = path.rsplit('/').next().unwrap_or(path);
    let ok = base == "racoon.sock"
        || (base.len() > 5 && base.ends_with(".sock"))
        || (base.len() > 7 && base.ends_with(".socket"));
    if ok {
        Ok(())
    } else {
        refuse()
    }
}

fn uid_of(name: &str) -> Result<u32, String> {
    if let Ok(n) = name.parse() {
        return Ok(n);
    }
    let c = CString::new(name).map_err(|_| format!("unknown user {name}"))?;
    // SAFETY: getpwnam reads the NUL-terminated name and returns NULL or a pointer to
    // static storage, read at once before any other call can overwrite it.
    let pw = unsafe { libc::getpwnam(c.as_ptr()) };
    if pw.is_null() {
        return Err(format!("unknown user {name}"));
    }
    Ok(unsafe { (*pw).pw_uid })
}

fn gid_of(name: &str) -> Result<u32, String> {
    if let Ok(n) = name.parse() {
        return Ok(n);
    }
    let c = CString::new(name).map_err(|_| format!("unknown group {name}"))?;
    // SAFETY: as for getpwnam.
    let gr = unsafe { libc::getgrnam(c.as_ptr()) };
    if gr.is_null() {
        return Err(format!("unknown group {name}"));
    }
    Ok(unsafe { (*gr).gr_gid })
}

fn errtext(e: &io::Error) -> String {
    let s = e.to_string();
    s.split(" (os error").next().unwrap_or(&s).to_owned()
}

/// Binds and listens; the error is the log line.
pub fn open(
    path: &str,
    owner: Option<&str>,
    group: Option<&str>,
    mode: Option<u32>,
) -> Result<Listener, String> {
    check_path(path)?;
    let uid = owner.map(uid_of).transpose()?;
    let gid = group.map(gid_of).transpose()?;
    let p = PathBuf::from(path);
    if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o750)
                .create(dir)
                .map_err(|e| {
                    format!(
                        "failed to create admin socket directory {}: {}",
                        dir.display(),
                        errtext(&e)
                    )
                })?;
        }
    }
    match std::fs::symlink_metadata(&p) {
        Ok(m) if m.file_type().is_socket() => {
            let _ = std::fs::remove_file(&p);
        }
        Ok(_) => {
            return Err(format!(
                "refusing to bind admin socket: {path} already exists and is not a socket"
            ))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("lstat({path}): {}", errtext(&e))),
    }
    // The socket appears with no permission for anyone but us until chmod below.
    // SAFETY: umask only swaps the process's file mode mask.
    let old = unsafe { libc::umask(0o177) };
    let bound = UnixListener::bind(&p);
    unsafe { libc::umask(old) };
    let sock = bound.map_err(|e| format!("bind(sockname:{path}): {}", errtext(&e)))?;
    let listener = Listener { sock, path: p };
    if uid.is_some() || gid.is_some() {
        std::os::unix::fs::chown(&listener.path, uid, gid).map_err(|e| {
            format!(
                "chown({path}, {}, {}): {}",
                uid.map_or(-1, i64::from),
                gid.map_or(-1, i64::from),
                errtext(&e)
            )
        })?;
    }
    let mode = mode.unwrap_or(DEFAULT_MODE);
    std::fs::set_permissions(&listener.path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("chmod({path}, 0{mode:03o}): {}", errtext(&e)))?;
    listener
        .sock
        .set_nonblocking(true)
        .map_err(|e| format!("listen(sockname:{path}): {}", errtext(&e)))?;
    Ok(listener)
}

impl Drop for Listener {
    /// The socket file goes with the daemon.
    fn drop(&mut self) {
        if std::fs::symlink_metadata(&self.path).is_ok_and(|m| m.file_type().is_socket()) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_names() {
        assert!(check_path("/var/racoon/racoon.sock").is_ok());
        assert!(check_path("/run/racoon/admin.sock").is_ok());
        assert!(check_path("/run/x.socket").is_ok());
        assert!(check_path("/etc/passwd").is_err());
        assert!(check_path("/run/../etc/x.sock").is_err());
        assert!(check_path("/run/.sock").is_err());
        assert!(check_path("").is_err());
    }

    #[test]
    fn created_with_mode_replaced_when_stale_removed_on_drop() {
        let dir = std::env::temp_dir().join(format!("racoon-admin-{}", std::process::id()));
        let path = dir.join("sub/racoon.sock");
        let s = path.to_str().unwrap();
        let l = open(s, None, None, Some(0o660)).unwrap();
        let m = std::fs::metadata(&path).unwrap();
        assert!(m.file_type().is_socket());
        assert_eq!(m.permissions().mode() & 0o777, 0o660);
        std::mem::forget(l);
        // A stale socket is replaced; the default mode is 0600.
        let l = open(s, None, None, None).unwrap();
        let m = std::fs::metadata(&path).unwrap();
        assert_eq!(m.permissions().mode() & 0o777, 0o600);
        drop(l);
        assert!(!path.exists());
        // A regular file is never replaced.
        std::fs::write(&path, b"x").unwrap();
        assert!(open(s, None, None, None)
            .err()
            .unwrap()
            .contains("already exists and is not a socket"));
        assert!(open(s, Some("no-such-user-here"), None, None)
            .err()
            .unwrap()
            .contains("unknown user"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
