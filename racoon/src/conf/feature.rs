//! Features the configuration can ask for that the daemon does not implement yet.
//!
//! The parser reads the whole racoon.conf(5) language, so every old file still loads;
//! but a directive whose feature is missing must not be silently ignored. The parser
//! reports each use of a feature here, and [`Feature::is_implemented`] — the one place
//! that decides — keeps the unimplemented ones in [`super::Config::unimplemented`],
//! which racoon logs as one warning each. When a feature lands, flip its arm.

use std::fmt;

use super::Location;

/// A feature a directive depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// `certificate_type x509`, `ca_type`, `peers_certfile x509`, `rsasig`,
    /// `asn1dn` identifiers, `path certificate`, and
    /// `verify_cert`/`send_cert`/`send_cr`/`match_empty_cr` set `on`.
    X509,
    /// The `dsssig`, `rsaenc` and `rsarev` authentication methods.
    DssOrRsaEncryption,
    /// `certificate_type plain_rsa`, `peers_certfile plain_rsa`.
    PlainRsa,
    /// `peers_certfile dnssec`.
    Dnssec,
    /// `hybrid_*` authentication methods.
    Hybrid,
    /// `xauth_psk_server`, `xauth_psk_client`, `xauth_login`.
    Xauth,
    /// `xauth_rsa_server`, `xauth_rsa_client`.
    XauthRsa,
    /// sainfo `group`: phase-2 settings chosen by the XAuth user's group.
    SainfoGroup,
    /// The `mode_cfg` section: what the server hands out.
    ModeCfg,
    /// Remote `mode_cfg on` (asking the server, or pushing with SET), sainfo `clientaddr`.
    ModeCfgRemote,
    /// `nat_traversal on|force`, `listen { isakmp_natt }`, `timer { natt_keepalive }`.
    NatTraversal,
    /// `dpd_delay` above 0.
    Dpd,
    /// `ike_frag on|force`.
    IkeFrag,
    /// `esp_frag`.
    EspFrag,
    /// `gssapi_krb`, `gss_id`, `gss_id_enc`.
    Gssapi,
    /// `script ... phase1_up|phase1_down|phase1_dead`, `path script`.
    Scripts,
    /// The `privsep` section.
    Privsep,
    /// The `ldapcfg` section.
    Ldap,
    /// The `radiuscfg` section.
    Radius,
    /// `path backupsa` (racoon -B).
    BackupSa,
    /// `exchange_mode base`.
    BaseMode,
    /// DH groups 3 and 4 (`ec2n155`, `ec2n185`).
    Ec2nGroup,
}

impl Feature {
    /// Whether the daemon implements this feature. The single switch: a feature whose
    /// arm says `false` is listed in [`super::Config::unimplemented`] wherever used.
    pub fn is_implemented(self) -> bool {
        match self {
            Feature::X509 => true,
            Feature::DssOrRsaEncryption => false,
            Feature::PlainRsa => false,
            Feature::Dnssec => false,
            Feature::Hybrid => false,
            Feature::Xauth => true,
            Feature::XauthRsa => false,
            Feature::SainfoGroup => false,
            Feature::ModeCfg => true,
            Feature::ModeCfgRemote => false,
            Feature::NatTraversal => true,
            Feature::Dpd => true,
            Feature::IkeFrag => true,
            Feature::EspFrag => false,
            Feature::Gssapi => false,
            Feature::Scripts => true,
            Feature::Privsep => false,
            Feature::Ldap => false,
            Feature::Radius => false,
            Feature::BackupSa => false,
            Feature::BaseMode => false,
            Feature::Ec2nGroup => false,
        }
    }

    /// The subject of the warning sentence, with its verb.
    fn subject(self) -> &'static str {
        match self {
            Feature::X509 => "X.509 certificates are",
            Feature::DssOrRsaEncryption => "DSS signature and RSA encryption authentication are",
            Feature::PlainRsa => "plain RSA keys are",
            Feature::Dnssec => "certificates from DNSSEC are",
            Feature::Hybrid => "hybrid authentication is",
            Feature::Xauth => "XAuth is",
            Feature::XauthRsa => "XAuth with RSA signatures is",
            Feature::SainfoGroup => "choosing an sainfo by XAuth group is",
            Feature::ModeCfg => "mode config is",
            Feature::ModeCfgRemote => "mode config from a remote section (client or push) is",
            Feature::NatTraversal => "NAT traversal is",
            Feature::Dpd => "dead peer detection is",
            Feature::IkeFrag => "IKE fragmentation is",
            Feature::EspFrag => "ESP fragmentation is",
            Feature::Gssapi => "GSS-API (Kerberos) authentication is",
            Feature::Scripts => "script hooks are",
            Feature::Privsep => "privilege separation is",
            Feature::Ldap => "LDAP is",
            Feature::Radius => "RADIUS is",
            Feature::BackupSa => "SA backup (path backupsa, racoon -B) is",
            Feature::BaseMode => "base mode is",
            Feature::Ec2nGroup => "EC2N DH groups are",
        }
    }
}

/// One use of an unimplemented feature: the warning racoon logs at startup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unimplemented {
    pub feature: Feature,
    /// The directive as it names the feature: `certificate_type`,
    /// `authentication_method rsasig`, `nat_traversal force`.
    pub directive: String,
    pub location: Location,
}

impl fmt::Display for Unimplemented {
    /// `X.509 certificates are not implemented yet: certificate_type at racoon.conf:12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} not implemented yet: {} at {}:{}",
            self.feature.subject(),
            self.directive,
            self.location.file,
            self.location.line
        )
    }
}
