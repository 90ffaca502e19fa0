//! Proposals: what the initiator offers (from `remote { proposal {...} }` and `sainfo`)
//! and how the responder picks one, per `proposal_check` (racoon.conf(5)):
//! - `obey`: take the initiator's lifetime (and PFS group);
//! - `strict`: a longer lifetime than ours is refused, a shorter one taken;
//! - `claim`: ours is used when shorter, and told to the peer in RESPONDER-LIFETIME;
//! - `exact`: lifetimes (and PFS groups) must be equal.

use crate::conf::{self, ProposalCheck, Remote, Sainfo};
use crate::isakmp::{
    AlgorithmRef, AuthMethod, EncapsulationMode, GroupRef, IpsecAttribute, LifeType,
    Phase1Attribute, Proposal, ProtocolId, SecurityAssociation, Transform, KEY_IKE,
};
use common::alg::{self, dh::DhGroup, Algorithm};
use common::sa::{Mode, SaType};

/// The phase-1 parameters both sides agreed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ph1Choice {
    pub encryption: &'static Algorithm,
    pub key_length: Option<u16>,
    pub hash: &'static Algorithm,
    pub auth: AuthMethod,
    pub group: &'static DhGroup,
    pub lifetime: u64,
    /// Kilobytes (0: none). Proposed and checked, never counted: the kernel has no
    /// counter for IKE traffic, and the original did not count it either.
    pub lifebyte: u64,
}

fn auth_method(m: conf::AuthMethod) -> AuthMethod {
    match m {
        conf::AuthMethod::PreSharedKey => AuthMethod::PreSharedKey,
        conf::AuthMethod::RsaSig => AuthMethod::RsaSignature,
        conf::AuthMethod::DssSig => AuthMethod::DssSignature,
        conf::AuthMethod::RsaEnc => AuthMethod::RsaEncryption,
        conf::AuthMethod::RsaRev => AuthMethod::RsaRevisedEncryption,
        conf::AuthMethod::XauthPskClient => AuthMethod::XauthInitPsk,
        conf::AuthMethod::XauthPskServer => AuthMethod::XauthRespPsk,
        conf::AuthMethod::XauthRsaClient => AuthMethod::XauthInitRsa,
        conf::AuthMethod::XauthRsaServer => AuthMethod::XauthRespRsa,
        conf::AuthMethod::HybridRsaClient => AuthMethod::HybridInitRsa,
        conf::AuthMethod::HybridRsaServer => AuthMethod::HybridRespRsa,
        conf::AuthMethod::HybridDssClient => AuthMethod::HybridInitDss,
        conf::AuthMethod::HybridDssServer => AuthMethod::HybridRespDss,
        // GSSAPI has no IANA number; racoon used a private one this engine does not offer.
        conf::AuthMethod::GssapiKrb => AuthMethod::from(65001u16),
    }
}

/// Whether our method accepts the initiator's: an XAuth server (xauth_psk_server) takes
/// the client's XAUTHInitPreShared, as racoon's switch_authmethod let it.
fn auth_accepts(ours: AuthMethod, peer: AuthMethod) -> bool {
    match ours {
        AuthMethod::XauthRespPsk => peer == AuthMethod::XauthInitPsk,
        _ => ours == peer,
    }
}

/// Our phase-1 offers, one per `proposal` block, in order.
pub(crate) fn ph1_offers(remote: &Remote) -> Vec<Ph1Choice> {
    remote
        .proposals
        .iter()
        .filter_map(|p| {
            Some(Ph1Choice {
                encryption: p.encryption,
                key_length: p.key_length,
                hash: p.hash,
                auth: auth_method(p.auth_method),
                group: alg::dh::find_dh_group(p.dh_group.0)?,
                lifetime: p.lifetime.unwrap_or(remote.lifetime),
                lifebyte: p.lifebyte.unwrap_or(remote.lifebyte),
            })
        })
        .collect()
}

