//! Engine tests: an initiator and a responder engine in one process, a fake clock and a
//! link that can drop, duplicate and reorder (driven by a seeded RNG, so every run is
//! reproducible). The two must converge to the same keys.

use common::addr::Selector;
use common::kernel::Event;
use common::policy::{Action, Direction, Level, Policy, PolicySelector, Request};
use common::sa::{Mode, Sa, SaType};
use racoon::conf::{parse_str, NoIncludes};
use racoon::engine::{established_line, Engine, KernelRequest, Output, SeededRng};
use racoon::psk::PskFile;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const A: &str = "192.168.1.100";
pub const B: &str = "192.168.2.100";

pub fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// racoon.conf for one gateway of the KAME HOWTO layout.
pub fn conf(peer: &str, extra_remote: &str, proposal: &str, sainfo: &str) -> String {
    format!(
        "remote {peer} {{\n exchange_mode main;\n {extra_remote}\n proposal {{\n {proposal}\n }}\n}}\n{sainfo}\n"
    )
}

pub const PROPOSAL: &str = "encryption_algorithm 3des; hash_algorithm md5; \
    authentication_method pre_shared_key; dh_group modp1024;";

/// `text` parsed as a racoon.conf, for `Engine::set_config`.
pub fn parsed_conf(text: &str) -> Arc<racoon::conf::Config> {
    Arc::new(parse_str("racoon.conf", text, &mut NoIncludes).expect("config parses"))
}

pub fn sainfo(local: &str, remote: &str, body: &str) -> String {
    format!("sainfo address {local} any address {remote} any {{\n {body}\n}}")
}

pub struct Node {
    pub engine: Engine,
    pub addr: IpAddr,
    pub logs: Vec<String>,
    pub installs: Vec<(Sa, Sa)>,
    /// A responder's inbound SA, installed with quick mode's message 2.
    pub pending_inbound: Option<Sa>,
    pub deletes: Vec<common::sa::SaId>,
    /// Policy additions and deletions (`generate_policy`), in order.
    pub policy_ops: Vec<KernelRequest>,
    /// `script` hooks the engine asked for, in order.
    pub scripts: Vec<racoon::engine::ScriptRun>,
    pub next_spi: u32,
    pub timer: Option<Instant>,
    /// What the node sent and installed, in the order it asked for it.
    pub trail: Vec<Step>,
}

/// One entry of [`Node::trail`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A datagram with this ISAKMP exchange type (2 main, 4 aggressive, 32 quick...).
    Sent(u8),
    /// An Install request: whether it held an inbound SA, an outbound SA.
    Installed { inbound: bool, outbound: bool },
}

impl Node {
    pub fn new(addr: &str, conf_text: &str, psk_text: &str, seed: u64) -> Node {
        let config = parse_str("racoon.conf", conf_text, &mut NoIncludes).expect("config parses");
        let psk = PskFile::parse(psk_text.as_bytes());
        let engine = Engine::new(
            Arc::new(config),
            Arc::new(psk),
            vec![ip(addr)],
            Box::new(SeededRng::new(seed)),
        );
        Node::with_engine(addr, engine, 0x1000 + (seed as u32 & 0xff) * 0x100)
    }

    /// A node around an engine the test built itself; its SPIs count up from `next_spi`.
    pub fn with_engine(addr: &str, engine: Engine, next_spi: u32) -> Node {
        Node {
            engine,
            addr: ip(addr),
            logs: Vec::new(),
            installs: Vec::new(),
            pending_inbound: None,
            deletes: Vec::new(),
            policy_ops: Vec::new(),
            scripts: Vec::new(),
            next_spi,
            timer: None,
            trail: Vec::new(),
        }
    }

    pub fn has_log(&self, text: &str) -> bool {
        self.logs.iter().any(|l| l == text)
    }

    pub fn has_log_containing(&self, text: &str) -> bool {
        self.logs.iter().any(|l| l.contains(text))
    }
}

/// The lossy link's behaviour.
#[derive(Clone, Copy, Default)]
pub struct Link {
    /// Per mille of packets dropped, duplicated; maximum extra delay in ms (reordering).
    pub drop: u64,
    pub duplicate: u64,
    pub jitter_ms: u64,
}

