//! XAuth, client side (`auth_method xauth_psk_client` with `xauth_login`): the
//! initiator announces XAuth in phase 1, answers the server's REQUEST with its login
//! and the password psk.txt holds for it, and acknowledges the SET with the result; a
//! failure deletes the ISAKMP SA once acknowledged, as racoon's isakmp_xauth_req and
//! isakmp_xauth_set did.

use super::ph1::Side;
use super::xauth::{unity_vid, xauth_vid};
use super::Engine;
use crate::conf::{AuthMethod as ConfAuth, LogLevel};
use crate::isakmp::{
    AuthMethod, CfgAttrType, CfgAttribute, CfgValue, ConfigPayload, ConfigType, Payload,
    XAUTH_STATUS_OK, XAUTH_TYPE_GENERIC,
};
use std::time::Instant;

impl Engine {
    /// The vendor IDs an initiator adds to its first phase-1 message: XAuth when it
    /// offers xauth_psk_client, Unity when the remote has `mode_cfg on`.
    pub(super) fn xauth_initiator_vids(&self, rmconf: usize) -> Vec<Payload> {
        let r = &self.config.remotes[rmconf];
        let mut out = Vec::new();
        if r.proposals
            .first()
            .is_some_and(|p| p.auth_method == ConfAuth::XauthPskClient)
        {
            out.extend(xauth_vid().map(Payload::VendorId));
        }
        if r.mode_cfg {
            out.extend(unity_vid().map(Payload::VendorId));
        }
        out
    }

    /// One XAuth attribute of the server's REQUEST, answered (isakmp_xauth_req).
    pub(super) fn xauth_client_answer(&mut self, i: usize, a: &CfgAttribute) -> Vec<CfgAttribute> {
        if !self.ph1s[i].cfg.peer_xauth {
            self.log(
                LogLevel::Error,
                "Xauth mode config request but peer did not declare itself as Xauth capable"
                    .to_owned(),
            );
            return Vec::new();
        }
        let login = self.config.remotes[self.ph1s[i].rmconf].xauth_login.clone();
        match a.kind {
            CfgAttrType::XauthType => match a.value {
                CfgValue::Number(n) if n == u64::from(XAUTH_TYPE_GENERIC) => vec![a.clone()],
                CfgValue::Number(n) => {
                    self.log(
                        LogLevel::Error,
                        format!("Unsupported Xauth authentication {n}"),
                    );
                    Vec::new()
                }
                _ => {
                    self.log(
                        LogLevel::Error,
                        "Unexpected long XAUTH_TYPE attribute".to_owned(),
                    );
                    Vec::new()
                }
            },
            CfgAttrType::XauthUserName => match login {
                Some(l) => vec![CfgAttribute::new(a.kind, CfgValue::Text(l.into_bytes()))],
                None => {
                    self.log(
                        LogLevel::Error,
                        "Xauth performed with no login supplied".to_owned(),
                    );
                    Vec::new()
                }
            },
            CfgAttrType::XauthUserPassword => {
                let Some(l) = login else { return Vec::new() };
                match self.psk.lookup(l.as_bytes()) {
                    Ok(Some(pwd)) => vec![CfgAttribute::new(a.kind, CfgValue::Text(pwd))],
                    _ => {
                        self.log(
                            LogLevel::Error,
                            format!("No password was found for login {l}"),
                        );
                        Vec::new()
                    }
                }
            }
            other => {
                self.log(LogLevel::Warning, format!("Ignored attribute {other}"));
                Vec::new()
            }
        }
    }

    /// The server's SET (isakmp_cfg_set, isakmp_xauth_set): acknowledge XAUTH_STATUS; a
    /// failure ends the ISAKMP SA after the ACK.
    pub(super) fn xauth_client_set(
        &mut self,
        now: Instant,
        i: usize,
        msgid: u32,
        set: &ConfigPayload,
    ) {
        let mut ack = Vec::new();
        let mut delete = false;
        for a in &set.attributes {
            match a.kind {
                CfgAttrType::XauthStatus => {
                    if !self.ph1s[i].cfg.peer_xauth {
                        self.log(
                            LogLevel::Error,
                            "Xauth mode config set but peer did not declare itself as Xauth capable"
                                .to_owned(),
                        );
                        continue;
                    }
                    let p = &self.ph1s[i];
                    let client = p.side == Side::Initiator
                        && p.choice.is_some_and(|c| c.auth == AuthMethod::XauthInitPsk);
                    if !client {
                        self.log(LogLevel::Error, "Unexpected XAUTH_STATUS_OK".to_owned());
                        continue;
                    }
                    if a.number() != Some(u64::from(XAUTH_STATUS_OK)) {
                        self.log(LogLevel::Error, "Xauth authentication failed".to_owned());
                        delete = true;
                    }
                    ack.push(CfgAttribute::new(a.kind, CfgValue::Number(0)));
                }
                CfgAttrType::XauthMessage => {
                    if let Some(t) = a.text().filter(|t| !t.is_empty()) {
                        let text = String::from_utf8_lossy(t).into_owned();
                        self.log(LogLevel::Notify, format!("XAUTH Message: '{text}'."));
                    }
                }
                other => self.log(LogLevel::Debug, format!("Unexpected SET attribute {other}")),
            }
        }
        self.log(LogLevel::Debug, "Sending MODE_CFG ACK".to_owned());
        let ack = ConfigPayload::new(ConfigType::Ack, set.identifier, ack);
        self.send_transaction(i, Some(msgid), &ack);
        if delete {
            self.send_delete_isakmp(now, i);
            self.remove_ph1(i);
        }
    }
}
