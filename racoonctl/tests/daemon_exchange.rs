//! racoonctl against a scripted racoon on a real AF_UNIX socket: the bytes of every
//! request (each command and alias) and what racoonctl prints for the replies.

use common::admin::{evt, Command, Event, Indexes, Ph1Dump, Proto, Reply, Request};
use std::io::{Read, Write};
use std::os::unix::net::UnixListener;
use std::path::PathBuf;
use std::process::Command as Process;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;

static NEXT: AtomicU32 = AtomicU32::new(0);

fn socket_path() -> PathBuf {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    std::env::temp_dir().join(format!("racoonctl-test-{}-{n}.sock", std::process::id()))
}

struct Outcome {
    request: Vec<u8>,
    stdout: String,
    stderr: String,
    code: i32,
}

/// Runs racoonctl with `args` against a fake racoon that reads one request and answers
/// with `replies` (each already encoded), then closes.
fn exchange(args: &[&str], replies: Vec<Vec<u8>>) -> Outcome {
    let path = socket_path();
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path).expect("bind");
    let server = thread::spawn(move || {
        let (mut s, _) = listener.accept().expect("accept");
        let mut head = [0u8; 8];
        s.read_exact(&mut head).expect("header");
        let len = usize::from(u16::from_ne_bytes([head[0], head[1]]));
        let mut req = head.to_vec();
        req.resize(len, 0);
        s.read_exact(&mut req[8..]).expect("body");
        for r in replies {
            if s.write_all(&r).is_err() {
                break;
            }
        }
        req
    });
    let out = Process::new(env!("CARGO_BIN_EXE_racoonctl"))
        .arg("-s")
        .arg(&path)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .expect("run racoonctl");
    let request = server.join().expect("server");
    let _ = std::fs::remove_file(&path);
    Outcome {
        request,
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap(),
    }
}

fn ok(cmd: Command, proto: u16, payload: Vec<u8>) -> Vec<u8> {
    Reply {
        cmd: cmd.code(),
        proto,
        errno: 0,
        payload,
    }
    .encode()
}

fn event(kind: u32) -> Vec<u8> {
    ok(
        Command::ShowEvt,
        0,
        Event {
            kind,
            timestamp: 1_795_399_883,
            ph1src: Some("192.168.1.100:500".parse().unwrap()),
            ph1dst: Some("192.168.1.200:500".parse().unwrap()),
            ph2msgid: 0,
            data: vec![],
        }
        .encode(),
    )
}

fn sel(src: &str, dst: &str, prefs: u8, prefd: u8, ul: u8) -> Vec<u8> {
    Indexes {
        prefs,
        prefd,
        ul_proto: ul,
        src: Some(src.parse().unwrap()),
        dst: Some(dst.parse().unwrap()),
    }
    .encode()
}

