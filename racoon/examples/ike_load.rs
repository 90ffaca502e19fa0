//! IKEv1 load generator for the responder benchmark (tests/lab/bench/racoon-negotiations.sh).
//!
//! ```text
//! ike_load TARGET PSK FIRST-SOURCE COUNT [PARALLEL] [SECONDS]
//! ```
//!
//! Runs our sans-IO engine as the initiator of COUNT main mode + quick mode
//! negotiations (modp2048, aes128, sha256, PFS modp2048, ESP transport) against
//! TARGET, one from each of the source addresses FIRST-SOURCE, FIRST-SOURCE+1, ...
//! (which must be configured on this host), at most PARALLEL at a time. Every
//! source is a new peer to the responder, so each negotiation is a full phase 1
//! and phase 2. Nothing is installed here: GETSPI is answered with a random SPI
//! and an "install" counts as the negotiation's end. The responder does the same
//! work whichever implementation it is, so the rate measures the responder when
//! it is the bottleneck and the initiator is the same in every run.
//!
//! Prints one line: `completed=N failed=F seconds=S rate=R p50_ms=M p90_ms=M`.

use common::addr::Selector;
use common::kernel::Event;
use common::policy::{Action, Direction, Level, Policy, PolicySelector, Request};
use common::sa::{Mode, SaType};
use racoon::conf::{parse_str, NoIncludes};
use racoon::engine::{Engine, KernelRequest, Output};
use racoon::psk::PskFile;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A negotiation not finished after this long counts as failed.
const GIVE_UP: Duration = Duration::from_secs(30);

struct Args {
    target: Ipv4Addr,
    psk: String,
    first: Ipv4Addr,
    count: u32,
    parallel: u32,
    limit: Duration,
}

fn parse_args() -> Result<Args, String> {
    let v: Vec<String> = std::env::args().skip(1).collect();
    if v.len() < 4 || v.len() > 6 {
        return Err("usage: ike_load TARGET PSK FIRST-SOURCE COUNT [PARALLEL] [SECONDS]".into());
    }
    let num = |s: &str, what: &str| -> Result<u32, String> {
        s.parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or(format!("{what}: not a positive number: {s}"))
    };
    Ok(Args {
        target: v[0].parse().map_err(|_| format!("bad TARGET {}", v[0]))?,
        psk: v[1].clone(),
        first: v[2]
            .parse()
            .map_err(|_| format!("bad FIRST-SOURCE {}", v[2]))?,
        count: num(&v[3], "COUNT")?,
        parallel: v.get(4).map_or(Ok(8), |s| num(s, "PARALLEL"))?,
        limit: Duration::from_secs(v.get(5).map_or(Ok(120), |s| num(s, "SECONDS"))?.into()),
    })
}

fn config_text(target: Ipv4Addr) -> String {
    format!(
        "remote {target} {{
  exchange_mode main;
  lifetime time 1 hour;
  proposal {{
    encryption_algorithm aes;
    hash_algorithm sha256;
    authentication_method pre_shared_key;
    dh_group modp2048;
  }}
}}
sainfo anonymous {{
  pfs_group modp2048;
  lifetime time 1 hour;
  encryption_algorithm aes;
  authentication_algorithm hmac_sha256;
  compression_algorithm deflate;
}}
"
    )
}

/// The ACQUIRE the kernel would send for a host-to-host transport policy.
fn acquire(src: IpAddr, dst: IpAddr) -> Event {
    let mut policy = Policy::new(
        PolicySelector::Addresses {
            src: Selector::host(src),
            dst: Selector::host(dst),
            ul_proto: 255,
        },
        Direction::Out,
        Action::Ipsec,
    );
    let request = Request {
        proto: SaType::Esp,
        mode: Mode::Transport,
        tunnel: None,
        level: Level::Require,
        reqid: 0,
    };
    policy.requests.push(request.clone());
    Event::Acquire {
        src,
        dst,
        satype: SaType::Esp,
        policy,
        request,
        seq: 0,
    }
}

fn percentile(sorted: &[Duration], p: usize) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = (sorted.len() * p / 100).min(sorted.len() - 1);
    sorted[i].as_secs_f64() * 1000.0
}

