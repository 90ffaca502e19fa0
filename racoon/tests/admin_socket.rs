//! The admin socket's engine side and server: establish-sa with no traffic, delete-sa
//! telling the peer, flush-sa, show-sa isakmp records, status JSON against the schema
//! of schema_version 2.0, events, and the server on a real socket with a stalled client.

#[allow(dead_code)]
mod engine_sim;

use common::admin::{
    evt, Command, Header, Indexes, Ph1Dump, Proto, Reply, Request, STATUS_FORMAT_JSON,
};
use common::kernel::memory::MemoryKernel;
use common::kernel::Event as KEvent;
use common::policy::Direction;
use common::sa::{Mode, SaType};
use engine_sim::*;
use racoon::admin::{dispatch, AdminServer, Context, KernelSlot, Tracker};
use racoon::conf::{Listen, LogLevel};
use racoon::daemon::Logger;
use racoon::engine::admin::{Handle, Refused};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

mod json;

fn pair_without_traffic() -> Sim {
    let sa_a = sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO);
    let sa_b = sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO);
    let a = Node::new(A, &conf(B, "", PROPOSAL, &sa_a), &format!("{B} k\n"), 71);
    let b = Node::new(B, &conf(A, "", PROPOSAL, &sa_b), &format!("{A} k\n"), 72);
    let mut sim = Sim::new(a, b, Link::default(), 73);
    let out = policy(
        "172.16.1.0/24",
        "172.16.2.0/24",
        Direction::Out,
        Mode::Tunnel,
        Some((A, B)),
        7,
    );
    let inb = policy(
        "172.16.2.0/24",
        "172.16.1.0/24",
        Direction::In,
        Mode::Tunnel,
        Some((B, A)),
        8,
    );
    sim.nodes[0].engine.set_policies(vec![out, inb]);
    let b_in = policy(
        "172.16.1.0/24",
        "172.16.2.0/24",
        Direction::In,
        Mode::Tunnel,
        Some((A, B)),
        9,
    );
    sim.event(1, KEvent::PolicyAdded(b_in));
    sim
}

fn sel(s: &str) -> common::addr::Selector {
    s.parse().unwrap()
}

#[test]
fn establish_isakmp_with_no_traffic_reports_up_events() {
    let mut sim = pair_without_traffic();
    let mut tracker = Tracker::default();
    assert!(tracker.update(&[], &[], 0).is_empty());
    let now = sim.now;
    let h = sim.nodes[0]
        .engine
        .admin_establish_ph1(now, None, ip(B), None)
        .unwrap();
    let Handle::Ph1(id) = h else { panic!("{h:?}") };
    let e = &sim.nodes[0].engine;
    assert!(tracker
        .update(&e.admin_ph1s(), &e.admin_ph2s(), 1)
        .is_empty());
    sim.run_for(Duration::from_secs(5));
    let e = &sim.nodes[0].engine;
    let views = e.admin_ph1s();
    assert_eq!(views.len(), 1);
    assert!(views[0].established && views[0].initiator);
    assert_eq!(views[0].id, id);
    let events = tracker.update(&views, &e.admin_ph2s(), 2);
    let kinds: Vec<u32> = events.iter().map(|x| x.event.kind).collect();
    assert_eq!(kinds, vec![evt::PHASE1_UP, evt::PHASE1_MODE_CFG]);
    assert_eq!(
        events[0].event.ph1src,
        Some(format!("{A}:500").parse().unwrap())
    );
    assert_eq!(
        events[0].event.ph1dst,
        Some(format!("{B}:500").parse().unwrap())
    );
    assert!(sim.nodes[1].engine.admin_ph1s()[0].established);
    // Asking again: it is there already (EEXIST, racoonctl exits 0).
    let now = sim.now;
    assert_eq!(
        sim.nodes[0]
            .engine
            .admin_establish_ph1(now, None, ip(B), None),
        Err(Refused::Exists)
    );
    // No remote section for that peer.
    assert_eq!(
        sim.nodes[0]
            .engine
            .admin_establish_ph1(now, None, ip("192.0.2.9"), None),
        Err(Refused::Failed)
    );
}