fn ph1_attributes(c: &Ph1Choice) -> Vec<Phase1Attribute> {
    let mut a = vec![Phase1Attribute::Encryption(AlgorithmRef::Known(
        c.encryption,
    ))];
    if let Some(k) = c.key_length {
        a.push(Phase1Attribute::KeyLength(k));
    }
    a.extend([
        Phase1Attribute::Hash(AlgorithmRef::Known(c.hash)),
        Phase1Attribute::AuthMethod(c.auth),
        Phase1Attribute::GroupDescription(GroupRef::Known(c.group)),
        Phase1Attribute::LifeType(LifeType::Seconds),
        Phase1Attribute::LifeDuration(c.lifetime),
    ]);
    if c.lifebyte != 0 {
        a.extend([
            Phase1Attribute::LifeType(LifeType::Kilobytes),
            Phase1Attribute::LifeDuration(c.lifebyte),
        ]);
    }
    a
}

/// The phase-1 SA payload: one ISAKMP proposal, one transform per offer.
pub(crate) fn ph1_sa(offers: &[Ph1Choice]) -> Result<SecurityAssociation, String> {
    let mut transforms = Vec::new();
    for (i, c) in offers.iter().enumerate() {
        transforms.push(Transform {
            number: u8::try_from(i + 1).map_err(|_| "too many proposals".to_owned())?,
            id: KEY_IKE,
            attributes: Phase1Attribute::to_attributes(&ph1_attributes(c))
                .map_err(|e| e.to_string())?,
        });
    }
    Ok(SecurityAssociation::ipsec(vec![Proposal {
        number: 1,
        protocol: ProtocolId::Isakmp,
        spi: Vec::new(),
        transforms,
    }]))
}

/// A received phase-1 transform, read.
fn read_ph1(t: &Transform) -> Option<Ph1Choice> {
    let attrs = Phase1Attribute::from_attributes(&t.attributes).ok()?;
    let (mut enc, mut hash, mut auth, mut group) = (None, None, None, None);
    let (mut key_length, mut lifetime, mut lifebyte) = (None, None, 0);
    let mut life_type = LifeType::Seconds;
    for a in attrs {
        match a {
            Phase1Attribute::Encryption(r) => enc = r.algorithm(),
            Phase1Attribute::Hash(r) => hash = r.algorithm(),
            Phase1Attribute::AuthMethod(m) => auth = Some(m),
            Phase1Attribute::GroupDescription(g) => group = g.group(),
            Phase1Attribute::KeyLength(k) => key_length = Some(k),
            Phase1Attribute::LifeType(t) => life_type = t,
            Phase1Attribute::LifeDuration(d) if life_type == LifeType::Seconds => {
                lifetime = Some(d)
            }
            // Checked against ours, not counted (see Ph1Choice::lifebyte).
            Phase1Attribute::LifeDuration(d) if life_type == LifeType::Kilobytes => lifebyte = d,
            _ => {}
        }
    }
    Some(Ph1Choice {
        encryption: enc?,
        key_length,
        hash: hash?,
        auth: auth?,
        group: group?,
        lifetime: lifetime.unwrap_or(conf::DEFAULT_PHASE1_LIFETIME),
        lifebyte,
    })
}

/// Lifetime check of `proposal_check`; returns the lifetime to use and whether to tell
/// the peer (RESPONDER-LIFETIME), or the log line of the refusal.
pub(crate) fn check_lifetime(
    check: ProposalCheck,
    peer: u64,
    ours: u64,
) -> Result<(u64, bool), String> {
    match check {
        ProposalCheck::Obey => Ok((peer, false)),
        ProposalCheck::Strict if peer <= ours => Ok((peer, false)),
        ProposalCheck::Claim if peer <= ours => Ok((peer, false)),
        ProposalCheck::Claim => Ok((ours, true)),
        ProposalCheck::Exact if peer == ours => Ok((peer, false)),
        ProposalCheck::Exact => Err(format!("lifetime mismatched: my:{ours} peer:{peer}")),
        ProposalCheck::Strict => Err(format!("long lifetime proposed: my:{ours} peer:{peer}")),
    }
}