#[test]
fn every_command_and_alias_sends_the_original_request() {
    let isakmp_sel = sel("192.168.1.100:0", "192.168.1.200:0", 32, 32, 0);
    let esp_sel = sel("10.0.0.0:0", "10.1.0.0:500", 24, 16, 1);
    let mut named = isakmp_sel.clone();
    named.extend_from_slice(b"gw1\0");
    let vd_sel = sel("0.0.0.0:0", "192.168.1.200:0", 32, 32, 0);
    let cases: Vec<(Vec<&str>, Request)> = vec![
        (
            vec!["reload-config"],
            Request::new(Command::ReloadConf, 0, vec![]),
        ),
        (vec!["rc"], Request::new(Command::ReloadConf, 0, vec![])),
        (
            vec!["show-schedule"],
            Request::new(Command::ShowSched, 0, vec![]),
        ),
        (vec!["sc"], Request::new(Command::ShowSched, 0, vec![])),
        (
            vec!["show-sa", "isakmp"],
            Request::new(Command::ShowSa, Proto::Isakmp.code(), vec![]),
        ),
        (
            vec!["ss", "ipsec"],
            Request::new(Command::ShowSa, Proto::Ipsec.code(), vec![]),
        ),
        (
            vec!["ss", "ah"],
            Request::new(Command::ShowSa, Proto::Ah.code(), vec![]),
        ),
        (
            vec!["flush-sa", "esp"],
            Request::new(Command::FlushSa, Proto::Esp.code(), vec![]),
        ),
        (
            vec!["fs", "isakmp"],
            Request::new(Command::FlushSa, Proto::Isakmp.code(), vec![]),
        ),
        (
            vec!["get-cert", "inet", "192.168.1.100", "192.168.1.200"],
            Request::new(Command::GetSaCert, Proto::Isakmp.code(), isakmp_sel.clone()),
        ),
        (
            vec!["gc", "inet", "192.168.1.100", "192.168.1.200"],
            Request::new(Command::GetSaCert, Proto::Isakmp.code(), isakmp_sel.clone()),
        ),
        (
            vec![
                "delete-sa",
                "isakmp",
                "inet",
                "192.168.1.100",
                "192.168.1.200",
            ],
            Request::new(Command::DeleteSa, Proto::Isakmp.code(), isakmp_sel.clone()),
        ),
        (
            vec![
                "ds",
                "esp",
                "inet",
                "10.0.0.0/24",
                "10.1.0.0/16[500]",
                "icmp",
            ],
            Request::new(Command::DeleteSa, Proto::Esp.code(), esp_sel.clone()),
        ),
        (
            vec![
                "establish-sa",
                "isakmp",
                "inet",
                "192.168.1.100",
                "192.168.1.200",
            ],
            Request::new(
                Command::EstablishSa,
                Proto::Isakmp.code(),
                isakmp_sel.clone(),
            ),
        ),
        (
            vec![
                "es",
                "-n",
                "gw1",
                "isakmp",
                "inet",
                "192.168.1.100",
                "192.168.1.200",
            ],
            Request::new(Command::EstablishSa, Proto::Isakmp.code(), named),
        ),
        (
            vec![
                "es",
                "ah",
                "inet",
                "10.0.0.0/24",
                "10.1.0.0/16[500]",
                "icmp",
            ],
            Request::new(Command::EstablishSa, Proto::Ah.code(), esp_sel.clone()),
        ),
        (
            vec!["vpn-disconnect", "192.168.1.200"],
            Request::new(
                Command::DeleteAllSaDst,
                Proto::Isakmp.code(),
                vd_sel.clone(),
            ),
        ),
        (
            vec!["vd", "192.168.1.200"],
            Request::new(Command::DeleteAllSaDst, Proto::Isakmp.code(), vd_sel),
        ),
        (
            vec!["logout-user", "bob"],
            Request::new(Command::LogoutUser, 0, b"bob\0".to_vec()),
        ),
        (
            vec!["lu", "bob"],
            Request::new(Command::LogoutUser, 0, b"bob\0".to_vec()),
        ),
        (vec!["status"], Request::new(Command::Status, 0, vec![])),
        (
            vec!["st", "-v"],
            Request::new(Command::StatusVerbose, 0, vec![]),
        ),
        (
            vec!["st", "-f", "json"],
            Request::new(Command::Status, 1, vec![]),
        ),
        (
            vec!["status", "-v", "--format=json"],
            Request::new(Command::StatusVerbose, 1, vec![]),
        ),
    ];
    for (args, want) in cases {
        let r = want.clone();
        let replies = if want.command() == Some(Command::DeleteAllSaDst) {
            vec![
                ok(Command::DeleteAllSaDst, r.proto, vec![]),
                event(evt::PHASE1_DOWN),
            ]
        } else {
            vec![ok(r.command().unwrap(), r.proto, vec![])]
        };
        let o = exchange(&args, replies);
        assert_eq!(o.request, want.encode(), "{args:?}");
        assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    }
}

#[test]
fn show_sa_isakmp_table() {
    let d = Ph1Dump {
        icookie: [0xd0, 0x2b, 0xd5, 0x8d, 0x74, 0xa8, 0xdb, 0xdd],
        rcookie: [0x1f, 0x61, 0xd5, 0xe6, 0x6d, 0xda, 0x5e, 0xdd],
        status: 9,
        side: 0,
        remote: Some("192.168.1.200:500".parse().unwrap()),
        local: Some("192.168.1.100:500".parse().unwrap()),
        version: 0x10,
        etype: 2,
        created: 1_795_399_883,
        ph2cnt: 1,
    };
    let o = exchange(
        &["ss", "isakmp"],
        vec![ok(
            Command::ShowSa,
            Proto::Isakmp.code(),
            d.encode().to_vec(),
        )],
    );
    assert_eq!(
        o.stdout,
        "Destination            Cookies                           Created\n\
         192.168.1.200.500      d02bd58d74a8dbdd:1f61d5e66dda5edd 2026-11-23 02:11:23 \n"
    );
    assert_eq!((o.stderr.as_str(), o.code), ("", 0));
}

