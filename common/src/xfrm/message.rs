//! Whole netlink messages of the XFRM family: the `nlmsghdr`, the fixed structure each
//! message type starts with, and its attributes.

use super::attr::Attr;
use super::consts::*;
use super::error::DecodeError;
use super::policy::{UserAcquire, UserPolExpire, UserPolicyId, UserPolicyInfo};
use super::state::{UserExpire, UserSaId, UserSaInfo, UserSpiInfo};
use super::wire::{align4, Put, Reader};

/// `struct nlmsghdr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Header {
    /// Length of the whole message, header included, as the sender wrote it.
    pub len: u32,
    pub kind: u16,
    pub flags: u16,
    pub seq: u32,
    pub pid: u32,
}

impl Header {
    pub fn decode(r: &mut Reader<'_>) -> Result<Header, DecodeError> {
        Ok(Header {
            len: r.u32()?,
            kind: r.u16()?,
            flags: r.u16()?,
            seq: r.u32()?,
            pid: r.u32()?,
        })
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.put_u32(self.len);
        out.put_u16(self.kind);
        out.put_u16(self.flags);
        out.put_u32(self.seq);
        out.put_u32(self.pid);
    }
}

/// What follows the header, by message type. Types that share a layout share a
/// variant; the header's `kind` tells them apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// `XFRM_MSG_NEWSA`, `XFRM_MSG_UPDSA`, and the kernel's answer to GETSA, ALLOCSPI
    /// and each entry of an SA dump.
    Sa { info: UserSaInfo, attrs: Vec<Attr> },
    /// `XFRM_MSG_DELSA`, `XFRM_MSG_GETSA`.
    SaId { id: UserSaId, attrs: Vec<Attr> },
    /// `XFRM_MSG_ALLOCSPI`.
    AllocSpi { info: UserSpiInfo, attrs: Vec<Attr> },
    /// `XFRM_MSG_FLUSHSA`: `struct xfrm_usersa_flush { __u8 proto; }`.
    FlushSa { proto: u8 },
    /// `XFRM_MSG_NEWPOLICY`, `XFRM_MSG_UPDPOLICY`, and each entry of a policy dump.
    Policy {
        info: UserPolicyInfo,
        attrs: Vec<Attr>,
    },
    /// `XFRM_MSG_DELPOLICY`, `XFRM_MSG_GETPOLICY`.
    PolicyId { id: UserPolicyId, attrs: Vec<Attr> },
    /// `XFRM_MSG_FLUSHPOLICY`: attributes only.
    FlushPolicy { attrs: Vec<Attr> },
    Acquire {
        acquire: UserAcquire,
        attrs: Vec<Attr>,
    },
    Expire {
        expire: UserExpire,
        attrs: Vec<Attr>,
    },
    PolExpire {
        expire: UserPolExpire,
        attrs: Vec<Attr>,
    },
    /// `NLMSG_ERROR`: `error` is 0 for an acknowledgement, else a negative errno; the
    /// request's header follows.
    Error { error: i32, request: Header },
    /// `NLMSG_DONE`: the end of a dump.
    Done,
    /// `NLMSG_NOOP`, or anything we do not decode further.
    Raw(Vec<u8>),
}

/// One decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub header: Header,
    pub body: Body,
}

