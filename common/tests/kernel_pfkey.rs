//! The PF_KEY backend against a real kernel. These need AF_KEY, ESP, AH and IPComp,
//! which the build machines lack: the kernel lab runs them (scenario
//! 10-kernel-backends), each binary in a fresh network namespace, one test at a time.
//! Every test starts by flushing the SAD and SPD.

use std::net::{IpAddr, UdpSocket};
use std::process::Command;
use std::time::{Duration, Instant};

use common::alg::{self, Class};
use common::kernel::{Event, Kernel, KernelError, Op};
use common::pfkey::{is_per_socket_policy_id, truncation_mismatch, PfkeyKernel, Subscription};
use common::policy::{
    Action, Direction, Level, Policy, PolicyId, PolicySelector, Request, PRIORITY_DEFAULT,
    PRIORITY_HIGH,
};
use common::sa::{Keyed, Lifetime, Mode, Sa, SaState, SaType};

const LAB: &str = "needs AF_KEY and ESP: run by the kernel lab";

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// A backend on clean tables.
fn kernel() -> PfkeyKernel {
    let mut k = PfkeyKernel::open().expect("AF_KEY socket");
    let results = k.apply(&[Op::FlushSa(None), Op::FlushPolicy]);
    assert_eq!(results, vec![Ok(()), Ok(())]);
    k
}

fn keyed(class: Class, name: &str, fill: u8) -> Keyed {
    let alg = alg::find_setkey(class, name).unwrap();
    let bits = alg.key_bits.smallest_nonzero().unwrap_or(0);
    let bits = if name == "aes-cbc" { 128 } else { bits };
    Keyed {
        alg,
        key: vec![fill; usize::from(bits / 8)],
    }
}

fn esp(src: &str, dst: &str, spi: u32, enc: &str, auth: &str) -> Sa {
    let mut sa = Sa::new(ip(src), ip(dst), SaType::Esp, spi);
    sa.enc = Some(keyed(Class::Encrypt, enc, spi as u8));
    sa.auth = Some(keyed(Class::Auth, auth, (spi >> 8) as u8));
    sa
}

fn ah(src: &str, dst: &str, spi: u32) -> Sa {
    let mut sa = Sa::new(ip(src), ip(dst), SaType::Ah, spi);
    sa.auth = Some(keyed(Class::Auth, "hmac-sha1", 0x11));
    sa
}

fn ipcomp(src: &str, dst: &str, cpi: u32) -> Sa {
    let mut sa = Sa::new(ip(src), ip(dst), SaType::IpComp, cpi);
    sa.comp = alg::find_setkey(Class::Compress, "deflate").ok();
    sa
}

/// What the kernel gives back for an SA we added: the same SA, mature, with a current
/// lifetime, and `any` mode turned into transport (Linux's `pfkey_mode_to_xfrm`).
fn expected_back(sa: &Sa) -> Sa {
    let mut e = sa.clone();
    if e.mode == Mode::Any {
        e.mode = Mode::Transport;
    }
    e.state = SaState::Mature;
    e
}

