//! racoon's `script "path" phase1_up|phase1_down|phase1_dead;` hooks.
//!
//! The engine only says what to run: [`ScriptRun`] carries the resolved path, the event
//! (the script's only argument) and the environment, as racoon's script_hook built
//! them: LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT, and REMOTE_ID once the
//! peer's identity is known (the mode-cfg and XAuth variables belong to features we do
//! not have). The driver forks it and never waits.
//!
//! When: phase1_up as an ISAKMP SA is established; phase1_dead as DPD declares the peer
//! dead (before its SAs are purged); phase1_down whenever a phase-1 handle goes away,
//! established or not, as racoon's delph1 ran it (so a failed negotiation runs it too,
//! and a DPD death is followed by phase1_down).

use super::ph1::Ph1;
use super::Engine;
use crate::isakmp::{IdData, Identification};
use std::net::SocketAddr;

/// Which hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptEvent {
    Phase1Up,
    Phase1Down,
    Phase1Dead,
}

impl ScriptEvent {
    /// The script's argv[1].
    pub fn name(self) -> &'static str {
        match self {
            ScriptEvent::Phase1Up => "phase1_up",
            ScriptEvent::Phase1Down => "phase1_down",
            ScriptEvent::Phase1Dead => "phase1_dead",
        }
    }
}

/// One script to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptRun {
    /// Absolute, or as written when no `path script` was given.
    pub path: String,
    pub event: ScriptEvent,
    /// The whole environment, in racoon's order.
    pub env: Vec<(String, String)>,
}

impl Engine {
    /// Queues the `event` hook of `ph1s[i]`'s remote section, if it has one.
    pub(super) fn script_hook(&mut self, i: usize, event: ScriptEvent) {
        let p = &self.ph1s[i];
        let Some(remote) = self.config.remotes.get(p.rmconf) else {
            return;
        };
        let s = &remote.scripts;
        let configured = match event {
            ScriptEvent::Phase1Up => &s.phase1_up,
            ScriptEvent::Phase1Down => &s.phase1_down,
            ScriptEvent::Phase1Dead => &s.phase1_dead,
        };
        let Some(path) = configured else {
            return;
        };
        let dir = self.config.paths.script.as_ref().map(|d| d.value.as_str());
        let run = ScriptRun {
            path: resolve(dir, path),
            event,
            env: environment(p),
        };
        self.out.push_back(super::Output::Script(run));
    }

    /// Forgets phase-1 handle `i`, running its phase1_down hook first.
    pub(super) fn remove_ph1(&mut self, i: usize) -> Ph1 {
        self.script_hook(i, ScriptEvent::Phase1Down);
        self.ph1s.remove(i)
    }
}

/// A relative script path is taken from the `path script` directory.
pub(crate) fn resolve(dir: Option<&str>, path: &str) -> String {
    match dir {
        Some(d) if !path.starts_with('/') => format!("{}/{path}", d.trim_end_matches('/')),
        _ => path.to_owned(),
    }
}

fn environment(p: &Ph1) -> Vec<(String, String)> {
    let mut env = Vec::with_capacity(5);
    let mut addr = |name: &str, port: &str, a: SocketAddr| {
        env.push((name.to_owned(), a.ip().to_string()));
        env.push((port.to_owned(), a.port().to_string()));
    };
    addr("LOCAL_ADDR", "LOCAL_PORT", p.local);
    addr("REMOTE_ADDR", "REMOTE_PORT", p.remote);
    if let Some(id) = p.peer_id.as_ref().map(|x| &x.id).or(p.id_p.as_ref()) {
        env.push(("REMOTE_ID".to_owned(), id_text(id)));
    }
    env
}

/// The peer's ID as text: addresses numerically, subnets as address/prefix, ranges as
/// start-end, names and key IDs as sent.
pub(crate) fn id_text(id: &Identification) -> String {
    match &id.data {
        IdData::Ipv4(a) => a.to_string(),
        IdData::Ipv6(a) => a.to_string(),
        IdData::Ipv4Subnet { addr, .. } => {
            format!("{addr}/{}", id.data.prefix_len().unwrap_or(32))
        }
        IdData::Ipv6Subnet { addr, .. } => {
            format!("{addr}/{}", id.data.prefix_len().unwrap_or(128))
        }
        IdData::Ipv4Range { start, end } => format!("{start}-{end}"),
        IdData::Ipv6Range { start, end } => format!("{start}-{end}"),
        IdData::Fqdn(d) | IdData::UserFqdn(d) | IdData::KeyId(d) => {
            String::from_utf8_lossy(d).into_owned()
        }
        other => other.id_type().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn relative_paths_come_from_path_script() {
        assert_eq!(
            resolve(Some("/etc/racoon/scripts"), "up.sh"),
            "/etc/racoon/scripts/up.sh"
        );
        assert_eq!(resolve(Some("/etc/racoon/"), "up.sh"), "/etc/racoon/up.sh");
        assert_eq!(resolve(Some("/etc/racoon"), "/usr/bin/up"), "/usr/bin/up");
        assert_eq!(resolve(None, "up.sh"), "up.sh");
    }

    #[test]
    fn ids_as_text() {
        let v4 = Identification::new(IdData::Ipv4(Ipv4Addr::new(192, 0, 2, 1)));
        assert_eq!(id_text(&v4), "192.0.2.1");
        let net = Identification::new(IdData::Ipv4Subnet {
            addr: Ipv4Addr::new(10, 1, 0, 0),
            mask: Ipv4Addr::new(255, 255, 0, 0),
        });
        assert_eq!(id_text(&net), "10.1.0.0/16");
        let fqdn = Identification::new(IdData::UserFqdn(b"rw@example.org".to_vec()));
        assert_eq!(id_text(&fqdn), "rw@example.org");
    }
}
