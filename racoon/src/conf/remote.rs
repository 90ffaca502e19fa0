//! The model of a `remote` block: how to run phase 1 with one peer (or with any peer,
//! for `remote anonymous`). Defaults are the original's `newrmconf()`.

use common::addr::Endpoint;
use common::alg::Algorithm;

use super::dh::DhGroup;
use super::ident::Identifier;
use super::Location;

/// The phase-1 lifetime when neither remote nor proposal gives one (RFC 2409's
/// 8 hours, racoon's `oakley_get_defaultlifetime`).
pub const DEFAULT_PHASE1_LIFETIME: u64 = 8 * 60 * 60;
/// racoon's nonce length in bytes.
pub const DEFAULT_NONCE_SIZE: u64 = 16;

/// Which peers a remote block is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteSelector {
    /// `remote 192.0.2.1 [500]`: one peer address and port.
    Address(Endpoint),
    /// `remote anonymous [port]`: any peer without a block of its own.
    Anonymous { port: u16 },
    /// `remote "name"`: found by name (racoonctl, `inherit`), the peer in
    /// `remote_address`.
    Named(String),
}

/// A `remote` block, with inheritance already applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Remote {
    /// Where the block starts (the `remote` keyword).
    pub location: Location,
    pub selector: RemoteSelector,
    /// What `inherit` named, as written (`"name"`, `anonymous`, an address).
    pub inherited_from: Option<String>,
    /// `remote_address ADDR [PORT];`: the peer of a named remote.
    pub remote_address: Option<Endpoint>,
    /// `exchange_mode`: in order of preference. Never empty.
    pub exchange_modes: Vec<ExchangeMode>,
    /// `doi ipsec_doi;`: the only DOI there is.
    pub doi: Doi,
    pub situation: Situation,
    /// `my_identifier`; `None`: the local address (racoon's default).
    pub my_identifier: Option<Identifier>,
    /// `peers_identifier` lines; checked when `verify_identifier` is on.
    pub peers_identifiers: Vec<Identifier>,
    pub verify_identifier: bool,
    /// `xauth_login "user";`: the XAuth user this host logs in as.
    pub xauth_login: Option<String>,
    /// `certificate_type`: this host's certificate and key files.
    pub certificate: Option<Certificate>,
    /// `ca_type x509 "file";`.
    pub ca_file: Option<String>,
    /// `peers_certfile`.
    pub peers_certfile: Option<PeersCert>,
    pub send_cert: bool,
    pub send_cr: bool,
    pub match_empty_cr: bool,
    pub verify_cert: bool,
    pub mode_cfg: bool,
    pub weak_phase1_check: bool,
    pub scripts: Scripts,
    /// `lifetime time N unit;` in seconds: the default of every proposal.
    pub lifetime: u64,
    /// `lifetime byte N unit;` in kilobytes (0: none): the default of every proposal.
    pub lifebyte: u64,
    pub ike_frag: IkeFrag,
    /// `esp_frag N;`: the size above which ESP-in-UDP packets are fragmented.
    pub esp_frag: u64,
    pub initial_contact: bool,
    pub passive: bool,
    pub proposal_check: ProposalCheck,
    pub support_proxy: bool,
    pub generate_policy: GeneratePolicy,
    pub nat_traversal: NatTraversal,
    /// `dpd on|off;` (undocumented): whether DPD is offered at all.
    pub dpd: bool,
    /// `dpd_delay N;` seconds between DPD checks; 0 disables them.
    pub dpd_delay: u64,
    pub dpd_retry: u64,
    pub dpd_maxfail: u64,
    pub rekey: Rekey,
    /// `nonce_size N;` bytes.
    pub nonce_size: u64,
    /// `ph1id N;`: ties sainfo `remoteid N` to this remote.
    pub ph1id: Option<u64>,
    /// `proposal` blocks in file order (the order they are offered in).
    pub proposals: Vec<Proposal>,
}

