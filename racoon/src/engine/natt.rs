//! NAT traversal for IKEv1 (RFC 3947, RFC 3948, and draft-ietf-ipsec-nat-t-ike-02, the
//! draft version racoon also speaks):
//!
//! - both sides announce it with vendor IDs in the first two messages; the highest
//!   version both know is used ("Selected NAT-T version");
//! - main mode messages 3 and 4 (aggressive mode 2 and 3) carry two NAT-D payloads each,
//!   HASH(CKY-I | CKY-R | IP | port) of the destination and of the source as the sender
//!   sees them; a hash that does not match what the receiver sees means a NAT on that
//!   side ("NAT detected: ME PEER"). `nat_traversal force` hashes a zero address, so the
//!   peer always sees a NAT;
//! - once a NAT is seen the initiator moves to port 4500 for the rest of the exchange
//!   (the responder follows when a packet arrives from the new ports), and every IKE
//!   packet on port 4500 starts with the four-byte non-ESP marker;
//! - quick mode proposes the UDP-encapsulated modes (with NAT-OA payloads in transport
//!   mode) and the SAs are installed as ESP in UDP between the ports seen;
//! - both sides of a phase 1 that saw a NAT send one-byte 0xff keepalives to keep the
//!   mapping open.

use super::ph1::Side;
use super::Engine;
use crate::conf::{LogLevel, NatTraversal};
use crate::crypto::{CryptoError, Hash};
use crate::isakmp::{Attribute, AttributeValue, EncapsulationMode, Payload, SecurityAssociation};
use common::addr::Endpoint;
use common::sa::{Mode, NatT, Sa};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// The port IKE floats to and ESP-in-UDP uses, unless `racoon -P` says otherwise.
pub(crate) const NATT_PORT: u16 = 4500;

/// What precedes an IKE message on port 4500, where ESP (whose SPI is never 0) shares the
/// socket (RFC 3948 2.2).
pub(crate) const NON_ESP_MARKER: [u8; 4] = [0; 4];

/// A NAT keepalive (RFC 3948 2.3): one byte 0xff.
pub(crate) const KEEPALIVE: [u8; 1] = [0xff];

/// The IPsec DOI Encapsulation Mode attribute class (RFC 2407 4.5).
const ENCAPSULATION_MODE: u16 = 4;

/// The NAT-T versions racoon speaks, in increasing preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Version {
    Draft02,
    /// The same draft, whose vendor ID some implementations hashed with a newline.
    Draft02N,
    Rfc,
}

impl Version {
    /// The vendor IDs we send, in the original's order (newest first).
    pub const SENT: [Version; 3] = [Version::Rfc, Version::Draft02, Version::Draft02N];

    /// The name whose MD5 hash is the vendor ID.
    fn vid_name(self) -> &'static str {
        match self {
            Version::Draft02 => "draft-ietf-ipsec-nat-t-ike-02",
            Version::Draft02N => "draft-ietf-ipsec-nat-t-ike-02\n",
            Version::Rfc => "RFC 3947",
        }
    }

    /// The name as the original's log lines print it.
    pub fn name(self) -> &'static str {
        self.vid_name().trim_end()
    }

    pub fn vid(self) -> Vec<u8> {
        Hash::from_name("md5")
            .and_then(|h| h.digest(&[self.vid_name().as_bytes()]))
            .unwrap_or_default()
    }

    pub fn from_vid(vid: &[u8]) -> Option<Version> {
        Version::SENT.into_iter().find(|v| v.vid() == vid)
    }

    /// The drafts use the private payload numbers 130 (NAT-D) and 131 (NAT-OA) and the
    /// private encapsulation modes 61443/61444.
    pub fn draft(self) -> bool {
        self != Version::Rfc
    }

    /// The UDP-encapsulated encapsulation mode for `mode`.
    pub fn udp_mode(self, mode: Mode) -> EncapsulationMode {
        match (mode == Mode::Tunnel, self.draft()) {
            (true, false) => EncapsulationMode::UdpTunnel,
            (false, false) => EncapsulationMode::UdpTransport,
            (true, true) => EncapsulationMode::UdpTunnelDraft,
            (false, true) => EncapsulationMode::UdpTransportDraft,
        }
    }
}

