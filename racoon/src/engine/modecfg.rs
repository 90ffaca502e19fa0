//! Mode-cfg, server side (draft-ietf-ipsec-isakmp-mode-cfg-05 and the Cisco Unity
//! attributes): a client's REQUEST is answered with a REPLY built from the `mode_cfg`
//! section (`conf_source local`): an address from the pool, netmask4, dns4, wins4, the
//! split networks, default_domain, split_dns, the banner file, pfs_group, save_passwd.
//! Addresses are only given to a peer that passed XAuth when the phase-1 method asked
//! for it, Unity attributes only to a peer that sent the Unity vendor ID, as racoon did.

use super::pool;
use super::Engine;
use crate::conf::{LogLevel, ModeCfg};
use crate::isakmp::{CfgAttrType, CfgAttribute, CfgValue, ConfigPayload, ConfigType};
use std::net::Ipv4Addr;

/// What APPLICATION_VERSION answers (ISAKMP_CFG_RACOON_VERSION).
pub(crate) const APPLICATION_VERSION: &str = "racoon / IPsec-tools";

/// The IV of the Transaction exchange under way (see `transaction`).
pub(crate) struct CfgIv {
    pub msgid: u32,
    pub iv: Vec<u8>,
}

/// Where XAuth stands on an ISAKMP SA (racoon's XAUTHST_* numbers in the logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum XauthStatus {
    #[default]
    NotYet,
    ReqSent,
    Ok,
}

impl XauthStatus {
    pub fn number(self) -> u8 {
        match self {
            XauthStatus::NotYet => 0,
            XauthStatus::ReqSent => 1,
            XauthStatus::Ok => 2,
        }
    }
}

/// The XAuth and mode-cfg state of one ISAKMP SA.
#[derive(Default)]
pub(crate) struct Ph1Cfg {
    pub ivm: Option<CfgIv>,
    /// The peer sent the XAuth vendor ID.
    pub peer_xauth: bool,
    /// The peer sent the Cisco Unity vendor ID.
    pub peer_unity: bool,
    pub xauth: XauthStatus,
    /// Username and password as the REPLY brought them, until checked.
    pub user: Option<Vec<u8>>,
    pub password: Option<Vec<u8>>,
    /// The user that logged in.
    pub login: Option<String>,
    /// The pool port this SA holds (its address is network4 + port).
    pub port: Option<u32>,
}

/// A prefix length as a netmask.
fn mask(len: u8) -> Ipv4Addr {
    let bits = u32::MAX
        .checked_shl(32 - u32::from(len.min(32)))
        .unwrap_or(0);
    Ipv4Addr::from(bits)
}

impl Engine {
    fn mode_cfg(&self) -> ModeCfg {
        self.config.mode_cfg.clone().unwrap_or_default()
    }

    /// The pool port of `ph1s[i]`, taking the lowest free one the first time.
    pub(super) fn cfg_getport(&mut self, i: usize) -> Option<u32> {
        if let Some(p) = self.ph1s[i].cfg.port {
            return Some(p);
        }
        let size = self.mode_cfg().pool_size.unwrap_or(pool::DEFAULT_POOL_SIZE);
        let used = self.ph1s.iter().filter_map(|p| p.cfg.port);
        let Some(port) = pool::free_port(used, size) else {
            self.log(LogLevel::Error, "No more addresses available".to_owned());
            return None;
        };
        self.log(LogLevel::Info, format!("Using port {port}"));
        self.ph1s[i].cfg.port = Some(port);
        Some(port)
    }

    /// A client's REQUEST: answer each attribute we know in one REPLY.
    pub(super) fn modecfg_request(&mut self, i: usize, msgid: u32, req: &ConfigPayload) {
        let mut reply = Vec::new();
        for a in &req.attributes {
            let answer = match a.kind {
                CfgAttrType::InternalIp4Address
                | CfgAttrType::InternalIp4Netmask
                | CfgAttrType::InternalIp4Dns
                | CfgAttrType::InternalIp4Nbns
                | CfgAttrType::InternalIp4Subnet => self.cfg_net(i, a.kind),
                CfgAttrType::XauthType
                | CfgAttrType::XauthUserName
                | CfgAttrType::XauthUserPassword => self.xauth_client_answer(i, a),
                CfgAttrType::ApplicationVersion => vec![CfgAttribute::new(
                    a.kind,
                    CfgValue::Text(APPLICATION_VERSION.as_bytes().to_vec()),
                )],
                CfgAttrType::UnityBanner
                | CfgAttrType::UnityPfs
                | CfgAttrType::UnitySavePasswd
                | CfgAttrType::UnityDefDomain
                | CfgAttrType::UnityDdnsHostname
                | CfgAttrType::UnityFwType
                | CfgAttrType::UnitySplitdnsName
                | CfgAttrType::UnitySplitInclude
                | CfgAttrType::UnityLocalLan
                | CfgAttrType::UnityNattPort
                | CfgAttrType::UnityBackupServers => self.cfg_unity(i, a),
                other => {
                    self.log(LogLevel::Warning, format!("Ignored attribute {other}"));
                    Vec::new()
                }
            };
            reply.extend(answer);
        }
        self.log(LogLevel::Debug, "Sending MODE_CFG REPLY".to_owned());
        let reply = ConfigPayload::new(ConfigType::Reply, req.identifier, reply);
        self.send_transaction(i, Some(msgid), &reply);
    }

