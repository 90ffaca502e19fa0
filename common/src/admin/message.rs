//! Whole requests and replies: the header with its third field interpreted, and the
//! payload after it.

use super::consts::{Command, FLAG_LONG_REPLY, FLAG_VERSION};
use super::error::AdminError;
use super::header::{Header, HEADER_LEN};
use super::indexes::{c_string, Indexes, Psk, INDEXES_LEN};

/// A request as racoonctl sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The command code without [`FLAG_VERSION`] (kept raw: an unknown code is answered,
    /// not dropped).
    pub cmd: u16,
    pub proto: u16,
    /// The protocol version when the request carried [`FLAG_VERSION`] (racoonctl sends
    /// 1), else 0: version 0 clients poll events instead of subscribing.
    pub version: u16,
    pub payload: Vec<u8>,
}

/// A request's payload, interpreted for its command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    None,
    /// delete-sa, get-cert, delete-all-sa-dst, and establish-sa with the name of a
    /// `remote` section (`-n`) when one follows the selector.
    Indexes {
        indexes: Indexes,
        remote_name: Option<String>,
    },
    /// establish-sa -u.
    Psk {
        indexes: Indexes,
        psk: Psk,
    },
    /// logout-user: the login.
    Login(String),
}

impl Request {
    /// A request as racoonctl builds it: the version flag set, version 1.
    pub fn new(cmd: Command, proto: u16, payload: Vec<u8>) -> Request {
        Request {
            cmd: cmd.code(),
            proto,
            version: 1,
            payload,
        }
    }

    pub fn command(&self) -> Option<Command> {
        Command::from_code(self.cmd)
    }

    /// The bytes on the wire. A payload too long for the 16-bit length is cut (no
    /// request comes near 64 KiB).
    pub fn encode(&self) -> Vec<u8> {
        let len = (HEADER_LEN + self.payload.len()).min(usize::from(u16::MAX));
        let (cmd, third) = if self.version != 0 {
            (self.cmd | FLAG_VERSION, self.version)
        } else {
            (self.cmd, 0)
        };
        let mut b = Header {
            len: len as u16,
            cmd,
            third,
            proto: self.proto,
        }
        .encode()
        .to_vec();
        b.extend_from_slice(&self.payload[..len - HEADER_LEN]);
        b
    }

    /// How many bytes the request starting `bytes` occupies, once its header is there.
    pub fn wire_len(header: &Header) -> Result<usize, AdminError> {
        let len = usize::from(header.len);
        if len < HEADER_LEN {
            return Err(AdminError::BadLength {
                declared: len,
                available: HEADER_LEN,
            });
        }
        Ok(len)
    }

    /// One whole request from the front of `bytes` (extra bytes after it are left).
    pub fn decode(bytes: &[u8]) -> Result<Request, AdminError> {
        let h = Header::decode(bytes)?;
        let len = Request::wire_len(&h)?;
        let body = bytes.get(HEADER_LEN..len).ok_or(AdminError::BadLength {
            declared: len,
            available: bytes.len(),
        })?;
        let (cmd, version) = if h.cmd & FLAG_VERSION != 0 {
            (h.cmd & !FLAG_VERSION, h.third)
        } else {
            (h.cmd, 0)
        };
        Ok(Request {
            cmd,
            proto: h.proto,
            version,
            payload: body.to_vec(),
        })
    }

    /// The payload as its command defines it.
    pub fn body(&self) -> Result<Body, AdminError> {
        let cmd = self.command().ok_or(AdminError::UnknownCommand(self.cmd))?;
        match cmd {
            Command::DeleteSa
            | Command::EstablishSa
            | Command::DeleteAllSaDst
            | Command::GetSaCert => {
                let indexes = Indexes::decode(&self.payload)?;
                let rest = &self.payload[INDEXES_LEN..];
                let remote_name = if cmd == Command::EstablishSa && !rest.is_empty() {
                    Some(c_string(rest, "remote name")?)
                } else {
                    None
                };
                Ok(Body::Indexes {
                    indexes,
                    remote_name,
                })
            }
            Command::EstablishSaPsk => Ok(Body::Psk {
                indexes: Indexes::decode(&self.payload)?,
                psk: Psk::decode(&self.payload[INDEXES_LEN..])?,
            }),
            Command::LogoutUser => {
                let end = self
                    .payload
                    .iter()
                    .position(|&b| b == 0)
                    .unwrap_or(self.payload.len());
                String::from_utf8(self.payload[..end].to_vec())
                    .map(Body::Login)
                    .map_err(|_| AdminError::BadString("login"))
            }
            _ => Ok(Body::None),
        }
    }
}

/// A reply (or a pushed event, which is a reply to `ADMIN_SHOW_EVT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The request's command without flags.
    pub cmd: u16,
    pub proto: u16,
    /// 0 for success, else the errno the daemon reports.
    pub errno: i16,
    pub payload: Vec<u8>,
}

impl Reply {
    /// The bytes on the wire. A successful reply longer than 65535 bytes carries
    /// [`FLAG_LONG_REPLY`] and the high bits of its length in the third field.
    pub fn encode(&self) -> Vec<u8> {
        let total = HEADER_LEN + self.payload.len();
        let low = (total & 0xffff) as u16;
        let (cmd, third) = if total > usize::from(u16::MAX) && self.errno == 0 {
            (self.cmd | FLAG_LONG_REPLY, (total >> 16) as u16)
        } else {
            (self.cmd, self.errno as u16)
        };
        let mut b = Header {
            len: low,
            cmd,
            third,
            proto: self.proto,
        }
        .encode()
        .to_vec();
        b.extend_from_slice(&self.payload);
        b
    }

    /// The whole length of the reply a header starts, and its errno (0 for a long
    /// reply, whose third field is length).
    pub fn wire_len(header: &Header) -> Result<(usize, i16), AdminError> {
        let (len, errno) = if header.cmd & FLAG_LONG_REPLY != 0 {
            (
                usize::from(header.len) | (usize::from(header.third) << 16),
                0,
            )
        } else {
            (usize::from(header.len), header.third as i16)
        };
        if len < HEADER_LEN {
            return Err(AdminError::BadLength {
                declared: len,
                available: HEADER_LEN,
            });
        }
        Ok((len, errno))
    }

    /// One whole reply from the front of `bytes`.
    pub fn decode(bytes: &[u8]) -> Result<Reply, AdminError> {
        let h = Header::decode(bytes)?;
        let (len, errno) = Reply::wire_len(&h)?;
        let body = bytes.get(HEADER_LEN..len).ok_or(AdminError::BadLength {
            declared: len,
            available: bytes.len(),
        })?;
        Ok(Reply {
            cmd: h.cmd & !FLAG_LONG_REPLY,
            proto: h.proto,
            errno,
            payload: body.to_vec(),
        })
    }
}
