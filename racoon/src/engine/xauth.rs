//! XAuth, server side (draft-beaulieu-ike-xauth-02), for `auth_method xauth_psk_server`:
//! the client proposes XAUTHInitPreShared (65001), phase 1 is a pre-shared-key exchange,
//! then the server sends REQUEST(XAUTH_TYPE, USER_NAME, USER_PASSWORD), checks the REPLY
//! through the [`XauthBackend`] the driver installed, and sends SET(XAUTH_STATUS). A
//! failed login deletes the ISAKMP SA; quick mode and mode-cfg addresses wait for a
//! successful one. Log lines are racoon's (isakmp_xauth.c).

use super::modecfg::XauthStatus;
use super::ph1::Side;
use super::Engine;
use crate::conf::{LogLevel, Source};
use crate::crypto::Hash;
use crate::isakmp::{
    AuthMethod, CfgAttrType, CfgAttribute, CfgValue, ConfigPayload, ConfigType, Payload,
    XAUTH_STATUS_FAIL, XAUTH_STATUS_OK, XAUTH_TYPE_GENERIC,
};
use std::time::Instant;

/// What the engine asks its driver about users (`auth_source`) and files (`banner`):
/// the only things XAuth and mode-cfg need from outside.
pub trait XauthBackend: Send {
    /// Whether `password` is `user`'s (`auth_source system`: the local accounts).
    fn login(&self, user: &[u8], password: &[u8]) -> bool;
    /// The contents of the `banner` file, or `None` when it cannot be read.
    fn banner(&self, path: &str) -> Option<Vec<u8>>;
}

/// The backend of an engine nobody gave one: no user logs in, no banner.
pub(crate) struct NoBackend;

impl XauthBackend for NoBackend {
    fn login(&self, _user: &[u8], _password: &[u8]) -> bool {
        false
    }

    fn banner(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }
}

fn md5(name: &str) -> Option<Vec<u8>> {
    Hash::from_name("md5").ok()?.digest(&[name.as_bytes()]).ok()
}

/// The XAuth vendor ID (VENDORID_XAUTH): the hash cut to 8 bytes, as racoon's
/// vendorid_fixup, strongSwan and the Cisco clients send it.
pub(crate) fn xauth_vid() -> Option<Vec<u8>> {
    let mut v = md5("draft-ietf-ipsra-isakmp-xauth-06.txt")?;
    v.truncate(8);
    Some(v)
}

/// The Cisco Unity vendor ID: MD5("CISCO-UNITY") with version 1.0 in its last bytes.
pub(crate) fn unity_vid() -> Option<Vec<u8>> {
    let mut v = md5("CISCO-UNITY")?;
    v[14] = 1;
    v[15] = 0;
    Some(v)
}

/// Whether a received vendor ID begins with `want`, as racoon's check_vendorid compared.
fn begins_with(vid: &[u8], want: Option<Vec<u8>>) -> bool {
    want.is_some_and(|w| vid.get(..w.len()) == Some(w.as_slice()))
}

/// racoon's names of the XAuth and Unity vendor IDs, for "received Vendor ID: ...".
pub(crate) fn vid_name(vid: &[u8]) -> Option<&'static str> {
    if begins_with(vid, xauth_vid()) {
        Some("draft-ietf-ipsra-isakmp-xauth-06.txt")
    } else if begins_with(vid, unity_vid()) {
        Some("CISCO-UNITY")
    } else {
        None
    }
}

/// Whether the peer's payloads carry the XAuth and the Unity vendor IDs.
pub(crate) fn peer_vid_flags(payloads: &[Payload]) -> (bool, bool) {
    let has = |want: fn() -> Option<Vec<u8>>| {
        payloads
            .iter()
            .any(|p| matches!(p, Payload::VendorId(v) if begins_with(v, want())))
    };
    (has(xauth_vid), has(unity_vid))
}

impl Engine {
    /// Installs what XAuth and mode-cfg ask the driver (see [`XauthBackend`]).
    pub fn set_xauth_backend(&mut self, backend: Box<dyn XauthBackend>) {
        self.xauth_backend = backend;
    }

