//! What the real-kernel tests share: opening a backend on clean tables, building SAs
//! and policies, comparing what the kernel gives back with what was sent, and waiting
//! for events. Each test binary uses a part of it.
#![allow(dead_code)]

use std::net::{IpAddr, UdpSocket};
use std::os::fd::AsRawFd;
use std::process::Command;
use std::time::{Duration, Instant};

use common::alg::{self, Class};
use common::kernel::{Backend, Event, Kernel, KernelError, Op};
use common::pfkey::PfkeyKernel;
use common::policy::{Action, Direction, Level, Policy, PolicySelector, Request};
use common::sa::{Keyed, Mode, Sa, SaState, SaType};
use common::xfrm::XfrmKernel;

pub const EINVAL: i32 = libc::EINVAL;
pub const EEXIST: i32 = libc::EEXIST;
pub const ENOENT: i32 = libc::ENOENT;
/// What Linux answers for a missing SA (a missing policy is ENOENT).
pub const ESRCH: i32 = libc::ESRCH;
pub const EOPNOTSUPP: i32 = libc::EOPNOTSUPP;

pub fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// Empties the SAD and the SPD: every test starts on clean tables.
pub fn flush(k: &mut dyn Kernel) {
    assert_eq!(
        k.apply(&[Op::FlushSa(None), Op::FlushPolicy]),
        vec![Ok(()), Ok(())],
        "flushing the SAD and SPD"
    );
}

/// An AF_KEY socket. Panics without AF_KEY: the lab kernel has it, so a missing AF_KEY
/// there is a failure, not a reason to skip.
pub fn open_pfkey() -> PfkeyKernel {
    PfkeyKernel::open().unwrap_or_else(|e| {
        panic!("AF_KEY socket: {e} (the kernel lab's kernel has AF_KEY; these tests need it)")
    })
}

pub fn open_xfrm() -> XfrmKernel {
    XfrmKernel::open().unwrap_or_else(|e| panic!("NETLINK_XFRM socket: {e}"))
}

/// A fresh socket of one backend, tables untouched: a second program (a monitor, a
/// racoon waiting for ACQUIREs) beside the one under test.
pub fn open(backend: Backend) -> Box<dyn Kernel> {
    match backend {
        Backend::Pfkey => Box::new(open_pfkey()),
        Backend::Xfrm => Box::new(open_xfrm()),
        Backend::Auto => unreachable!("tests name their backend"),
    }
}

/// A backend on clean tables.
pub fn kernel(backend: Backend) -> Box<dyn Kernel> {
    let mut k = open(backend);
    flush(&mut *k);
    k
}

/// PF_KEY as setkey and racoon open it (`kernel::open(Backend::Pfkey)`), on clean tables.
pub fn kernel_rfc_pfkey() -> Box<dyn Kernel> {
    let mut k: Box<dyn Kernel> = Box::new(common::kernel::rfc_pfkey::RfcPfkey::new(open_pfkey()));
    flush(&mut *k);
    k
}

/// The other backend: what reads back what `backend` wrote.
pub fn other(backend: Backend) -> Backend {
    match backend {
        Backend::Pfkey => Backend::Xfrm,
        _ => Backend::Pfkey,
    }
}

pub fn ok_all(results: &[Result<(), KernelError>]) {
    for (i, r) in results.iter().enumerate() {
        assert_eq!(*r, Ok(()), "op {i}");
    }
}

pub fn err(errno: i32) -> Result<(), KernelError> {
    Err(KernelError::new(errno))
}

/// A key of the algorithm's smallest size, bytes counting up from `fill`.
pub fn keyed(class: Class, name: &str, fill: u8) -> Keyed {
    let alg = alg::find_setkey(class, name).unwrap();
    let bits = alg.key_bits.smallest_nonzero().unwrap_or(0);
    Keyed {
        alg,
        key: (0..bits / 8).map(|i| fill.wrapping_add(i as u8)).collect(),
    }
}

