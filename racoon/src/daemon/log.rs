//! The log sink, as the original's plog.c writes it: with `-F` every line goes to
//! stdout, with `-l FILE` to that file, otherwise to syslog (facility daemon). Lines on
//! stdout and in files start with the local time: `2003-02-21 18:11:17: INFO: text`.
//! With `-L` the text is led by where it was logged, as plog.c's `file:line:` from
//! debug_location; ours names our Rust source (`INFO: quick.rs:240: text`), there
//! being no C function name to give.

use crate::conf::LogLevel;
use std::ffi::CString;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::panic::Location;
use std::path::Path;

/// Where log lines go and which are kept.
pub struct Logger {
    level: LogLevel,
    stdout: bool,
    file: Option<File>,
    syslog: bool,
    print_location: bool,
}

/// The level names plog.c prints.
pub fn level_name(level: LogLevel) -> &'static str {
    match level {
        LogLevel::Error => "ERROR",
        LogLevel::Warning => "WARNING",
        LogLevel::Notify => "NOTIFY",
        LogLevel::Info => "INFO",
        LogLevel::Debug => "DEBUG",
        LogLevel::Debug2 => "DEBUG2",
    }
}

/// `log LEVEL;` from racoon.conf, else INFO (LLV_BASE); `-d` on the command line takes
/// precedence, raising INFO one step per `-d`.
pub fn effective_level(configured: Option<LogLevel>, debug: u32) -> LogLevel {
    const ORDER: [LogLevel; 6] = [
        LogLevel::Error,
        LogLevel::Warning,
        LogLevel::Notify,
        LogLevel::Info,
        LogLevel::Debug,
        LogLevel::Debug2,
    ];
    let base = ORDER.iter().position(|&l| l == LogLevel::Info).unwrap_or(3);
    let raised = ORDER[(base + debug as usize).min(ORDER.len() - 1)];
    if debug > 0 {
        raised
    } else {
        configured.unwrap_or(LogLevel::Info)
    }
}

impl Logger {
    /// Opens the log file (appending) if one is named.
    pub fn open(level: LogLevel, foreground: bool, file: Option<&Path>) -> std::io::Result<Logger> {
        let file = match file {
            Some(p) => Some(OpenOptions::new().create(true).append(true).open(p)?),
            None => None,
        };
        let syslog = file.is_none();
        if syslog {
            // openlog keeps the pointer: the ident must live as long as the process.
            let ident: &'static CString = Box::leak(Box::new(CString::from(c"racoon")));
            // SAFETY: ident is a valid NUL-terminated string that is never freed.
            unsafe { libc::openlog(ident.as_ptr(), libc::LOG_NDELAY, libc::LOG_DAEMON) };
        }
        Ok(Logger {
            level,
            stdout: foreground,
            file,
            syslog,
            print_location: false,
        })
    }

    pub fn set_level(&mut self, level: LogLevel) {
        self.level = level;
    }

    /// `-L`: lead each line's text with the source location that logged it.
    pub fn set_print_location(&mut self, on: bool) {
        self.print_location = on;
    }

    #[track_caller]
    pub fn log(&mut self, level: LogLevel, text: &str) {
        self.log_at(level, text, Location::caller());
    }

    /// A line logged at `at` (the engine's lines carry where the engine logged them).
    pub fn log_at(&mut self, level: LogLevel, text: &str, at: &Location<'_>) {
        if level > self.level {
            return;
        }
        let body = if self.print_location {
            let file = at.file().rsplit(['/', '\\']).next().unwrap_or(at.file());
            format!("{}: {file}:{}: {text}", level_name(level), at.line())
        } else {
            format!("{}: {}", level_name(level), text)
        };
        if self.stdout || self.file.is_some() {
            let line = format!("{}: {}\n", timestamp(), body);
            if self.stdout {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(line.as_bytes()).and_then(|()| out.flush());
            }
            if let Some(f) = self.file.as_mut() {
                let _ = f.write_all(line.as_bytes());
            }
        }
        if self.syslog {
            let priority = if level >= LogLevel::Debug {
                libc::LOG_DEBUG
            } else {
                libc::LOG_INFO
            };
            if let Ok(msg) = CString::new(body.replace('\0', " ")) {
                // SAFETY: both strings are NUL-terminated; "%s" takes exactly one.
                unsafe { libc::syslog(priority, c"%s".as_ptr(), msg.as_ptr()) };
            }
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` in local time (strftime's `%Y-%m-%d %T`).
fn timestamp() -> String {
    // SAFETY: time(NULL) and localtime_r with a zeroed tm are always sound.
    let tm = unsafe {
        let t = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&t, &mut tm);
        tm
    };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d_raises_the_level() {
        assert_eq!(effective_level(None, 0), LogLevel::Info);
        assert_eq!(effective_level(None, 1), LogLevel::Debug);
        assert_eq!(effective_level(None, 5), LogLevel::Debug2);
        assert_eq!(effective_level(Some(LogLevel::Debug2), 0), LogLevel::Debug2);
        assert_eq!(effective_level(Some(LogLevel::Notify), 0), LogLevel::Notify);
        assert_eq!(effective_level(Some(LogLevel::Notify), 1), LogLevel::Debug);
    }

    #[test]
    fn print_location_names_the_source_line() {
        let path = std::env::temp_dir().join(format!("racoon-log-L-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mut logger = Logger::open(LogLevel::Info, false, Some(&path)).unwrap();
        logger.log(LogLevel::Info, "plain");
        logger.set_print_location(true);
        logger.log(LogLevel::Error, "located");
        let line = line!() - 1;
        logger.log(LogLevel::Debug, "above the level");
        let text = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        let bodies: Vec<&str> = text.lines().map(|l| &l[21..]).collect();
        assert_eq!(
            bodies,
            [
                "INFO: plain".to_owned(),
                format!("ERROR: log.rs:{line}: located")
            ]
        );
    }

    #[test]
    fn timestamp_shape() {
        let t = timestamp();
        assert_eq!(t.len(), 19, "{t}");
        assert_eq!(&t[4..5], "-");
        assert_eq!(&t[10..11], " ");
    }
}