/// The byte-lifetime check of `proposal_check`, in kilobytes where 0 is no limit (so
/// longer than any): as [`check_lifetime`], with the original's "lifebyte" words.
pub(crate) fn check_lifebyte(
    check: ProposalCheck,
    peer: u64,
    ours: u64,
) -> Result<(u64, bool), String> {
    let within = |p: u64, o: u64| o == 0 || (p != 0 && p <= o);
    match check {
        ProposalCheck::Obey => Ok((peer, false)),
        ProposalCheck::Strict | ProposalCheck::Claim if within(peer, ours) => Ok((peer, false)),
        ProposalCheck::Claim => Ok((ours, true)),
        ProposalCheck::Exact if peer == ours => Ok((peer, false)),
        ProposalCheck::Exact => Err(format!("lifebyte mismatched: my:{ours} peer:{peer}")),
        ProposalCheck::Strict => Err(format!("long lifebyte proposed: my:{ours} peer:{peer}")),
    }
}

/// Both lifetime checks: the lifetime and lifebyte to use and whether to claim ours.
fn check_lives(
    check: ProposalCheck,
    peer: (u64, u64),
    ours: (u64, u64),
) -> Result<(u64, u64, bool), String> {
    let (lifetime, claim_t) = check_lifetime(check, peer.0, ours.0)?;
    let (lifebyte, claim_b) = check_lifebyte(check, peer.1, ours.1)?;
    Ok((lifetime, lifebyte, claim_t || claim_b))
}

/// The responder's choice: the first of the initiator's transforms (in its order) that
/// one of our offers accepts. Returns the transform to echo and what it means.
pub(crate) fn select_ph1(
    sa: &SecurityAssociation,
    remote: &Remote,
    reasons: &mut Vec<String>,
) -> Option<(Transform, Ph1Choice, bool)> {
    let offers = ph1_offers(remote);
    for p in sa
        .proposals
        .iter()
        .filter(|p| p.protocol == ProtocolId::Isakmp)
    {
        for t in p.transforms.iter().filter(|t| t.id == KEY_IKE) {
            let Some(peer) = read_ph1(t) else { continue };
            for ours in &offers {
                let same = ours.encryption == peer.encryption
                    && ours.key_length.or(default_bits(ours.encryption))
                        == peer.key_length.or(default_bits(peer.encryption))
                    && ours.hash == peer.hash
                    && auth_accepts(ours.auth, peer.auth)
                    && ours.group.number == peer.group.number;
                if !same {
                    continue;
                }
                let lives = check_lives(
                    remote.proposal_check,
                    (peer.lifetime, peer.lifebyte),
                    (ours.lifetime, ours.lifebyte),
                );
                match lives {
                    Ok((lifetime, lifebyte, claim)) => {
                        let choice = Ph1Choice {
                            lifetime,
                            lifebyte,
                            ..peer
                        };
                        return Some((t.clone(), choice, claim));
                    }
                    Err(why) => reasons.push(why),
                }
            }
        }
    }
    None
}

fn default_bits(a: &'static Algorithm) -> Option<u16> {
    Some(a.default_key_bits)
}

/// The initiator's check of the responder's answer: it must be one of our offers.
pub(crate) fn accept_ph1_reply(
    sa: &SecurityAssociation,
    offers: &[Ph1Choice],
) -> Option<Ph1Choice> {
    let [p] = sa.proposals.as_slice() else {
        return None;
    };
    let [t] = p.transforms.as_slice() else {
        return None;
    };
    let peer = read_ph1(t)?;
    offers.iter().find(|o| {
        o.encryption == peer.encryption
            && o.key_length.or(default_bits(o.encryption))
                == peer.key_length.or(default_bits(peer.encryption))
            && o.hash == peer.hash
            && o.auth == peer.auth
            && o.group.number == peer.group.number
    })?;
    Some(peer)
}