#[test]
fn establish_esp_by_selector_negotiates_both_phases() {
    let mut sim = pair_without_traffic();
    let now = sim.now;
    let h = sim.nodes[0]
        .engine
        .admin_establish_ph2(
            now,
            &sel("172.16.1.0/24"),
            &sel("172.16.2.0/24"),
            0,
            SaType::Esp,
        )
        .unwrap();
    let Handle::Ph2(id) = h else { panic!("{h:?}") };
    sim.run_for(Duration::from_secs(10));
    assert_pairs_match(&sim);
    let ph2 = sim.nodes[0].engine.admin_ph2s();
    assert_eq!(ph2.len(), 1);
    assert!(ph2[0].established);
    assert_eq!(ph2[0].id, id);
    let now = sim.now;
    assert_eq!(
        sim.nodes[0].engine.admin_establish_ph2(
            now,
            &sel("172.16.1.0/24"),
            &sel("172.16.2.0/24"),
            0,
            SaType::Esp
        ),
        Err(Refused::Exists)
    );
    assert_eq!(
        sim.nodes[0].engine.admin_establish_ph2(
            now,
            &sel("10.9.9.0/24"),
            &sel("172.16.2.0/24"),
            0,
            SaType::Esp
        ),
        Err(Refused::NoPolicy)
    );
}

#[test]
fn delete_sa_isakmp_sends_deletes_and_the_peer_drops_its_sas() {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "k", "k", Link::default(), 81);
    sim.run_for(Duration::from_secs(10));
    assert_pairs_match(&sim);
    let (b_in, b_out) = sim.nodes[1].installs[0].clone();
    let now = sim.now;
    let n = sim.nodes[0]
        .engine
        .admin_delete_ph1(now, Some(ip(A)), ip(B));
    assert_eq!(n, 1);
    sim.run_for(Duration::from_secs(2));
    assert!(sim.nodes[0].engine.admin_ph1s().is_empty());
    assert!(sim.nodes[0].engine.admin_ph2s().is_empty());
    assert!(
        sim.nodes[1].engine.admin_ph1s().is_empty(),
        "{:#?}",
        sim.nodes[1].logs
    );
    assert!(sim.nodes[1].engine.admin_ph2s().is_empty());
    assert!(sim.nodes[1].deletes.contains(&b_in.id()));
    assert!(sim.nodes[1].deletes.contains(&b_out.id()));
    assert!(sim.nodes[0].has_log_containing("ISAKMP-SA deleted"));
}

fn slot() -> KernelSlot {
    KernelSlot::with(Box::new(MemoryKernel::new()))
}

fn run(
    sim: &mut Sim,
    node: usize,
    kernel: &mut KernelSlot,
    req: Request,
) -> racoon::admin::Outcome {
    let now = sim.now;
    let mut logs = Vec::new();
    let mut log = |_: LogLevel, t: String| logs.push(t);
    let mut cx = Context {
        engine: &mut sim.nodes[node].engine,
        kernel,
        log: &mut log,
        now,
        wall: 1_795_399_883,
    };
    dispatch(&req, &mut cx)
}

