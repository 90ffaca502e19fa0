//! What racoonctl asks of the engine through the admin socket: views of the phase-1 and
//! phase-2 handles (show-sa isakmp, status, events), and commands: flush, delete one
//! ISAKMP SA with everything under it (telling the peer), establish a phase 1 or an
//! ACQUIRE-like phase 2.

use super::ph1::{Ph1State, Side};
use super::ph2::{Ph2Request, Ph2State};
use super::{ident, Engine, IKE_PORT};
use crate::conf::{GeneratePolicy, LogLevel, RemoteSelector};
use common::addr::Selector;
use common::policy::{Direction, PolicySelector};
use common::sa::{Mode, SaType};
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

/// A phase-1 handle as the admin socket shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ph1View {
    /// Stable for the handle's life.
    pub id: u64,
    pub local: SocketAddr,
    pub remote: SocketAddr,
    pub icookie: [u8; 8],
    pub rcookie: [u8; 8],
    pub initiator: bool,
    pub established: bool,
    /// racoon's `PHASE1ST_*` number (9 = established).
    pub status: i32,
    /// The status schema's state name.
    pub state: &'static str,
    /// ISAKMP exchange type: 2 main mode, 4 aggressive mode.
    pub exchange: u8,
    pub established_at: Option<Instant>,
    /// What the engine will do and when: resend (PH1resend), end of negotiation or
    /// lifetime (PH1lifetime).
    pub timers: Vec<(&'static str, Instant)>,
    pub ph2_count: usize,
    pub local_id: String,
    pub remote_id: String,
    pub proposal: Option<Ph1Proposal>,
    /// The `remote` section: anonymous, passive, generate_policy.
    pub remote_config: Option<(bool, bool, &'static str)>,
    /// With `dpd` on in the `remote` section: whether the peer does DPD, and how many
    /// R-U-THEREs are unanswered.
    pub dpd: Option<(bool, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ph1Proposal {
    pub encryption: String,
    pub hash: String,
    pub auth_method: String,
    pub dh_group: u16,
    pub lifetime: u64,
}

/// A phase-2 handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ph2View {
    pub id: u64,
    /// The phase-1 handle it runs under, once bound.
    pub ph1: Option<u64>,
    pub msgid: u32,
    pub established: bool,
    pub state: &'static str,
    pub local: IpAddr,
    pub remote: IpAddr,
    pub satype: SaType,
    pub mode: Mode,
    /// Our SPI (inbound) and the peer's (outbound), once known.
    pub spi_in: Option<u32>,
    pub spi_out: Option<u32>,
    /// Source and destination selectors, upper-layer protocol (255 = any).
    pub selector: Option<(Selector, Selector, u8)>,
    pub proposal: Option<Ph2Proposal>,
    pub reqid_in: u32,
    pub reqid_out: u32,
    /// Resend (PH2resend) and negotiation deadline (PSTacquire) while negotiating.
    pub timers: Vec<(&'static str, Instant)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ph2Proposal {
    pub encryption: Option<String>,
    pub authentication: Option<String>,
    pub pfs_group: Option<u16>,
    pub lifetime: u64,
    /// The hard byte limit, in bytes (0: none).
    pub lifebytes: u64,
}

/// Why an establish request is refused, as the errno racoon answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Already established (EEXIST): racoonctl exits 0.
    Exists,
    /// No policy for the selector (ENOENT).
    NoPolicy,
    /// Anything else (racoon answers -1).
    Failed,
}

/// What an establish request started or found: the handle to report events of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handle {
    Ph1(u64),
    Ph2(u64),
}

fn ph1_status(state: Ph1State, side: Side) -> (i32, &'static str) {
    // PHASE1ST_*: 3 msg1sent, 5 msg2sent, 7 msg3sent, 9 established.
    match (state, side) {
        (Ph1State::MainI1 | Ph1State::AggI1, _) => (3, "msg1sent"),
        (Ph1State::MainR2 | Ph1State::AggR2, _) => (3, "msg1sent"),
        (Ph1State::MainI3 | Ph1State::MainR4, _) => (5, "msg2sent"),
        (Ph1State::MainI5, _) => (7, "msg3sent"),
        (Ph1State::Established, _) => (9, "established"),
    }
}

fn ph2_state(state: Ph2State) -> &'static str {
    match state {
        Ph2State::WaitPh1 => "start",
        Ph2State::InitSpi | Ph2State::RespSpi => "getspisent",
        Ph2State::I1Sent | Ph2State::R2Sent => "msg1sent",
        Ph2State::Established => "established",
    }
}