/// A test's packet filter: true drops the packet (destination node, bytes).
pub type DropIf = Box<dyn FnMut(usize, &[u8]) -> bool>;

/// A test's packet rewriter (destination node, bytes).
pub type Mutate = Box<dyn FnMut(usize, &mut Vec<u8>)>;

/// A datagram on the link: destination node, from, to, bytes.
type Packet = (usize, SocketAddr, SocketAddr, Vec<u8>);

/// A datagram's way: destination node, from, to.
type Way = (usize, SocketAddr, SocketAddr);

/// A NAT in front of node 0: what node 0 sends leaves from `public` with its source
/// port moved up by `port_offset`, and what is sent to `public` reaches node 0 with the
/// port moved back, as a masquerade with a fixed port map would.
#[derive(Clone, Copy, Debug)]
pub struct Nat {
    pub public: IpAddr,
    pub port_offset: u16,
}

/// One datagram as it left a node, before the link or a NAT touched it.
#[derive(Clone, Debug)]
pub struct Sent {
    pub node: usize,
    pub from: SocketAddr,
    pub to: SocketAddr,
    pub bytes: Vec<u8>,
}

pub struct Sim {
    pub nodes: [Node; 2],
    pub now: Instant,
    pub start: Instant,
    pub link: Link,
    rng: SeededRng,
    /// (deliver at, sequence) -> (to node, from, to, bytes)
    in_flight: BTreeMap<(Instant, u64), Packet>,
    seq: u64,
    pub sent: usize,
    /// Drops the packets for which it answers true (destination node, bytes), before
    /// the link's own losses: a test's way to lose one particular message.
    pub drop_if: Option<DropIf>,
    /// Rewrites packets on the link (destination node, bytes), before `drop_if`: a
    /// hostile path's way to corrupt one message of an exchange.
    pub mutate: Option<Mutate>,
    /// A NAT in front of node 0, if any.
    pub nat: Option<Nat>,
    /// Every datagram sent, in order.
    pub datagrams: Vec<Sent>,
}

impl Sim {
    pub fn new(a: Node, b: Node, link: Link, seed: u64) -> Sim {
        let now = Instant::now();
        Sim {
            nodes: [a, b],
            now,
            start: now,
            link,
            rng: SeededRng::new(seed),
            in_flight: BTreeMap::new(),
            seq: 0,
            sent: 0,
            drop_if: None,
            mutate: None,
            nat: None,
            datagrams: Vec::new(),
        }
    }

    /// Where a datagram `node` sent arrives: (node, from, to) after the NAT, if any.
    fn route(&self, node: usize, from: SocketAddr, to: SocketAddr) -> Option<Way> {
        match self.nat {
            Some(nat) if node == 0 => {
                let seen = SocketAddr::new(nat.public, from.port() + nat.port_offset);
                Some((1, seen, to))
            }
            Some(nat) if to.ip() == nat.public => {
                let inside = SocketAddr::new(self.nodes[0].addr, to.port() - nat.port_offset);
                Some((0, from, inside))
            }
            _ => {
                let peer = self.nodes.iter().position(|x| x.addr == to.ip())?;
                Some((peer, from, to))
            }
        }
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        per_mille > 0 && self.rng.next_u64() % 1000 < per_mille
    }

    fn transmit(&mut self, to_node: usize, from: SocketAddr, to: SocketAddr, mut bytes: Vec<u8>) {
        self.sent += 1;
        if let Some(mutate) = self.mutate.as_mut() {
            mutate(to_node, &mut bytes);
        }
        if let Some(drop_if) = self.drop_if.as_mut() {
            if drop_if(to_node, &bytes) {
                return;
            }
        }
        if self.chance(self.link.drop) {
            return;
        }
        let copies = if self.chance(self.link.duplicate) {
            2
        } else {
            1
        };
        for _ in 0..copies {
            let jitter = if self.link.jitter_ms > 0 {
                self.rng.next_u64() % self.link.jitter_ms
            } else {
                0
            };
            let at = self.now + Duration::from_millis(5 + jitter);
            self.seq += 1;
            self.in_flight
                .insert((at, self.seq), (to_node, from, to, bytes.clone()));
        }
    }

