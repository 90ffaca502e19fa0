//! `include "file";`: where the parser gets included files from.
//!
//! The parser itself never touches the file system: it asks an [`Includer`] to expand
//! a pattern and to read a file. [`FsIncluder`] is the real thing ([`super::Config::load`]);
//! [`MemIncluder`] serves tests and the fuzzer from memory.
//!
//! Semantics kept from the original (`cftoken.l`, `yycf_switch_buffer`): the name is
//! put after `path include` unless it starts with `/`; it is a glob(3) pattern whose
//! matches are read in sorted order; a pattern matching nothing is an error ("glob found
//! no matches"), a match that cannot be opened is skipped as long as another one can;
//! nesting stops at ten levels.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// How deep includes may nest.
pub const MAX_DEPTH: usize = 10;
/// How many files one configuration may read in all. Not in the original, where a
/// file including itself twice took 2^10 parses and three times 3^10: a bound keeps a
/// reload from hanging on such a mistake.
pub const MAX_FILES: usize = 1000;

/// The source of included files.
pub trait Includer {
    /// The files `pattern` names, sorted. An empty list is not an error here; the
    /// parser reports it.
    fn expand(&mut self, pattern: &str) -> io::Result<Vec<String>>;
    /// The contents of one file.
    fn read(&mut self, path: &str) -> io::Result<String>;
    /// The bytes of a file a directive takes its value from (`my_identifier keyid
    /// file "PATH"`), read while parsing as the original's set_identifier_qual did;
    /// `None` where files are not read (text parsed on its own keeps the path).
    fn read_value_file(&mut self, _path: &str) -> Option<io::Result<Vec<u8>>> {
        None
    }
}

/// Refuses every include: for parsing text that must stand alone.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoIncludes;

impl Includer for NoIncludes {
    fn expand(&mut self, pattern: &str) -> io::Result<Vec<String>> {
        Ok(if has_magic(pattern) {
            Vec::new()
        } else {
            vec![pattern.to_owned()]
        })
    }

    fn read(&mut self, _path: &str) -> io::Result<String> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "includes are not available here",
        ))
    }
}

/// Files held in memory, by path.
#[derive(Debug, Default, Clone)]
pub struct MemIncluder {
    pub files: BTreeMap<String, String>,
}

impl MemIncluder {
    pub fn new() -> MemIncluder {
        MemIncluder::default()
    }

    /// Adds a file.
    pub fn with(mut self, path: &str, text: &str) -> MemIncluder {
        self.files.insert(path.to_owned(), text.to_owned());
        self
    }
}

impl Includer for MemIncluder {
    fn expand(&mut self, pattern: &str) -> io::Result<Vec<String>> {
        Ok(self
            .files
            .keys()
            .filter(|path| path_matches(pattern, path))
            .cloned()
            .collect())
    }

    fn read(&mut self, path: &str) -> io::Result<String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }

    fn read_value_file(&mut self, path: &str) -> Option<io::Result<Vec<u8>>> {
        Some(self.read(path).map(String::into_bytes))
    }
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsIncluder;

impl Includer for FsIncluder {
    fn expand(&mut self, pattern: &str) -> io::Result<Vec<String>> {
        if !has_magic(pattern) {
            return Ok(if Path::new(pattern).exists() {
                vec![pattern.to_owned()]
            } else {
                Vec::new()
            });
        }
        let absolute = pattern.starts_with('/');
        let mut found = vec![if absolute {
            "/".to_owned()
        } else {
            String::new()
        }];
        for component in pattern.split('/').filter(|c| !c.is_empty()) {
            let mut next = Vec::new();
            for dir in &found {
                let join = |name: &str| {
                    if dir.is_empty() || dir.ends_with('/') {
                        format!("{dir}{name}")
                    } else {
                        format!("{dir}/{name}")
                    }
                };
                if !has_magic(component) {
                    let path = join(component);
                    if Path::new(&path).exists() {
                        next.push(path);
                    }
                    continue;
                }
                let listing = if dir.is_empty() { "." } else { dir.as_str() };
                let Ok(entries) = std::fs::read_dir(listing) else {
                    continue;
                };
                let mut names: Vec<String> = entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|name| !name.starts_with('.') || component.starts_with('.'))
                    .filter(|name| glob_match(component, name))
                    .collect();
                names.sort();
                next.extend(names.iter().map(|n| join(n)));
            }
            found = next;
        }
        Ok(found)
    }

    fn read(&mut self, path: &str) -> io::Result<String> {
        let bytes = std::fs::read(path)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn read_value_file(&mut self, path: &str) -> Option<io::Result<Vec<u8>>> {
        Some(std::fs::read(path))
    }
}

/// Whether a pattern has glob characters.
fn has_magic(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// Matches a whole path component by component, as glob(3) does (a `*` never
/// crosses a `/`).
pub(crate) fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    pattern.len() == path.len() && pattern.iter().zip(&path).all(|(p, n)| glob_match(p, n))
}

/// Matches one component against `*`, `?` and `[...]` (with `!` or `^` negation and
/// ranges). Iterative, so long patterns cannot blow the stack.
pub(crate) fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, len)) = class_match(&p[pi..], n[ni]) {
                        if matched {
                            pi += len;
                            ni += 1;
                            continue;
                        }
                    } else if n[ni] == '[' {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
                c if c == n[ni] => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, sn)) => {
                pi = sp + 1;
                ni = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// A `[...]` class at the start of `p`: whether `c` is in it and the class's length;
/// `None` when the bracket is not closed (then it is a literal `[`).
fn class_match(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.conf", "a.conf"));
        assert!(!glob_match("*.conf", "a.conf.bak"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("[a-c]x", "bx"));
        assert!(!glob_match("[!a-c]x", "bx"));
        assert!(glob_match("[x", "[x"));
        assert!(glob_match("*", ""));
        assert!(path_matches("/etc/racoon/*.conf", "/etc/racoon/x.conf"));
        assert!(!path_matches("/etc/*.conf", "/etc/racoon/x.conf"));
    }

    #[test]
    fn mem_includer() {
        let mut inc = MemIncluder::new()
            .with("/a/b.conf", "")
            .with("/a/c.conf", "");
        assert_eq!(
            inc.expand("/a/*.conf").unwrap(),
            ["/a/b.conf".to_owned(), "/a/c.conf".to_owned()]
        );
        assert!(inc.expand("/b/*").unwrap().is_empty());
    }
}