fn ok_all(results: &[Result<(), KernelError>]) {
    for (i, r) in results.iter().enumerate() {
        assert_eq!(*r, Ok(()), "op {i}");
    }
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn add_dump_compare_every_field() {
    let _ = LAB;
    let mut k = kernel();
    let mut a = esp("10.0.0.1", "10.0.0.2", 0x1001, "aes-cbc", "hmac-sha1");
    a.mode = Mode::Tunnel;
    a.reqid = 102;
    a.replay = 32;
    a.hard = Lifetime {
        allocations: 0,
        bytes: 1 << 30,
        addtime: 3600,
        usetime: 1800,
    };
    a.soft = Lifetime {
        allocations: 0,
        bytes: 1 << 29,
        addtime: 3000,
        usetime: 1500,
    };
    let mut b = esp("10.0.0.2", "10.0.0.1", 0x1002, "3des-cbc", "hmac-md5");
    b.mode = Mode::Transport;
    let c = ah("10.0.0.1", "10.0.0.2", 0x2001);
    let d = ipcomp("10.0.0.1", "10.0.0.2", 0x3001);
    let e = esp("fec0::1", "fec0::2", 0x1003, "aes-cbc", "hmac-sha1");
    let sas = [a, b, c, d, e];
    ok_all(&k.apply(&sas.iter().cloned().map(Op::AddSa).collect::<Vec<_>>()));

    let dump = k.dump_sa(None).unwrap();
    // IPComp SAs come with the kernel's own IPIP tunnel SA (spi = the address).
    for sa in &sas {
        let got = dump
            .iter()
            .find(|d| d.entry.spi == sa.spi && d.entry.satype == sa.satype && d.entry.dst == sa.dst)
            .unwrap_or_else(|| panic!("SA {:#x} not dumped: {dump:#?}", sa.spi));
        let mut entry = got.entry.clone();
        assert!(entry.current.is_some(), "no current lifetime");
        entry.current = None;
        assert_eq!(entry, expected_back(sa));
        assert_eq!(got.pid, k.pid());
    }
    assert_eq!(dump.last().unwrap().seq, 0, "a dump ends with seq 0");

    let only_ah = k.dump_sa(Some(SaType::Ah)).unwrap();
    assert_eq!(only_ah.len(), 1);
    assert_eq!(only_ah[0].entry.spi, 0x2001);
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn get_delete_and_their_errors() {
    let mut k = kernel();
    let sa = esp("10.0.0.1", "10.0.0.2", 0x4001, "aes-cbc", "hmac-sha1");
    ok_all(&k.apply(&[Op::AddSa(sa.clone())]));
    let got = k.get_sa(&sa.id()).unwrap();
    let mut entry = got.entry.clone();
    entry.current = None;
    assert_eq!(entry, expected_back(&sa));

    assert_eq!(k.apply(&[Op::DeleteSa(sa.id())]), vec![Ok(())]);
    // Linux answers ESRCH ("No such process"), not ENOENT, for a missing SA.
    assert_eq!(k.get_sa(&sa.id()), Err(KernelError::new(libc::ESRCH)));
    assert_eq!(
        k.apply(&[Op::DeleteSa(sa.id())]),
        vec![Err(KernelError::new(libc::ESRCH))]
    );
    assert_eq!(k.dump_sa(None).unwrap(), vec![]);
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn duplicate_add_fails_at_its_own_index_and_the_batch_goes_on() {
    let mut k = kernel();
    let a = esp("10.0.0.1", "10.0.0.2", 0x5001, "aes-cbc", "hmac-sha1");
    let b = esp("10.0.0.1", "10.0.0.2", 0x5002, "aes-cbc", "hmac-sha1");
    let c = esp("10.0.0.1", "10.0.0.2", 0x5003, "aes-cbc", "hmac-sha1");
    let mut gcm = a.clone();
    gcm.spi = 0x5004;
    gcm.enc = Some(Keyed {
        alg: alg::find_setkey(Class::Encrypt, "aes-gcm-16").unwrap(),
        key: vec![1; 20],
    });
    gcm.auth = None;
    let results = k.apply(&[
        Op::AddSa(a.clone()),
        Op::AddSa(b),
        Op::AddSa(a),
        Op::AddSa(gcm),
        Op::AddSa(c),
    ]);
    assert_eq!(
        results,
        vec![
            Ok(()),
            Ok(()),
            Err(KernelError::new(libc::EEXIST)),
            Err(KernelError::new(libc::EOPNOTSUPP)),
            Ok(())
        ]
    );
    assert_eq!(k.dump_sa(None).unwrap().len(), 3);
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn flush_by_type_and_all() {
    let mut k = kernel();
    ok_all(&k.apply(&[
        Op::AddSa(esp("10.0.0.1", "10.0.0.2", 0x6001, "aes-cbc", "hmac-sha1")),
        Op::AddSa(ah("10.0.0.1", "10.0.0.2", 0x6002)),
    ]));
    ok_all(&k.apply(&[Op::FlushSa(Some(SaType::Ah))]));
    let left = k.dump_sa(None).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].entry.satype, SaType::Esp);
    // Flushing twice: the second flush of an empty table succeeds too.
    ok_all(&k.apply(&[Op::FlushSa(None), Op::FlushSa(None)]));
    assert_eq!(k.dump_sa(None).unwrap(), vec![]);
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn getspi_reserves_a_larval_sa_that_update_completes() {
    let mut k = kernel();
    let spi = k
        .get_spi(
            ip("10.0.0.2"),
            ip("10.0.0.1"),
            SaType::Esp,
            0,
            0x7000,
            0x7fff,
        )
        .unwrap();
    assert!((0x7000..=0x7fff).contains(&spi), "{spi:#x}");
    let larval = k.dump_sa(None).unwrap();
    assert_eq!(larval.len(), 1);
    assert_eq!(larval[0].entry.spi, spi);
    assert_eq!(larval[0].entry.state, SaState::Larval);

    let mut sa = esp("10.0.0.2", "10.0.0.1", spi, "aes-cbc", "hmac-sha1");
    sa.mode = Mode::Any;
    ok_all(&k.apply(&[Op::UpdateSa(sa.clone())]));
    let done = k.get_sa(&sa.id()).unwrap();
    assert_eq!(done.entry.state, SaState::Mature);
    assert_eq!(done.entry.enc, sa.enc);
}

fn selector(src: &str, dst: &str, ul_proto: u8) -> PolicySelector {
    PolicySelector::Addresses {
        src: src.parse().unwrap(),
        dst: dst.parse().unwrap(),
        ul_proto,
    }
}

fn request(mode: Mode, tunnel: Option<(&str, &str)>, level: Level, reqid: u32) -> Request {
    Request {
        proto: SaType::Esp,
        mode,
        tunnel: tunnel.map(|(a, b)| (ip(a), ip(b))),
        level,
        reqid,
    }
}

fn policy(sel: PolicySelector, dir: Direction, priority: u32, requests: Vec<Request>) -> Policy {
    let action = if requests.is_empty() {
        Action::None
    } else {
        Action::Ipsec
    };
    let mut p = Policy::new(sel, dir, action);
    p.priority = priority;
    p.requests = requests;
    p
}

/// What the kernel gives back: the policy with its id and current lifetime.
fn same_policy(got: &Policy, want: &Policy) {
    let mut g = got.clone();
    g.id = 0;
    g.current = None;
    assert_eq!(&g, want);
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn spd_add_update_delete_flush_dump() {
    let mut k = kernel();
    let lan = selector("172.16.1.0/24", "172.16.2.0/24", 255);
    let lan_back = selector("172.16.2.0/24", "172.16.1.0/24", 255);
    let out = policy(
        lan.clone(),
        Direction::Out,
        PRIORITY_DEFAULT,
        vec![request(
            Mode::Tunnel,
            Some(("192.168.1.100", "192.168.2.100")),
            Level::Require,
            0,
        )],
    );
    let inbound = policy(
        lan_back.clone(),
        Direction::In,
        PRIORITY_DEFAULT + 10,
        vec![request(
            Mode::Tunnel,
            Some(("192.168.2.100", "192.168.1.100")),
            Level::Require,
            0,
        )],
    );
    let fwd = policy(
        lan_back.clone(),
        Direction::Fwd,
        PRIORITY_HIGH,
        vec![request(
            Mode::Tunnel,
            Some(("192.168.2.100", "192.168.1.100")),
            Level::Use,
            0,
        )],
    );
    let transport = policy(
        selector("10.0.0.1[500]", "10.0.0.2", 17),
        Direction::Out,
        0,
        vec![request(Mode::Transport, None, Level::Require, 0)],
    );
    let bypass = policy(
        selector("10.0.0.1", "10.0.0.3", 6),
        Direction::Out,
        5,
        vec![],
    );
    let all = [
        out.clone(),
        inbound.clone(),
        fwd.clone(),
        transport.clone(),
        bypass.clone(),
    ];
    ok_all(&k.apply(&all.iter().cloned().map(Op::AddPolicy).collect::<Vec<_>>()));

    let dump = k.dump_policy(false).unwrap();
    assert_eq!(dump.len(), all.len(), "{dump:#?}");
    for want in &all {
        let got = dump
            .iter()
            .find(|d| d.entry.selector == want.selector && d.entry.dir == want.dir)
            .unwrap_or_else(|| panic!("{want:?} not dumped"));
        same_policy(&got.entry, want);
        assert!(!is_per_socket_policy_id(got.entry.id));
        assert!(got.refcnt >= 1, "refcnt {}", got.refcnt);
    }
    assert_eq!(dump.last().unwrap().seq, 0);

    // Duplicate add: EEXIST; spdupdate replaces.
    assert_eq!(
        k.apply(&[Op::AddPolicy(out.clone())]),
        vec![Err(KernelError::new(libc::EEXIST))]
    );
    let mut out2 = out.clone();
    out2.priority = PRIORITY_DEFAULT - 1;
    ok_all(&k.apply(&[Op::UpdatePolicy(out2.clone())]));
    let dump = k.dump_policy(false).unwrap();
    let got = dump
        .iter()
        .find(|d| d.entry.selector == lan && d.entry.dir == Direction::Out)
        .unwrap();
    assert_eq!(got.entry.priority, PRIORITY_DEFAULT - 1);

    let id = PolicyId {
        selector: lan_back,
        dir: Direction::Fwd,
    };
    ok_all(&k.apply(&[Op::DeletePolicy(id.clone())]));
    // A missing policy is ENOENT (a missing SA is ESRCH).
    assert_eq!(
        k.apply(&[Op::DeletePolicy(id)]),
        vec![Err(KernelError::new(libc::ENOENT))]
    );
    assert_eq!(k.dump_policy(false).unwrap().len(), all.len() - 1);
    ok_all(&k.apply(&[Op::FlushPolicy]));
    assert_eq!(k.dump_policy(false).unwrap(), vec![]);
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn request_levels_as_linux_keeps_them() {
    let mut k = kernel();
    let sel = |n: u8| selector(&format!("10.1.{n}.0/24"), "10.2.0.0/24", 255);
    let p = |n, level, reqid| {
        policy(
            sel(n),
            Direction::Out,
            0,
            vec![request(Mode::Transport, None, level, reqid)],
        )
    };
    ok_all(&k.apply(&[
        Op::AddPolicy(p(1, Level::Default, 0)),
        Op::AddPolicy(p(2, Level::Unique, 0)),
        Op::AddPolicy(p(3, Level::Unique, 42)),
        Op::AddPolicy(p(4, Level::Require, 42)),
    ]));
    let dump = k.dump_policy(false).unwrap();
    let level_of = |n: u8| {
        let d = dump.iter().find(|d| d.entry.selector == sel(n)).unwrap();
        (d.entry.requests[0].level, d.entry.requests[0].reqid)
    };
    // `default` is stored as require; `unique` without an id gets one past the manual
    // range (0x3fff); `require` drops the reqid.
    assert_eq!(level_of(1), (Level::Require, 0));
    let (l2, r2) = level_of(2);
    assert_eq!(l2, Level::Unique);
    assert!(r2 > 0x3fff, "{r2:#x}");
    assert_eq!(level_of(3), (Level::Unique, 42));
    assert_eq!(level_of(4), (Level::Require, 0));
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn a_batch_of_1000_sas() {
    let mut k = kernel();
    let ops: Vec<Op> = (0..1000u32)
        .map(|i| {
            Op::AddSa(esp(
                "10.0.0.1",
                "10.0.0.2",
                0x10000 + i,
                "aes-cbc",
                "hmac-sha1",
            ))
        })
        .collect();
    let started = Instant::now();
    ok_all(&k.apply(&ops));
    eprintln!("1000 SAs added in {:?}", started.elapsed());
    let dump = k.dump_sa(Some(SaType::Esp)).unwrap();
    assert_eq!(dump.len(), 1000);
    ok_all(&k.apply(&[Op::FlushSa(None)]));
    assert_eq!(k.dump_sa(None).unwrap().len(), 0);
}

/// Events until one matches, or panics after `limit`.
fn wait_for(k: &mut PfkeyKernel, limit: Duration, mut want: impl FnMut(&Event) -> bool) -> Event {
    let deadline = Instant::now() + limit;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "event not seen within {limit:?}; saw {seen:#?}"
        );
        if let Some(e) = k.next_event(Some(left)).unwrap() {
            if want(&e) {
                return e;
            }
            seen.push(e);
        }
    }
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn promisc_sees_changes_with_raw_bytes() {
    let mut k = kernel();
    let mut monitor = PfkeyKernel::open().unwrap();
    monitor.subscribe_with(Subscription::Promisc).unwrap();
    let sa = esp("10.0.0.1", "10.0.0.2", 0x8001, "aes-cbc", "hmac-sha1");
    ok_all(&k.apply(&[
        Op::AddSa(sa.clone()),
        Op::DeleteSa(sa.id()),
        Op::FlushPolicy,
    ]));
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        match monitor
            .next_raw_event(Some(Duration::from_millis(500)))
            .unwrap()
        {
            Some(raw) => {
                let m = raw.message.as_ref().expect("kernel messages decode");
                assert_eq!(m.encode().unwrap().len(), raw.bytes.len());
                seen.push(raw.event);
            }
            None => break,
        }
    }
    assert!(
        seen.iter()
            .any(|e| matches!(e, Event::SaAdded(s) if s.spi == 0x8001)),
        "{seen:#?}"
    );
    assert!(seen
        .iter()
        .any(|e| matches!(e, Event::SaDeleted(id) if id.spi == 0x8001)));
    assert!(seen.iter().any(|e| matches!(e, Event::PolicyFlushed)));
}

/// A veth pair with 10.77.0.1/24 on one end, so that traffic to 10.77.0.2 is routed
/// out of an interface (and through the SPD) rather than delivered locally.
fn veth_up() {
    for args in [
        "link add pk0 type veth peer name pk1",
        "addr add 10.77.0.1/24 dev pk0",
        "link set pk0 up",
        "link set pk1 up",
    ] {
        let _ = Command::new("ip").args(args.split(' ')).status();
    }
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn register_then_acquire_on_traffic_without_sa() {
    veth_up();
    let mut k = kernel();
    let mut racoon = PfkeyKernel::open().unwrap();
    racoon.subscribe().unwrap();
    let (auth, enc) = racoon.supported_algorithms();
    assert!(
        !auth.is_empty() && !enc.is_empty(),
        "REGISTER lists algorithms"
    );
    let mut out = policy(
        selector("10.77.0.1", "10.77.0.2", 17),
        Direction::Out,
        PRIORITY_DEFAULT,
        vec![request(Mode::Transport, None, Level::Require, 0)],
    );
    out.requests[0].proto = SaType::Esp;
    ok_all(&k.apply(&[Op::AddPolicy(out)]));
    let sock = UdpSocket::bind("10.77.0.1:0").unwrap();
    // Refused or dropped while the SA is negotiated; the ACQUIRE is what matters.
    let _ = sock.send_to(b"ping", "10.77.0.2:9");
    let e = wait_for(&mut racoon, Duration::from_secs(10), |e| {
        matches!(e, Event::Acquire { .. })
    });
    let Event::Acquire {
        src,
        dst,
        satype,
        policy,
        seq,
        ..
    } = e
    else {
        unreachable!()
    };
    assert_eq!(
        (src, dst, satype),
        (ip("10.77.0.1"), ip("10.77.0.2"), SaType::Esp)
    );
    assert_ne!(seq, 0);
    assert_eq!(policy.dir, Direction::Out);
    assert_eq!(policy.priority, PRIORITY_DEFAULT);
    let dump = k.dump_policy(false).unwrap();
    assert_eq!(dump[0].entry.id, policy.id, "the ACQUIRE names the policy");
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn soft_and_hard_expire_events() {
    let mut k = kernel();
    let mut racoon = PfkeyKernel::open().unwrap();
    racoon.subscribe().unwrap();
    let mut sa = esp("10.0.0.1", "10.0.0.2", 0x9001, "aes-cbc", "hmac-sha1");
    sa.soft.addtime = 1;
    sa.hard.addtime = 2;
    ok_all(&k.apply(&[Op::AddSa(sa)]));
    let soft = wait_for(
        &mut racoon,
        Duration::from_secs(15),
        |e| matches!(e, Event::Expire { sa, hard: false } if sa.spi == 0x9001),
    );
    let Event::Expire { sa: expired, .. } = soft else {
        unreachable!()
    };
    assert!(
        expired.enc.as_ref().unwrap().key.is_empty(),
        "EXPIRE carries no keys"
    );
    wait_for(
        &mut racoon,
        Duration::from_secs(15),
        |e| matches!(e, Event::Expire { sa, hard: true } if sa.spi == 0x9001),
    );
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn hmac_sha256_over_pfkey_is_truncated_to_96_bits() {
    let mut k = kernel();
    let sa = esp("10.0.0.1", "10.0.0.2", 0xa001, "aes-cbc", "hmac-sha256");
    let mismatch = truncation_mismatch(&sa).expect("reported");
    assert_eq!((mismatch.standard_bits, mismatch.pfkey_bits), (128, 96));
    ok_all(&k.apply(&[Op::AddSa(sa)]));
    let out = Command::new("ip")
        .args(["xfrm", "state"])
        .output()
        .expect("ip xfrm state");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("auth-trunc hmac(sha256)"))
        .unwrap_or_else(|| panic!("no hmac(sha256) in: {text}"));
    assert!(line.trim_end().ends_with(" 96"), "{line}");
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn per_socket_policies_are_hidden_unless_asked_for() {
    use std::os::fd::AsRawFd;
    let mut k = kernel();
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    // sadb_x_policy: len 2, SADB_X_EXT_POLICY, IPSEC_POLICY_BYPASS, outbound.
    let mut pol = Vec::new();
    pol.extend_from_slice(&2u16.to_ne_bytes());
    pol.extend_from_slice(&18u16.to_ne_bytes());
    pol.extend_from_slice(&4u16.to_ne_bytes());
    pol.extend_from_slice(&[2, 0]);
    pol.extend_from_slice(&[0; 8]);
    // SAFETY: the option value points to `pol`, alive for the call, with its length.
    let rc = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_IPSEC_POLICY,
            pol.as_ptr().cast(),
            pol.len() as libc::socklen_t,
        )
    };
    assert_eq!(
        rc,
        0,
        "IP_IPSEC_POLICY: {}",
        std::io::Error::last_os_error()
    );
    let global = policy(
        selector("10.0.0.1", "10.0.0.2", 255),
        Direction::Out,
        0,
        vec![],
    );
    ok_all(&k.apply(&[Op::AddPolicy(global)]));
    let hidden = k.dump_policy(false).unwrap();
    assert_eq!(hidden.len(), 1, "{hidden:#?}");
    let all = k.dump_policy(true).unwrap();
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all.iter().any(|d| is_per_socket_policy_id(d.entry.id)));
}
