//! racoonctl's usage text.
//!
//! Same layout as ipsec-tools 0.9.1, on stdout, with argv[0] as given (not
//! its basename) in every synopsis line. The original's text stops at
//! `logout-user`; we add `status`, which the maintained fork documents, in
//! the same style.

use std::ffi::OsStr;

use crate::cli::ADMINSOCK_PATH;

/// The synopsis lines, without the program name.
const SYNOPSES: &[&str] = &[
    "reload-config",
    "show-schedule",
    "show-sa <protocol>",
    "flush-sa <protocol>",
    "delete-sa <saopts>",
    "establish-sa [-u identity] [-n remoteconf] [-w] <saopts>",
    "vpn-connect [-u identity] vpn_gateway",
    "vpn-disconnect vpn_gateway",
    "show-event",
    "logout-user login",
    "status [-v] [-f text|json]",
];

/// No command, or a bad option.
pub fn usage(argv0: &OsStr) -> String {
    let program = argv0.to_string_lossy();
    let mut text = String::from("Usage:\n");
    for synopsis in SYNOPSES {
        text.push_str(&format!("  {program} [opts] {synopsis}\n"));
    }
    text.push_str(&format!(
        concat!(
            "\n",
            "General options:\n",
            "  -d\t\tDebug: hexdump admin messages before sending\n",
            "  -l\t\tIncrease output verbosity (mainly for show-sa)\n",
            "  -s <socket>\tSpecify adminport socket to use (default: {})\n",
            "\n",
            "Parameter specifications:\n",
            "    <protocol>: \"isakmp\", \"esp\" or \"ah\".\n",
            "        In the case of \"show-sa\" or \"flush-sa\", you can use \"ipsec\".\n",
            "\n",
            "    <saopts>: \"isakmp\" <family> <src> <dst>\n",
            "            : {{\"esp\",\"ah\"}} <family> <src/prefixlen/port> <dst/prefixlen/port>\n",
            "                              <ul_proto>\n",
            "    <family>: \"inet\" or \"inet6\"\n",
            "    <ul_proto>: \"icmp\", \"tcp\", \"udp\", \"gre\" or \"any\"\n",
            "\n",
        ),
        ADMINSOCK_PATH
    ));
    text
}
