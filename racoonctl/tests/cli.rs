//! racoonctl's command line as a script sees it: stdout, stderr, exit status.

use std::os::unix::process::CommandExt;
use std::process::Command;

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

/// Runs the binary with argv[0] = `racoonctl`, as from $PATH.
fn racoonctl(args: &[&str]) -> Run {
    run_as("racoonctl", args)
}

fn run_as(argv0: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_racoonctl"))
        .arg0(argv0)
        .args(args)
        .env_remove("POSIXLY_CORRECT")
        .output()
        .expect("run racoonctl");
    Run {
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        code: out.status.code().expect("exit status"),
    }
}

/// The usage, with `P` standing for argv[0].
const USAGE: &str = "\
Usage:
  P [opts] reload-config
  P [opts] show-schedule
  P [opts] show-sa <protocol>
  P [opts] flush-sa <protocol>
  P [opts] delete-sa <saopts>
  P [opts] establish-sa [-u identity] [-n remoteconf] [-w] <saopts>
  P [opts] vpn-connect [-u identity] vpn_gateway
  P [opts] vpn-disconnect vpn_gateway
  P [opts] show-event
  P [opts] logout-user login
  P [opts] status [-v] [-f text|json]

General options:
  -d\t\tDebug: hexdump admin messages before sending
  -l\t\tIncrease output verbosity (mainly for show-sa)
  -s <socket>\tSpecify adminport socket to use (default: /var/racoon/racoon.sock)

Parameter specifications:
    <protocol>: \"isakmp\", \"esp\" or \"ah\".
        In the case of \"show-sa\" or \"flush-sa\", you can use \"ipsec\".

    <saopts>: \"isakmp\" <family> <src> <dst>
            : {\"esp\",\"ah\"} <family> <src/prefixlen/port> <dst/prefixlen/port>
                              <ul_proto>
    <family>: \"inet\" or \"inet6\"
    <ul_proto>: \"icmp\", \"tcp\", \"udp\", \"gre\" or \"any\"

";

fn usage(argv0: &str) -> String {
    USAGE.replace("  P [opts]", &format!("  {argv0} [opts]"))
}

fn assert_run(r: &Run, stdout: &str, stderr: &str, code: i32) {
    assert_eq!(r.stdout, stdout, "stdout");
    assert_eq!(r.stderr, stderr, "stderr");
    assert_eq!(r.code, code, "exit status");
}

#[test]
fn no_command_prints_usage_and_exits_0() {
    assert_run(&racoonctl(&[]), &usage("racoonctl"), "", 0);
    assert_run(&racoonctl(&["-l", "-d"]), &usage("racoonctl"), "", 0);
}

#[test]
fn usage_names_argv0_verbatim() {
    assert_run(
        &run_as("/usr/sbin/racoonctl", &[]),
        &usage("/usr/sbin/racoonctl"),
        "",
        0,
    );
}

#[test]
fn help_and_version_are_invalid_options_exit_0() {
    for letter in ["h", "V", "?"] {
        assert_run(
            &racoonctl(&[&format!("-{letter}")]),
            &usage("racoonctl"),
            &format!("racoonctl: invalid option -- '{letter}'\n"),
            0,
        );
    }
}

#[test]
fn missing_socket_argument() {
    assert_run(
        &racoonctl(&["-ls"]),
        &usage("racoonctl"),
        "racoonctl: option requires an argument -- 's'\n",
        0,
    );
}

#[test]
fn invalid_command() {
    assert_run(
        &racoonctl(&["-l", "show"]),
        "Invalid command [show]\n",
        "racoonctl: kmpstat: Invalid argument\n",
        1,
    );
    assert_run(
        &run_as("/usr/sbin/racoonctl", &["bogus", "-x"]),
        "Invalid command [bogus]\n",
        "racoonctl: kmpstat: Invalid argument\n",
        1,
    );
}

#[test]
fn commands_and_aliases_are_recognised_but_not_pretended() {
    let cases: &[(&[&str], &str)] = &[
        (&["reload-config"], "reload-config"),
        (&["rc"], "reload-config"),
        (&["-ll", "ss", "isakmp"], "show-sa"),
        (
            &["-s", "/run/racoon/racoon.sock", "show-sa", "esp"],
            "show-sa",
        ),
        (&["-d", "-s/tmp/r.sock", "sc"], "show-schedule"),
        (&["gc", "inet", "10.0.0.1", "10.0.0.2"], "get-cert"),
        (&["fs", "ipsec"], "flush-sa"),
        (
            &["ds", "isakmp", "inet", "10.0.0.1", "10.0.0.2"],
            "delete-sa",
        ),
        (
            &["es", "-w", "isakmp", "inet", "10.0.0.1", "10.0.0.2"],
            "establish-sa",
        ),
        (&["vc", "-u", "user", "gw"], "vpn-connect"),
        (&["vd", "gw"], "vpn-disconnect"),
        (&["se"], "show-event"),
        (&["lu", "user"], "logout-user"),
        (&["st", "-v", "-f", "json"], "status"),
        (&["status", "--format=json"], "status"),
    ];
    for (args, name) in cases {
        assert_run(
            &racoonctl(args),
            "",
            &format!("racoonctl: {name}: not implemented yet\n"),
            1,
        );
    }
}