    /// Notes the XAuth and Unity vendor IDs among the peer's phase-1 payloads.
    pub(super) fn xauth_peer_vids(&mut self, i: usize, payloads: &[Payload]) {
        let (x, u) = peer_vid_flags(payloads);
        let c = &mut self.ph1s[i].cfg;
        c.peer_xauth |= x;
        c.peer_unity |= u;
    }

    /// The vendor IDs a responder sends back: XAuth and Unity when the peer sent them.
    pub(super) fn xauth_vids_for(&mut self, xauth: bool, unity: bool) -> Vec<Payload> {
        let mut out = Vec::new();
        if xauth {
            self.log(LogLevel::Info, "Adding xauth VID payload.".to_owned());
            out.extend(xauth_vid().map(Payload::VendorId));
        }
        if unity {
            out.extend(unity_vid().map(Payload::VendorId));
        }
        out
    }

    /// Whether we are the XAuth server of `ph1s[i]`: the responder that accepted the
    /// client's XAUTHInitPreShared.
    fn xauth_server(&self, i: usize) -> bool {
        let p = &self.ph1s[i];
        p.side == Side::Responder && p.choice.is_some_and(|c| c.auth == AuthMethod::XauthInitPsk)
    }

    /// xauth_check: an XAuth server lets phase 2 and mode-cfg addresses through only
    /// after a successful login of a peer that declared XAuth.
    pub(super) fn xauth_check(&mut self, i: usize) -> bool {
        if !self.xauth_server(i) {
            return true;
        }
        if !self.ph1s[i].cfg.peer_xauth {
            self.log(
                LogLevel::Error,
                "Hybrid auth negotiated but peer did not announced as Xauth capable".to_owned(),
            );
            return false;
        }
        if self.ph1s[i].cfg.xauth != XauthStatus::Ok {
            self.log(
                LogLevel::Error,
                "Hybrid auth negotiated but peer did not succeed Xauth exchange".to_owned(),
            );
            return false;
        }
        true
    }

    /// Phase 1 is up: an XAuth server asks for the credentials (xauth_sendreq).
    pub(super) fn xauth_start(&mut self, i: usize) {
        if !self.xauth_server(i) {
            return;
        }
        if self.ph1s[i].cfg.xauth != XauthStatus::NotYet {
            let n = self.ph1s[i].cfg.xauth.number();
            self.log(
                LogLevel::Error,
                format!("Xauth request whith Xauth state {n}"),
            );
            return;
        }
        self.log(LogLevel::Info, "Sending Xauth request".to_owned());
        let id = (self.random_u32_nonzero() & 0xffff) as u16;
        let req = ConfigPayload::new(
            ConfigType::Request,
            id,
            vec![
                CfgAttribute::new(
                    CfgAttrType::XauthType,
                    CfgValue::Number(u64::from(XAUTH_TYPE_GENERIC)),
                ),
                CfgAttribute::empty(CfgAttrType::XauthUserName),
                CfgAttribute::empty(CfgAttrType::XauthUserPassword),
            ],
        );
        self.send_transaction(i, None, &req);
        self.ph1s[i].cfg.xauth = XauthStatus::ReqSent;
    }