/// A phase 1's NAT-T state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ph1Natt {
    /// The version both sides announced; `None`: no NAT-T with this peer.
    pub version: Option<Version>,
    /// Our address or port is rewritten on the way (we are behind a NAT).
    pub behind_me: bool,
    /// The peer's is.
    pub behind_peer: bool,
    /// IKE moved to port 4500 (non-ESP marker on every packet).
    pub floated: bool,
    /// When the next keepalive is due, for a phase 1 behind a NAT.
    pub keepalive_at: Option<Instant>,
}

impl Ph1Natt {
    pub fn detected(&self) -> bool {
        self.behind_me || self.behind_peer
    }

    /// The version to encapsulate this phase 1's IPsec SAs with, once a NAT is seen.
    pub fn encapsulating(&self) -> Option<Version> {
        self.version.filter(|_| self.detected())
    }
}

/// HASH(CKY-I | CKY-R | IP | port) with the negotiated phase-1 hash (RFC 3947 3.2); the
/// address is all zeros under `force`, so the peer cannot match it.
pub(crate) fn natd_hash(
    hash: &Hash,
    icookie: &[u8; 8],
    rcookie: &[u8; 8],
    addr: SocketAddr,
    force: bool,
) -> Result<Vec<u8>, CryptoError> {
    let ip: Vec<u8> = match addr.ip() {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    };
    let ip = if force { vec![0; ip.len()] } else { ip };
    hash.digest(&[icookie, rcookie, &ip, &addr.port().to_be_bytes()])
}

/// The IKE message inside a datagram received on `local`: on the NAT-T port
/// (`natt_port`) the non-ESP marker is removed; keepalives and anything unmarked there
/// are not IKE.
pub(crate) fn unwrap_datagram(local: SocketAddr, natt_port: u16, bytes: &[u8]) -> Option<&[u8]> {
    if bytes == KEEPALIVE {
        return None;
    }
    if local.port() != natt_port {
        return Some(bytes);
    }
    bytes.strip_prefix(&NON_ESP_MARKER[..])
}

/// A datagram to send from `from`: IKE from the NAT-T port carries the marker.
pub(crate) fn wrap_datagram(from: SocketAddr, natt_port: u16, bytes: Vec<u8>) -> Vec<u8> {
    if from.port() != natt_port {
        return bytes;
    }
    let mut out = Vec::with_capacity(4 + bytes.len());
    out.extend_from_slice(&NON_ESP_MARKER);
    out.extend_from_slice(&bytes);
    out
}

/// Rewrites every Encapsulation Mode of `sa` to its UDP-encapsulated form.
pub(crate) fn udp_encap_sa(sa: &mut SecurityAssociation, v: Version) {
    for a in sa
        .proposals
        .iter_mut()
        .flat_map(|p| p.transforms.iter_mut())
        .flat_map(|t| t.attributes.iter_mut())
        .filter(|a| a.kind == ENCAPSULATION_MODE)
    {
        let mode = match a.value.as_u64() {
            Some(1) => Mode::Tunnel,
            Some(2) => Mode::Transport,
            _ => continue,
        };
        *a = Attribute::basic(ENCAPSULATION_MODE, v.udp_mode(mode).value());
    }
}

/// `sa` with every UDP-encapsulated mode read as the plain one, and whether there was one.
pub(crate) fn plain_encap_sa(sa: &SecurityAssociation) -> (SecurityAssociation, bool) {
    let mut out = sa.clone();
    let mut udp = false;
    for a in out
        .proposals
        .iter_mut()
        .flat_map(|p| p.transforms.iter_mut())
        .flat_map(|t| t.attributes.iter_mut())
        .filter(|a| a.kind == ENCAPSULATION_MODE)
    {
        let Some(v) = a.value.as_u64().and_then(|v| u16::try_from(v).ok()) else {
            continue;
        };
        let plain = match EncapsulationMode::from(v) {
            EncapsulationMode::UdpTunnel | EncapsulationMode::UdpTunnelDraft => 1,
            EncapsulationMode::UdpTransport | EncapsulationMode::UdpTransportDraft => 2,
            _ => continue,
        };
        udp = true;
        a.value = AttributeValue::Basic(plain);
    }
    (out, udp)
}

impl Engine {
    /// The port IKE floats to (`racoon -P`; 4500 by default). The daemon's NAT-T
    /// sockets listen on it.
    pub fn set_natt_port(&mut self, port: u16) {
        self.natt_port = port;
    }