#[test]
fn show_sa_isakmp_and_status_json_follow_their_formats() {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "k", "k", Link::default(), 91);
    sim.run_for(Duration::from_secs(10));
    let mut k = slot();
    let out = run(
        &mut sim,
        0,
        &mut k,
        Request::new(Command::ShowSa, Proto::Isakmp.code(), vec![]),
    );
    assert_eq!(out.reply.errno, 0);
    let (records, left) = Ph1Dump::decode_all(&out.reply.payload);
    assert_eq!((records.len(), left), (1, 0));
    let r = &records[0];
    assert_eq!(
        (r.status, r.side, r.version, r.etype, r.ph2cnt),
        (9, 0, 0x10, 2, 1)
    );
    assert_eq!(r.remote, Some(format!("{B}:500").parse().unwrap()));
    assert!(r.created > 1_795_399_000 && r.created <= 1_795_399_883);

    // show-schedule: the ISAKMP SA's lifetime timer (28800 s, the seed's default).
    let out = run(
        &mut sim,
        0,
        &mut k,
        Request::new(Command::ShowSched, 0, vec![]),
    );
    assert_eq!(out.reply.payload.len() % common::admin::SCHEDDUMP_LEN, 0);
    let timers: Vec<common::admin::SchedDump> = out
        .reply
        .payload
        .chunks(common::admin::SCHEDDUMP_LEN)
        .map(|c| common::admin::SchedDump::decode(c).unwrap())
        .collect();
    assert!(
        timers
            .iter()
            .any(|t| t.tick > 28_000 && t.tick <= 28_800 && t.xtime == t.created + t.tick),
        "{timers:?}"
    );

    let schema = json::parse(include_str!(
        "../../racoonctl/tests/fixtures/racoonctl-status.schema.json"
    ))
    .unwrap();
    for (cmd, verbose) in [(Command::Status, false), (Command::StatusVerbose, true)] {
        let out = run(
            &mut sim,
            0,
            &mut k,
            Request::new(cmd, STATUS_FORMAT_JSON, vec![]),
        );
        let text = String::from_utf8(out.reply.payload).unwrap();
        let doc = json::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        json::validate(&schema, &schema, &doc, "$").unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(
            doc.get("schema_version"),
            Some(&json::Value::Str("2.0".into()))
        );
        assert_eq!(doc.get("phase2").is_some(), verbose, "{text}");
        if verbose {
            assert!(
                text.contains("\"protocol\":\"ESP\",\"encmode\":\"Tunnel\""),
                "{text}"
            );
            assert!(text.contains("\"state\":\"established\""), "{text}");
        }
    }
    // A document that breaks the schema is caught: the check can fail.
    let bad = json::parse(r#"{"schema_version":"1.2","timestamp":"x","phase1":[]}"#).unwrap();
    assert!(json::validate(&schema, &schema, &bad, "$").is_err());

    let out = run(
        &mut sim,
        0,
        &mut k,
        Request::new(Command::StatusVerbose, 0, vec![]),
    );
    let text = String::from_utf8(out.reply.payload).unwrap();
    assert!(
        text.starts_with("racoon status at 2026-11-23T02:11:23Z\n\nPhase 1: 0x"),
        "{text}"
    );
    assert!(text.contains("  state:          established\n"), "{text}");
    assert!(
        text.contains("  state:          established  protocol: ESP  mode: Tunnel\n"),
        "{text}"
    );
}

