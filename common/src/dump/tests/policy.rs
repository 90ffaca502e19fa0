//! `setkey -DP` policy blocks.

use super::*;
use crate::dump::{policy, policy_text};
use crate::policy::{
    Action, Direction, Level, Policy, PolicySelector, Request, PRIORITY_DEFAULT, PRIORITY_HIGH,
    PRIORITY_LOW, UL_ANY,
};
use crate::sa::{Mode, SaType, SecCtx};

fn text(entry: &Dumped<Policy>, opts: &DumpOptions<'_>) -> String {
    let mut out = String::new();
    policy(&mut out, entry, opts).unwrap();
    out
}

fn selector(src: &str, dst: &str, ul_proto: u8) -> PolicySelector {
    PolicySelector::Addresses {
        src: sel(src),
        dst: sel(dst),
        ul_proto,
    }
}

fn request(proto: SaType, mode: Mode, tunnel: Option<(&str, &str)>, level: Level) -> Request {
    Request {
        proto,
        mode,
        tunnel: tunnel.map(|(s, d)| (ip(s), ip(d))),
        level,
        reqid: 0,
    }
}

/// What the kernel returns for a policy: the current lifetime always, ids from the
/// kernel's counter (low three bits: the direction).
fn kernel_policy(selector: PolicySelector, dir: Direction, id: u32) -> Policy {
    let mut policy = Policy::new(selector, dir, Action::Ipsec);
    policy.priority = PRIORITY_DEFAULT;
    policy.id = id;
    policy.current = Some(used(SEED_CREATED, 0, 0, 0));
    policy
}

/// The sample in REFERENCE.md: the `fwd` policy the original added for a tunnel.
#[test]
fn reference_fwd_tunnel() {
    let mut p = kernel_policy(
        selector("10.2.0.0/24[any]", "10.1.0.0/24[any]", UL_ANY),
        Direction::Fwd,
        98,
    );
    p.requests = vec![request(
        SaType::Esp,
        Mode::Tunnel,
        Some(("192.168.1.200", "192.168.1.100")),
        Level::Require,
    )];
    let expected = concat!(
        "10.2.0.0/24[any] 10.1.0.0/24[any] 255\n",
        "\tfwd prio def ipsec\n",
        "\tesp/tunnel/192.168.1.200-192.168.1.100/require\n",
        "\tcreated: Oct  2 09:22:44 2018  lastused:                     \n",
        "\tlifetime: 0(s) validtime: 0(s)\n",
        "\tspid=98 seq=1 pid=707\n",
        "\trefcnt=2\n",
    );
    assert_text(&text(&dumped(p, 1, 707, 2), &opts()), expected);
}

/// Transport mode has no tunnel ends: the field between the slashes stays empty. Host
/// selectors print without `/32`, a real port in brackets, the protocol by name.
#[test]
fn transport_out_tcp() {
    let mut p = kernel_policy(
        selector("10.0.0.1[any]", "10.0.0.2[80]", 6),
        Direction::Out,
        513,
    );
    p.requests = vec![request(SaType::Esp, Mode::Transport, None, Level::Require)];
    p.current = Some(used(SEED_CREATED, SEED_CREATED + 5, 0, 0));
    let expected = concat!(
        "10.0.0.1[any] 10.0.0.2[80] tcp\n",
        "\tout prio def ipsec\n",
        "\tesp/transport//require\n",
        "\tcreated: Oct  2 09:22:44 2018  lastused: Oct  2 09:22:49 2018\n",
        "\tlifetime: 0(s) validtime: 0(s)\n",
        "\tspid=513 seq=0 pid=707\n",
        "\trefcnt=1\n",
    );
    assert_text(&text(&dumped(p, 0, 707, 1), &opts()), expected);
}

/// The three directions, and each of discard / none / ipsec.
#[test]
fn directions_and_actions() {
    let cases = [
        (
            Direction::In,
            Action::Discard,
            "\tin prio def discard\n\tcreated: ",
        ),
        (
            Direction::Out,
            Action::None,
            "\tout prio def none\n\tcreated: ",
        ),
        (
            Direction::Fwd,
            Action::Ipsec,
            "\tfwd prio def ipsec\n\tcreated: ",
        ),
    ];
    for (dir, action, expected) in cases {
        let mut p = kernel_policy(selector("0.0.0.0/0", "0.0.0.0/0", UL_ANY), dir, 8);
        p.action = action;
        let out = text(&dumped(p, 0, 0, 0), &opts());
        assert!(
            out.starts_with("0.0.0.0/0[any] 0.0.0.0/0[any] 255\n"),
            "{out}"
        );
        assert!(out.contains(expected), "{out}");
    }
}

