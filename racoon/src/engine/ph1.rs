//! The phase-1 handle: everything one ISAKMP SA negotiation keeps between messages.

use super::proposal::Ph1Choice;
use super::retransmit::Retransmit;
use crate::conf::Timer;
use crate::crypto::{Cipher, DhKeyPair, Hash, Phase1Keys, Prf};
use crate::isakmp::{Cookie, Identification};
use common::addr::Endpoint;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Initiator,
    Responder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ph1State {
    /// Main mode initiator, message 1 (SA) sent.
    MainI1,
    /// Main mode initiator, message 3 (KE, Ni) sent.
    MainI3,
    /// Main mode initiator, message 5 (IDii, HASH_I) sent.
    MainI5,
    /// Main mode responder, message 2 (SA) sent.
    MainR2,
    /// Main mode responder, message 4 (KE, Nr) sent.
    MainR4,
    /// Aggressive mode initiator, message 1 (SA, KE, Ni, IDii) sent.
    AggI1,
    /// Aggressive mode responder, message 2 (SA, KE, Nr, IDir, HASH_R) sent.
    AggR2,
    Established,
}

/// Keys and cipher state of an authenticated (or authenticating) ISAKMP SA.
pub(crate) struct Ph1Crypto {
    pub hash: Hash,
    pub prf: Prf,
    pub keys: Phase1Keys,
    pub cipher: Cipher,
}

pub(crate) struct Ph1 {
    pub id: u64,
    pub side: Side,
    pub local: SocketAddr,
    pub remote: SocketAddr,
    /// Index of the `remote` section in the configuration.
    pub rmconf: usize,
    pub icookie: Cookie,
    pub rcookie: Cookie,
    pub state: Ph1State,
    pub sai_b: Vec<u8>,
    pub choice: Option<Ph1Choice>,
    pub dh: Option<DhKeyPair>,
    pub g_xi: Vec<u8>,
    pub g_xr: Vec<u8>,
    pub ni: Vec<u8>,
    pub nr: Vec<u8>,
    pub crypto: Option<Ph1Crypto>,
    /// The CBC IV for the next phase-1 message; once established, the last block of the
    /// last phase-1 message, from which quick-mode and informational IVs derive.
    pub iv: Vec<u8>,
    /// Our ID payload body as sent (IDii_b or IDir_b).
    pub id_b: Vec<u8>,
    pub retx: Option<Retransmit>,
    /// Negotiation deadline (timer phase1) or, once established, the lifetime's end.
    pub expire_at: Instant,
    pub established_at: Option<Instant>,
    /// Tell the peer about it with RESPONDER-LIFETIME.
    pub claim_lifetime: bool,
    /// The peer's phase-1 ID, once received (aggressive mode: before the keys, so the
    /// pre-shared key is looked up by it).
    pub peer_id: Option<PeerId>,
    /// Main mode: the peer's checked ID (aggressive mode's is in `peer_id`), for the
    /// REMOTE_ID of `script` hooks.
    pub id_p: Option<crate::isakmp::Identification>,
    /// NAT traversal: the version agreed, what NAT-D found, floating, keepalives.
    pub natt: super::natt::Ph1Natt,
    /// Dead peer detection: whether the peer does it, the R-U-THERE schedule.
    pub dpd: super::dpd::DpdState,
    /// IKE fragmentation: whether the peer does it, the message being reassembled.
    pub frag: super::frag::Ph1Frag,
    /// XAuth and mode-cfg: vendor IDs seen, login, pool port, Transaction IV.
    pub cfg: super::modecfg::Ph1Cfg,
}

/// A received phase-1 ID: decoded, and its payload body as the hash covers it.
#[derive(Debug, Clone)]
pub(crate) struct PeerId {
    pub id: Identification,
    pub body: Vec<u8>,
}

impl Ph1 {
    /// A new handle: no keys, nonces or peer ID yet, cookies zero, the negotiation's
    /// deadline `timer phase1` from `now`. Callers fill in what their first message set
    /// (struct update syntax), so each exchange states only what differs.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        id: u64,
        side: Side,
        state: Ph1State,
        local: SocketAddr,
        remote: SocketAddr,
        rmconf: usize,
        now: Instant,
        timer: &Timer,
    ) -> Ph1 {
        Ph1 {
            id,
            side,
            local,
            remote,
            rmconf,
            icookie: [0; 8],
            rcookie: [0; 8],
            state,
            sai_b: Vec::new(),
            choice: None,
            dh: None,
            g_xi: Vec::new(),
            g_xr: Vec::new(),
            ni: Vec::new(),
            nr: Vec::new(),
            crypto: None,
            iv: Vec::new(),
            id_b: Vec::new(),
            retx: None,
            expire_at: now + Duration::from_secs(timer.phase1.max(1)),
            established_at: None,
            claim_lifetime: false,
            peer_id: None,
            id_p: None,
            natt: Default::default(),
            dpd: Default::default(),
            frag: Default::default(),
            cfg: Default::default(),
        }
    }

    pub fn local_ep(&self) -> Endpoint {
        Endpoint::from(self.local)
    }

    pub fn remote_ep(&self) -> Endpoint {
        Endpoint::from(self.remote)
    }

    /// `icookie:rcookie` in hex, as racoon prints an ISAKMP-SA index.
    pub fn index(&self) -> String {
        format!("{}:{}", hex(&self.icookie), hex(&self.rcookie))
    }

    pub fn is_established(&self) -> bool {
        self.state == Ph1State::Established
    }

    /// Whether this negotiation is an aggressive mode still under way.
    pub fn is_aggressive(&self) -> bool {
        matches!(self.state, Ph1State::AggI1 | Ph1State::AggR2)
    }
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