/// `aes` → `AES-CBC`, `sha1` → `SHA1`: the status output's spelling.
fn upper(name: &str) -> String {
    name.to_ascii_uppercase()
}

impl Engine {
    /// Every phase-1 handle, negotiating or established.
    pub fn admin_ph1s(&self) -> Vec<Ph1View> {
        self.ph1s
            .iter()
            .map(|p| {
                let (status, state) = ph1_status(p.state, p.side);
                let rm = self.config.remotes.get(p.rmconf);
                let proposal = p.choice.as_ref().map(|c| {
                    let enc = c.encryption.names(common::alg::Namespace::Phase1);
                    let enc = enc.first().copied().unwrap_or(c.encryption.name());
                    let hash = c.hash.names(common::alg::Namespace::Phase1);
                    let hash = hash.first().copied().unwrap_or(c.hash.name());
                    Ph1Proposal {
                        encryption: format!("{}-CBC", upper(enc)),
                        hash: upper(hash),
                        auth_method: c.auth.to_string(),
                        dh_group: c.group.number,
                        lifetime: c.lifetime,
                    }
                });
                let local_id = ident::describe(&ident::phase1_id(
                    rm.and_then(|r| r.my_identifier.as_ref()),
                    p.local.ip(),
                ));
                let remote_id = p
                    .peer_id
                    .as_ref()
                    .map_or_else(|| p.remote.ip().to_string(), |id| ident::describe(&id.id));
                Ph1View {
                    id: p.id,
                    local: p.local,
                    remote: p.remote,
                    icookie: p.icookie,
                    rcookie: p.rcookie,
                    initiator: p.side == Side::Initiator,
                    established: p.is_established(),
                    status,
                    state,
                    exchange: if p.is_aggressive()
                        || rm.is_some_and(|r| {
                            r.exchange_modes.first() == Some(&crate::conf::ExchangeMode::Aggressive)
                        }) && p.side == Side::Initiator
                    {
                        4
                    } else {
                        2
                    },
                    established_at: p.established_at,
                    timers: p
                        .retx
                        .as_ref()
                        .map(|r| ("PH1resend", r.next_at))
                        .into_iter()
                        .chain([("PH1lifetime", p.expire_at)])
                        .collect(),
                    ph2_count: self.ph2s.iter().filter(|q| q.ph1 == Some(p.id)).count(),
                    local_id,
                    remote_id,
                    proposal,
                    dpd: rm.filter(|r| r.dpd).map(|_| (p.dpd.peer, p.dpd.fails)),
                    remote_config: rm.map(|r| {
                        (
                            matches!(r.selector, RemoteSelector::Anonymous { .. }),
                            r.passive,
                            match r.generate_policy {
                                GeneratePolicy::Off => "none",
                                GeneratePolicy::Require => "require",
                                GeneratePolicy::Unique => "unique",
                            },
                        )
                    }),
                }
            })
            .collect()
    }

    /// Every phase-2 handle.
    pub fn admin_ph2s(&self) -> Vec<Ph2View> {
        self.ph2s
            .iter()
            .map(|p| {
                let selector = match &p.request.selector {
                    Some(PolicySelector::Addresses { src, dst, ul_proto }) => {
                        Some((*src, *dst, *ul_proto))
                    }
                    _ => match (
                        p.idci.as_ref().and_then(ident::to_selector),
                        p.idcr.as_ref().and_then(ident::to_selector),
                    ) {
                        (Some((s, u)), Some((d, _))) => Some((s, d, u)),
                        _ => None,
                    },
                };
                let (reqid_in, reqid_out) = p
                    .installed
                    .as_ref()
                    .map_or((p.request.reqid, p.request.reqid), |(i, o)| {
                        (i.reqid, o.reqid)
                    });
                Ph2View {
                    id: p.id,
                    ph1: p.ph1,
                    msgid: p.msgid,
                    established: p.state == Ph2State::Established,
                    state: ph2_state(p.state),
                    local: p.local,
                    remote: p.remote,
                    satype: p.choice.as_ref().map_or(p.request.satype, |c| c.satype),
                    mode: p.choice.as_ref().map_or(p.request.mode, |c| c.mode),
                    spi_in: p.our_spi,
                    spi_out: p.peer_spi,
                    selector,
                    proposal: p.choice.as_ref().map(|c| Ph2Proposal {
                        encryption: c.encryption.map(|a| upper(a.name())),
                        authentication: c.auth.map(|a| a.name().to_owned()),
                        pfs_group: c.group.map(|g| g.number),
                        lifetime: c.lifetime,
                        lifebytes: c.lifebyte.saturating_mul(1024),
                    }),
                    reqid_in,
                    reqid_out,
                    timers: p
                        .retx
                        .as_ref()
                        .map(|r| ("PH2resend", r.next_at))
                        .into_iter()
                        .chain(
                            (p.state != Ph2State::Established)
                                .then_some(("PSTacquire", p.expire_at)),
                        )
                        .collect(),
                }
            })
            .collect()
    }