    /// Drains every node's outputs, answering GETSPI at once, until all are quiet.
    pub fn drain(&mut self) {
        loop {
            let mut any = false;
            for n in 0..2 {
                while let Some(out) = self.nodes[n].engine.next_output() {
                    any = true;
                    match out {
                        Output::Send { from, to, bytes } => {
                            let kind = bytes.get(18).copied().unwrap_or(0);
                            self.nodes[n].trail.push(Step::Sent(kind));
                            self.datagrams.push(Sent {
                                node: n,
                                from,
                                to,
                                bytes: bytes.clone(),
                            });
                            if let Some((p, from, to)) = self.route(n, from, to) {
                                self.transmit(p, from, to, bytes);
                            }
                        }
                        Output::Kernel(KernelRequest::GetSpi { id, .. }) => {
                            let node = &mut self.nodes[n];
                            node.next_spi += 1;
                            let spi = node.next_spi;
                            let now = self.now;
                            node.engine.handle_spi(now, id, spi);
                        }
                        Output::Kernel(KernelRequest::Install { inbound, outbound }) => {
                            // The emulated kernel accepts each SA, as the daemon logs
                            // then; a responder's inbound half waits for its outbound.
                            let node = &mut self.nodes[n];
                            node.trail.push(Step::Installed {
                                inbound: inbound.is_some(),
                                outbound: outbound.is_some(),
                            });
                            if let Some(sa) = inbound {
                                node.logs.push(established_line(&sa));
                                node.pending_inbound = Some(*sa);
                            }
                            if let Some(sa) = outbound {
                                node.logs.push(established_line(&sa));
                                let inbound = node
                                    .pending_inbound
                                    .take()
                                    .expect("an outbound SA without its inbound half");
                                node.installs.push((inbound, *sa))
                            }
                        }
                        Output::Kernel(KernelRequest::Delete { sa }) => {
                            self.nodes[n].deletes.push(sa)
                        }
                        Output::Kernel(
                            op @ (KernelRequest::AddPolicy { .. }
                            | KernelRequest::DeletePolicy { .. }),
                        ) => self.nodes[n].policy_ops.push(op),
                        Output::Log { text, .. } => self.nodes[n].logs.push(text),
                        Output::ArmTimer { at } => self.nodes[n].timer = Some(at),
                        Output::Script(run) => self.nodes[n].scripts.push(run),
                    }
                }
            }
            if !any {
                return;
            }
        }
    }

    /// Runs until nothing is in flight and no timer is due before `limit`.
    pub fn run_for(&mut self, limit: Duration) {
        let end = self.now + limit;
        loop {
            self.drain();
            let next_packet = self.in_flight.keys().next().map(|k| k.0);
            let next_timer = self
                .nodes
                .iter()
                .filter_map(|n| n.engine.poll_timeout())
                .min();
            let next = match (next_packet, next_timer) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(t) => t,
                    None => return,
                },
            };
            if next > end {
                self.now = end;
                return;
            }
            self.now = self.now.max(next);
            if next_packet == Some(next) {
                let key = *self.in_flight.keys().next().unwrap();
                let (to_node, from, to, bytes) = self.in_flight.remove(&key).unwrap();
                let now = self.now;
                self.nodes[to_node]
                    .engine
                    .handle_datagram(now, to, from, &bytes);
            } else {
                let now = self.now;
                for n in 0..2 {
                    if self.nodes[n]
                        .engine
                        .poll_timeout()
                        .is_some_and(|t| t <= now)
                    {
                        self.nodes[n].engine.handle_timeout(now);
                    }
                }
            }
        }
    }

    pub fn event(&mut self, node: usize, event: Event) {
        let now = self.now;
        self.nodes[node].engine.handle_kernel_event(now, event);
    }
}

pub fn policy(
    src: &str,
    dst: &str,
    dir: Direction,
    mode: Mode,
    tunnel: Option<(&str, &str)>,
    reqid: u32,
) -> Policy {
    let mut p = Policy::new(
        PolicySelector::Addresses {
            src: src.parse::<Selector>().unwrap(),
            dst: dst.parse::<Selector>().unwrap(),
            ul_proto: 255,
        },
        dir,
        Action::Ipsec,
    );
    p.requests.push(Request {
        proto: SaType::Esp,
        mode,
        tunnel: tunnel.map(|(a, b)| (ip(a), ip(b))),
        level: Level::Require,
        reqid,
    });
    p
}

