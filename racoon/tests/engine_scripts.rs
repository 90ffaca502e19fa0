//! `script "..." phase1_up|phase1_down|phase1_dead` hooks between two engines: the
//! engine asks its driver to run the configured script when the ISAKMP SA is
//! established, deleted (the peer's DELETE, a failed negotiation, our shutdown, a
//! reload whose file has no remote for the peer any more) and
//! when DPD declares the peer dead, with racoon's environment; relative paths come from
//! `path script`; a remote section without hooks asks for nothing.

#[allow(dead_code)]
mod engine_sim;

use engine_sim::*;
use racoon::engine::{ScriptEvent, ScriptRun};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

const HOOKS: &str = "script \"up.sh\" phase1_up; script \"/usr/libexec/down\" phase1_down; \
    script \"dead.sh\" phase1_dead;";

/// The KAME gateways; A's remote section gets `remote_a`, and `path script` is set.
fn pair(remote_a: &str, seed: u64) -> Sim {
    let sa_a = sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO);
    let sa_b = sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO);
    let conf_a = format!(
        "path script \"/etc/racoon/scripts\";\n{}",
        conf(B, remote_a, PROPOSAL, &sa_a)
    );
    let conf_b = conf(A, "", PROPOSAL, &sa_b);
    let a = Node::new(A, &conf_a, &format!("{B} k\n"), seed);
    let b = Node::new(B, &conf_b, &format!("{A} k\n"), seed + 1);
    let mut sim = Sim::new(a, b, Link::default(), seed + 2);
    start_kame_tunnel(&mut sim);
    sim
}

/// What A's hooks see: its address and the peer's, both on port 500, and the peer's
/// ID (its address, racoon's default identifier).
fn env_a() -> Vec<(String, String)> {
    [
        ("LOCAL_ADDR", A),
        ("LOCAL_PORT", "500"),
        ("REMOTE_ADDR", B),
        ("REMOTE_PORT", "500"),
        ("REMOTE_ID", B),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn run(path: &str, event: ScriptEvent) -> ScriptRun {
    ScriptRun {
        path: path.to_owned(),
        event,
        env: env_a(),
    }
}

#[test]
fn phase1_up_at_establishment_and_phase1_down_at_the_peers_delete() {
    let mut sim = pair(HOOKS, 11);
    sim.run_for(Duration::from_secs(5));
    assert_pairs_match(&sim);
    assert_eq!(
        sim.nodes[0].scripts,
        [run("/etc/racoon/scripts/up.sh", ScriptEvent::Phase1Up)]
    );
    assert_eq!(ScriptEvent::Phase1Up.name(), "phase1_up");
    // B has no hooks configured: nothing to run.
    assert!(sim.nodes[1].scripts.is_empty());
    // B stops: its DELETE for the ISAKMP SA reaches A, which runs phase1_down.
    let now = sim.now;
    sim.nodes[1].engine.shutdown(now);
    sim.run_for(Duration::from_secs(1));
    assert!(sim.nodes[0].has_log_containing("ISAKMP-SA deleted"));
    assert_eq!(
        sim.nodes[0].scripts,
        [
            run("/etc/racoon/scripts/up.sh", ScriptEvent::Phase1Up),
            run("/usr/libexec/down", ScriptEvent::Phase1Down),
        ]
    );
    assert!(sim.nodes[1].scripts.is_empty());
}

#[test]
fn our_shutdown_runs_phase1_down() {
    let mut sim = pair(HOOKS, 21);
    sim.run_for(Duration::from_secs(5));
    let now = sim.now;
    sim.nodes[0].engine.shutdown(now);
    sim.drain();
    assert_eq!(
        sim.nodes[0].scripts,
        [
            run("/etc/racoon/scripts/up.sh", ScriptEvent::Phase1Up),
            run("/usr/libexec/down", ScriptEvent::Phase1Down),
        ]
    );
}

#[test]
fn a_dead_peer_runs_phase1_dead_then_phase1_down() {
    let mut sim = pair(
        &format!("{HOOKS} dpd_delay 2; dpd_retry 1; dpd_maxfail 2;"),
        31,
    );
    let cut = Rc::new(RefCell::new(None::<usize>));
    let c = cut.clone();
    sim.drop_if = Some(Box::new(move |to, _| *c.borrow() == Some(to)));
    sim.run_for(Duration::from_millis(500));
    assert_eq!(sim.nodes[0].scripts.len(), 1);
    *cut.borrow_mut() = Some(0);
    sim.run_for(Duration::from_secs(5));
    assert!(sim.nodes[0].has_log_containing("seems to be dead"));
    assert_eq!(
        sim.nodes[0].scripts,
        [
            run("/etc/racoon/scripts/up.sh", ScriptEvent::Phase1Up),
            run("/etc/racoon/scripts/dead.sh", ScriptEvent::Phase1Dead),
            run("/usr/libexec/down", ScriptEvent::Phase1Down),
        ]
    );
}

#[test]
fn a_failed_negotiation_runs_phase1_down_without_remote_id() {
    // B knows no key for A: A's phase 1 never completes and is given up.
    let sa_a = sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO);
    let sa_b = sainfo("172.16.2.0/24", "172.16.1.0/24", SAINFO);
    let conf_a = conf(B, HOOKS, PROPOSAL, &sa_a);
    let conf_b = conf(A, "", PROPOSAL, &sa_b);
    let a = Node::new(A, &conf_a, &format!("{B} k\n"), 41);
    let b = Node::new(B, &conf_b, "", 42);
    let mut sim = Sim::new(a, b, Link::default(), 43);
    start_kame_tunnel(&mut sim);
    sim.run_for(Duration::from_secs(120));
    let scripts = &sim.nodes[0].scripts;
    assert_eq!(scripts.len(), 1, "{scripts:#?}");
    // Without `path script` the path stays as written.
    assert_eq!(scripts[0].path, "/usr/libexec/down");
    assert_eq!(scripts[0].event, ScriptEvent::Phase1Down);
    let mut want = env_a();
    want.pop();
    assert_eq!(scripts[0].env, want);
}

/// SIGHUP with a file that has no remote for B any more: A's ISAKMP-SA goes, and the
/// phase1_down hook of the file it was negotiated under runs (the new file has none).
#[test]
fn a_reload_that_drops_the_remote_runs_its_phase1_down() {
    let mut sim = pair(HOOKS, 51);
    sim.run_for(Duration::from_secs(5));
    assert_pairs_match(&sim);
    let other = conf(
        "10.9.9.9",
        "",
        PROPOSAL,
        &sainfo("172.16.1.0/24", "172.16.2.0/24", SAINFO),
    );
    let now = sim.now;
    sim.nodes[0].engine.set_config(
        now,
        parsed_conf(&other),
        std::sync::Arc::new(racoon::psk::PskFile::parse(b"")),
    );
    sim.drain();
    assert!(sim.nodes[0].engine.isakmp_sas().is_empty());
    assert_eq!(
        sim.nodes[0].scripts,
        [
            run("/etc/racoon/scripts/up.sh", ScriptEvent::Phase1Up),
            run("/usr/libexec/down", ScriptEvent::Phase1Down),
        ]
    );
}
