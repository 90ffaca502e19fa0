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
        &run_as("/usr/sbin/setkey", &["-f", "/nonexistent/setkey.conf"]),
        "",
        "setkey: Can't open `/nonexistent/setkey.conf': No such file or directory\n",
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

/// Modes that need no kernel show which mode the options chose: `-f` opens its file,
/// file operands are read. (`-x`, `-D`, `-F` and `-f` against a kernel are exercised in
/// the kernel lab.)
#[test]
fn combined_flags_reach_their_mode() {
    let cant_open = |f: &str| format!("setkey: Can't open `{f}': No such file or directory\n");
    let missing = "/nonexistent/setkey.conf";
    let files = "setkey: dump.bin: No such file or directory\n".to_owned();
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["-f", missing], cant_open(missing)),
        (vec!["-nvf", missing], cant_open(missing)),
        (
            vec!["-fsetkey-missing.conf"],
            cant_open("setkey-missing.conf"),
        ),
        (vec!["-D", "-f", missing], cant_open(missing)),
        (
            vec!["-kr", "--backend", "xfrm", "-f", missing],
            cant_open(missing),
        ),
        (vec!["dump.bin"], files.clone()),
        (vec!["-D", "dump.bin"], files),
    ];
    for (args, stderr) in &cases {
        assert_run(&setkey(args), "", stderr, 1);
    }
}

/// `-n` parses and changes nothing, so it needs no kernel: a good file is silent and
/// exits 0; a bad one names file, line and column and exits 1, as a `-f` run would.
#[test]
fn no_action_checks_a_file() {
    let dir = std::env::temp_dir().join(format!("setkey-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.conf");
    std::fs::write(
        &good,
        "flush;\nadd 10.0.0.1 10.0.0.2 esp 0x100 -E aes-cbc 0x00112233445566778899aabbccddeeff;\n",
    )
    .unwrap();
    let bad = dir.join("bad.conf");
    std::fs::write(
        &bad,
        "flush;\nadd 10.0.0.1 10.0.0.2 esp 0x100\n\t-E aes-cbc 0x0011;\n",
    )
    .unwrap();
    let (good, bad) = (good.to_str().unwrap(), bad.to_str().unwrap());
    assert_run(&setkey(&["-n", "-f", good]), "", "", 0);
    assert_run(
        &setkey(&["-n", "-f", bad]),
        "",
        &format!(
            "setkey: {bad},3:13: invalid key length for aes-cbc: 16 bits given, \
             expected 128, 192 or 256 bits at `0x0011'\nsetkey: {bad},3: parse failed\n"
        ),
        1,
    );
    std::fs::remove_dir_all(&dir).unwrap();
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
    assert_eq!(out.stderr, b"setkey: file: No such file or directory\n");
    assert_eq!(out.status.code(), Some(1));
}

/// Like the C original, a closed stdout ends setkey by SIGPIPE, silently, instead of
/// a "Broken pipe" message (`setkey -D | head` in scripts).
#[test]
fn closed_stdout_is_a_silent_sigpipe() {
    use std::os::unix::process::ExitStatusExt;
    // The read end is closed before setkey starts, so its first write fails.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_setkey"))
        .arg("-h")
        .stdout(writer)
        .output()
        .unwrap();
    const SIGPIPE: i32 = 13;
    assert_eq!(out.status.signal(), Some(SIGPIPE));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