    fn natt_mode(&self, rmconf: usize) -> NatTraversal {
        self.config
            .remotes
            .get(rmconf)
            .map_or(NatTraversal::Off, |r| r.nat_traversal)
    }

    /// The NAT-T vendor IDs of a first message, when the remote allows NAT-T.
    pub(super) fn natt_vids(&self, rmconf: usize) -> Vec<Payload> {
        if self.natt_mode(rmconf) == NatTraversal::Off {
            return Vec::new();
        }
        Version::SENT
            .into_iter()
            .map(|v| Payload::VendorId(v.vid()))
            .collect()
    }

    /// The best NAT-T version among the peer's vendor IDs, logged as the original
    /// does; `None` when there is none or our remote has NAT-T off.
    pub(super) fn natt_offered(&mut self, rmconf: usize, payloads: &[Payload]) -> Option<Version> {
        if self.natt_mode(rmconf) == NatTraversal::Off {
            return None;
        }
        let best = payloads
            .iter()
            .filter_map(|p| match p {
                Payload::VendorId(v) => Version::from_vid(v),
                _ => None,
            })
            .max()?;
        self.log(
            LogLevel::Info,
            format!("Selected NAT-T version: {}", best.name()),
        );
        Some(best)
    }

    /// Initiator: the responder's NAT-T vendor ID fixes the version of `ph1s[i]`.
    pub(super) fn natt_take_vids(&mut self, i: usize, payloads: &[Payload]) {
        let v = self.natt_offered(self.ph1s[i].rmconf, payloads);
        self.ph1s[i].natt.version = v;
    }

    fn natd_of(&mut self, i: usize, addr: SocketAddr) -> Result<Vec<u8>, String> {
        let force = self.natt_mode(self.ph1s[i].rmconf) == NatTraversal::Force;
        let p = &self.ph1s[i];
        let alg = p.choice.ok_or("no proposal")?.hash;
        let hash = Hash::new(alg).map_err(|e| e.to_string())?;
        let (ic, rc) = (p.icookie, p.rcookie);
        self.log(
            LogLevel::Info,
            format!(
                "Hashing {} with algo #{} {}",
                Endpoint::from(addr),
                alg.ike_value.unwrap_or(0),
                if force { "(NAT-T forced)" } else { "" }
            ),
        );
        natd_hash(&hash, &ic, &rc, addr, force).map_err(|e| e.to_string())
    }

    /// The two NAT-D payloads of main mode 3/4 (aggressive 2/3): the peer's address as
    /// we send to it, then ours. Empty without NAT-T.
    pub(super) fn natd_payloads(&mut self, i: usize) -> Result<Vec<Payload>, String> {
        let Some(v) = self.ph1s[i].natt.version else {
            return Ok(Vec::new());
        };
        let (local, remote) = (self.ph1s[i].local, self.ph1s[i].remote);
        let theirs = self.natd_of(i, remote)?;
        let ours = self.natd_of(i, local)?;
        self.log(
            LogLevel::Info,
            "Adding remote and local NAT-D payloads.".to_owned(),
        );
        let draft = v.draft();
        Ok(vec![
            Payload::NatD {
                draft,
                hash: theirs,
            },
            Payload::NatD { draft, hash: ours },
        ])
    }

    /// Compares the peer's NAT-D payloads with what we see: the first names us, the
    /// second the peer. Logs each and the outcome, as the original.
    pub(super) fn natd_check(&mut self, i: usize, payloads: &[Payload]) {
        let Some(v) = self.ph1s[i].natt.version else {
            return;
        };
        let force = self.natt_mode(self.ph1s[i].rmconf) == NatTraversal::Force;
        let received: Vec<Vec<u8>> = payloads
            .iter()
            .filter_map(|p| match p {
                Payload::NatD { draft, hash } if *draft == v.draft() => Some(hash.clone()),
                _ => None,
            })
            .collect();
        if !received.is_empty() {
            self.ph1s[i].natt.behind_me = true;
            self.ph1s[i].natt.behind_peer = true;
        }
        for (seq, hash) in received.iter().enumerate() {
            let addr = if seq == 0 {
                self.ph1s[i].local
            } else {
                self.ph1s[i].remote
            };
            // Under force the hashes are never compared: both NATs stay assumed.
            let verified = !force && self.natd_of(i, addr).is_ok_and(|h| h == *hash);
            if verified {
                if seq == 0 {
                    self.ph1s[i].natt.behind_me = false;
                } else {
                    self.ph1s[i].natt.behind_peer = false;
                }
            }
            self.log(
                LogLevel::Info,
                format!(
                    "NAT-D payload #{seq} {}",
                    if verified {
                        "verified"
                    } else {
                        "doesn't match"
                    }
                ),
            );
        }
        let n = &self.ph1s[i].natt;
        let text = format!(
            "NAT {} {}{}",
            if n.detected() {
                "detected:"
            } else {
                "not detected"
            },
            if n.behind_me { "ME " } else { "" },
            if n.behind_peer { "PEER" } else { "" }
        );
        self.log(LogLevel::Info, text);
    }

