//! From a finished quick mode to the kernel: KEYMAT split into the keys of each SA, the
//! SA pair with the negotiated algorithms, mode, reqid and lifetimes. The "IPsec-SA
//! established" line ([`established_line`]) is logged by whoever performs the install,
//! once the kernel has accepted each SA, as the original's pk_recvupdate/pk_recvadd do.

use super::Engine;
use super::KernelRequest;
use crate::crypto::KeymatInput;
use crate::isakmp::ProtocolId;
use common::alg::Algorithm;
use common::sa::{Keyed, Lifetime, Mode, Sa, SaType};
use std::time::Instant;

/// racoon installs SAs with a 4-packet replay window... times 8 bits per byte on Linux:
/// `setkey -D` shows `replay=4` for its SAs.
const REPLAY_WINDOW: u32 = 4;

/// The soft lifetime is this percentage of the hard one (racoon's PFKEY_SOFT_LIFETIME_RATE).
const SOFT_LIFETIME_RATE: u64 = 80;

fn auth_key_bytes(alg: &Algorithm) -> usize {
    let bits = if alg.default_key_bits > 0 {
        alg.default_key_bits
    } else {
        alg.key_bits.smallest_nonzero().unwrap_or(0)
    };
    usize::from(bits) / 8
}

/// `ESP/Tunnel 192.168.2.100->192.168.1.100 spi=68291959(0x4120d77)`.
pub(crate) fn describe(sa: &Sa) -> String {
    let proto = match sa.satype {
        SaType::Esp => "ESP",
        SaType::Ah => "AH",
        SaType::IpComp => "IPCOMP",
        SaType::TcpMd5 => "TCP",
    };
    let mode = match sa.mode {
        Mode::Tunnel => "Tunnel",
        Mode::Transport => "Transport",
        Mode::Any => "Any",
    };
    format!(
        "{proto}/{mode} {}->{} spi={}(0x{:x})",
        sa.src, sa.dst, sa.spi, sa.spi
    )
}

/// `IPsec-SA established: ESP/Tunnel 192.168.2.100->192.168.1.100 spi=...`, logged at
/// INFO once the kernel has accepted `sa` (the inbound SA's UPDATE, then the outbound
/// SA's ADD).
pub fn established_line(sa: &Sa) -> String {
    format!("IPsec-SA established: {}", describe(sa))
}

impl Engine {
    /// Initiator: derives the keys of `ph2s[j]` and asks the kernel to install the pair.
    pub(super) fn install(&mut self, _now: Instant, j: usize) -> Result<(), String> {
        let (inbound, outbound) = self.keyed_pair(j)?;
        self.kernel(KernelRequest::Install {
            inbound: Some(Box::new(inbound.clone())),
            outbound: Some(Box::new(outbound.clone())),
        });
        self.ph2s[j].installed = Some((inbound, outbound));
        Ok(())
    }

    /// Responder, as message 2 goes out: derives the pair and installs its inbound half
    /// at once, so that the initiator, which starts using the new SA as soon as it has
    /// sent message 3, never sends on an SPI we do not have yet.
    pub(super) fn install_inbound(&mut self, j: usize) -> Result<(), String> {
        let (inbound, outbound) = self.keyed_pair(j)?;
        self.kernel(KernelRequest::Install {
            inbound: Some(Box::new(inbound.clone())),
            outbound: None,
        });
        self.ph2s[j].keyed = Some((inbound, outbound));
        Ok(())
    }

    /// Responder, message 3 received: installs the outbound half; the pair is complete.
    pub(super) fn install_outbound(&mut self, j: usize) -> Result<(), String> {
        let (inbound, outbound) = match self.ph2s[j].keyed.take() {
            Some(pair) => pair,
            None => self.keyed_pair(j)?,
        };
        self.kernel(KernelRequest::Install {
            inbound: None,
            outbound: Some(Box::new(outbound.clone())),
        });
        self.ph2s[j].installed = Some((inbound, outbound));
        Ok(())
    }

    /// The SA pair of `ph2s[j]`, keyed from its KEYMAT.
    fn keyed_pair(&self, j: usize) -> Result<(Sa, Sa), String> {
        let p2 = &self.ph2s[j];
        let p1 = self
            .ph1_index(p2.ph1)
            .ok_or_else(|| "the ISAKMP-SA is gone".to_owned())?;
        let c = self.ph1s[p1]
            .crypto
            .as_ref()
            .ok_or_else(|| "no phase-1 keys".to_owned())?;
        let choice = p2.choice.ok_or_else(|| "no proposal".to_owned())?;
        let (our_spi, peer_spi) = (
            p2.our_spi.ok_or("no SPI")?,
            p2.peer_spi.ok_or("no peer SPI")?,
        );
        let g_xy = match &p2.dh {
            Some(dh) => Some(dh.shared_secret(&p2.peer_ke).map_err(|e| e.to_string())?),
            None => None,
        };
        let enc_len = choice
            .encryption
            .map_or(0, |a| a.keymat_bytes(choice.key_length));
        let auth_len = choice.auth.map_or(0, auth_key_bytes);
        let protocol = match choice.satype {
            SaType::Ah => ProtocolId::Ah,
            _ => ProtocolId::Esp,
        };
        let input = KeymatInput {
            prf: &c.prf,
            skeyid_d: &c.keys.skeyid_d,
            pfs_g_xy: g_xy.as_ref().map(|s| s.as_bytes()),
            protocol: protocol.value(),
            ni_b: &p2.ni,
            nr_b: &p2.nr,
        };
        let pair = input
            .pair(
                &our_spi.to_be_bytes(),
                &peer_spi.to_be_bytes(),
                (enc_len + auth_len).max(1),
            )
            .map_err(|e| e.to_string())?;
        // The byte limit: IKE's kilobytes, and the soft one at the same rate as time.
        let hard_bytes = choice.lifebyte.saturating_mul(1024);
        let hard = Lifetime {
            addtime: choice.lifetime,
            bytes: hard_bytes,
            ..Lifetime::default()
        };
        let soft = Lifetime {
            addtime: choice.lifetime * SOFT_LIFETIME_RATE / 100,
            bytes: hard_bytes / 100 * SOFT_LIFETIME_RATE
                + hard_bytes % 100 * SOFT_LIFETIME_RATE / 100,
            ..Lifetime::default()
        };
        let build = |src, dst, spi, key: &[u8]| {
            let mut sa = Sa::new(src, dst, choice.satype, spi);
            sa.mode = choice.mode;
            sa.reqid = p2.request.reqid;
            sa.replay = REPLAY_WINDOW;
            sa.enc = choice.encryption.map(|alg| Keyed {
                alg,
                key: key.get(..enc_len).unwrap_or_default().to_vec(),
            });
            sa.auth = choice.auth.map(|alg| Keyed {
                alg,
                key: key
                    .get(enc_len..enc_len + auth_len)
                    .unwrap_or_default()
                    .to_vec(),
            });
            sa.hard = hard;
            sa.soft = soft;
            sa
        };
        let mut inbound = build(p2.remote, p2.local, our_spi, pair.inbound.as_bytes());
        let mut outbound = build(p2.local, p2.remote, peer_spi, pair.outbound.as_bytes());
        self.natt_encap_pair(p1, p2.peer_natoa, &mut inbound, &mut outbound);
        Ok((inbound, outbound))
    }
}
