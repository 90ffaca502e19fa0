//! Byte-level reading and writing: fixed-size fields in host or network order,
//! alignment, and the netlink attribute (TLV) framing.
//!
//! XFRM structures are C structs in host byte order, except SPIs and ports, which are
//! in network order as they are on the wire. Every read is bounds-checked and fails
//! with [`DecodeError::Short`]; nothing here indexes a slice unchecked.

use super::consts::{NLA_HDRLEN, NLA_TYPE_MASK};
use super::error::DecodeError;

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

/// A cursor over a byte slice that names what it is reading, for errors.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], what: &'static str) -> Reader<'a> {
        Reader { buf, pos: 0, what }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        let out = rest.get(..n).ok_or(DecodeError::Short {
            what: self.what,
            need: self.pos.saturating_add(n),
            have: self.buf.len(),
        })?;
        self.pos += n;
        Ok(out)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn skip(&mut self, n: usize) -> Result<(), DecodeError> {
        self.take(n).map(|_| ())
    }

    /// Skips to the next multiple of `align` from the start.
    pub fn align_to(&mut self, aligned: fn(usize) -> usize) -> Result<(), DecodeError> {
        let target = aligned(self.pos);
        self.skip(target - self.pos)
    }

    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        self.array().map(u16::from_ne_bytes)
    }

    pub fn be16(&mut self) -> Result<u16, DecodeError> {
        self.array().map(u16::from_be_bytes)
    }

    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        self.array().map(u32::from_ne_bytes)
    }

    pub fn i32(&mut self) -> Result<i32, DecodeError> {
        self.array().map(i32::from_ne_bytes)
    }

    pub fn be32(&mut self) -> Result<u32, DecodeError> {
        self.array().map(u32::from_be_bytes)
    }

    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        self.array().map(u64::from_ne_bytes)
    }

    /// Everything not read yet.
    pub fn rest(&mut self) -> &'a [u8] {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        self.pos = self.buf.len();
        rest
    }

    pub fn position(&self) -> usize {
        self.pos
    }
}

/// Appending fixed-size fields to a message being built.
pub trait Put {
    fn put_u8(&mut self, v: u8);
    fn put_u16(&mut self, v: u16);
    fn put_be16(&mut self, v: u16);
    fn put_u32(&mut self, v: u32);
    fn put_i32(&mut self, v: i32);
    fn put_be32(&mut self, v: u32);
    fn put_u64(&mut self, v: u64);
    /// Zero bytes up to the next multiple given by `aligned`, counted from `start`.
    fn pad_from(&mut self, start: usize, aligned: fn(usize) -> usize);
}

impl Put for Vec<u8> {
    fn put_u8(&mut self, v: u8) {
        self.push(v);
    }
    fn put_u16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_ne_bytes());
    }
    fn put_be16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_be_bytes());
    }
    fn put_u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_ne_bytes());
    }
    fn put_i32(&mut self, v: i32) {
        self.extend_from_slice(&v.to_ne_bytes());
    }
    fn put_be32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_be_bytes());
    }
    fn put_u64(&mut self, v: u64) {
        self.extend_from_slice(&v.to_ne_bytes());
    }
    fn pad_from(&mut self, start: usize, aligned: fn(usize) -> usize) {
        let len = self.len().saturating_sub(start);
        self.resize(start + aligned(len), 0);
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