    /// The initiator, once a NAT is seen: the rest of the exchange goes between the
    /// NAT-T ports.
    pub(super) fn natt_float(&mut self, now: Instant, i: usize) {
        if !self.ph1s[i].natt.detected() {
            return;
        }
        let port = self.natt_port;
        let p = &mut self.ph1s[i];
        p.local.set_port(port);
        p.remote.set_port(port);
        p.natt.floated = true;
        self.natt_keepalive_add(now, i);
    }

    /// A packet of a NAT-T phase 1 from other ports than it knew (the initiator floated,
    /// or a NAT mapped the new ports elsewhere): the phase 1 follows, once.
    pub(super) fn natt_follow_ports(
        &mut self,
        now: Instant,
        local: SocketAddr,
        remote: SocketAddr,
        icookie: &[u8; 8],
        rcookie: &[u8; 8],
    ) {
        let Some(i) = self.ph1_by_cookies(icookie, rcookie) else {
            return;
        };
        let p = &mut self.ph1s[i];
        if p.natt.version.is_none()
            || p.natt.floated
            || (p.local == local && p.remote == remote)
            || p.remote.ip() != remote.ip()
        {
            return;
        }
        p.local = local;
        p.remote = remote;
        p.natt.floated = true;
        self.log(
            LogLevel::Info,
            format!(
                "NAT-T: ports changed to: {}<->{}",
                Endpoint::from(remote),
                Endpoint::from(local)
            ),
        );
        self.natt_keepalive_add(now, i);
    }

    /// Keepalives go every `natt_keepalive` seconds from both sides of a phase 1 that
    /// saw a NAT (either behind it), as the original's natt_keepalive_add_ph1 does: the
    /// gateway's keep the client's NAT mapping open too.
    fn natt_keepalive_add(&mut self, now: Instant, i: usize) {
        let every = self.timer().natt_keepalive;
        let p = &self.ph1s[i];
        if every == 0 || !p.natt.detected() || p.natt.keepalive_at.is_some() {
            return;
        }
        let (l, r) = (p.local_ep(), p.remote_ep());
        self.ph1s[i].natt.keepalive_at = Some(now + Duration::from_secs(every));
        self.log(LogLevel::Info, format!("KA list add: {l}->{r}"));
    }

    /// The earliest keepalive due.
    pub(super) fn natt_next_keepalive(&self) -> Option<Instant> {
        self.ph1s.iter().filter_map(|p| p.natt.keepalive_at).min()
    }

    /// Sends the keepalives that are due (raw: a keepalive has no marker).
    pub(super) fn natt_keepalives(&mut self, now: Instant) {
        let every = Duration::from_secs(self.timer().natt_keepalive.max(1));
        let mut due = Vec::new();
        for p in &mut self.ph1s {
            if let Some(at) = p.natt.keepalive_at.filter(|&at| at <= now) {
                let mut next = at + every;
                if next <= now {
                    next = now + every;
                }
                p.natt.keepalive_at = Some(next);
                due.push((p.local, p.remote));
            }
        }
        for (from, to) in due {
            self.log(
                LogLevel::Debug,
                format!("KA: {}->{}", Endpoint::from(from), Endpoint::from(to)),
            );
            self.out.push_back(super::Output::Send {
                from,
                to,
                bytes: KEEPALIVE.to_vec(),
            });
        }
    }

    /// The NAT-T version the IPsec SAs of phase 1 `p1` are encapsulated with.
    pub(super) fn natt_encapsulating(&self, p1: usize) -> Option<Version> {
        self.ph1s[p1].natt.encapsulating()
    }

