//! Command, protocol and event codes (`admin.h`, `evt.h`).

/// In a request's command: the third header field is the protocol version.
pub const FLAG_VERSION: u16 = 0x8000;
/// In a reply's command: the third header field holds bits 16-31 of the length.
pub const FLAG_LONG_REPLY: u16 = 0x8000;

/// The commands. The numbers are the wire's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    ReloadConf,
    ShowSched,
    ShowEvt,
    ShowSa,
    FlushSa,
    /// The maintained fork's `status`; the protocol field selects text (0) or JSON (1).
    Status,
    StatusVerbose,
    DeleteSa,
    EstablishSa,
    EstablishSaPsk,
    DeleteAllSaDst,
    LogoutUser,
    GetSaCert,
}

const COMMANDS: &[(Command, u16)] = &[
    (Command::ReloadConf, 0x0001),
    (Command::ShowSched, 0x0002),
    (Command::ShowEvt, 0x0003),
    (Command::ShowSa, 0x0101),
    (Command::FlushSa, 0x0102),
    (Command::Status, 0x0103),
    (Command::StatusVerbose, 0x0104),
    (Command::DeleteSa, 0x0201),
    (Command::EstablishSa, 0x0202),
    (Command::EstablishSaPsk, 0x0203),
    (Command::DeleteAllSaDst, 0x0204),
    (Command::LogoutUser, 0x0205),
    (Command::GetSaCert, 0x0206),
];

impl Command {
    pub fn code(self) -> u16 {
        COMMANDS
            .iter()
            .find(|(c, _)| *c == self)
            .map_or(0, |&(_, n)| n)
    }

    /// The command a code names (without flag bits).
    pub fn from_code(code: u16) -> Option<Command> {
        COMMANDS.iter().find(|(_, n)| *n == code).map(|&(c, _)| c)
    }
}

/// `ADMIN_PROTO_*`: what an SA command is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    Isakmp,
    /// AH and ESP both.
    Ipsec,
    Ah,
    Esp,
    Internal,
}

const PROTOS: &[(Proto, u16, &str)] = &[
    (Proto::Isakmp, 0x01ff, "isakmp"),
    (Proto::Ipsec, 0x02ff, "ipsec"),
    (Proto::Ah, 0x0201, "ah"),
    (Proto::Esp, 0x0202, "esp"),
    (Proto::Internal, 0x0301, "internal"),
];

impl Proto {
    pub fn code(self) -> u16 {
        PROTOS
            .iter()
            .find(|(p, _, _)| *p == self)
            .map_or(0, |&(_, n, _)| n)
    }

    pub fn from_code(code: u16) -> Option<Proto> {
        PROTOS
            .iter()
            .find(|(_, n, _)| *n == code)
            .map(|&(p, _, _)| p)
    }

    /// racoonctl's word for it (`isakmp`, `esp`, ...).
    pub fn name(self) -> &'static str {
        PROTOS
            .iter()
            .find(|(p, _, _)| *p == self)
            .map_or("?", |&(_, _, s)| s)
    }

    pub fn from_name(word: &str) -> Option<Proto> {
        PROTOS
            .iter()
            .find(|(_, _, s)| *s == word)
            .map(|&(p, _, _)| p)
    }
}

/// `status`: the protocol field of the request picks the rendering.
pub const STATUS_FORMAT_TEXT: u16 = 0;
pub const STATUS_FORMAT_JSON: u16 = 1;

/// Event types of `struct evt_async` (`EVT_*`).
pub mod evt {
    pub const RACOON_QUIT: u32 = 0x0001;
    pub const PHASE1_UP: u32 = 0x0100;
    pub const PHASE1_DOWN: u32 = 0x0101;
    pub const PHASE1_NO_RESPONSE: u32 = 0x0102;
    pub const PHASE1_NO_PROPOSAL: u32 = 0x0103;
    pub const PHASE1_AUTH_FAILED: u32 = 0x0104;
    pub const PHASE1_DPD_TIMEOUT: u32 = 0x0105;
    pub const PHASE1_PEER_DELETED: u32 = 0x0106;
    pub const PHASE1_MODE_CFG: u32 = 0x0107;
    pub const PHASE1_XAUTH_SUCCESS: u32 = 0x0108;
    pub const PHASE1_XAUTH_FAILED: u32 = 0x0109;
    pub const PHASE2_NO_PHASE1: u32 = 0x0200;
    pub const PHASE2_UP: u32 = 0x0201;
    pub const PHASE2_DOWN: u32 = 0x0202;
    pub const PHASE2_NO_RESPONSE: u32 = 0x0203;
}