    /// The network attributes (isakmp_cfg_net), for a peer that passed XAuth.
    fn cfg_net(&mut self, i: usize, kind: CfgAttrType) -> Vec<CfgAttribute> {
        if !self.xauth_check(i) {
            self.log(
                LogLevel::Error,
                "Attempt to start phase config whereas Xauth failed".to_owned(),
            );
            return Vec::new();
        }
        let mc = self.mode_cfg();
        let one = |v| vec![CfgAttribute::new(kind, v)];
        match kind {
            CfgAttrType::InternalIp4Address => {
                let addr = match self.cfg_getport(i) {
                    Some(port) => pool::address(mc.network4.unwrap_or(Ipv4Addr::UNSPECIFIED), port),
                    None => {
                        self.log(LogLevel::Error, "Port pool depleted".to_owned());
                        Ipv4Addr::UNSPECIFIED
                    }
                };
                one(CfgValue::Ipv4(addr))
            }
            CfgAttrType::InternalIp4Netmask => {
                one(CfgValue::Ipv4(mc.netmask4.unwrap_or(Ipv4Addr::UNSPECIFIED)))
            }
            CfgAttrType::InternalIp4Dns => mc
                .dns4
                .iter()
                .map(|a| CfgAttribute::new(kind, CfgValue::Ipv4(*a)))
                .collect(),
            CfgAttrType::InternalIp4Nbns => mc
                .wins4
                .iter()
                .map(|a| CfgAttribute::new(kind, CfgValue::Ipv4(*a)))
                .collect(),
            _ => match mc.split_network.as_ref().and_then(|s| s.networks.first()) {
                Some((net, len)) => one(CfgValue::Ipv4Subnet(*net, mask(*len))),
                None => {
                    self.log(
                        LogLevel::Info,
                        format!("{kind} requested but no splitnet in configuration"),
                    );
                    Vec::new()
                }
            },
        }
    }

    /// The Cisco Unity attributes (isakmp_unity_req).
    fn cfg_unity(&mut self, i: usize, a: &CfgAttribute) -> Vec<CfgAttribute> {
        if !self.ph1s[i].cfg.peer_unity {
            self.log(
                LogLevel::Error,
                "Unity mode config request but the peer did not declare itself as  unity compliant"
                    .to_owned(),
            );
            return Vec::new();
        }
        let mc = self.mode_cfg();
        let kind = a.kind;
        let text = |s: &[u8]| {
            if s.is_empty() {
                Vec::new()
            } else {
                vec![CfgAttribute::new(kind, CfgValue::Text(s.to_vec()))]
            }
        };
        let short = |n: u64| vec![CfgAttribute::new(kind, CfgValue::Number(n))];
        let networks = |want_local: bool| match mc.split_network.as_ref() {
            Some(s) if s.local_lan == want_local => vec![CfgAttribute::new(
                kind,
                CfgValue::Networks(s.networks.iter().map(|(n, l)| (*n, mask(*l))).collect()),
            )],
            _ => Vec::new(),
        };
        match kind {
            CfgAttrType::UnityBanner => {
                let path = mc.banner.clone().unwrap_or_default();
                match self.xauth_backend.banner(&path) {
                    Some(b) => text(&b),
                    None => {
                        self.log(LogLevel::Error, format!("Cannot open \"{path}\""));
                        Vec::new()
                    }
                }
            }
            CfgAttrType::UnityPfs => short(mc.pfs_group.unwrap_or(0)),
            CfgAttrType::UnitySavePasswd => short(u64::from(mc.save_passwd.unwrap_or(false))),
            CfgAttrType::UnityDdnsHostname => vec![a.clone()],
            CfgAttrType::UnityDefDomain => {
                text(mc.default_domain.as_deref().unwrap_or("").as_bytes())
            }
            CfgAttrType::UnitySplitInclude => networks(false),
            CfgAttrType::UnityLocalLan => networks(true),
            CfgAttrType::UnitySplitdnsName => text(mc.split_dns.join(",").as_bytes()),
            _ => {
                self.log(LogLevel::Debug, format!("Ignored attribute {kind}"));
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_lengths_become_masks() {
        assert_eq!(mask(24), Ipv4Addr::new(255, 255, 255, 0));
        assert_eq!(mask(0), Ipv4Addr::UNSPECIFIED);
        assert_eq!(mask(32), Ipv4Addr::BROADCAST);
        assert_eq!(mask(19), Ipv4Addr::new(255, 255, 224, 0));
    }
}