/// The phase-2 parameters both sides agreed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ph2Choice {
    pub satype: SaType,
    pub encryption: Option<&'static Algorithm>,
    pub key_length: Option<u16>,
    pub auth: Option<&'static Algorithm>,
    pub mode: Mode,
    pub group: Option<&'static DhGroup>,
    pub lifetime: u64,
    /// Kilobytes (0: none); the installed SAs' hard byte limit.
    pub lifebyte: u64,
}

fn protocol_of(satype: SaType) -> ProtocolId {
    match satype {
        SaType::Ah => ProtocolId::Ah,
        SaType::IpComp => ProtocolId::IpComp,
        _ => ProtocolId::Esp,
    }
}

fn encap(mode: Mode) -> EncapsulationMode {
    if mode == Mode::Tunnel {
        EncapsulationMode::Tunnel
    } else {
        EncapsulationMode::Transport
    }
}

/// Our quick-mode offers from a sainfo: every encryption × authentication pair.
pub(crate) fn ph2_offers(sainfo: &Sainfo, satype: SaType, mode: Mode) -> Vec<Ph2Choice> {
    let group = sainfo.pfs_group.and_then(|g| alg::dh::find_dh_group(g.0));
    let mut out = Vec::new();
    let auths: Vec<Option<&'static Algorithm>> = if sainfo.authentication.is_empty() {
        vec![None]
    } else {
        sainfo
            .authentication
            .iter()
            .map(|a| a.auth_attr.map(|_| *a))
            .collect()
    };
    if satype == SaType::Ah {
        for auth in auths.into_iter().flatten() {
            out.push(Ph2Choice {
                satype,
                encryption: None,
                key_length: None,
                auth: Some(auth),
                mode,
                group,
                lifetime: sainfo.lifetime,
                lifebyte: sainfo.lifebyte,
            });
        }
        return out;
    }
    for e in &sainfo.encryption {
        for auth in &auths {
            out.push(Ph2Choice {
                satype,
                encryption: Some(e.algorithm),
                key_length: e.key_length,
                auth: *auth,
                mode,
                group,
                lifetime: sainfo.lifetime,
                lifebyte: sainfo.lifebyte,
            });
        }
    }
    out
}

fn ph2_transform(number: u8, c: &Ph2Choice) -> Result<Transform, String> {
    let mut attrs = vec![
        IpsecAttribute::LifeType(LifeType::Seconds),
        IpsecAttribute::LifeDuration(c.lifetime),
    ];
    if c.lifebyte != 0 {
        attrs.extend([
            IpsecAttribute::LifeType(LifeType::Kilobytes),
            IpsecAttribute::LifeDuration(c.lifebyte),
        ]);
    }
    if let Some(g) = c.group {
        attrs.push(IpsecAttribute::GroupDescription(GroupRef::Known(g)));
    }
    attrs.push(IpsecAttribute::EncapsulationMode(encap(c.mode)));
    if let Some(a) = c.auth {
        attrs.push(IpsecAttribute::AuthAlgorithm(AlgorithmRef::Known(a)));
    }
    if let Some(k) = c.key_length {
        attrs.push(IpsecAttribute::KeyLength(k));
    }
    let id = match (c.satype, c.encryption, c.auth) {
        (SaType::Ah, _, Some(a)) => a.ah_transform,
        (_, Some(e), _) => e.esp_transform,
        _ => None,
    }
    .ok_or_else(|| "algorithm without an IPsec DOI transform id".to_owned())?;
    Ok(Transform {
        number,
        id,
        attributes: IpsecAttribute::to_attributes(&attrs).map_err(|e| e.to_string())?,
    })
}

