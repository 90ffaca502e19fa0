//! The permission check racoon makes before it reads psk.txt (`safefile.c`): the file
//! must be a regular file owned by the user racoon runs as, and neither readable nor
//! writable by group or others. The messages say how to fix it and quote what the
//! original logged, since that is what admins search for.

use std::fmt;
use std::os::unix::fs::MetadataExt;

/// Why a secret file may not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileModeError {
    /// The file cannot be examined.
    Io { path: String, reason: String },
    /// Owned by someone else.
    Owner {
        path: String,
        owner: u32,
        expected: u32,
    },
    /// A directory, device, socket or the like.
    NotRegular { path: String, file_type: u32 },
    /// Group or others have some access.
    Mode { path: String, mode: u32 },
}

impl fmt::Display for FileModeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileModeError::Io { path, reason } => write!(f, "{path}: {reason}"),
            FileModeError::Owner {
                path,
                owner,
                expected,
            } => write!(
                f,
                "{path}: must be owned by uid {expected}, the user racoon runs as, not uid \
                 {owner}; run chown {expected} {path} (racoon said: \"{path} has invalid owner uid\")"
            ),
            FileModeError::NotRegular { path, file_type } => write!(
                f,
                "{path}: must be a regular file (racoon said: \"{path} is an invalid file type 0x{file_type:x}\")"
            ),
            FileModeError::Mode { path, mode } => write!(
                f,
                "{path}: must not be accessible by group or others (mode {mode:04o}); run chmod \
                 600 {path} (racoon said: \"{path} has weak file permission\")"
            ),
        }
    }
}

impl std::error::Error for FileModeError {}

/// Checks `path` for the effective user racoon runs as.
pub fn check_file_mode(path: &str) -> Result<(), FileModeError> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let euid = unsafe { libc::geteuid() };
    check_file_mode_for(path, euid)
}

/// Checks `path` for user `uid`.
pub fn check_file_mode_for(path: &str, uid: u32) -> Result<(), FileModeError> {
    let meta = std::fs::metadata(path).map_err(|e| FileModeError::Io {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    if meta.uid() != uid {
        return Err(FileModeError::Owner {
            path: path.to_owned(),
            owner: meta.uid(),
            expected: uid,
        });
    }
    if !meta.file_type().is_file() {
        return Err(FileModeError::NotRegular {
            path: path.to_owned(),
            file_type: meta.mode() & 0o170000,
        });
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(FileModeError::Mode {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}
