//! `setkey FILE...`: files of raw PF_KEY messages printed as the original's fileproc()
//! prints them. No kernel needed.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;

use common::pfkey::consts::{msg, satype};
use common::pfkey::{
    AddressExt, Extension, Header, IpsecRequest, LifetimeExt, Message, PolicyExt, SockAddr,
};

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn setkey(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_setkey"))
        .arg0("setkey")
        .args(args)
        .env("TZ", "UTC")
        .env_remove("POSIXLY_CORRECT")
        .output()
        .expect("run setkey");
    Run {
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        code: out.status.code().expect("exit status"),
    }
}

/// A file of the messages back to back, in a directory of this test's own.
fn file(name: &str, messages: &[Vec<u8>]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("setkey-monitor-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, messages.concat()).unwrap();
    path
}

fn with_errno(msg_type: u8, errno: u8) -> Vec<u8> {
    let mut h = Header::new(msg_type, satype::UNSPEC, 0, 1);
    h.errno = errno;
    Message::new(h).encode().unwrap()
}

fn sel(ip: &str, prefixlen: u8) -> AddressExt {
    AddressExt {
        proto: 255,
        prefixlen,
        addr: SockAddr::new(ip.parse().unwrap()),
    }
}

fn spddump_entry() -> Vec<u8> {
    let mut h = Header::new(msg::X_SPDDUMP, satype::UNSPEC, 0, 707);
    h.reserved = 2;
    Message::new(h)
        .with(Extension::AddressSrc(sel("10.2.0.0", 24)))
        .with(Extension::AddressDst(sel("10.1.0.0", 24)))
        .with(Extension::LifetimeHard(LifetimeExt::default()))
        .with(Extension::LifetimeSoft(LifetimeExt::default()))
        .with(Extension::LifetimeCurrent(LifetimeExt {
            addtime: 1_700_000_000,
            ..LifetimeExt::default()
        }))
        .with(Extension::Policy(PolicyExt {
            policy_type: 2,
            dir: 3,
            id: 98,
            priority: 0x8000_0000,
            requests: vec![IpsecRequest {
                proto: 50,
                mode: 2,
                level: 2,
                reqid: 0,
                addrs: Some((
                    SockAddr::new("192.168.1.200".parse().unwrap()),
                    SockAddr::new("192.168.1.100".parse().unwrap()),
                )),
            }],
        }))
        .encode()
        .unwrap()
}

#[test]
fn errors_and_dumps_print_as_postproc_does() {
    let path = file(
        "mixed.bin",
        &[
            with_errno(msg::DUMP, 2),
            with_errno(msg::X_SPDDUMP, 2),
            with_errno(msg::DELETE, 2),
            with_errno(msg::ADD, 17),
            with_errno(msg::FLUSH, 2),
            // Messages with nothing to show.
            Message::new(Header::new(msg::FLUSH, 0, 0, 1))
                .encode()
                .unwrap(),
            spddump_entry(),
        ],
    );
    let r = setkey(&[path.to_str().unwrap()]);
    let want = "No SAD entries.\n\
                No SPD entries.\n\
                No entry.\n\
                File exists.\n\
                (null).\n\
                10.2.0.0/24[any] 10.1.0.0/24[any] 255\n\
                \tfwd prio def ipsec\n\
                \tesp/tunnel/192.168.1.200-192.168.1.100/require\n\
                \tcreated: Nov 14 22:13:20 2023  lastused:                     \n\
                \tlifetime: 0(s) validtime: 0(s)\n\
                \tspid=98 seq=0 pid=707\n\
                \trefcnt=2\n";
    assert_eq!(r.stdout, want);
    assert_eq!(r.stderr, "");
    assert_eq!(r.code, 0);
}

#[test]
fn files_are_printed_in_order_and_the_first_bad_one_ends_it() {
    let good = file("good.bin", &[with_errno(msg::DUMP, 2)]);
    let short = file("short.bin", &[vec![2, 10, 0, 0]]);
    let r = setkey(&[
        good.to_str().unwrap(),
        good.to_str().unwrap(),
        short.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(r.stdout, "No SAD entries.\nNo SAD entries.\n");
    assert_eq!(
        r.stderr,
        format!("setkey: {}: Invalid argument\n", short.display())
    );
    assert_eq!(r.code, 1);

    let r = setkey(&["/nonexistent/dump.bin"]);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "setkey: /nonexistent/dump.bin: No such file or directory\n"
    );
    assert_eq!(r.code, 1);
}

#[test]
fn a_zero_length_message_ends_the_file() {
    let mut zero = with_errno(msg::DUMP, 2);
    zero[4] = 0;
    let path = file("zero.bin", &[with_errno(msg::X_SPDDUMP, 2), zero]);
    let r = setkey(&[path.to_str().unwrap()]);
    assert_eq!(r.stdout, "No SPD entries.\n");
    assert_eq!(r.code, 0);
}
