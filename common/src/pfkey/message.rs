//! A whole PF_KEY message: the `sadb_msg` header and its extensions.

use super::consts::{ext, msg, PF_KEY_V2};
use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::ext::{AddressExt, Extension, KeyExt, LifetimeExt, Sa2Ext, SaExt, SecCtxExt};
use super::policy_ext::PolicyExt;
use super::wire::{Put, Reader};

/// Size of `struct sadb_msg`.
pub const HEADER_LEN: usize = 16;

/// `sadb_msg` without its length, which encoding computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Header {
    pub msg_type: u8,
    pub errno: u8,
    pub satype: u8,
    /// Zero in requests (the kernel refuses anything else); Linux puts a policy's
    /// reference count here in SPD messages, which setkey prints as `refcnt`.
    pub reserved: u16,
    pub seq: u32,
    pub pid: u32,
}

impl Header {
    pub fn new(msg_type: u8, satype: u8, seq: u32, pid: u32) -> Header {
        Header {
            msg_type,
            errno: 0,
            satype,
            reserved: 0,
            seq,
            pid,
        }
    }
}

/// A PF_KEY v2 message. Extensions keep the order they were decoded or pushed in, which
/// is the order they are encoded in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    pub header: Header,
    pub extensions: Vec<Extension>,
}

impl Message {
    pub fn new(header: Header) -> Message {
        Message {
            header,
            extensions: Vec::new(),
        }
    }

    /// Adds an extension; builder style.
    pub fn with(mut self, extension: Extension) -> Message {
        self.extensions.push(extension);
        self
    }

    /// The message as the kernel reads it.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(128);
        out.put_u8(PF_KEY_V2);
        out.put_u8(self.header.msg_type);
        out.put_u8(self.header.errno);
        out.put_u8(self.header.satype);
        out.put_u16(0); // length, filled in below
        out.put_u16(self.header.reserved);
        out.put_u32(self.header.seq);
        out.put_u32(self.header.pid);
        for e in &self.extensions {
            e.encode(&mut out)?;
        }
        let units = u16::try_from(out.len() / 8).map_err(|_| EncodeError { what: "message" })?;
        out[4..6].copy_from_slice(&units.to_ne_bytes());
        Ok(out)
    }

    /// Decodes one message, checking what the kernel checks of a message it receives
    /// (except the zero `sadb_msg_reserved` it demands of requests, since its own SPD
    /// messages carry a reference count there).
    pub fn decode(bytes: &[u8]) -> Result<Message, DecodeError> {
        let mut r = Reader::new(bytes);
        let err = |offset, kind| DecodeError::new(offset, kind);
        let (
            Some([version, msg_type, errno, satype]),
            Some(len),
            Some(reserved),
            Some(seq),
            Some(pid),
        ) = (r.array::<4>(), r.u16(), r.u16(), r.u32(), r.u32())
        else {
            return Err(err(0, DecodeErrorKind::ShortMessage(bytes.len())));
        };
        if version != PF_KEY_V2 {
            return Err(err(0, DecodeErrorKind::BadVersion(version)));
        }
        if msg_type == 0 || msg_type > msg::MAX {
            return Err(err(1, DecodeErrorKind::BadType(msg_type)));
        }
        let len = usize::from(len) * 8;
        if len != bytes.len() || len < HEADER_LEN {
            return Err(err(
                4,
                DecodeErrorKind::LengthMismatch {
                    header: len,
                    actual: bytes.len(),
                },
            ));
        }
        let header = Header {
            msg_type,
            errno,
            satype,
            reserved,
            seq,
            pid,
        };
        let mut extensions: Vec<Extension> = Vec::new();
        let mut seen = [false; ext::MAX as usize + 1];
        let mut offset = HEADER_LEN;
        while offset < bytes.len() {
            let rest = bytes.get(offset..).unwrap_or(&[]);
            let mut er = Reader::new(rest);
            let (Some(units), Some(ext_type)) = (er.u16(), er.u16()) else {
                return Err(err(offset, DecodeErrorKind::TrailingBytes(rest.len())));
            };
            let ext_len = usize::from(units) * 8;
            if ext_type == 0 {
                return Err(err(offset, DecodeErrorKind::ReservedExtType));
            }
            let known = ext_type <= ext::MAX;
            let min = if known { ext::min_len(ext_type) } else { 8 };
            if ext_len < 8 || ext_len > rest.len() || ext_len < min {
                return Err(err(
                    offset,
                    DecodeErrorKind::BadExtLength {
                        ext_type,
                        len: ext_len,
                    },
                ));
            }
            if known {
                let slot = &mut seen[usize::from(ext_type)];
                if *slot {
                    return Err(err(offset, DecodeErrorKind::DuplicateExt(ext_type)));
                }
                *slot = true;
            }
            let ext_bytes = rest.get(..ext_len).unwrap_or(&[]);
            extensions.push(Extension::decode(ext_type, ext_bytes, offset)?);
            offset += ext_len;
        }
        Ok(Message { header, extensions })
    }

    /// The first extension of a type.
    pub fn find(&self, ext_type: u16) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.ext_type() == ext_type)
    }

    pub fn sa(&self) -> Option<&SaExt> {
        self.extensions.iter().find_map(|e| match e {
            Extension::Sa(x) => Some(x),
            _ => None,
        })
    }

    pub fn sa2(&self) -> Option<&Sa2Ext> {
        self.extensions.iter().find_map(|e| match e {
            Extension::Sa2(x) => Some(x),
            _ => None,
        })
    }

    pub fn src(&self) -> Option<&AddressExt> {
        self.extensions.iter().find_map(|e| match e {
            Extension::AddressSrc(x) => Some(x),
            _ => None,
        })
    }

    pub fn dst(&self) -> Option<&AddressExt> {
        self.extensions.iter().find_map(|e| match e {
            Extension::AddressDst(x) => Some(x),
            _ => None,
        })
    }

    /// Lifetime of `ext_type` `LIFETIME_CURRENT`, `_HARD` or `_SOFT`.
    pub fn lifetime(&self, ext_type: u16) -> Option<&LifetimeExt> {
        self.extensions.iter().find_map(|e| match e {
            Extension::LifetimeCurrent(x) if ext_type == ext::LIFETIME_CURRENT => Some(x),
            Extension::LifetimeHard(x) if ext_type == ext::LIFETIME_HARD => Some(x),
            Extension::LifetimeSoft(x) if ext_type == ext::LIFETIME_SOFT => Some(x),
            _ => None,
        })
    }

    pub fn key_auth(&self) -> Option<&KeyExt> {
        self.extensions.iter().find_map(|e| match e {
            Extension::KeyAuth(x) => Some(x),
            _ => None,
        })
    }

    pub fn key_encrypt(&self) -> Option<&KeyExt> {
        self.extensions.iter().find_map(|e| match e {
            Extension::KeyEncrypt(x) => Some(x),
            _ => None,
        })
    }

    pub fn policy(&self) -> Option<&PolicyExt> {
        self.extensions.iter().find_map(|e| match e {
            Extension::Policy(x) => Some(x),
            _ => None,
        })
    }

    pub fn sec_ctx(&self) -> Option<&SecCtxExt> {
        self.extensions.iter().find_map(|e| match e {
            Extension::SecCtx(x) => Some(x),
            _ => None,
        })
    }

    /// The KAME name of the message type (`SADB_ADD`).
    pub fn type_name(&self) -> &'static str {
        msg::name(self.header.msg_type)
    }
}
