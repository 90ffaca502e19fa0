//! How racoonctl gives up, in the original's words: `errx(1, ...)` and
//! `err(1, "kmpstat")`, both prefixed with the program name on stderr, exit status 1.

/// A reason to stop before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fail {
    /// `errx(1, text)`: `racoonctl: text`.
    Usage(String),
    /// `err(1, "kmpstat")` after a request could not be built: `racoonctl: kmpstat:
    /// strerror(errno)`, sometimes after a line on stdout (a failed name lookup).
    Kmpstat { errno: i32, stdout: Option<String> },
}

pub const EINVAL: i32 = 22;
pub const EAFNOSUPPORT: i32 = 97;
pub const EPROTONOSUPPORT: i32 = 93;

impl Fail {
    pub fn usage(text: impl Into<String>) -> Fail {
        Fail::Usage(text.into())
    }

    pub fn errno(errno: i32) -> Fail {
        Fail::Kmpstat {
            errno,
            stdout: None,
        }
    }

    /// What goes to stdout (if anything) and the stderr line, for program `name`.
    pub fn render(&self, name: &str) -> (Option<String>, String) {
        match self {
            Fail::Usage(text) => (None, format!("{name}: {text}\n")),
            Fail::Kmpstat { errno, stdout } => (
                stdout.clone(),
                format!("{name}: kmpstat: {}\n", strerror(*errno)),
            ),
        }
    }
}

/// The C library's message for an errno, without Rust's " (os error N)".
pub fn strerror(errno: i32) -> String {
    let full = std::io::Error::from_raw_os_error(errno).to_string();
    full.split(" (os error").next().unwrap_or(&full).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_err_and_errx() {
        assert_eq!(
            Fail::usage("insufficient arguments").render("racoonctl"),
            (None, "racoonctl: insufficient arguments\n".to_owned())
        );
        assert_eq!(
            Fail::errno(EINVAL).render("racoonctl"),
            (None, "racoonctl: kmpstat: Invalid argument\n".to_owned())
        );
        assert_eq!(
            Fail::errno(EAFNOSUPPORT).render("rc").1,
            "rc: kmpstat: Address family not supported by protocol\n"
        );
    }
}
