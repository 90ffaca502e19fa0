//! The IKEv1 engine: a sans-IO state machine in the style of quinn-proto and rustls.
//!
//! It is fed datagrams ([`Engine::handle_datagram`]), kernel events
//! ([`Engine::handle_kernel_event`]), GETSPI answers ([`Engine::handle_spi`]) and timer
//! expiries ([`Engine::handle_timeout`]), each with the current time, and answers through
//! [`Engine::next_output`]: datagrams to send, kernel requests, log lines and the timer
//! to arm. It never reads a clock or touches a socket, so two engines wired together in
//! memory with a fake clock and a lossy link test the whole protocol at full speed.
//!
//! Files: [`io`] (the output types), `ph1`/`ph2` (the per-negotiation handles),
//! `main_mode`, `aggressive`, `quick`, `info` (the exchanges), `proposal` (offers and
//! selection per `proposal_check`), `ident` (ID payloads), `install` (KEYMAT to kernel
//! SAs), `lifecycle` (EXPIRE rekeys and deletes, shutdown, configuration reload),
//! `retransmit`, `vendor_id`, `wire` (encrypted-message helpers).

pub mod admin;
mod aggressive;
mod auth_hash;
mod cert_auth;
mod dpd;
mod frag;
mod genpolicy;
mod ident;
mod info;
mod install;
mod invalid_hash;
pub mod io;
mod lifecycle;
mod main_mode;
mod modecfg;
mod natt;
mod ph1;
mod ph1_packet;
mod ph2;
mod pool;
mod proposal;
mod quick;
mod recvd;
mod retransmit;
pub mod script;
pub mod seeded_rng;
mod transaction;
mod vendor_id;
mod wire;
mod xauth;
mod xauth_client;

pub use install::established_line;
pub use io::{KernelRequest, Output, SpiRequestId};
pub use script::{ScriptEvent, ScriptRun};
pub use seeded_rng::SeededRng;
pub use xauth::XauthBackend;

use crate::conf::{Config, LogLevel, RemoteSelector, SainfoId};
use crate::crypto::{random_bytes, Rng, Secret};
use crate::isakmp::{ExchangeType, Header};
use crate::psk::PskFile;
use common::kernel::Event;
use common::policy::{Direction, Policy, PolicySelector};
use ph1::{Ph1, Side};
use ph2::{Ph2, Ph2Request, Ph2State};
use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The IKE port racoon listens on and sends from.
const IKE_PORT: u16 = 500;

/// A phase-1 SA as seen from outside, for status output and tests.
#[derive(Debug, Clone)]
pub struct IsakmpSaInfo {
    pub local: SocketAddr,
    pub remote: SocketAddr,
    pub icookie: [u8; 8],
    pub rcookie: [u8; 8],
    pub initiator: bool,
    pub established: bool,
    /// SKEYID_d, SKEYID_a, SKEYID_e once derived.
    pub keys: Option<[Secret; 3]>,
}

/// The engine. One per daemon; it holds every negotiation.
pub struct Engine {
    config: Arc<Config>,
    psk: Arc<PskFile>,
    local_addrs: Vec<IpAddr>,
    rng: Box<dyn Rng + Send>,
    ph1s: Vec<Ph1>,
    ph2s: Vec<Ph2>,
    /// The kernel's policies as last reported, for the responder's reqid lookup.
    policies: Vec<Policy>,
    /// Policies the responder generated (`generate_policy`), with their handles.
    generated: Vec<genpolicy::Generated>,
    recvd: recvd::Recvd,
    out: VecDeque<Output>,
    next_id: u64,
    armed: Option<Instant>,
    /// The port IKE floats to with NAT traversal (`racoon -P`, 4500).
    natt_port: u16,
    /// ISAKMP SAs lately declared dead by DPD (their ids), for the admin events.
    dpd_dead: Vec<u64>,
    /// Certificates and keys for signature authentication ([`Engine::set_certs`]).
    certs: Arc<crate::crypto::CertStore>,
    /// Logins and banner files for XAuth and mode-cfg ([`Engine::set_xauth_backend`]).
    xauth_backend: Box<dyn XauthBackend>,
}