pub fn acquire(local: &str, remote: &str, out_policy: Policy) -> Event {
    let request = out_policy.requests[0].clone();
    Event::Acquire {
        src: ip(local),
        dst: ip(remote),
        satype: SaType::Esp,
        policy: out_policy,
        request,
        seq: 1,
    }
}

/// The two gateways of the KAME HOWTO with the given sainfo bodies and PSKs.
pub fn tunnel_pair(
    sainfo_a: &str,
    sainfo_b: &str,
    psk_a: &str,
    psk_b: &str,
    link: Link,
    seed: u64,
) -> Sim {
    tunnel_pair_with("", sainfo_a, sainfo_b, psk_a, psk_b, link, seed)
}

/// [`tunnel_pair`] with global sections (`timer { ... }`) in front of both files.
pub fn tunnel_pair_with(
    prefix: &str,
    sainfo_a: &str,
    sainfo_b: &str,
    psk_a: &str,
    psk_b: &str,
    link: Link,
    seed: u64,
) -> Sim {
    let sa_a = sainfo("172.16.1.0/24", "172.16.2.0/24", sainfo_a);
    let sa_b = sainfo("172.16.2.0/24", "172.16.1.0/24", sainfo_b);
    let a = Node::new(
        A,
        &format!("{prefix}{}", conf(B, "", PROPOSAL, &sa_a)),
        &format!("{B} {psk_a}\n"),
        seed,
    );
    let b = Node::new(
        B,
        &format!("{prefix}{}", conf(A, "", PROPOSAL, &sa_b)),
        &format!("{A} {psk_b}\n"),
        seed + 1,
    );
    let mut sim = Sim::new(a, b, link, seed + 2);
    start_kame_tunnel(&mut sim);
    sim
}

/// Gives B the inbound policy of the KAME tunnel between the two LANs (reqid 9), then
/// [`acquire_kame_tunnel`]: A negotiates on the next run.
pub fn start_kame_tunnel(sim: &mut Sim) {
    let p_in = policy(
        "172.16.1.0/24",
        "172.16.2.0/24",
        Direction::In,
        Mode::Tunnel,
        Some((A, B)),
        9,
    );
    sim.event(1, Event::PolicyAdded(p_in));
    acquire_kame_tunnel(sim);
}

/// An ACQUIRE on A for the KAME tunnel's outbound policy (reqid 7).
pub fn acquire_kame_tunnel(sim: &mut Sim) {
    let p_out = policy(
        "172.16.1.0/24",
        "172.16.2.0/24",
        Direction::Out,
        Mode::Tunnel,
        Some((A, B)),
        7,
    );
    sim.event(0, acquire(A, B, p_out));
}

pub const SAINFO: &str = "pfs_group modp768; encryption_algorithm 3des; \
    authentication_algorithm hmac_md5; compression_algorithm deflate;";

/// A's outbound equals B's inbound and the other way round, reqid aside (each side's
/// reqid is its own policy's).
pub fn assert_pairs_match(sim: &Sim) {
    let (a, b) = (&sim.nodes[0], &sim.nodes[1]);
    assert_eq!(
        a.installs.len(),
        1,
        "A installs: {:?}\nA logs: {:#?}",
        a.installs,
        a.logs
    );
    assert_eq!(
        b.installs.len(),
        1,
        "B installs: {:?}\nB logs: {:#?}",
        b.installs,
        b.logs
    );
    let (a_in, a_out) = &a.installs[0];
    let (b_in, b_out) = &b.installs[0];
    let same = |x: &Sa, y: &Sa| {
        let mut y = y.clone();
        y.reqid = x.reqid;
        assert_eq!(*x, y);
        assert_eq!(
            x.enc.as_ref().map(|k| k.key.clone()),
            y.enc.as_ref().map(|k| k.key.clone())
        );
    };
    same(a_out, b_in);
    same(b_out, a_in);
    assert_ne!(a_in.spi, a_out.spi);
}

/// The KE payload of a plaintext ISAKMP message.
pub fn ke_of(bytes: &[u8]) -> Vec<u8> {
    racoon::isakmp::Message::decode(bytes)
        .unwrap()
        .payloads
        .into_iter()
        .find_map(|p| match p {
            racoon::isakmp::Payload::KeyExchange(k) => Some(k),
            _ => None,
        })
        .expect("a KE payload")
}
