//! XFRM's layout on the shared cursor and writer ([`crate::wire`]): netlink's 4-byte
//! and the structs' `__u64` alignment, reads that fail with [`DecodeError::Short`]
//! naming the structure, and the netlink attribute (TLV) framing.
//!
//! XFRM structures are C structs in host byte order, except SPIs and ports, which are
//! in network order as they are on the wire.

use super::consts::{NLA_HDRLEN, NLA_TYPE_MASK};
use super::error::DecodeError;
use crate::wire;

pub(crate) use crate::wire::Put;

/// Rounds `len` up to netlink's 4-byte alignment (`NLMSG_ALIGN`, `NLA_ALIGN`).
pub const fn align4(len: usize) -> usize {
    (len + 3) & !3
}

/// Rounds `len` up to the alignment of a `__u64` on this target, which decides the
/// tail padding of the structs that hold lifetimes (`xfrm_usersa_info` is 224 bytes on
/// x86_64 but 220 on i386).
pub const fn align_u64(len: usize) -> usize {
    let a = std::mem::align_of::<u64>();
    len.div_ceil(a) * a
}

/// The shared cursor ([`crate::wire::Reader`]) with the name of what it reads, so that
/// a short read becomes [`DecodeError::Short`] saying what, how much and how little.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: wire::Reader<'a>,
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], what: &'static str) -> Reader<'a> {
        Reader {
            bytes: wire::Reader::new(buf),
            what,
        }
    }

    /// `read` (of `n` bytes) on the cursor, `None` turned into the error.
    fn field<T>(
        &mut self,
        n: usize,
        read: impl FnOnce(&mut wire::Reader<'a>) -> Option<T>,
    ) -> Result<T, DecodeError> {
        let need = self.bytes.position().saturating_add(n);
        read(&mut self.bytes).ok_or(DecodeError::Short {
            what: self.what,
            need,
            have: self.bytes.len(),
        })
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        self.field(n, |r| r.take(n))
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        self.field(N, wire::Reader::array)
    }

    pub fn skip(&mut self, n: usize) -> Result<(), DecodeError> {
        self.field(n, |r| r.skip(n))
    }

    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        self.field(1, wire::Reader::u8)
    }

    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        self.field(2, wire::Reader::u16)
    }

    pub fn be16(&mut self) -> Result<u16, DecodeError> {
        self.field(2, wire::Reader::be16)
    }

    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        self.field(4, wire::Reader::u32)
    }

    pub fn i32(&mut self) -> Result<i32, DecodeError> {
        self.field(4, wire::Reader::i32)
    }

    pub fn be32(&mut self) -> Result<u32, DecodeError> {
        self.field(4, wire::Reader::be32)
    }

    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        self.field(8, wire::Reader::u64)
    }

    /// Everything not read yet.
    pub fn rest(&mut self) -> &'a [u8] {
        self.bytes.rest()
    }

    pub fn position(&self) -> usize {
        self.bytes.position()
    }
}

/// Appends one attribute: `struct nlattr { u16 nla_len; u16 nla_type; }`, the payload
/// `body` writes, and padding to 4 bytes (not counted in `nla_len`).
pub fn put_attr(out: &mut Vec<u8>, kind: u16, body: impl FnOnce(&mut Vec<u8>)) {
    let start = out.len();
    out.put_u16(0);
    out.put_u16(kind);
    body(out);
    let len = out.len() - start;
    // An attribute longer than 64 KiB cannot be expressed; nothing we build comes near
    // (the largest is a security context label, which the kernel caps far lower).
    let len16 = u16::try_from(len).unwrap_or(u16::MAX);
    out[start..start + 2].copy_from_slice(&len16.to_ne_bytes());
    out.pad_from(start, align4);
}

/// Iterates over the attributes in `buf`: `(type, payload)` pairs, flags stripped from
/// the type. A malformed attribute ends the iteration with an error.
pub fn attrs(buf: &[u8]) -> Attrs<'_> {
    Attrs { buf, pos: 0 }
}

#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<(u16, &'a [u8]), DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        if rest.len() < NLA_HDRLEN {
            // Trailing bytes shorter than a header are padding (the kernel's own
            // parser ignores them too).
            return None;
        }
        let mut r = Reader::new(rest, "netlink attribute");
        let parsed = (|| {
            let len = usize::from(r.u16()?);
            let kind = r.u16()? & NLA_TYPE_MASK;
            if len < NLA_HDRLEN || len > rest.len() {
                return Err(DecodeError::BadLength {
                    what: "netlink attribute",
                    len,
                });
            }
            let payload = r.take(len - NLA_HDRLEN)?;
            Ok((kind, payload, len))
        })();
        match parsed {
            Ok((kind, payload, len)) => {
                self.pos = self.pos.saturating_add(align4(len));
                Some(Ok((kind, payload)))
            }
            Err(e) => {
                self.pos = self.buf.len();
                Some(Err(e))
            }
        }
    }
}