/// A discard policy with requests left over still prints none of them.
#[test]
fn requests_only_for_ipsec() {
    let mut p = kernel_policy(selector("10.0.0.1", "10.0.0.2", UL_ANY), Direction::Out, 1);
    p.action = Action::Discard;
    p.requests = vec![request(SaType::Esp, Mode::Transport, None, Level::Require)];
    assert_eq!(
        policy_text(&p, "\n\t", false).unwrap(),
        "out prio def discard"
    );
}

/// AH and ESP in one bundle, one request per line in the kernel's order.
#[test]
fn ah_esp_bundle() {
    let mut p = kernel_policy(
        selector("192.168.1.0/24", "192.168.2.0/24", UL_ANY),
        Direction::Out,
        1,
    );
    p.requests = vec![
        request(
            SaType::Esp,
            Mode::Tunnel,
            Some(("172.16.0.1", "172.16.0.2")),
            Level::Require,
        ),
        request(SaType::Ah, Mode::Transport, None, Level::Require),
        request(
            SaType::IpComp,
            Mode::Tunnel,
            Some(("172.16.0.1", "172.16.0.2")),
            Level::Use,
        ),
    ];
    let expected = concat!(
        "192.168.1.0/24[any] 192.168.2.0/24[any] 255\n",
        "\tout prio def ipsec\n",
        "\tesp/tunnel/172.16.0.1-172.16.0.2/require\n",
        "\tah/transport//require\n",
        "\tipcomp/tunnel/172.16.0.1-172.16.0.2/use\n",
        "\tcreated: Oct  2 09:22:44 2018  lastused:                     \n",
        "\tlifetime: 0(s) validtime: 0(s)\n",
        "\tspid=1 seq=0 pid=0\n",
        "\trefcnt=0\n",
    );
    assert_text(&text(&dumped(p, 0, 0, 0), &opts()), expected);
}

/// Levels, and request ids: `:N` up to 0x3fff (set by hand), `#N` above (automatic);
/// the id prints after any level that has one.
#[test]
fn levels_and_reqids() {
    let cases = [
        (Level::Default, 0, "esp/transport//default"),
        (Level::Use, 0, "esp/transport//use"),
        (Level::Require, 0, "esp/transport//require"),
        (Level::Unique, 0, "esp/transport//unique"),
        (Level::Unique, 5, "esp/transport//unique:5"),
        (Level::Unique, 0x3fff, "esp/transport//unique:16383"),
        (Level::Unique, 0x4000, "esp/transport//unique#16384"),
        (Level::Require, 16_385, "esp/transport//require#16385"),
        (Level::Use, 7, "esp/transport//use:7"),
    ];
    for (level, reqid, expected) in cases {
        let mut p = Policy::new(
            selector("10.0.0.1", "10.0.0.2", UL_ANY),
            Direction::In,
            Action::Ipsec,
        );
        let mut r = request(SaType::Esp, Mode::Transport, None, level);
        r.reqid = reqid;
        p.requests = vec![r];
        assert_eq!(
            policy_text(&p, "\n\t", false).unwrap(),
            format!("in ipsec\n\t{expected}")
        );
    }
}

/// Priority 0 prints nothing; others relative to the nearest base, with the sign the
/// user would have written (lower numbers win on Linux).
#[test]
fn priorities() {
    let cases = [
        (0, "in ipsec"),
        (PRIORITY_DEFAULT, "in prio def ipsec"),
        (PRIORITY_DEFAULT - 10, "in prio def + 10 ipsec"),
        (PRIORITY_DEFAULT + 10, "in prio def - 10 ipsec"),
        (PRIORITY_HIGH, "in prio high ipsec"),
        (PRIORITY_HIGH + 5, "in prio high - 5 ipsec"),
        (PRIORITY_LOW, "in prio low ipsec"),
        (PRIORITY_LOW - 100, "in prio low + 100 ipsec"),
        (2_000, "in prio high + 1073739824 ipsec"),
    ];
    for (priority, expected) in cases {
        let mut p = Policy::new(
            selector("10.0.0.1", "10.0.0.2", UL_ANY),
            Direction::In,
            Action::Ipsec,
        );
        p.priority = priority;
        assert_eq!(policy_text(&p, "\n\t", false).unwrap(), expected);
    }
}