#[test]
fn flush_and_unsupported_commands() {
    let mut sim = tunnel_pair(SAINFO, SAINFO, "k", "k", Link::default(), 101);
    sim.run_for(Duration::from_secs(10));
    let mut k = slot();
    let out = run(
        &mut sim,
        0,
        &mut k,
        Request::new(Command::FlushSa, Proto::Esp.code(), vec![]),
    );
    assert_eq!(out.reply.errno, 0);
    assert!(sim.nodes[0].engine.admin_ph2s().is_empty());
    assert_eq!(sim.nodes[0].engine.admin_ph1s().len(), 1);
    // The peer was told and dropped its half.
    let (b_in, b_out) = sim.nodes[1].installs[0].clone();
    sim.run_for(Duration::from_secs(1));
    assert!(sim.nodes[1].engine.admin_ph2s().is_empty());
    assert!(
        sim.nodes[1].deletes.contains(&b_in.id()) && sim.nodes[1].deletes.contains(&b_out.id())
    );
    // The in-memory kernel is empty: the original's single ENOENT dump message.
    let out = run(
        &mut sim,
        0,
        &mut k,
        Request::new(Command::ShowSa, Proto::Esp.code(), vec![]),
    );
    assert_eq!(out.reply.payload.len(), 16);
    assert_eq!((out.reply.payload[1], out.reply.payload[2]), (10, 2));
    let out = run(
        &mut sim,
        0,
        &mut k,
        Request::new(Command::FlushSa, Proto::Isakmp.code(), vec![]),
    );
    assert_eq!(out.reply.errno, 0);
    assert!(sim.nodes[0].engine.admin_ph1s().is_empty());

    let idx = Indexes {
        prefs: 32,
        prefd: 32,
        ul_proto: 0,
        src: Some(format!("{A}:0").parse().unwrap()),
        dst: Some(format!("{B}:0").parse().unwrap()),
    };
    for (req, errno) in [
        (Request::new(Command::LogoutUser, 0, b"bob\0".to_vec()), 95),
        (
            Request::new(Command::GetSaCert, Proto::Isakmp.code(), idx.encode()),
            2,
        ),
        (
            Request::new(Command::ShowSa, Proto::Internal.code(), vec![]),
            95,
        ),
        (
            Request::new(Command::DeleteSa, Proto::Isakmp.code(), vec![1, 2, 3]),
            22,
        ),
        (
            Request {
                cmd: 0x0777,
                proto: 0,
                version: 1,
                payload: vec![],
            },
            95,
        ),
    ] {
        let out = run(&mut sim, 0, &mut k, req.clone());
        assert_eq!(out.reply.errno, errno, "{req:?}");
    }
    let mut psk = idx.encode();
    psk.extend(
        common::admin::Psk {
            id_type: 1,
            id: "bob".into(),
            key: "pw".into(),
        }
        .encode(),
    );
    let out = run(
        &mut sim,
        0,
        &mut k,
        Request::new(Command::EstablishSaPsk, Proto::Isakmp.code(), psk),
    );
    assert_eq!(out.reply.errno, 95);
    let out = run(
        &mut sim,
        0,
        &mut k,
        Request::new(Command::ReloadConf, 0, vec![]),
    );
    assert!(out.reload);
}

fn poll_once(server: &AdminServer) -> Vec<libc::pollfd> {
    let mut fds = server.pollfds();
    // SAFETY: a valid array of pollfd.
    unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, 200) };
    fds
}

