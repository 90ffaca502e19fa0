//! The phase-2 handle: one quick-mode negotiation and, once established, the SA pair it
//! installed (kept for rekeying on soft expiry and for DELETE).

use super::ph1::Side;
use super::proposal::Ph2Choice;
use super::retransmit::Retransmit;
use crate::crypto::DhKeyPair;
use crate::isakmp::Identification;
use common::policy::PolicySelector;
use common::sa::{Mode, Sa, SaType};
use std::net::IpAddr;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ph2State {
    /// Waiting for an ISAKMP SA with the peer.
    WaitPh1,
    /// Initiator: GETSPI sent, message 1 not yet built.
    InitSpi,
    /// Initiator: message 1 sent.
    I1Sent,
    /// Responder: message 1 accepted, GETSPI sent.
    RespSpi,
    /// Responder: message 2 sent.
    R2Sent,
    Established,
}

/// What started the negotiation, kept to start it again on a soft expiry.
#[derive(Debug, Clone)]
pub(crate) struct Ph2Request {
    pub selector: Option<PolicySelector>,
    pub satype: SaType,
    pub mode: Mode,
    pub reqid: u32,
}

pub(crate) struct Ph2 {
    pub id: u64,
    pub side: Side,
    pub ph1: Option<u64>,
    pub state: Ph2State,
    pub msgid: u32,
    /// SA endpoints: ours and the peer's.
    pub local: IpAddr,
    pub remote: IpAddr,
    pub request: Ph2Request,
    pub sainfo: Option<usize>,
    /// IDci / IDcr as sent or received; `None` when the peer sent none.
    pub idci: Option<Identification>,
    pub idcr: Option<Identification>,
    pub offers: Vec<Ph2Choice>,
    pub choice: Option<Ph2Choice>,
    pub claim_lifetime: bool,
    pub our_spi: Option<u32>,
    pub peer_spi: Option<u32>,
    pub spi_request: Option<u64>,
    pub ni: Vec<u8>,
    pub nr: Vec<u8>,
    pub dh: Option<DhKeyPair>,
    pub peer_ke: Vec<u8>,
    /// The initiator's SA payload (responder: the one received), for the reply.
    pub peer_sa: Option<crate::isakmp::SecurityAssociation>,
    pub iv: Vec<u8>,
    /// The responder's copy of message 1, answered by message 2 once the SPI is known.
    pub qm1: Vec<u8>,
    pub retx: Option<Retransmit>,
    pub expire_at: Instant,
    pub installed: Option<(Sa, Sa)>,
    /// Responder: the pair keyed when message 2 went out, whose inbound half is in the
    /// kernel already; the outbound half follows message 3.
    pub keyed: Option<(Sa, Sa)>,
    /// The peer's original address from its NAT-OA payload (quick mode behind a NAT).
    pub peer_natoa: Option<std::net::IpAddr>,
}