    /// flush-sa isakmp: every ISAKMP SA goes, the established ones with a DELETE to
    /// the peer.
    pub fn admin_flush_ph1(&mut self, now: Instant) {
        for i in (0..self.ph1s.len()).rev() {
            self.drop_ph1(now, i, false);
        }
        self.finish();
    }

    /// flush-sa esp|ah|ipsec, after the kernel's SAs were flushed: the phase-2 handles
    /// of those SAs are forgotten, so the next ACQUIRE negotiates afresh, and the peers
    /// are told (DELETE), so that their halves do not linger unused.
    pub fn admin_forget_ph2(&mut self, now: Instant, satype: Option<SaType>) -> usize {
        let mut n = 0;
        for j in (0..self.ph2s.len()).rev() {
            let p = &self.ph2s[j];
            let t = p.choice.as_ref().map_or(p.request.satype, |c| c.satype);
            if p.state == Ph2State::Established && satype.is_none_or(|s| s == t) {
                self.send_delete_ipsec(now, j);
                self.ph2s.remove(j);
                n += 1;
            }
        }
        self.finish();
        n
    }

    /// delete-sa isakmp / vpn-disconnect: the ISAKMP SAs between `local` (any when
    /// `None`) and `remote`, and the IPsec SAs negotiated under them, are deleted, and
    /// the peer told of each. Returns how many ISAKMP SAs went.
    pub fn admin_delete_ph1(
        &mut self,
        now: Instant,
        local: Option<IpAddr>,
        remote: IpAddr,
    ) -> usize {
        let mut n = 0;
        for i in (0..self.ph1s.len()).rev() {
            let p = &self.ph1s[i];
            if p.remote.ip() == remote
                && local.is_none_or(|l| l.is_unspecified() || l == p.local.ip())
            {
                self.drop_ph1(now, i, true);
                n += 1;
            }
        }
        self.finish();
        n
    }

    /// delete-sa esp|ah: the IPsec SA pairs whose selectors are these; the peer is told.
    pub fn admin_delete_ph2(
        &mut self,
        now: Instant,
        src: &Selector,
        dst: &Selector,
        satype: SaType,
    ) -> usize {
        let mut n = 0;
        for j in (0..self.ph2s.len()).rev() {
            let p = &self.ph2s[j];
            let t = p.choice.as_ref().map_or(p.request.satype, |c| c.satype);
            let matches = match &p.request.selector {
                Some(PolicySelector::Addresses { src: s, dst: d, .. }) => {
                    same_net(s, src) && same_net(d, dst)
                }
                _ => src.contains(p.local) && dst.contains(p.remote),
            };
            if t == satype && matches {
                self.drop_ph2(now, j);
                n += 1;
            }
        }
        self.finish();
        n
    }

    fn drop_ph2(&mut self, now: Instant, j: usize) {
        if let Some((inbound, outbound)) = self.ph2s[j].installed.clone() {
            self.send_delete_ipsec(now, j);
            self.kernel(super::KernelRequest::Delete { sa: inbound.id() });
            self.kernel(super::KernelRequest::Delete { sa: outbound.id() });
            self.log(
                LogLevel::Info,
                format!("purged IPsec-SA spi={}.", inbound.spi),
            );
        }
        self.ph2s.remove(j);
    }

    /// Removes `ph1s[i]`; with `children`, first the phase 2s under it (or with its peer).
    fn drop_ph1(&mut self, now: Instant, i: usize, children: bool) {
        let (id, remote) = (self.ph1s[i].id, self.ph1s[i].remote.ip());
        if children {
            for j in (0..self.ph2s.len()).rev() {
                let q = &self.ph2s[j];
                if q.ph1 == Some(id) || (q.ph1.is_none() && q.remote == remote) {
                    self.drop_ph2(now, j);
                }
            }
        }
        let p = &self.ph1s[i];
        let (l, r, idx) = (p.local_ep(), p.remote_ep(), p.index());
        if p.is_established() {
            self.send_delete_isakmp(now, i);
        }
        self.log(LogLevel::Info, format!("purging ISAKMP-SA spi={idx}."));
        self.log(
            LogLevel::Info,
            format!("ISAKMP-SA deleted {l}-{r} spi:{idx}"),
        );
        self.remove_ph1(i);
    }

