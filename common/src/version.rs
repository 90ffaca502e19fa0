//! Version strings printed by `-V`.
//!
//! ipsec-tools builds its banners from two autoconf strings, the package
//! string (`ipsec-tools 0.9.1`) and the package URL; setkey prints
//! `setkey @(#) STRING (URL)` and racoon `@(#)STRING (URL)`. We keep that
//! shape so anything that greps for `@(#)` still finds a version, and use the
//! URL slot to say which ipsec-tools release we are compatible with.

/// Our package name, in the place where ipsec-tools puts `ipsec-tools`.
pub const PACKAGE_NAME: &str = "ipsec-tools-rs";

/// The workspace version (all crates share it).
pub const PACKAGE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The ipsec-tools release whose command lines, files and output we follow.
pub const COMPATIBLE_WITH: &str = "ipsec-tools 0.9.1";

/// `ipsec-tools-rs <version>`: the counterpart of autoconf's PACKAGE_STRING.
pub const PACKAGE_STRING: &str = concat!("ipsec-tools-rs ", env!("CARGO_PKG_VERSION"));

/// What goes in parentheses after the package string, where the original
/// prints its project URL.
pub const PACKAGE_COMMENT: &str = "compatible with ipsec-tools 0.9.1";

/// The what(1) tag racoon logs at start-up and prints first for `-V`:
/// `@(#)ipsec-tools-rs 0.1.0 (compatible with ipsec-tools 0.9.1)`.
/// (No space after `@(#)`: that is how racoon prints it.)
pub const WHAT_TAG: &str = concat!(
    "@(#)ipsec-tools-rs ",
    env!("CARGO_PKG_VERSION"),
    " (compatible with ipsec-tools 0.9.1)"
);

/// The line `setkey -V` prints (and `setkey -h` prints first):
/// `setkey @(#) ipsec-tools-rs 0.1.0 (compatible with ipsec-tools 0.9.1)`.
pub const SETKEY_VERSION_LINE: &str = concat!(
    "setkey @(#) ipsec-tools-rs ",
    env!("CARGO_PKG_VERSION"),
    " (compatible with ipsec-tools 0.9.1)"
);

/// The features `racoon -V` lists under "Compiled with:", one `- ...` line
/// each. racoon lists only what the binary really has, so a feature is added
/// here by the change that makes it work, spelled as the original spells it:
/// "IPv6 support", "Dead Peer Detection", "IKE fragmentation",
/// "Hybrid authentication", "NAT Traversal", "Admin port", "Monotonic clock".
pub const RACOON_FEATURES: &[&str] = &[];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_agree_with_each_other() {
        assert_eq!(PACKAGE_STRING, format!("{PACKAGE_NAME} {PACKAGE_VERSION}"));
        assert_eq!(
            PACKAGE_COMMENT,
            format!("compatible with {COMPATIBLE_WITH}")
        );
        assert_eq!(
            WHAT_TAG,
            format!("@(#){PACKAGE_STRING} ({PACKAGE_COMMENT})")
        );
        assert_eq!(
            SETKEY_VERSION_LINE,
            format!("setkey @(#) {PACKAGE_STRING} ({PACKAGE_COMMENT})")
        );
    }
}