/// The name `ip xfrm monitor` would give a message type, for logs and `Event::Other`.
pub fn kind_name(kind: u16) -> &'static str {
    match kind {
        NLMSG_NOOP => "NLMSG_NOOP",
        NLMSG_ERROR => "NLMSG_ERROR",
        NLMSG_DONE => "NLMSG_DONE",
        NLMSG_OVERRUN => "NLMSG_OVERRUN",
        XFRM_MSG_NEWSA => "XFRM_MSG_NEWSA",
        XFRM_MSG_DELSA => "XFRM_MSG_DELSA",
        XFRM_MSG_GETSA => "XFRM_MSG_GETSA",
        XFRM_MSG_NEWPOLICY => "XFRM_MSG_NEWPOLICY",
        XFRM_MSG_DELPOLICY => "XFRM_MSG_DELPOLICY",
        XFRM_MSG_GETPOLICY => "XFRM_MSG_GETPOLICY",
        XFRM_MSG_ALLOCSPI => "XFRM_MSG_ALLOCSPI",
        XFRM_MSG_ACQUIRE => "XFRM_MSG_ACQUIRE",
        XFRM_MSG_EXPIRE => "XFRM_MSG_EXPIRE",
        XFRM_MSG_UPDPOLICY => "XFRM_MSG_UPDPOLICY",
        XFRM_MSG_UPDSA => "XFRM_MSG_UPDSA",
        XFRM_MSG_POLEXPIRE => "XFRM_MSG_POLEXPIRE",
        XFRM_MSG_FLUSHSA => "XFRM_MSG_FLUSHSA",
        XFRM_MSG_FLUSHPOLICY => "XFRM_MSG_FLUSHPOLICY",
        XFRM_MSG_NEWAE => "XFRM_MSG_NEWAE",
        XFRM_MSG_GETAE => "XFRM_MSG_GETAE",
        XFRM_MSG_REPORT => "XFRM_MSG_REPORT",
        XFRM_MSG_MIGRATE => "XFRM_MSG_MIGRATE",
        XFRM_MSG_MAPPING => "XFRM_MSG_MAPPING",
        _ => "unknown",
    }
}

impl Body {
    /// Decodes the payload of a message of type `kind`.
    pub fn decode(kind: u16, payload: &[u8]) -> Result<Body, DecodeError> {
        let mut r = Reader::new(payload, kind_name(kind));
        let body = match kind {
            XFRM_MSG_NEWSA | XFRM_MSG_UPDSA => Body::Sa {
                info: UserSaInfo::decode(&mut r)?,
                attrs: Attr::decode_all(r.rest())?,
            },
            XFRM_MSG_DELSA | XFRM_MSG_GETSA => Body::SaId {
                id: UserSaId::decode(&mut r)?,
                attrs: Attr::decode_all(r.rest())?,
            },
            XFRM_MSG_ALLOCSPI => Body::AllocSpi {
                info: UserSpiInfo::decode(&mut r)?,
                attrs: Attr::decode_all(r.rest())?,
            },
            XFRM_MSG_FLUSHSA => Body::FlushSa { proto: r.u8()? },
            XFRM_MSG_NEWPOLICY | XFRM_MSG_UPDPOLICY => Body::Policy {
                info: UserPolicyInfo::decode(&mut r)?,
                attrs: Attr::decode_all(r.rest())?,
            },
            XFRM_MSG_DELPOLICY | XFRM_MSG_GETPOLICY => Body::PolicyId {
                id: UserPolicyId::decode(&mut r)?,
                attrs: Attr::decode_all(r.rest())?,
            },
            XFRM_MSG_FLUSHPOLICY => Body::FlushPolicy {
                attrs: Attr::decode_all(r.rest())?,
            },
            XFRM_MSG_ACQUIRE => Body::Acquire {
                acquire: UserAcquire::decode(&mut r)?,
                attrs: Attr::decode_all(r.rest())?,
            },
            XFRM_MSG_EXPIRE => Body::Expire {
                expire: UserExpire::decode(&mut r)?,
                attrs: Attr::decode_all(r.rest())?,
            },
            XFRM_MSG_POLEXPIRE => Body::PolExpire {
                expire: UserPolExpire::decode(&mut r)?,
                attrs: Attr::decode_all(r.rest())?,
            },
            NLMSG_ERROR => Body::Error {
                error: r.i32()?,
                request: Header::decode(&mut r)?,
            },
            NLMSG_DONE => Body::Done,
            _ => Body::Raw(r.rest().to_vec()),
        };
        Ok(body)
    }