/// The quick-mode SA payload: one proposal with our SPI, one transform per offer.
pub(crate) fn ph2_sa(offers: &[Ph2Choice], spi: u32) -> Result<SecurityAssociation, String> {
    let satype = offers.first().map_or(SaType::Esp, |c| c.satype);
    let mut transforms = Vec::new();
    for (i, c) in offers.iter().enumerate() {
        let n = u8::try_from(i + 1).map_err(|_| "too many transforms".to_owned())?;
        transforms.push(ph2_transform(n, c)?);
    }
    Ok(SecurityAssociation::ipsec(vec![Proposal {
        number: 1,
        protocol: protocol_of(satype),
        spi: spi.to_be_bytes().to_vec(),
        transforms,
    }]))
}

/// The answer SA: the chosen transform alone, with our SPI and the lifetime we use.
pub(crate) fn ph2_reply_sa(
    proposal: &Proposal,
    t: &Transform,
    choice: &Ph2Choice,
    spi: u32,
) -> Result<SecurityAssociation, String> {
    let mut t = ph2_transform(t.number, choice).map(|mut n| {
        n.id = t.id;
        n
    })?;
    t.number = 1;
    Ok(SecurityAssociation::ipsec(vec![Proposal {
        number: proposal.number,
        protocol: proposal.protocol,
        spi: spi.to_be_bytes().to_vec(),
        transforms: vec![t],
    }]))
}

fn read_ph2(protocol: ProtocolId, t: &Transform) -> Option<Ph2Choice> {
    let satype = match protocol {
        ProtocolId::Esp => SaType::Esp,
        ProtocolId::Ah => SaType::Ah,
        _ => return None,
    };
    let attrs = IpsecAttribute::from_attributes(&t.attributes).ok()?;
    let (mut auth, mut key_length, mut group) = (None, None, None);
    let (mut mode, mut lifetime, mut lifebyte) = (Mode::Transport, None, 0);
    let mut life_type = LifeType::Seconds;
    for a in attrs {
        match a {
            IpsecAttribute::AuthAlgorithm(r) => auth = Some(r.algorithm()?),
            IpsecAttribute::KeyLength(k) => key_length = Some(k),
            IpsecAttribute::GroupDescription(g) => group = Some(g.group()?),
            IpsecAttribute::EncapsulationMode(EncapsulationMode::Tunnel) => mode = Mode::Tunnel,
            IpsecAttribute::EncapsulationMode(EncapsulationMode::Transport) => {
                mode = Mode::Transport
            }
            IpsecAttribute::EncapsulationMode(_) => return None,
            IpsecAttribute::LifeType(t) => life_type = t,
            IpsecAttribute::LifeDuration(d) if life_type == LifeType::Seconds => lifetime = Some(d),
            IpsecAttribute::LifeDuration(d) if life_type == LifeType::Kilobytes => lifebyte = d,
            _ => {}
        }
    }
    let encryption = match satype {
        SaType::Esp => Some(alg::find_esp_transform(t.id)?),
        _ => None,
    };
    if satype == SaType::Ah && auth.and_then(|a| a.ah_transform) != Some(t.id) {
        return None;
    }
    Some(Ph2Choice {
        satype,
        encryption,
        key_length,
        auth,
        mode,
        group,
        lifetime: lifetime.unwrap_or(conf::DEFAULT_PHASE2_LIFETIME),
        lifebyte,
    })
}

fn same_algorithms(a: &Ph2Choice, b: &Ph2Choice) -> bool {
    let bits = |c: &Ph2Choice| {
        c.key_length
            .or(c.encryption.map(|e| e.ike_default_key_bits()))
    };
    a.satype == b.satype
        && a.encryption == b.encryption
        && bits(a) == bits(b)
        && a.auth == b.auth
        && a.mode == b.mode
}