impl Remote {
    /// A remote with racoon's defaults and nothing else.
    pub fn new(location: Location, selector: RemoteSelector) -> Remote {
        Remote {
            location,
            selector,
            inherited_from: None,
            remote_address: None,
            exchange_modes: Vec::new(),
            doi: Doi::IpsecDoi,
            situation: Situation::IdentityOnly,
            my_identifier: None,
            peers_identifiers: Vec::new(),
            verify_identifier: false,
            xauth_login: None,
            certificate: None,
            ca_file: None,
            peers_certfile: None,
            send_cert: true,
            send_cr: true,
            match_empty_cr: false,
            verify_cert: true,
            mode_cfg: false,
            weak_phase1_check: false,
            scripts: Scripts::default(),
            lifetime: DEFAULT_PHASE1_LIFETIME,
            lifebyte: 0,
            ike_frag: IkeFrag::Off,
            esp_frag: 65535,
            initial_contact: true,
            passive: false,
            proposal_check: ProposalCheck::Strict,
            support_proxy: false,
            generate_policy: GeneratePolicy::Off,
            nat_traversal: NatTraversal::Off,
            dpd: true,
            dpd_delay: 0,
            dpd_retry: 5,
            dpd_maxfail: 5,
            rekey: Rekey::On,
            nonce_size: DEFAULT_NONCE_SIZE,
            ph1id: None,
            proposals: Vec::new(),
        }
    }

    /// The peer this block is for, if it names one: the address of an address block,
    /// else `remote_address`.
    pub fn peer(&self) -> Option<Endpoint> {
        match &self.selector {
            RemoteSelector::Address(endpoint) => Some(*endpoint),
            _ => self.remote_address,
        }
    }

    /// How messages name this block: `remote anonymous`, `remote 10.0.0.1[500]`,
    /// `remote "name"`.
    pub fn describe(&self) -> String {
        match &self.selector {
            RemoteSelector::Address(e) => format!("remote {e}"),
            RemoteSelector::Anonymous { port: 500 } => "remote anonymous".to_owned(),
            RemoteSelector::Anonymous { port } => format!("remote anonymous [{port}]"),
            RemoteSelector::Named(name) => format!("remote \"{name}\""),
        }
    }
}

/// Phase-1 exchange types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExchangeMode {
    /// Identity protection.
    Main,
    Aggressive,
    Base,
}

impl ExchangeMode {
    pub const NAMES: &'static [&'static str] = &["main", "aggressive", "base"];

    pub fn from_word(word: &str) -> Option<ExchangeMode> {
        Some(match word {
            "main" => ExchangeMode::Main,
            "aggressive" => ExchangeMode::Aggressive,
            "base" => ExchangeMode::Base,
            _ => return None,
        })
    }
}

/// `doi`: there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doi {
    IpsecDoi,
}

/// `situation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Situation {
    IdentityOnly,
    Secrecy,
    Integrity,
}

/// `certificate_type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Certificate {
    /// `x509 "cert" "key"`, relative to `path certificate`.
    X509 { cert: String, key: String },
    /// `plain_rsa "key"`.
    PlainRsa { key: String },
}

/// `peers_certfile`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeersCert {
    X509(String),
    /// Public key files; several `peers_certfile plain_rsa` lines add up, as the
    /// upstream sample (`racoon.conf.sample-plainrsa`) writes them.
    PlainRsa(Vec<String>),
    Dnssec,
}

/// `script "path" phase1_up|phase1_down|phase1_dead;`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scripts {
    pub phase1_up: Option<String>,
    pub phase1_down: Option<String>,
    pub phase1_dead: Option<String>,
}

/// `ike_frag on|off|force`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IkeFrag {
    Off,
    On,
    Force,
}

/// `proposal_check`: how a responder compares the initiator's lifetimes and key
/// lengths with its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalCheck {
    Obey,
    Strict,
    Claim,
    Exact,
}