    fn encode(&self, out: &mut Vec<u8>) {
        let attrs = match self {
            Body::Sa { info, attrs } => {
                info.encode(out);
                attrs
            }
            Body::SaId { id, attrs } => {
                id.encode(out);
                attrs
            }
            Body::AllocSpi { info, attrs } => {
                info.encode(out);
                attrs
            }
            Body::FlushSa { proto } => {
                out.put_u8(*proto);
                return;
            }
            Body::Policy { info, attrs } => {
                info.encode(out);
                attrs
            }
            Body::PolicyId { id, attrs } => {
                id.encode(out);
                attrs
            }
            Body::FlushPolicy { attrs } => attrs,
            Body::Acquire { acquire, attrs } => {
                acquire.encode(out);
                attrs
            }
            Body::Expire { expire, attrs } => {
                expire.encode(out);
                attrs
            }
            Body::PolExpire { expire, attrs } => {
                expire.pol.encode(out);
                out.put_u8(u8::from(expire.hard));
                out.resize(
                    out.len() + (UserPolExpire::LEN - UserPolicyInfo::LEN - 1),
                    0,
                );
                attrs
            }
            Body::Error { error, request } => {
                out.put_i32(*error);
                request.encode(out);
                return;
            }
            Body::Done => {
                out.put_i32(0);
                return;
            }
            Body::Raw(data) => {
                out.extend_from_slice(data);
                return;
            }
        };
        for a in attrs {
            a.encode(out);
        }
    }
}

impl Message {
    pub fn new(kind: u16, flags: u16, seq: u32, body: Body) -> Message {
        Message {
            header: Header {
                len: 0,
                kind,
                flags,
                seq,
                pid: 0,
            },
            body,
        }
    }

    /// Appends the message, its length filled in and padded to 4 bytes, so that
    /// messages can be concatenated into one datagram.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        self.header.encode(out);
        self.body.encode(out);
        let len = u32::try_from(out.len() - start).unwrap_or(u32::MAX);
        out[start..start + 4].copy_from_slice(&len.to_ne_bytes());
        out.pad_from(start, align4);
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Decodes one complete message (header and payload).
    pub fn decode(buf: &[u8]) -> Result<Message, DecodeError> {
        let (header, payload) = split(buf).next().unwrap_or(Err(DecodeError::Short {
            what: "nlmsghdr",
            need: NLMSG_HDRLEN,
            have: buf.len(),
        }))?;
        Ok(Message {
            header,
            body: Body::decode(header.kind, payload)?,
        })
    }
}

/// Splits a datagram into its messages: `(header, payload)` pairs. A bad length ends
/// the iteration with an error; bytes after the last message shorter than a header are
/// ignored, as the kernel's `nlmsg_ok` does.
pub fn split(buf: &[u8]) -> Split<'_> {
    Split { buf, pos: 0 }
}

#[derive(Debug, Clone)]
pub struct Split<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Split<'a> {
    type Item = Result<(Header, &'a [u8]), DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        if rest.len() < NLMSG_HDRLEN {
            return None;
        }
        let mut r = Reader::new(rest, "nlmsghdr");
        let item = Header::decode(&mut r).and_then(|h| {
            let len = usize::try_from(h.len).unwrap_or(usize::MAX);
            if len < NLMSG_HDRLEN || len > rest.len() {
                return Err(DecodeError::BadLength {
                    what: "nlmsghdr",
                    len,
                });
            }
            let payload = r.take(len - NLMSG_HDRLEN)?;
            Ok((h, payload, len))
        });
        match item {
            Ok((h, payload, len)) => {
                self.pos = self.pos.saturating_add(align4(len));
                Some(Ok((h, payload)))
            }
            Err(e) => {
                self.pos = self.buf.len();
                Some(Err(e))
            }
        }
    }
}

/// Decodes every message of a datagram; the fuzz target's entry point.
pub fn decode_all(buf: &[u8]) -> Result<Vec<Message>, DecodeError> {
    split(buf)
        .map(|m| {
            m.and_then(|(header, payload)| {
                Ok(Message {
                    header,
                    body: Body::decode(header.kind, payload)?,
                })
            })
        })
        .collect()
}