    /// establish-sa isakmp: phase 1 with `remote` from `local` (ours by default), with
    /// the named `remote` section or the one for the address.
    pub fn admin_establish_ph1(
        &mut self,
        now: Instant,
        local: Option<IpAddr>,
        remote: IpAddr,
        remote_name: Option<&str>,
    ) -> Result<Handle, Refused> {
        let local = local.filter(|l| !l.is_unspecified()).or_else(|| {
            self.local_addrs
                .iter()
                .copied()
                .find(|a| a.is_ipv4() == remote.is_ipv4())
        });
        if let Some(p) = self
            .ph1s
            .iter()
            .find(|p| p.remote.ip() == remote && local.is_none_or(|l| l == p.local.ip()))
        {
            return if p.is_established() {
                Err(Refused::Exists)
            } else {
                Ok(Handle::Ph1(p.id))
            };
        }
        let rmconf = match remote_name {
            Some(name) => self
                .config
                .remotes
                .iter()
                .position(|r| matches!(&r.selector, RemoteSelector::Named(n) if n == name)),
            None => self.find_remote(remote),
        };
        let Some(rmconf) = rmconf else {
            self.log(
                LogLevel::Error,
                format!("no configuration found for {remote}"),
            );
            return Err(Refused::Failed);
        };
        let Some(local) = local else {
            self.log(
                LogLevel::Error,
                format!("no local address to reach {remote}"),
            );
            return Err(Refused::Failed);
        };
        self.log(
            LogLevel::Info,
            format!("accept a request to establish IKE-SA: {remote}"),
        );
        let port = self.config.remotes[rmconf]
            .peer()
            .map_or(IKE_PORT, |e| e.port());
        let before = self.next_id;
        self.begin_phase1(
            now,
            SocketAddr::new(local, IKE_PORT),
            SocketAddr::new(remote, port),
            rmconf,
        );
        self.finish();
        self.ph1s
            .iter()
            .find(|p| p.id >= before && p.remote.ip() == remote)
            .map(|p| Handle::Ph1(p.id))
            .ok_or(Refused::Failed)
    }

    /// establish-sa esp|ah: as if the kernel had sent an ACQUIRE for the outbound
    /// policy with these selectors.
    pub fn admin_establish_ph2(
        &mut self,
        now: Instant,
        src: &Selector,
        dst: &Selector,
        ul_proto: u8,
        satype: SaType,
    ) -> Result<Handle, Refused> {
        let find = |dir: Direction, s: &Selector, d: &Selector| {
            self.policies.iter().find(|p| {
                p.dir == dir
                    && matches!(&p.selector, PolicySelector::Addresses { src: ps, dst: pd, ul_proto: u }
                        if same_net(ps, s) && same_net(pd, d) && (ul_proto == 0 || *u == ul_proto || *u == 255))
            })
        };
        let Some(out) = find(Direction::Out, src, dst).cloned() else {
            self.log(
                LogLevel::Notify,
                format!("no outbound policy found: {src} {dst}"),
            );
            return Err(Refused::NoPolicy);
        };
        if let Some(p) = self
            .ph2s
            .iter()
            .find(|p| p.request.selector.as_ref() == Some(&out.selector))
        {
            return if p.state == Ph2State::Established {
                Err(Refused::Exists)
            } else {
                Ok(Handle::Ph2(p.id))
            };
        }
        if find(Direction::In, dst, src).is_none() {
            self.log(
                LogLevel::Notify,
                format!("no inbound policy found: {dst} {src}"),
            );
            return Err(Refused::NoPolicy);
        }
        let Some(request) = out.requests.iter().find(|r| r.proto == satype).cloned() else {
            self.log(
                LogLevel::Notify,
                format!("no {} request in the policy for {src} {dst}", satype.name()),
            );
            return Err(Refused::NoPolicy);
        };
        let (local, remote) = request.tunnel.unwrap_or((src.ip(), dst.ip()));
        let before = self.next_id;
        self.acquire(
            now,
            local,
            remote,
            Ph2Request {
                selector: Some(out.selector.clone()),
                satype,
                mode: request.mode,
                reqid: request.reqid,
            },
        );
        self.finish();
        self.ph2s
            .iter()
            .find(|p| p.id >= before && p.request.selector.as_ref() == Some(&out.selector))
            .map(|p| Handle::Ph2(p.id))
            .ok_or(Refused::Failed)
    }
}

fn same_net(a: &Selector, b: &Selector) -> bool {
    a.network() == b.network() && a.prefix_len() == b.prefix_len()
}