/// ICMPv6 selectors print no ports; type and code follow the protocol name.
#[test]
fn icmp6_type_code() {
    let mut p = kernel_policy(
        selector("fec0::/64[135]", "fec0::1[0]", 58),
        Direction::Out,
        17,
    );
    p.action = Action::None;
    p.priority = 0;
    p.current = None;
    let expected = concat!(
        "fec0::/64 fec0::1 ipv6-icmp 135,0\n",
        "\tout none\n",
        "\tspid=17 seq=0 pid=0\n",
        "\trefcnt=0\n",
    );
    assert_text(&text(&dumped(p, 0, 0, 0), &opts()), expected);

    // Type and code both 0 mean any: nothing after the name.
    let any = kernel_policy(selector("::/0", "::/0", 58), Direction::Out, 1);
    let out = text(&dumped(any, 0, 0, 0), &opts());
    assert!(
        out.starts_with("::/0 ::/0 ipv6-icmp\n\tout prio def ipsec\n"),
        "{out}"
    );

    // ICMP for IPv4 the same way.
    let icmp = kernel_policy(
        selector("10.0.0.0/8[8]", "10.0.0.1[0]", 1),
        Direction::In,
        0,
    );
    let out = text(&dumped(icmp, 0, 0, 0), &opts());
    assert!(out.starts_with("10.0.0.0/8 10.0.0.1 icmp 8,0\n"), "{out}");
}

/// A GRE key is split over the two ports, high half in the source.
#[test]
fn gre_key() {
    let p = kernel_policy(
        selector("10.0.0.1[1]", "10.0.0.2[2]", 47),
        Direction::Out,
        1,
    );
    let out = text(&dumped(p, 0, 0, 0), &opts());
    assert!(out.starts_with("10.0.0.1 10.0.0.2 gre 65538\n"), "{out}");
}

/// Ports on a protocol that has them, and a number for a protocol with no name.
#[test]
fn ports_and_unnamed_protocols() {
    let udp = kernel_policy(
        selector("10.0.0.0/24[500]", "10.0.1.0/24[any]", 17),
        Direction::In,
        0,
    );
    let out = text(&dumped(udp, 0, 0, 0), &opts());
    assert!(
        out.starts_with("10.0.0.0/24[500] 10.0.1.0/24[any] udp\n"),
        "{out}"
    );

    let unnamed = kernel_policy(selector("10.0.0.1", "10.0.0.2", 253), Direction::In, 0);
    let out = text(&dumped(unnamed, 0, 0, 0), &opts());
    assert!(
        out.starts_with("10.0.0.1[any] 10.0.0.2[any] 253\n"),
        "{out}"
    );
}

/// IPv6 traffic through an IPv4 tunnel, with `-p`: tunnel ends get the kernel's port 0.
#[test]
fn ipv6_over_ipv4_tunnel() {
    let mut p = kernel_policy(
        selector("2001:db8:1::/48", "2001:db8:2::/48", UL_ANY),
        Direction::In,
        8,
    );
    p.requests = vec![request(
        SaType::Esp,
        Mode::Tunnel,
        Some(("198.51.100.1", "203.0.113.1")),
        Level::Unique,
    )];
    p.requests[0].reqid = 2;
    let expected = concat!(
        "2001:db8:1::/48[any] 2001:db8:2::/48[any] 255\n",
        "\tin prio def ipsec\n",
        "\tesp/tunnel/198.51.100.1-203.0.113.1/unique:2\n",
    );
    let out = text(&dumped(p.clone(), 0, 0, 0), &opts());
    assert!(out.starts_with(expected), "{out}");

    let with_ports = DumpOptions {
        with_ports: true,
        ..opts()
    };
    let out = text(&dumped(p, 0, 0, 0), &with_ports);
    assert!(
        out.contains("\n\tesp/tunnel/198.51.100.1[0]-203.0.113.1[0]/unique:2\n"),
        "{out}"
    );
}

/// Linux marks a socket's policy in its id; the original printed no selector for it and
/// gave the direction its socket name.
#[test]
fn per_socket() {
    let mut p = kernel_policy(
        selector("0.0.0.0/0", "0.0.0.0/0", UL_ANY),
        Direction::In,
        8 * 12 + 3,
    );
    p.action = Action::None;
    p.priority = 0;
    let expected = concat!(
        "(per-socket policy) \n",
        "\tin(socket) none\n",
        "\tcreated: Oct  2 09:22:44 2018  lastused:                     \n",
        "\tlifetime: 0(s) validtime: 0(s)\n",
        "\tspid=99 seq=2 pid=0\n",
        "\trefcnt=1\n",
    );
    assert_text(&text(&dumped(p.clone(), 2, 0, 1), &opts()), expected);

    p.dir = Direction::Out;
    p.id = 8 * 12 + 4;
    let out = text(&dumped(p, 2, 0, 1), &opts());
    assert!(
        out.starts_with("(per-socket policy) \n\tout(socket) none\n"),
        "{out}"
    );
}

