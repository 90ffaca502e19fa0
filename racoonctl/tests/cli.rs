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
fn no_daemon_is_one_clear_line() {
    let r = racoonctl(&["-s", "/nonexistent/racoon.sock", "show-sa", "isakmp"]);
    assert_run(
        &r,
        "",
        "racoonctl: cannot connect to racoon admin socket /nonexistent/racoon.sock: \
         No such file or directory (is racoon running?)\n",
        1,
    );
}

#[test]
fn argument_errors_before_connecting() {
    let cases: &[(&[&str], &str, &str)] = &[
        (&["ss"], "", "racoonctl: insufficient arguments\n"),
        (
            &["ss", "esp", "ah"],
            "",
            "racoonctl: insufficient arguments\n",
        ),
        (&["show-sa", "udp"], "", "racoonctl: unknown protocol udp\n"),
        (
            &["fs", "isakmpx"],
            "",
            "racoonctl: unknown protocol isakmpx\n",
        ),
        (&["ds"], "", "racoonctl: insufficient arguments\n"),
        (
            &["ds", "ipsec", "inet", "1.1.1.1", "2.2.2.2"],
            "",
            "racoonctl: kmpstat: Protocol not supported\n",
        ),
        (
            &["ds", "isakmp", "inet", "1.1.1.1"],
            "",
            "racoonctl: kmpstat: Invalid argument\n",
        ),
        (
            &["ds", "isakmp", "ipx", "1.1.1.1", "2.2.2.2"],
            "",
            "racoonctl: kmpstat: Address family not supported by protocol\n",
        ),
        (
            &["es", "esp", "inet", "10.0.0.0/24", "10.1.0.0/24", "sctp"],
            "",
            "racoonctl: kmpstat: Invalid argument\n",
        ),
        (
            &["gc", "inet", "bad..name.invalid", "10.0.0.2"],
            "Name or service not known: bad..name.invalid/(null)\n",
            "racoonctl: kmpstat: Invalid argument\n",
        ),
        (&["es"], "", "racoonctl: insufficient arguments\n"),
        (&["es", "-u"], "", "racoonctl: -u require an argument\n"),
        (&["vc"], "", "racoonctl: insufficient arguments\n"),
        (
            &["vc", "-u", "bob"],
            "",
            "racoonctl: VPN gateway required\n",
        ),
        (&["vd"], "", "racoonctl: VPN gateway required\n"),
        (&["se", "x"], "", "racoonctl: too many arguments\n"),
        (&["lu"], "", "racoonctl: insufficient arguments\n"),
        (
            &["lu", "a-login-name-that-is-far-too-long-for-xauth"],
            "",
            "racoonctl: bad login (too long?)\n",
        ),
        (
            &["st", "-f", "xml"],
            "",
            "racoonctl: status: unknown format 'xml' (expected text or json)\n",
        ),
        (
            &["st", "-x"],
            "",
            "racoonctl: status: unknown argument '-x'\n",
        ),
    ];
    for (args, out, err) in cases {
        let mut full = vec!["-s", "/nonexistent/racoon.sock"];
        full.extend_from_slice(args);
        assert_run(&racoonctl(&full), out, err, 1);
    }
}