    /// Quick mode's NAT-OA payloads (transport mode behind a NAT): the initiator's
    /// address, then the responder's, as this side knows them.
    pub(super) fn nat_oa_payloads(&self, p1: usize, mode: Mode) -> Vec<Payload> {
        let Some(v) = self.natt_encapsulating(p1) else {
            return Vec::new();
        };
        if mode != Mode::Transport {
            return Vec::new();
        }
        let p = &self.ph1s[p1];
        let (i, r) = match p.side {
            Side::Initiator => (p.local.ip(), p.remote.ip()),
            Side::Responder => (p.remote.ip(), p.local.ip()),
        };
        let draft = v.draft();
        vec![
            Payload::NatOa { draft, addr: i },
            Payload::NatOa { draft, addr: r },
        ]
    }

    /// ESP in UDP for an SA pair of phase 1 `p1`: each SA between the ports as seen,
    /// the inbound one with the peer's original address when it sent one.
    pub(super) fn natt_encap_pair(
        &self,
        p1: usize,
        peer_oa: Option<IpAddr>,
        inbound: &mut Sa,
        outbound: &mut Sa,
    ) {
        if self.natt_encapsulating(p1).is_none() {
            return;
        }
        let p = &self.ph1s[p1];
        let (lp, rp) = (p.local.port(), p.remote.port());
        inbound.natt = Some(NatT {
            encap: NatT::UDP_ENCAP_ESPINUDP,
            sport: rp,
            dport: lp,
            original_address: peer_oa.filter(|a| *a != inbound.src),
        });
        outbound.natt = Some(NatT {
            encap: NatT::UDP_ENCAP_ESPINUDP,
            sport: lp,
            dport: rp,
            original_address: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_vid_is_the_published_bytes() {
        let hex: String = Version::Rfc
            .vid()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, "4a131c81070358455c5728f20e95452f");
        assert_eq!(
            Version::from_vid(&Version::Draft02N.vid()),
            Some(Version::Draft02N)
        );
    }

    #[test]
    fn quick_mode_modes_go_udp_and_back() {
        use crate::isakmp::{Proposal, ProtocolId, Transform};
        let t = |mode: u16| Transform {
            number: 1,
            id: 12,
            attributes: vec![
                Attribute::basic(1, 1),
                Attribute::basic(ENCAPSULATION_MODE, mode),
            ],
        };
        let mut sa = SecurityAssociation::ipsec(vec![Proposal {
            number: 1,
            protocol: ProtocolId::Esp,
            spi: vec![0, 0, 0x10, 0x01],
            transforms: vec![t(1), t(2)],
        }]);
        let plain = sa.clone();
        udp_encap_sa(&mut sa, Version::Rfc);
        let modes = |sa: &SecurityAssociation| -> Vec<u64> {
            sa.proposals[0]
                .transforms
                .iter()
                .map(|t| t.attributes[1].value.as_u64().unwrap())
                .collect()
        };
        assert_eq!(modes(&sa), [3, 4]);
        assert_eq!(plain_encap_sa(&sa), (plain.clone(), true));
        let mut draft = plain.clone();
        udp_encap_sa(&mut draft, Version::Draft02);
        assert_eq!(modes(&draft), [61443, 61444]);
        assert_eq!(plain_encap_sa(&draft), (plain.clone(), true));
        assert_eq!(plain_encap_sa(&plain), (plain, false));
    }

    #[test]
    fn marker_only_on_the_natt_port() {
        let a: SocketAddr = "10.0.0.1:4500".parse().unwrap();
        let b: SocketAddr = "10.0.0.1:500".parse().unwrap();
        assert_eq!(wrap_datagram(a, 4500, vec![1, 2]), vec![0, 0, 0, 0, 1, 2]);
        assert_eq!(wrap_datagram(b, 4500, vec![1, 2]), vec![1, 2]);
        assert_eq!(wrap_datagram(b, 500, vec![1, 2]), vec![0, 0, 0, 0, 1, 2]);
        assert_eq!(unwrap_datagram(a, 4500, &[0, 0, 0, 0, 9]), Some(&[9u8][..]));
        assert_eq!(unwrap_datagram(a, 4500, &[1, 0, 0, 0, 9]), None);
        assert_eq!(unwrap_datagram(a, 4500, &[0xff]), None);
        assert_eq!(unwrap_datagram(b, 4500, &[0xff]), None);
        assert_eq!(unwrap_datagram(b, 4500, &[7]), Some(&[7u8][..]));
        assert_eq!(unwrap_datagram(a, 4501, &[7]), Some(&[7u8][..]));
    }
}