impl ProposalCheck {
    pub const NAMES: &'static [&'static str] = &["obey", "strict", "claim", "exact"];

    pub fn from_word(word: &str) -> Option<ProposalCheck> {
        Some(match word {
            "obey" => ProposalCheck::Obey,
            "strict" => ProposalCheck::Strict,
            "claim" => ProposalCheck::Claim,
            "exact" => ProposalCheck::Exact,
            _ => return None,
        })
    }
}

/// `generate_policy`: whether a responder installs the policy the initiator proposes,
/// and with what level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratePolicy {
    Off,
    /// `on` or `require`.
    Require,
    Unique,
}

/// `nat_traversal on|off|force`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NatTraversal {
    Off,
    On,
    Force,
}

/// `rekey on|off|force`: whether phase 1 is renegotiated before it expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rekey {
    Off,
    On,
    Force,
}

/// A phase-1 `proposal` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub location: Location,
    /// `encryption_algorithm NAME [BITS]`.
    pub encryption: &'static Algorithm,
    /// The key length written after the name; `None` means the algorithm's default.
    pub key_length: Option<u16>,
    /// `hash_algorithm NAME`.
    pub hash: &'static Algorithm,
    pub auth_method: AuthMethod,
    pub dh_group: DhGroup,
    /// `lifetime time N unit;` in seconds; `None` means the remote's.
    pub lifetime: Option<u64>,
    /// `lifetime byte N unit;` in kilobytes; `None` means the remote's.
    pub lifebyte: Option<u64>,
    /// `gss_id "id";` (with `gssapi_krb`).
    pub gss_id: Option<String>,
}

/// `authentication_method`: IKE authentication methods. The `_server`/`_client`
/// suffixes say which side this host plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthMethod {
    PreSharedKey,
    RsaSig,
    DssSig,
    RsaEnc,
    RsaRev,
    GssapiKrb,
    HybridRsaServer,
    HybridRsaClient,
    HybridDssServer,
    HybridDssClient,
    XauthPskServer,
    XauthPskClient,
    XauthRsaServer,
    XauthRsaClient,
}

/// racoon.conf's names, in the order messages list them.
const AUTH_METHODS: &[(&str, AuthMethod)] = &[
    ("pre_shared_key", AuthMethod::PreSharedKey),
    ("rsasig", AuthMethod::RsaSig),
    ("dsssig", AuthMethod::DssSig),
    ("rsaenc", AuthMethod::RsaEnc),
    ("rsarev", AuthMethod::RsaRev),
    ("gssapi_krb", AuthMethod::GssapiKrb),
    ("hybrid_rsa_server", AuthMethod::HybridRsaServer),
    ("hybrid_rsa_client", AuthMethod::HybridRsaClient),
    ("hybrid_dss_server", AuthMethod::HybridDssServer),
    ("hybrid_dss_client", AuthMethod::HybridDssClient),
    ("xauth_psk_server", AuthMethod::XauthPskServer),
    ("xauth_psk_client", AuthMethod::XauthPskClient),
    ("xauth_rsa_server", AuthMethod::XauthRsaServer),
    ("xauth_rsa_client", AuthMethod::XauthRsaClient),
];

impl AuthMethod {
    pub const NAMES: &'static [&'static str] = &[
        "pre_shared_key",
        "rsasig",
        "dsssig",
        "rsaenc",
        "rsarev",
        "gssapi_krb",
        "hybrid_rsa_server",
        "hybrid_rsa_client",
        "hybrid_dss_server",
        "hybrid_dss_client",
        "xauth_psk_server",
        "xauth_psk_client",
        "xauth_rsa_server",
        "xauth_rsa_client",
    ];

    pub fn from_word(word: &str) -> Option<AuthMethod> {
        AUTH_METHODS
            .iter()
            .find(|(name, _)| *name == word)
            .map(|&(_, m)| m)
    }

    pub fn name(self) -> &'static str {
        AUTH_METHODS
            .iter()
            .find(|&&(_, m)| m == self)
            .map_or("?", |&(name, _)| name)
    }
}