impl Engine {
    pub fn new(
        config: Arc<Config>,
        psk: Arc<PskFile>,
        local_addrs: Vec<IpAddr>,
        rng: Box<dyn Rng + Send>,
    ) -> Engine {
        Engine {
            config,
            psk,
            local_addrs,
            rng,
            ph1s: Vec::new(),
            ph2s: Vec::new(),
            policies: Vec::new(),
            generated: Vec::new(),
            recvd: recvd::Recvd::default(),
            out: VecDeque::new(),
            next_id: 1,
            armed: None,
            natt_port: natt::NATT_PORT,
            dpd_dead: Vec::new(),
            certs: Arc::default(),
            xauth_backend: Box::new(xauth::NoBackend),
        }
    }

    /// The next thing to do, in order.
    pub fn next_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// When [`Engine::handle_timeout`] wants to be called next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let ph1 = self.ph1s.iter().flat_map(|p| {
            [
                p.retx.as_ref().map(|r| r.next_at),
                Some(p.expire_at),
                p.dpd.next_at,
            ]
        });
        let ph2 = self.ph2s.iter().flat_map(|p| {
            let deadline = (p.state != Ph2State::Established).then_some(p.expire_at);
            [p.retx.as_ref().map(|r| r.next_at), deadline]
        });
        ph1.chain(ph2)
            .flatten()
            .chain(self.natt_next_keepalive())
            .min()
    }

    /// One datagram received on `local` from `remote`.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        local: SocketAddr,
        remote: SocketAddr,
        bytes: &[u8],
    ) {
        self.datagram(now, local, remote, bytes);
        self.finish();
    }

    /// A kernel event: ACQUIRE starts a negotiation, EXPIRE rekeys (soft) or deletes
    /// (hard), policy events keep the engine's view of the SPD current.
    pub fn handle_kernel_event(&mut self, now: Instant, event: Event) {
        match event {
            Event::Acquire {
                src,
                dst,
                satype,
                policy,
                request,
                ..
            } => {
                let (local, remote) = request.tunnel.unwrap_or((src, dst));
                let req = Ph2Request {
                    selector: Some(policy.selector.clone()),
                    satype,
                    mode: request.mode,
                    reqid: request.reqid,
                };
                self.acquire(now, local, remote, req);
            }
            Event::Expire { sa, hard } => self.expire(now, &sa, hard),
            Event::PolicyAdded(p) | Event::PolicyUpdated(p) => {
                self.policies
                    .retain(|q| !(q.selector == p.selector && q.dir == p.dir));
                self.policies.push(p);
            }
            Event::PolicyDeleted(p) => self
                .policies
                .retain(|q| !(q.selector == p.selector && q.dir == p.dir)),
            Event::PolicyFlushed => self.policies.clear(),
            _ => {}
        }
        self.finish();
    }

    /// The kernel's policies, as a dump gives them (replaces what events said).
    pub fn set_policies(&mut self, policies: Vec<Policy>) {
        self.policies = policies;
    }

    /// The answer to a `GetSpi` request.
    pub fn handle_spi(&mut self, now: Instant, request: SpiRequestId, spi: u32) {
        if let Some(i) = self
            .ph2s
            .iter()
            .position(|p| p.spi_request == Some(request))
        {
            self.ph2s[i].spi_request = None;
            self.ph2s[i].our_spi = Some(spi);
            self.spi_ready(now, i);
        }
        self.finish();
    }

    /// A `GetSpi` request failed: the negotiation it belongs to is abandoned.
    pub fn handle_spi_failed(&mut self, _now: Instant, request: SpiRequestId) {
        if let Some(i) = self
            .ph2s
            .iter()
            .position(|p| p.spi_request == Some(request))
        {
            self.log(LogLevel::Error, "pfkey GETSPI failed".to_owned());
            self.ph2s.remove(i);
        }
        self.finish();
    }

    /// Timers: retransmissions, negotiation deadlines, ISAKMP-SA lifetimes.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.timeouts(now);
        self.finish();
    }

    /// Every ISAKMP SA, negotiating or established.
    pub fn isakmp_sas(&self) -> Vec<IsakmpSaInfo> {
        self.ph1s
            .iter()
            .map(|p| IsakmpSaInfo {
                local: p.local,
                remote: p.remote,
                icookie: p.icookie,
                rcookie: p.rcookie,
                initiator: p.side == Side::Initiator,
                established: p.is_established(),
                keys: p.crypto.as_ref().map(|c| {
                    [
                        c.keys.skeyid_d.clone(),
                        c.keys.skeyid_a.clone(),
                        c.keys.skeyid_e.clone(),
                    ]
                }),
            })
            .collect()
    }

    // ---- plumbing shared by the exchanges ----

    fn finish(&mut self) {
        self.reap_policies();
        let next = self.poll_timeout();
        if next != self.armed {
            self.armed = next;
            if let Some(at) = next {
                self.out.push_back(Output::ArmTimer { at });
            }
        }
    }

    #[track_caller]
    fn log(&mut self, level: LogLevel, text: String) {
        let at = std::panic::Location::caller();
        self.out.push_back(Output::Log { level, text, at });
    }

    fn send(&mut self, from: SocketAddr, to: SocketAddr, bytes: Vec<u8>) {
        for bytes in self.frag_outgoing(bytes) {
            let bytes = natt::wrap_datagram(from, self.natt_port, bytes);
            self.out.push_back(Output::Send { from, to, bytes });
        }
    }

    fn kernel(&mut self, req: KernelRequest) {
        self.out.push_back(Output::Kernel(req));
    }

    fn new_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn random(&mut self, len: usize) -> Vec<u8> {
        // A failing random source is fatal for security; an all-zero fallback would be
        // worse than a visible error, so log it and still return fresh bytes from the OS.
        match random_bytes(self.rng.as_mut(), len) {
            Ok(b) => b,
            Err(e) => {
                self.log(LogLevel::Error, format!("random source failed: {e}"));
                random_bytes(&mut crate::crypto::OsRng, len).unwrap_or_else(|_| vec![0x5a; len])
            }
        }
    }

    fn random_u32_nonzero(&mut self) -> u32 {
        loop {
            let b = self.random(4);
            let v = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
            if v != 0 {
                return v;
            }
        }
    }

    /// Remember a processed packet and what we answered.
    fn remember(
        &mut self,
        now: Instant,
        received: &[u8],
        response: Option<(SocketAddr, SocketAddr, Vec<u8>)>,
    ) {
        self.recvd.remember(now, received, response);
    }

    fn timer(&self) -> crate::conf::Timer {
        self.config.timer
    }

    /// The `remote` section for a peer: its address first, then `anonymous`.
    fn find_remote(&self, peer: IpAddr) -> Option<usize> {
        let rs = &self.config.remotes;
        rs.iter()
            .position(|r| match &r.selector {
                RemoteSelector::Address(e) => e.ip() == peer,
                RemoteSelector::Named(_) => r.remote_address.is_some_and(|e| e.ip() == peer),
                RemoteSelector::Anonymous { .. } => false,
            })
            .or_else(|| {
                rs.iter()
                    .position(|r| matches!(r.selector, RemoteSelector::Anonymous { .. }))
            })
    }

    /// The sainfo for a pair of IDs: both sides named first, then one anonymous side,
    /// then `sainfo anonymous`, as racoon's getsainfo() searched.
    fn find_sainfo(
        &self,
        local: &crate::isakmp::Identification,
        remote: &crate::isakmp::Identification,
    ) -> Option<usize> {
        let s = &self.config.sainfos;
        let rank = |l: &SainfoId, r: &SainfoId| {
            usize::from(*l == SainfoId::Anonymous) + usize::from(*r == SainfoId::Anonymous)
        };
        (0..=2).find_map(|want| {
            s.iter().position(|si| {
                rank(&si.local, &si.remote) == want
                    && ident::sainfo_matches(&si.local, local)
                    && ident::sainfo_matches(&si.remote, remote)
            })
        })
    }

    /// The reqid the kernel's inbound policy for this traffic asks for (0 when unknown).
    fn inbound_reqid(
        &self,
        idci: Option<&crate::isakmp::Identification>,
        idcr: Option<&crate::isakmp::Identification>,
        satype: common::sa::SaType,
    ) -> u32 {
        let (Some((src, _)), Some((dst, _))) = (
            idci.and_then(ident::to_selector),
            idcr.and_then(ident::to_selector),
        ) else {
            return 0;
        };
        self.policies
            .iter()
            .filter(|p| p.dir == Direction::In)
            .filter(|p| match &p.selector {
                PolicySelector::Addresses { src: s, dst: d, .. } => {
                    s.network() == src.network()
                        && s.prefix_len() == src.prefix_len()
                        && d.network() == dst.network()
                        && d.prefix_len() == dst.prefix_len()
                }
                PolicySelector::Tagged(_) => false,
            })
            .flat_map(|p| p.requests.iter())
            .find(|r| r.proto == satype)
            .map_or(0, |r| r.reqid)
    }

    fn datagram(&mut self, now: Instant, local: SocketAddr, remote: SocketAddr, bytes: &[u8]) {
        let Some(bytes) = natt::unwrap_datagram(local, self.natt_port, bytes) else {
            return;
        };
        let header = match Header::decode(bytes) {
            Ok(h) => h,
            Err(e) => {
                self.log(
                    LogLevel::Debug,
                    format!("invalid ISAKMP header from {remote}: {e}"),
                );
                return;
            }
        };
        if header.next_payload.value() == crate::isakmp::FRAGMENT_PAYLOAD {
            return self.fragment_received(now, local, remote, &header, bytes);
        }
        if let Some(seen) = self.recvd.get(bytes) {
            let response = seen.clone();
            self.log(
                LogLevel::Debug,
                format!(
                    "the packet is retransmitted by {}.",
                    common::addr::Endpoint::from(remote)
                ),
            );
            if let Some((from, to, out)) = response {
                self.send(from, to, out);
            }
            return;
        }
        let (ic, rc) = (header.initiator_cookie, header.responder_cookie);
        self.natt_follow_ports(now, local, remote, &ic, &rc);
        match header.exchange {
            ExchangeType::IdentityProtection => {
                self.main_mode_packet(now, local, remote, &header, bytes)
            }
            ExchangeType::Aggressive => self.aggressive_packet(now, local, remote, &header, bytes),
            ExchangeType::Quick => self.quick_packet(now, local, remote, &header, bytes),
            ExchangeType::Informational => self.info_packet(now, local, remote, &header, bytes),
            ExchangeType::Transaction => self.transaction_packet(now, remote, &header, bytes),
            other => self.log(
                LogLevel::Error,
                format!(
                    "unsupported exchange {} from {}.",
                    other,
                    common::addr::Endpoint::from(remote)
                ),
            ),
        }
    }

    fn ph1_by_cookies(&self, icookie: &[u8; 8], rcookie: &[u8; 8]) -> Option<usize> {
        self.ph1s
            .iter()
            .position(|p| &p.icookie == icookie && &p.rcookie == rcookie)
    }

    fn established_ph1(&self, local: IpAddr, remote: IpAddr) -> Option<usize> {
        self.ph1s
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_established() && p.local.ip() == local && p.remote.ip() == remote)
            .max_by_key(|(_, p)| p.established_at)
            .map(|(i, _)| i)
    }

    fn acquire(&mut self, now: Instant, local: IpAddr, remote: IpAddr, req: Ph2Request) {
        if self.ph2s.iter().any(|p| {
            p.state != Ph2State::Established
                && p.remote == remote
                && p.request.selector == req.selector
                && p.request.satype == req.satype
        }) {
            self.log(
                LogLevel::Debug,
                "ignore the acquire because ph2 found".to_owned(),
            );
            return;
        }
        if !self.local_addrs.is_empty() && !self.local_addrs.contains(&local) {
            self.log(
                LogLevel::Warning,
                format!("acquire for {local}, which is not one of our addresses."),
            );
        }
        let Some(rmconf) = self.find_remote(remote) else {
            self.log(
                LogLevel::Error,
                format!("no configuration found for {remote}."),
            );
            return;
        };
        let (idci, idcr) = match &req.selector {
            Some(PolicySelector::Addresses { src, dst, ul_proto }) => (
                ident::from_selector(src, *ul_proto),
                ident::from_selector(dst, *ul_proto),
            ),
            _ => (
                ident::from_selector(&common::addr::Selector::host(local), 255),
                ident::from_selector(&common::addr::Selector::host(remote), 255),
            ),
        };
        let Some(sainfo) = self.find_sainfo(&idci, &idcr) else {
            self.log(
                LogLevel::Error,
                format!(
                    "failed to get sainfo for {} {}.",
                    ident::describe(&idci),
                    ident::describe(&idcr)
                ),
            );
            return;
        };
        let id = self.new_id();
        let deadline = now + Duration::from_secs(self.timer().phase2.max(1));
        self.ph2s.push(Ph2 {
            id,
            side: Side::Initiator,
            ph1: None,
            state: Ph2State::WaitPh1,
            msgid: 0,
            local,
            remote,
            request: req,
            sainfo: Some(sainfo),
            idci: Some(idci),
            idcr: Some(idcr),
            offers: Vec::new(),
            choice: None,
            claim_lifetime: false,
            our_spi: None,
            peer_spi: None,
            spi_request: None,
            ni: Vec::new(),
            nr: Vec::new(),
            dh: None,
            peer_ke: Vec::new(),
            peer_sa: None,
            iv: Vec::new(),
            qm1: Vec::new(),
            retx: None,
            expire_at: deadline,
            installed: None,
            keyed: None,
            peer_natoa: None,
        });
        let i = self.ph2s.len() - 1;
        if let Some(p1) = self.established_ph1(local, remote) {
            self.ph2s[i].ph1 = Some(self.ph1s[p1].id);
            self.begin_quick(now, i);
            return;
        }
        self.log(
            LogLevel::Info,
            format!("IPsec-SA request for {remote} queued due to no phase1 found."),
        );
        let negotiating = self
            .ph1s
            .iter()
            .any(|p| !p.is_established() && p.local.ip() == local && p.remote.ip() == remote);
        if !negotiating {
            let port = self.config.remotes[rmconf]
                .peer()
                .map_or(IKE_PORT, |e| e.port());
            self.begin_phase1(
                now,
                SocketAddr::new(local, IKE_PORT),
                SocketAddr::new(remote, port),
                rmconf,
            );
        }
    }

    /// A phase 1 was established: start the quick modes waiting for it.
    fn ph1_established(&mut self, now: Instant, p1: usize) {
        let (id, local, remote) = {
            let p = &self.ph1s[p1];
            (p.id, p.local.ip(), p.remote.ip())
        };
        let waiting: Vec<u64> = self
            .ph2s
            .iter()
            .filter(|p| p.state == Ph2State::WaitPh1 && p.local == local && p.remote == remote)
            .map(|p| p.id)
            .collect();
        for w in waiting {
            if let Some(i) = self.ph2s.iter().position(|p| p.id == w) {
                self.ph2s[i].ph1 = Some(id);
                self.begin_quick(now, i);
            }
        }
    }

    fn ph1_index(&self, id: Option<u64>) -> Option<usize> {
        let id = id?;
        self.ph1s.iter().position(|p| p.id == id)
    }

    fn timeouts(&mut self, now: Instant) {
        self.recvd.expire(now);
        self.natt_keepalives(now);
        self.dpd_timeouts(now);
        let mut i = 0;
        while i < self.ph1s.len() {
            if self.ph1_timeout(now, i) {
                self.remove_ph1(i);
            } else {
                i += 1;
            }
        }
        let mut i = 0;
        while i < self.ph2s.len() {
            if self.ph2_timeout(now, i) {
                self.abandon_ph2(i);
            } else {
                i += 1;
            }
        }
    }

    /// Returns whether the handle is to be removed.
    fn ph1_timeout(&mut self, now: Instant, i: usize) -> bool {
        if let Some(r) = self.ph1s[i].retx.as_mut() {
            if r.next_at <= now {
                match r.fire(now) {
                    retransmit::Due::Resend => {
                        let (from, to, bytes) = (r.from, r.to, r.bytes.clone());
                        self.log(LogLevel::Debug, "resend phase1 packet".to_owned());
                        self.send(from, to, bytes);
                    }
                    retransmit::Due::GiveUp => {
                        let idx = self.ph1s[i].index();
                        self.log(
                            LogLevel::Error,
                            format!("phase1 negotiation failed due to time up. {idx}"),
                        );
                        return true;
                    }
                }
            }
        }
        let p = &self.ph1s[i];
        if p.expire_at > now {
            return false;
        }
        let idx = p.index();
        if p.is_established() {
            let (l, r) = (p.local_ep(), p.remote_ep());
            self.log(
                LogLevel::Info,
                format!("ISAKMP-SA expired {l}-{r} spi:{idx}"),
            );
            self.send_delete_isakmp(now, i);
            self.log(
                LogLevel::Info,
                format!("ISAKMP-SA deleted {l}-{r} spi:{idx}"),
            );
        } else {
            self.log(
                LogLevel::Error,
                format!("phase1 negotiation failed due to time up. {idx}"),
            );
        }
        true
    }

    fn ph2_timeout(&mut self, now: Instant, i: usize) -> bool {
        if let Some(r) = self.ph2s[i].retx.as_mut() {
            if r.next_at <= now {
                match r.fire(now) {
                    retransmit::Due::Resend => {
                        let (from, to, bytes) = (r.from, r.to, r.bytes.clone());
                        self.log(LogLevel::Debug, "resend phase2 packet".to_owned());
                        self.send(from, to, bytes);
                    }
                    retransmit::Due::GiveUp => {
                        let text = self.ph2_index(i);
                        self.log(
                            LogLevel::Error,
                            format!("phase2 negotiation failed due to time up. {text}"),
                        );
                        return true;
                    }
                }
            }
        }
        let p = &self.ph2s[i];
        if p.state == Ph2State::Established || p.expire_at > now {
            return false;
        }
        let text = self.ph2_index(i);
        if p.state == Ph2State::WaitPh1 {
            self.log(
                LogLevel::Error,
                format!("phase2 negotiation failed due to time up waiting for phase1. {text}"),
            );
        } else {
            self.log(
                LogLevel::Error,
                format!("phase2 negotiation failed due to time up. {text}"),
            );
        }
        true
    }

    /// racoon's phase-2 index in log lines: `cookie:cookie:msgid`.
    fn ph2_index(&self, i: usize) -> String {
        let p = &self.ph2s[i];
        match self.ph1_index(p.ph1) {
            Some(p1) => format!("{}:{:08x}", self.ph1s[p1].index(), p.msgid),
            None => format!("{}->{}", p.local, p.remote),
        }
    }
}
