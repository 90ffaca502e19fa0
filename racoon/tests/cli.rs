//! racoon's command line as a script sees it: stdout, stderr, exit status.

use std::os::unix::process::CommandExt;
use std::process::Command;

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

/// Runs the binary with argv[0] = `racoon`, as from $PATH.
fn racoon(args: &[&str]) -> Run {
    run_as("racoon", args)
}

fn run_as(argv0: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_racoon"))
        .arg0(argv0)
        .args(args)
        .env_remove("POSIXLY_CORRECT")
        .output()
        .expect("run racoon");
    Run {
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        code: out.status.code().expect("exit status"),
    }
}

/// The layout is fixed; which features are listed grows as they land.
fn version() -> String {
    let features: String = common::version::RACOON_FEATURES
        .iter()
        .map(|f| format!("- {f}\n"))
        .collect();
    format!(
        "@(#)ipsec-tools-rs {} (compatible with ipsec-tools 0.9.1)\n\nCompiled with:\n{features}\n",
        env!("CARGO_PKG_VERSION")
    )
}

const USAGE: &str = "\
usage: racoon [-BdFtv46] [-f (file)] [-l (file)] [-p (port)] [-P (natt port)]
   -B: install SA to the kernel from the file specified by the configuration file.
   -d: debug level, more -d will generate more debug message.
   -C: dump parsed config file.
   -L: include location in debug messages
   -F: run in foreground, do not become daemon.
   -t: check the configuration file for syntax errors, then exit.
   -v: be more verbose
   -V: print version and exit
   -4: IPv4 mode.
   -6: IPv6 mode.
   -f: pathname for configuration file.
   -l: pathname for log file.
   -p: port number for isakmp (default: 500).
   -P: port number for NAT-T (default: 4500).

";

fn assert_run(r: &Run, stdout: &str, stderr: &str, code: i32) {
    assert_eq!(r.stdout, stdout, "stdout");
    assert_eq!(r.stderr, stderr, "stderr");
    assert_eq!(r.code, code, "exit status");
}

#[test]
fn version_exits_0_on_stdout() {
    assert_run(&racoon(&["-V"]), &version(), "", 0);
    assert_run(&racoon(&["-dV", "-x"]), &version(), "", 0);
}

#[test]
fn foreground_announces_itself_before_anything_else() {
    assert_run(
        &racoon(&["-F", "-V"]),
        &("Foreground mode.\n".to_string() + &version()),
        "",
        0,
    );
    let r = racoon(&["-ZF", "-t", "-f", "/nonexistent/racoon.conf"]);
    assert_eq!(r.stdout, "Local test mode.\nForeground mode.\n");
    assert!(
        r.stderr.starts_with("racoon: /nonexistent/racoon.conf"),
        "{}",
        r.stderr
    );
    assert_eq!(r.code, 1);
}

#[test]
fn help_is_an_invalid_option() {
    assert_run(
        &racoon(&["-h"]),
        USAGE,
        "racoon: invalid option -- 'h'\n",
        1,
    );
    assert_run(
        &racoon(&["-?"]),
        USAGE,
        "racoon: invalid option -- '?'\n",
        1,
    );
}

#[test]
fn unknown_option() {
    assert_run(
        &racoon(&["-dz"]),
        USAGE,
        "racoon: invalid option -- 'z'\n",
        1,
    );
    assert_run(
        &run_as("/usr/sbin/racoon", &["-z"]),
        USAGE,
        "/usr/sbin/racoon: invalid option -- 'z'\n",
        1,
    );
}

#[test]
fn missing_argument() {
    for letter in ["f", "l", "p", "P"] {
        assert_run(
            &racoon(&[&format!("-d{letter}")]),
            USAGE,
            &format!("racoon: option requires an argument -- '{letter}'\n"),
            1,
        );
    }
}

#[test]
fn operands_are_refused_with_the_usage() {
    assert_run(&racoon(&["racoon.conf"]), USAGE, "", 1);
    assert_run(&racoon(&["-d", "--", "-F"]), USAGE, "", 1);
}

#[test]
fn config_test_reports_where() {
    let dir = std::env::temp_dir().join(format!("racoon-cli-t-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.conf");
    std::fs::write(&bad, "remote 1.2.3.4 {\n exchange_mode main\n}\n").unwrap();
    let good = dir.join("good.conf");
    std::fs::write(
        &good,
        "remote 1.2.3.4 {\n exchange_mode main;\n proposal {\n encryption_algorithm 3des; hash_algorithm md5;\n authentication_method pre_shared_key; dh_group modp1024;\n }\n}\n",
    )
    .unwrap();
    let bad_s = bad.to_str().unwrap();
    let r = racoon(&["-t", "-f", bad_s]);
    assert_eq!(
        r.stderr,
        format!("racoon: {bad_s}:3:1: expected `;' after `exchange_mode main', found `}}'\n")
    );
    assert_eq!(r.code, 1);
    let r = racoon(&["-t", "-f", good.to_str().unwrap()]);
    assert_eq!((r.stderr.as_str(), r.code), ("", 0));
    let r = run_as("/usr/sbin/racoon", &["-tf/nonexistent/x.conf"]);
    assert!(
        r.stderr.starts_with("racoon: /nonexistent/x.conf"),
        "{}",
        r.stderr
    );
    assert_eq!(r.code, 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn combined_flags_reach_the_daemon() {
    // A configuration that cannot be read stops the daemon before it touches the
    // kernel or the network.
    for args in [
        &["-ddd", "-f", "/nonexistent/racoon.conf"][..],
        &["-F", "-v", "-f", "/nonexistent/racoon.conf"],
        &[
            "-46BLCv",
            "-f/nonexistent/racoon.conf",
            "-p",
            "500",
            "-P4500",
            "-l",
            "/var/log/racoon.log",
        ],
    ] {
        let r = racoon(args);
        assert!(
            r.stderr.starts_with("racoon: /nonexistent/racoon.conf"),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(r.code, 1, "{args:?}");
    }
}

#[test]
fn bad_port() {
    assert_run(
        &racoon(&["-p", "isakmp"]),
        "",
        "racoon: -p: invalid port number `isakmp'\n",
        1,
    );
    assert_run(&racoon(&["-P", "x", "-V"]), &version(), "", 0);
}
