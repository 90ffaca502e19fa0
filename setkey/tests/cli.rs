//! setkey's command line as a script sees it: stdout, stderr, exit status.

use std::os::unix::process::CommandExt;
use std::process::Command;

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

/// Runs the binary with argv[0] = `setkey`, as from $PATH.
fn setkey(args: &[&str]) -> Run {
    run_as("setkey", args)
}

fn run_as(argv0: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_setkey"))
        .arg0(argv0)
        .args(args)
        .env_remove("POSIXLY_CORRECT")
        .output()
        .expect("run setkey");
    Run {
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        code: out.status.code().expect("exit status"),
    }
}

fn version() -> String {
    format!(
        "setkey @(#) ipsec-tools-rs {} (compatible with ipsec-tools 0.9.1)\n",
        env!("CARGO_PKG_VERSION")
    )
}

fn usage() -> String {
    version()
        + "usage: setkey [-vrk] file ...\n"
        + "       setkey [-nvrk] -c\n"
        + "       setkey [-nvrk] -f filename\n"
        + "       setkey [-PalNpvrk] -D\n"
        + "       setkey [-Pv] -F\n"
        + "       setkey [-H] -x\n"
        + "       setkey [-V] [-h]\n"
        + "       setkey [--backend pfkey|xfrm|auto] ...\n"
}

fn assert_run(r: &Run, stdout: &str, stderr: &str, code: i32) {
    assert_eq!(r.stdout, stdout, "stdout");
    assert_eq!(r.stderr, stderr, "stderr");
    assert_eq!(r.code, code, "exit status");
}

#[test]
fn version_exits_1_on_stdout() {
    assert_run(&setkey(&["-V"]), &version(), "", 1);
    assert_run(&setkey(&["-V", "-z"]), &version(), "", 1);
    assert_run(&setkey(&["-DV"]), &version(), "", 1);
}

#[test]
fn help_and_question_mark_and_no_arguments_print_usage_exit_1() {
    for args in [
        &["-h"][..],
        &["-?"],
        &[],
        &["-d"],
        &["-v"],
        &["-n", "-v"],
        &["--"],
    ] {
        assert_run(&setkey(args), &usage(), "", 1);
    }
}

#[test]
fn unknown_option() {
    assert_run(
        &setkey(&["-z"]),
        &usage(),
        "setkey: invalid option -- 'z'\n",
        1,
    );
    assert_run(
        &setkey(&["-DPz"]),
        &usage(),
        "setkey: invalid option -- 'z'\n",
        1,
    );
    assert_run(
        &setkey(&["--help"]),
        &usage(),
        "setkey: invalid option -- '-'\n",
        1,
    );
}

#[test]
fn getopt_messages_use_argv0_verbatim() {
    assert_run(
        &run_as("/usr/sbin/setkey", &["-z"]),
        &usage(),
        "/usr/sbin/setkey: invalid option -- 'z'\n",
        1,
    );
    // Our own messages use the basename, as err(3) does.
    assert_run(
        &run_as("/usr/sbin/setkey", &["-D"]),
        "",
        "setkey: -D: not implemented yet\n",
        1,
    );
}

#[test]
fn missing_argument() {
    assert_run(
        &setkey(&["-f"]),
        &usage(),
        "setkey: option requires an argument -- 'f'\n",
        1,
    );
    assert_run(
        &setkey(&["-nvf"]),
        &usage(),
        "setkey: option requires an argument -- 'f'\n",
        1,
    );
    assert_run(
        &setkey(&["-D", "--backend"]),
        &usage(),
        "setkey: option '--backend' requires an argument\n",
        1,
    );
}

#[test]
fn combined_flags_reach_their_mode() {
    let cases: &[(&[&str], &str)] = &[
        (&["-D"], "-D"),
        (&["-DP"], "-DP"),
        (&["-PD"], "-DP"),
        (&["-DPalpNv"], "-DP"),
        (&["-F"], "-F"),
        (&["-FP"], "-FP"),
        (&["-x"], "-x"),
        (&["-xx"], "-x"),
        (&["-Hx"], "-x"),
        (&["-c"], "-c"),
        (&["-nvc"], "-c"),
        (&["-f", "setkey.conf"], "-f"),
        (&["-nvf", "setkey.conf"], "-f"),
        (&["-ffile"], "-f"),
        (&["-kD"], "-D"),
        (&["-r", "-D"], "-D"),
        (&["-D", "-F"], "-F"),
        (&["dump.bin"], "file arguments"),
        (&["-D", "dump.bin"], "file arguments"),
        (&["--backend", "xfrm", "-D"], "-D"),
        (&["-D", "--backend=pfkey"], "-D"),
        (&["--backend=auto", "-FP"], "-FP"),
    ];
    for (args, what) in cases {
        assert_run(
            &setkey(args),
            "",
            &format!("setkey: {what}: not implemented yet\n"),
            1,
        );
    }
}

#[test]
fn unknown_backend() {
    assert_run(
        &setkey(&["--backend", "netlink", "-D"]),
        "",
        "setkey: unknown backend `netlink' (expected pfkey, xfrm or auto)\n",
        1,
    );
}

#[test]
fn posixly_correct_stops_at_the_first_operand() {
    let out = Command::new(env!("CARGO_BIN_EXE_setkey"))
        .arg0("setkey")
        .args(["file", "-z"])
        .env("POSIXLY_CORRECT", "1")
        .output()
        .expect("run setkey");
    assert_eq!(out.stdout, b"");
    assert_eq!(out.stderr, b"setkey: file arguments: not implemented yet\n");
    assert_eq!(out.status.code(), Some(1));
}