/// The responder's quick-mode choice from the initiator's SA.
pub(crate) fn select_ph2(
    sa: &SecurityAssociation,
    sainfo: &Sainfo,
    check: ProposalCheck,
    reasons: &mut Vec<String>,
) -> Option<(Proposal, Transform, Ph2Choice, bool)> {
    for p in &sa.proposals {
        let Ok(spi) = <[u8; 4]>::try_from(p.spi.as_slice()) else {
            continue;
        };
        let _ = spi;
        for t in &p.transforms {
            let Some(peer) = read_ph2(p.protocol, t) else {
                continue;
            };
            for ours in ph2_offers(sainfo, peer.satype, peer.mode) {
                if !same_algorithms(&ours, &peer) {
                    continue;
                }
                let group_ok = match check {
                    ProposalCheck::Obey => true,
                    ProposalCheck::Exact => {
                        ours.group.map(|g| g.number) == peer.group.map(|g| g.number)
                    }
                    // We want PFS and the peer offers none, or another group: refuse.
                    ProposalCheck::Strict | ProposalCheck::Claim => {
                        match (ours.group, peer.group) {
                            (Some(o), Some(p)) => o.number == p.number,
                            (Some(_), None) => false,
                            (None, _) => true,
                        }
                    }
                };
                if !group_ok {
                    // The original's words, groups by number and 0 for no PFS: what
                    // admins grep for when a peer (strongSwan without a DH group in
                    // esp_proposals, say) disagrees on PFS.
                    let n = |g: Option<&DhGroup>| g.map_or(0, |g| g.number);
                    reasons.push(format!(
                        "pfs group mismatched: my:{} peer:{}",
                        n(ours.group),
                        n(peer.group)
                    ));
                    continue;
                }
                let lives = check_lives(
                    check,
                    (peer.lifetime, peer.lifebyte),
                    (ours.lifetime, ours.lifebyte),
                );
                match lives {
                    Ok((lifetime, lifebyte, claim)) => {
                        let choice = Ph2Choice {
                            lifetime,
                            lifebyte,
                            ..peer
                        };
                        return Some((p.clone(), t.clone(), choice, claim));
                    }
                    Err(why) => reasons.push(why),
                }
            }
        }
    }
    None
}

/// The initiator's check of the quick-mode answer: one proposal, one transform, one of
/// ours. Returns the peer's SPI and the choice.
pub(crate) fn accept_ph2_reply(
    sa: &SecurityAssociation,
    offers: &[Ph2Choice],
) -> Option<(u32, Ph2Choice)> {
    let [p] = sa.proposals.as_slice() else {
        return None;
    };
    let [t] = p.transforms.as_slice() else {
        return None;
    };
    let spi = u32::from_be_bytes(<[u8; 4]>::try_from(p.spi.as_slice()).ok()?);
    let peer = read_ph2(p.protocol, t)?;
    let ours = offers.iter().find(|o| same_algorithms(o, &peer))?;
    if ours.group.map(|g| g.number) != peer.group.map(|g| g.number) {
        return None;
    }
    Some((
        spi,
        Ph2Choice {
            lifetime: peer.lifetime.min(ours.lifetime),
            lifebyte: shorter_lifebyte(peer.lifebyte, ours.lifebyte),
            ..peer
        },
    ))
}