#[test]
fn show_event_prints_until_the_connection_ends() {
    let o = exchange(
        &["show-event"],
        vec![
            ok(Command::ShowEvt, 0, vec![]),
            event(evt::PHASE1_UP),
            event(evt::PHASE2_UP),
        ],
    );
    assert_eq!(
        o.stdout,
        "Phase 1 established : 192.168.1.100[500] -> 192.168.1.200[500]\n\
         Phase 2 established : 192.168.1.100[500] -> 192.168.1.200[500]\n"
    );
    assert_eq!(
        o.stderr,
        "racoonctl: racoon closed the admin connection before sending a reply header (EOF)\n"
    );
    assert_eq!(o.code, 1);
}

#[test]
fn establish_sa_wait_reports_the_outcome() {
    let args = [
        "es",
        "-w",
        "isakmp",
        "inet",
        "192.168.1.100",
        "192.168.1.200",
    ];
    let o = exchange(
        &args,
        vec![
            ok(Command::EstablishSa, Proto::Isakmp.code(), vec![]),
            event(evt::PHASE1_UP),
            event(evt::PHASE1_MODE_CFG),
        ],
    );
    assert_eq!(o.stdout, "VPN connexion established\n");
    assert_eq!((o.stderr.as_str(), o.code), ("", 0));

    let esp = [
        "es",
        "-w",
        "esp",
        "inet",
        "10.0.0.0/24",
        "10.1.0.0/24",
        "any",
    ];
    let o = exchange(
        &esp,
        vec![
            ok(Command::EstablishSa, Proto::Esp.code(), vec![]),
            event(evt::PHASE1_UP),
            event(evt::PHASE2_UP),
        ],
    );
    assert_eq!(
        o.stdout,
        "Phase 2 established : 192.168.1.100[500] -> 192.168.1.200[500]\n"
    );
    assert_eq!(o.code, 0);

    // The negotiation failed: racoon drops the connection without the event.
    let o = exchange(
        &args,
        vec![
            ok(Command::EstablishSa, Proto::Isakmp.code(), vec![]),
            event(evt::PHASE1_NO_RESPONSE),
        ],
    );
    assert_eq!(o.stdout, "");
    assert_eq!(o.code, 1);
}

#[test]
fn daemon_errors() {
    let refused = |errno: i16| {
        Reply {
            cmd: Command::EstablishSa.code(),
            proto: Proto::Isakmp.code(),
            errno,
            payload: vec![],
        }
        .encode()
    };
    let args = ["es", "isakmp", "inet", "192.168.1.100", "192.168.1.200"];
    // EEXIST: already established, silently fine.
    let o = exchange(&args, vec![refused(17)]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", "", 0));
    let o = exchange(&args, vec![refused(2)]);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.code),
        (
            "",
            "racoonctl: establish-sa: No such file or directory\n",
            1
        )
    );
    let o = exchange(&["gc", "inet", "192.168.1.100", "192.168.1.200"], vec![]);
    assert_eq!(
        o.stderr,
        "racoonctl: racoon closed the admin connection before sending a reply header (EOF)\n"
    );
}

#[test]
fn status_and_schedule_print_the_reply() {
    let text = "racoon status at 2026-11-23T02:11:23Z\n\n(no phase 1 SAs)\n";
    let o = exchange(
        &["status"],
        vec![ok(Command::Status, 0, text.as_bytes().to_vec())],
    );
    assert_eq!(o.stdout, text);
    let o = exchange(&["sc"], vec![ok(Command::ShowSched, 0, vec![])]);
    assert_eq!(o.stdout, "index    tick     xtime    created\n");
}

#[test]
fn debug_dumps_the_request_first() {
    let o = exchange(&["-d", "rc"], vec![ok(Command::ReloadConf, 0, vec![])]);
    assert_eq!(o.stdout, " 08000180 01000000\n");
}