/// A policy on tagged packets (BSD's PF tags): the tag in quotes instead of a selector.
#[test]
fn tagged() {
    let mut p = Policy::new(
        PolicySelector::Tagged("vpn".to_owned()),
        Direction::Out,
        Action::Ipsec,
    );
    p.requests = vec![request(
        SaType::Esp,
        Mode::Tunnel,
        Some(("10.0.0.1", "10.0.0.2")),
        Level::Require,
    )];
    p.id = 1;
    let expected = concat!(
        "tagged \"vpn\" \n",
        "\tout ipsec\n",
        "\tesp/tunnel/10.0.0.1-10.0.0.2/require\n",
        "\tspid=1 seq=0 pid=0\n",
        "\trefcnt=0\n",
    );
    assert_text(&text(&dumped(p, 0, 0, 0), &opts()), expected);
}

/// Policy lifetimes (`spdadd ... -lh`): hard add time and use time; and a security
/// context after them.
#[test]
fn lifetimes_and_context() {
    let mut p = kernel_policy(selector("10.0.0.1", "10.0.0.2", UL_ANY), Direction::Out, 9);
    p.hard.addtime = 3_600;
    p.hard.usetime = 600;
    p.current = Some(used(SEED_CREATED, SEED_NOW as u64, 0, 0));
    p.sec_ctx = Some(SecCtx {
        doi: 1,
        alg: 1,
        label: "unconfined_u:object_r:default_t".to_owned(),
    });
    let expected = concat!(
        "10.0.0.1[any] 10.0.0.2[any] 255\n",
        "\tout prio def ipsec\n",
        "\tcreated: Oct  2 09:22:44 2018  lastused: Oct  2 10:39:21 2018\n",
        "\tlifetime: 3600(s) validtime: 600(s)\n",
        "\tsecurity context doi: 1\n",
        "\tsecurity context algorithm: 1\n",
        "\tsecurity context length: 32\n",
        "\tsecurity context: unconfined_u:object_r:default_t\n",
        "\tspid=9 seq=0 pid=0\n",
        "\trefcnt=0\n",
    );
    assert_text(&text(&dumped(p, 0, 0, 0), &opts()), expected);

    // Limits without a current lifetime still print the lifetime line.
    let mut bare = Policy::new(
        selector("10.0.0.1", "10.0.0.2", UL_ANY),
        Direction::Out,
        Action::None,
    );
    bare.hard.addtime = 60;
    let out = text(&dumped(bare, 0, 0, 0), &opts());
    assert!(
        out.contains("\tout none\n\tlifetime: 60(s) validtime: 0(s)\n\tspid=0 "),
        "{out}"
    );
}

/// A request the original could not print replaces the whole rule with its error.
#[test]
fn unprintable_request() {
    let mut p = kernel_policy(selector("10.0.0.1", "10.0.0.2", 6), Direction::Out, 1);
    p.requests = vec![request(
        SaType::TcpMd5,
        Mode::Transport,
        None,
        Level::Require,
    )];
    let out = text(&dumped(p.clone(), 0, 0, 0), &opts());
    assert!(
        out.starts_with(
            "10.0.0.1[any] 10.0.0.2[any] tcp\n\tPolicy:[Invalid ipsec protocol]\n\tcreated: "
        ),
        "{out}"
    );
    assert_eq!(
        policy_text(&p, " ", false).unwrap_err().to_string(),
        "Invalid ipsec protocol"
    );
}

/// racoon's log lines use a space as the delimiter.
#[test]
fn space_delimiter() {
    let mut p = Policy::new(
        selector("10.0.0.1", "10.0.0.2", UL_ANY),
        Direction::Out,
        Action::Ipsec,
    );
    p.requests = vec![
        request(SaType::Esp, Mode::Transport, None, Level::Require),
        request(SaType::Ah, Mode::Transport, None, Level::Use),
    ];
    assert_eq!(
        policy_text(&p, " ", false).unwrap(),
        "out ipsec esp/transport//require ah/transport//use"
    );
}