fn run(a: &Args) -> Result<(), String> {
    let sources: Vec<IpAddr> = (0..a.count)
        .map(|i| IpAddr::V4(Ipv4Addr::from(u32::from(a.first) + i)))
        .collect();
    let mut sockets = Vec::with_capacity(sources.len());
    for s in &sources {
        let sock =
            UdpSocket::bind(SocketAddr::new(*s, 500)).map_err(|e| format!("bind {s}: {e}"))?;
        sock.set_nonblocking(true).map_err(|e| e.to_string())?;
        sockets.push(sock);
    }
    let by_addr: HashMap<IpAddr, usize> =
        sources.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let config = parse_str("ike_load.conf", &config_text(a.target), &mut NoIncludes)
        .map_err(|e| e.to_string())?;
    let psk = PskFile::parse(format!("{} {}\n", a.target, a.psk).as_bytes());
    let mut engine = Engine::new(
        Arc::new(config),
        Arc::new(psk),
        sources.clone(),
        Box::new(racoon::crypto::OsRng),
    );
    let target = IpAddr::V4(a.target);
    let verbose = std::env::var_os("IKE_LOAD_VERBOSE").is_some();

    let start = Instant::now();
    let mut started: HashMap<IpAddr, Instant> = HashMap::new();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut next = 0usize;
    let mut failed = 0u32;
    let mut timer: Option<Instant> = None;
    let mut buf = vec![0u8; 65536];
    let mut spi: u32 = 0x10000;

    loop {
        let now = Instant::now();
        // Keep PARALLEL negotiations in flight.
        while next < sources.len() && started.len() < a.parallel as usize {
            started.insert(sources[next], now);
            engine.handle_kernel_event(now, acquire(sources[next], target));
            next += 1;
        }
        // Perform what the engine asked for.
        while let Some(out) = engine.next_output() {
            match out {
                Output::Send { from, to, bytes } => {
                    if let Some(&i) = by_addr.get(&from.ip()) {
                        let _ = sockets[i].send_to(&bytes, to);
                    }
                }
                Output::Kernel(KernelRequest::GetSpi { id, .. }) => {
                    spi += 1;
                    engine.handle_spi(Instant::now(), id, spi);
                }
                Output::Kernel(KernelRequest::Install { outbound, .. }) => {
                    if let Some(t0) = outbound.and_then(|sa| started.remove(&sa.src)) {
                        latencies.push(t0.elapsed());
                    }
                }
                Output::Kernel(
                    KernelRequest::Delete { .. }
                    | KernelRequest::AddPolicy { .. }
                    | KernelRequest::DeletePolicy { .. },
                ) => {}
                Output::Log { text, .. } => {
                    if verbose {
                        eprintln!("{text}");
                    }
                }
                Output::ArmTimer { at } => timer = Some(at),
                Output::Script(_) => {}
            }
        }
        // A negotiation that takes longer than GIVE_UP has failed; its slot is freed.
        let now = Instant::now();
        let before = started.len();
        started.retain(|_, t0| now.duration_since(*t0) < GIVE_UP);
        failed += (before - started.len()) as u32;
        if latencies.len() + failed as usize >= sources.len() || start.elapsed() > a.limit {
            break;
        }
        let wait = timer
            .map(|t| t.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_millis(100))
            .min(Duration::from_millis(100));
        let mut fds: Vec<libc::pollfd> = sockets
            .iter()
            .map(|s| libc::pollfd {
                fd: s.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            })
            .collect();
        // SAFETY: fds is a valid array of pollfd of the given length.
        unsafe {
            libc::poll(
                fds.as_mut_ptr(),
                fds.len() as libc::nfds_t,
                wait.as_millis() as i32 + 1,
            )
        };
        for (i, fd) in fds.iter().enumerate() {
            if fd.revents & libc::POLLIN == 0 {
                continue;
            }
            while let Ok((n, from)) = sockets[i].recv_from(&mut buf) {
                let local = SocketAddr::new(sources[i], 500);
                engine.handle_datagram(Instant::now(), local, from, &buf[..n]);
            }
        }
        if timer.is_some_and(|t| t <= Instant::now()) {
            timer = None;
            engine.handle_timeout(Instant::now());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    latencies.sort();
    println!(
        "completed={} failed={} seconds={:.3} rate={:.2} p50_ms={:.1} p90_ms={:.1}",
        latencies.len(),
        failed,
        secs,
        latencies.len() as f64 / secs,
        percentile(&latencies, 50),
        percentile(&latencies, 90)
    );
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ike_load: {e}");
            ExitCode::FAILURE
        }
    }
}