pub fn esp(src: &str, dst: &str, spi: u32, enc: &str, auth: Option<&str>) -> Sa {
    let mut sa = Sa::new(ip(src), ip(dst), SaType::Esp, spi);
    sa.enc = Some(keyed(Class::Encrypt, enc, spi as u8));
    sa.auth = auth.map(|a| keyed(Class::Auth, a, (spi >> 4) as u8));
    sa
}

pub fn ah(src: &str, dst: &str, spi: u32) -> Sa {
    let mut sa = Sa::new(ip(src), ip(dst), SaType::Ah, spi);
    sa.auth = Some(keyed(Class::Auth, "hmac-sha1", 0x11));
    sa
}

pub fn ipcomp(src: &str, dst: &str, cpi: u32) -> Sa {
    let mut sa = Sa::new(ip(src), ip(dst), SaType::IpComp, cpi);
    sa.comp = alg::find_setkey(Class::Compress, "deflate").ok();
    sa
}

/// What the kernel gives back for an SA we added: the same SA, mature, `any` mode as
/// transport (Linux's `pfkey_mode_to_xfrm`; the XFRM backend does the same), with a
/// current lifetime whose add time is set.
pub fn same_sa(got: &Sa, sent: &Sa) {
    let mut want = sent.clone();
    if want.mode == Mode::Any {
        want.mode = Mode::Transport;
    }
    want.state = SaState::Mature;
    want.seq = 0;
    let mut got = got.clone();
    let current = got
        .current
        .take()
        .expect("the kernel's SAs carry the current lifetime");
    assert!(current.addtime > 0, "add time set");
    assert_eq!(got, want);
}

pub fn selector(src: &str, dst: &str, ul_proto: u8) -> PolicySelector {
    PolicySelector::Addresses {
        src: src.parse().unwrap(),
        dst: dst.parse().unwrap(),
        ul_proto,
    }
}

pub fn request(
    proto: SaType,
    mode: Mode,
    tunnel: Option<(&str, &str)>,
    level: Level,
    reqid: u32,
) -> Request {
    Request {
        proto,
        mode,
        tunnel: tunnel.map(|(a, b)| (ip(a), ip(b))),
        level,
        reqid,
    }
}

/// An IPsec policy, or a bypass (`none`) one without requests.
pub fn policy(
    sel: PolicySelector,
    dir: Direction,
    priority: u32,
    requests: Vec<Request>,
) -> Policy {
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

/// What the kernel gives back for a policy: the policy with the index the kernel
/// assigned and a current lifetime.
pub fn same_policy(got: &Policy, want: &Policy) {
    let mut g = got.clone();
    assert_ne!(g.id, 0, "the kernel assigns an index");
    g.id = 0;
    assert!(g.current.take().is_some(), "no current lifetime");
    assert_eq!(&g, want);
}

/// Events from `k` until one matches; panics after `limit`, listing what came.
pub fn wait_for(
    k: &mut dyn Kernel,
    limit: Duration,
    mut want: impl FnMut(&Event) -> bool,
) -> Event {
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

/// `ip xfrm ARGS`: the kernel's own account of its state, whichever backend wrote it.
pub fn ip_xfrm(args: &[&str]) -> String {
    let out = Command::new("ip").arg("xfrm").args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A veth pair with 10.77.0.1/24 on one end, so that traffic to 10.77.0.2 is routed
/// out of an interface (and through the SPD) rather than delivered locally.
pub fn veth_up() {
    if std::path::Path::new("/sys/class/net/pk0").exists() {
        return;
    }
    for args in [
        "link add pk0 type veth peer name pk1",
        "addr add 10.77.0.1/24 dev pk0",
        "link set pk0 up",
        "link set pk1 up",
    ] {
        let _ = Command::new("ip").args(args.split(' ')).status();
    }
}

/// Sets a per-socket policy on `sock` (option `name` of level IPPROTO_IP).
pub fn set_socket_policy(sock: &UdpSocket, name: libc::c_int, value: &[u8]) {
    // SAFETY: the option value points to `value`, alive for the call, with its length.
    let rc = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::IPPROTO_IP,
            name,
            value.as_ptr().cast(),
            value.len() as libc::socklen_t,
        )
    };
    assert_eq!(
        rc,
        0,
        "setsockopt {name}: {}",
        std::io::Error::last_os_error()
    );
}