/// The shorter of two byte lifetimes in kilobytes, where 0 is no limit.
pub(crate) fn shorter_lifebyte(a: u64, b: u64) -> u64 {
    match (a, b) {
        (0, x) | (x, 0) => x,
        (a, b) => a.min(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetime_checks() {
        use ProposalCheck::*;
        assert_eq!(check_lifetime(Obey, 7200, 3600), Ok((7200, false)));
        assert_eq!(check_lifetime(Strict, 1800, 3600), Ok((1800, false)));
        assert!(check_lifetime(Strict, 3960, 3600).is_err());
        assert_eq!(check_lifetime(Claim, 3960, 3600), Ok((3600, true)));
        assert_eq!(check_lifetime(Claim, 1800, 3600), Ok((1800, false)));
        assert!(check_lifetime(Exact, 1800, 3600).is_err());
        assert_eq!(check_lifetime(Exact, 3600, 3600), Ok((3600, false)));
    }

    #[test]
    fn lifebyte_checks_treat_zero_as_no_limit() {
        use ProposalCheck::*;
        assert_eq!(check_lifebyte(Strict, 40, 0), Ok((40, false)));
        assert_eq!(check_lifebyte(Strict, 0, 0), Ok((0, false)));
        assert_eq!(
            check_lifebyte(Strict, 0, 40),
            Err("long lifebyte proposed: my:40 peer:0".to_owned())
        );
        assert_eq!(
            check_lifebyte(Strict, 100, 40),
            Err("long lifebyte proposed: my:40 peer:100".to_owned())
        );
        assert_eq!(check_lifebyte(Claim, 100, 40), Ok((40, true)));
        assert_eq!(check_lifebyte(Claim, 0, 40), Ok((40, true)));
        assert_eq!(check_lifebyte(Obey, 100, 40), Ok((100, false)));
        assert_eq!(
            check_lifebyte(Exact, 0, 40),
            Err("lifebyte mismatched: my:40 peer:0".to_owned())
        );
        assert_eq!(shorter_lifebyte(0, 40), 40);
        assert_eq!(shorter_lifebyte(100, 40), 40);
        assert_eq!(shorter_lifebyte(0, 0), 0);
    }

    /// RESPONDER-LIFETIME (proposal_check claim) carries the kilobytes after the
    /// seconds, and the initiator reads both back; without a byte limit, seconds only.
    #[test]
    fn responder_lifetime_carries_kilobytes() {
        use super::super::main_mode::lifetime_attributes;
        use super::super::quick::responder_lifetime;
        let data = lifetime_attributes(3600, 40);
        assert_eq!(
            data,
            [0x80, 1, 0, 1, 0x80, 2, 0x0e, 0x10, 0x80, 1, 0, 2, 0x80, 2, 0, 40]
        );
        assert_eq!(responder_lifetime(&data), Some((Some(3600), Some(40))));
        let data = lifetime_attributes(3600, 0);
        assert_eq!(data, [0x80, 1, 0, 1, 0x80, 2, 0x0e, 0x10]);
        assert_eq!(responder_lifetime(&data), Some((Some(3600), None)));
    }

    fn esp_choice(lifebyte: u64) -> Ph2Choice {
        Ph2Choice {
            satype: SaType::Esp,
            encryption: alg::find_esp_transform(3),
            key_length: None,
            auth: None,
            mode: Mode::Transport,
            group: None,
            lifetime: 3600,
            lifebyte,
        }
    }

    /// The transform's attributes as sent: SA Life Type 1 (seconds) with its duration,
    /// then Life Type 2 (kilobytes) with its own (RFC 2407 4.5), only when configured.
    #[test]
    fn quick_mode_transform_carries_kilobytes_after_seconds() {
        let wire = |c: &Ph2Choice| {
            let t = ph2_transform(1, c).unwrap();
            let mut out = Vec::new();
            for a in &t.attributes {
                a.encode(&mut out).unwrap();
            }
            out
        };
        let with = wire(&esp_choice(40));
        assert_eq!(
            &with[..16],
            &[0x80, 1, 0, 1, 0x80, 2, 0x0e, 0x10, 0x80, 1, 0, 2, 0x80, 2, 0, 40]
        );
        let without = wire(&esp_choice(0));
        assert_eq!(&without[..8], &[0x80, 1, 0, 1, 0x80, 2, 0x0e, 0x10]);
        assert_ne!(&without[8..12], &[0x80, 1, 0, 2]);
        // Read back, each duration goes with the type before it.
        let t = ph2_transform(1, &esp_choice(40)).unwrap();
        let back = read_ph2(ProtocolId::Esp, &t).unwrap();
        assert_eq!((back.lifetime, back.lifebyte), (3600, 40));
    }
}
