//! racoon's version report and usage text.
//!
//! Same layout as ipsec-tools 0.9.1 on Linux (IPv6 enabled, so `-4`/`-6`
//! are listed), everything on stdout.

use common::version::{RACOON_FEATURES, WHAT_TAG};

use crate::cli::{PORT_ISAKMP, PORT_ISAKMP_NATT};

/// `racoon -V`: the what(1) tag, a blank line, "Compiled with:", one
/// `- feature` line each, and a closing blank line.
pub fn version() -> String {
    let mut text = format!("{WHAT_TAG}\n\nCompiled with:\n");
    for feature in RACOON_FEATURES {
        text.push_str("- ");
        text.push_str(feature);
        text.push('\n');
    }
    text.push('\n');
    text
}

/// A bad option or a stray operand.
pub fn usage() -> String {
    format!(
        concat!(
            "usage: racoon [-BdFtv46] [-f (file)] [-l (file)] [-p (port)] [-P (natt port)]\n",
            "   -B: install SA to the kernel from the file specified by the configuration file.\n",
            "   -d: debug level, more -d will generate more debug message.\n",
            "   -C: dump parsed config file.\n",
            "   -L: include location in debug messages\n",
            "   -F: run in foreground, do not become daemon.\n",
            "   -t: check the configuration file for syntax errors, then exit.\n",
            "   -v: be more verbose\n",
            "   -V: print version and exit\n",
            "   -4: IPv4 mode.\n",
            "   -6: IPv6 mode.\n",
            "   -f: pathname for configuration file.\n",
            "   -l: pathname for log file.\n",
            "   -p: port number for isakmp (default: {}).\n",
            "   -P: port number for NAT-T (default: {}).\n",
            "\n",
        ),
        PORT_ISAKMP, PORT_ISAKMP_NATT
    )
}