    /// The client's REPLY with its credentials (xauth_attr_reply, xauth_reply).
    pub(super) fn xauth_reply(&mut self, now: Instant, i: usize, reply: &ConfigPayload) {
        for a in &reply.attributes {
            if !self.ph1s[i].cfg.peer_xauth {
                self.log(
                    LogLevel::Error,
                    "Xauth reply but peer did not declare itself as Xauth capable".to_owned(),
                );
                return;
            }
            if self.ph1s[i].cfg.xauth != XauthStatus::ReqSent {
                let n = self.ph1s[i].cfg.xauth.number();
                self.log(
                    LogLevel::Error,
                    format!("Xauth reply while Xauth state is {n}"),
                );
                return;
            }
            match a.kind {
                CfgAttrType::XauthType => {
                    if a.number() != Some(u64::from(XAUTH_TYPE_GENERIC)) {
                        self.log(
                            LogLevel::Warning,
                            format!(
                                "Unexpected authentication type {}",
                                a.number().unwrap_or_default()
                            ),
                        );
                        return;
                    }
                }
                CfgAttrType::XauthUserName => {
                    self.ph1s[i].cfg.user = a.text().map(<[u8]>::to_vec);
                }
                CfgAttrType::XauthUserPassword => {
                    self.ph1s[i].cfg.password = a.text().map(<[u8]>::to_vec);
                }
                other => self.log(
                    LogLevel::Warning,
                    format!("ignored Xauth attribute {}", other.value()),
                ),
            }
            let c = &self.ph1s[i].cfg;
            if c.user.is_some() && c.password.is_some() {
                return self.xauth_login(now, i, reply.identifier);
            }
        }
    }

    /// Both credentials are in: check them and tell the client.
    fn xauth_login(&mut self, now: Instant, i: usize, id: u16) {
        let user = self.ph1s[i].cfg.user.take().unwrap_or_default();
        let password = self.ph1s[i].cfg.password.take().unwrap_or_default();
        // The original kept the name as a C string: it ends at the first NUL.
        let name_bytes = user.split(|&b| b == 0).next().unwrap_or_default();
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        self.ph1s[i].cfg.login = Some(name.clone());
        let mut ok = false;
        if self.cfg_getport(i).is_none() {
            self.log(LogLevel::Error, "Port pool depleted".to_owned());
        } else {
            let source = self
                .config
                .mode_cfg
                .as_ref()
                .and_then(|m| m.auth_source)
                .unwrap_or(Source::System);
            match source {
                Source::System => ok = self.xauth_backend.login(name_bytes, &password),
                _ => self.log(
                    LogLevel::Error,
                    "Unexpected authentication source".to_owned(),
                ),
            }
        }
        if !ok {
            self.ph1s[i].cfg.port = None;
            self.log(LogLevel::Info, format!("login failed for user \"{name}\""));
            self.xauth_send_status(i, XAUTH_STATUS_FAIL, id);
            self.ph1s[i].cfg.xauth = XauthStatus::NotYet;
            // Delete the phase-1 SA, as the original did (no purge log lines).
            self.send_delete_isakmp(now, i);
            self.remove_ph1(i);
            return;
        }
        self.ph1s[i].cfg.xauth = XauthStatus::Ok;
        self.log(
            LogLevel::Info,
            format!("login succeeded for user \"{name}\""),
        );
        self.xauth_send_status(i, XAUTH_STATUS_OK, id);
    }

    fn xauth_send_status(&mut self, i: usize, status: u16, id: u16) {
        let set = ConfigPayload::new(
            ConfigType::Set,
            id,
            vec![CfgAttribute::new(
                CfgAttrType::XauthStatus,
                CfgValue::Number(u64::from(status)),
            )],
        );
        self.send_transaction(i, None, &set);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_ids_are_racoons_fixed_up_hashes() {
        // strongSwan and Cisco clients send these exact bytes.
        assert_eq!(
            xauth_vid().unwrap(),
            [0x09, 0x00, 0x26, 0x89, 0xdf, 0xd6, 0xb7, 0x12]
        );
        assert_eq!(
            unity_vid().unwrap(),
            [
                0x12, 0xf5, 0xf2, 0x8c, 0x45, 0x71, 0x68, 0xa9, 0x70, 0x2d, 0x9f, 0xe2, 0x74, 0xcc,
                0x01, 0x00
            ]
        );
        assert_eq!(
            vid_name(&xauth_vid().unwrap()),
            Some("draft-ietf-ipsra-isakmp-xauth-06.txt")
        );
        assert_eq!(vid_name(&unity_vid().unwrap()), Some("CISCO-UNITY"));
        let flags = peer_vid_flags(&[Payload::VendorId(xauth_vid().unwrap())]);
        assert_eq!(flags, (true, false));
        assert_eq!(vid_name(&[0x09, 0x00, 0x26]), None);
    }
}