#[test]
fn server_answers_while_another_client_stalls_and_removes_its_socket() {
    let dir = std::env::temp_dir().join(format!("racoon-admin-srv-{}", std::process::id()));
    let path = dir.join("racoon.sock");
    let text = format!("listen {{ adminsock \"{}\"; }}\n", path.display());
    let config =
        racoon::conf::parse_str("racoon.conf", &text, &mut racoon::conf::NoIncludes).unwrap();
    let listen: Listen = config.listen.clone();
    let logfile = dir.join("log");
    std::fs::create_dir_all(&dir).unwrap();
    let mut logger = Logger::open(LogLevel::Debug, false, Some(&logfile)).unwrap();
    let mut server = AdminServer::open(&listen, common::kernel::Backend::Auto, &mut logger);
    assert!(path.exists());
    let mut sim = pair_without_traffic();

    // A client that sends half a header and nothing more.
    let mut stalled = UnixStream::connect(&path).unwrap();
    stalled.write_all(&[0x08, 0x00, 0x01]).unwrap();
    let fds = poll_once(&server);
    server.service(&fds, &mut sim.nodes[0].engine, &mut logger);

    // A real request is answered regardless.
    let mut c = UnixStream::connect(&path).unwrap();
    c.write_all(&Request::new(Command::ShowSa, Proto::Isakmp.code(), vec![]).encode())
        .unwrap();
    let mut events = UnixStream::connect(&path).unwrap();
    events
        .write_all(&Request::new(Command::ShowEvt, 0, vec![]).encode())
        .unwrap();
    for _ in 0..3 {
        let fds = poll_once(&server);
        server.service(&fds, &mut sim.nodes[0].engine, &mut logger);
    }
    c.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut reply = Vec::new();
    c.read_to_end(&mut reply).unwrap();
    let h = Header::decode(&reply).unwrap();
    assert_eq!(Reply::wire_len(&h).unwrap(), (8, 0));
    assert_eq!(h.cmd, Command::ShowSa.code());

    // The subscriber gets the empty reply, then events as the tunnel comes up.
    let now = sim.now;
    sim.nodes[0]
        .engine
        .admin_establish_ph1(now, None, ip(B), None)
        .unwrap();
    sim.run_for(Duration::from_secs(5));
    let fds = poll_once(&server);
    server.service(&fds, &mut sim.nodes[0].engine, &mut logger);
    server.publish(&sim.nodes[0].engine);
    events
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let mut got = vec![0u8; 8 + 2 * (8 + common::admin::EVT_ASYNC_LEN)];
    events.read_exact(&mut got).unwrap();
    let first = Reply::decode(&got[8..]).unwrap();
    assert_eq!(first.cmd, Command::ShowEvt.code());
    let e = common::admin::Event::decode(&first.payload).unwrap();
    assert_eq!(e.kind, evt::PHASE1_UP);

    drop(server);
    assert!(!path.exists());
    // The subscriber heard racoon go.
    let mut quit = vec![0u8; 8 + common::admin::EVT_ASYNC_LEN];
    events.read_exact(&mut quit).unwrap();
    let e = common::admin::Event::decode(&quit[8..]).unwrap();
    assert_eq!(e.kind, evt::RACOON_QUIT);
    drop(stalled);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn show_sa_esp_relays_the_kernels_sas_in_setkey_form() {
    use common::alg::{find_setkey, Class};
    use common::dump::{self, DumpOptions, FixedClock};
    use common::kernel::{Kernel, Op};
    use common::pfkey::{reply, Message};
    use common::sa::{Keyed, Lifetime, Sa};

    let mut mem = MemoryKernel::new();
    let mut sa = Sa::new(ip(A), ip(B), SaType::Esp, 0x1001);
    sa.mode = Mode::Tunnel;
    sa.reqid = 7;
    sa.replay = 32;
    sa.enc = Some(Keyed {
        alg: find_setkey(Class::Encrypt, "aes-cbc").unwrap(),
        key: vec![0x30; 16],
    });
    sa.auth = Some(Keyed {
        alg: find_setkey(Class::Auth, "hmac-sha1").unwrap(),
        key: vec![0x31; 20],
    });
    sa.hard = Lifetime {
        addtime: 3600,
        ..Lifetime::default()
    };
    let mut back = sa.clone();
    back.src = ip(B);
    back.dst = ip(A);
    back.spi = 0x2002;
    assert!(mem
        .apply(&[Op::AddSa(sa), Op::AddSa(back)])
        .iter()
        .all(|r| r.is_ok()));
    let want = mem.dump_sa(Some(SaType::Esp)).unwrap();
    let mut sim = pair_without_traffic();
    let mut k = KernelSlot::with(Box::new(mem));
    let out = run(
        &mut sim,
        0,
        &mut k,
        Request::new(Command::ShowSa, Proto::Esp.code(), vec![]),
    );
    assert_eq!(out.reply.errno, 0);

    // What racoonctl does with the payload: sadb_msgs up to the one numbered 0.
    let mut got = Vec::new();
    let mut rest = out.reply.payload.as_slice();
    loop {
        let len = usize::from(u16::from_ne_bytes([rest[4], rest[5]])) * 8;
        let m = Message::decode(&rest[..len]).unwrap();
        let sa = reply::sa_from_message(&m).unwrap();
        got.push(reply::dumped(&m, sa));
        if m.header.seq == 0 {
            break;
        }
        rest = &rest[len..];
    }
    assert_eq!(got.len(), 2);
    let clock = FixedClock {
        now: 1_795_399_883,
        utc_offset: 0,
    };
    let opts = DumpOptions::new(&clock);
    let (mut a, mut b) = (String::new(), String::new());
    dump::sa_table(&mut a, &want, &opts).unwrap();
    dump::sa_table(&mut b, &got, &opts).unwrap();
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("sadb_seq="))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&b), strip(&a));
    assert!(
        b.contains("\tesp mode=tunnel spi=4097(0x00001001) reqid=7(0x00000007)"),
        "{b}"
    );
}
