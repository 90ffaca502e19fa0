//! The byte cursor and writer both kernel codecs are built on. PF_KEY and XFRM both
//! lay out C structs in host byte order, except SPIs and ports, which are in network
//! order as on the wire; both pad to a fixed alignment.
//!
//! Every read is bounds-checked and answers `None` when the bytes run out, so a decoder
//! built on [`Reader`] cannot index out of bounds; each codec turns `None` into its own
//! error, saying where.

/// A cursor over a byte slice.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    /// The next `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let bytes = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(bytes)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub(crate) fn skip(&mut self, n: usize) -> Option<()> {
        self.take(n).map(|_| ())
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.array::<1>().map(|[b]| b)
    }

    pub(crate) fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_ne_bytes)
    }

    pub(crate) fn be16(&mut self) -> Option<u16> {
        self.array().map(u16::from_be_bytes)
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_ne_bytes)
    }

    pub(crate) fn i32(&mut self) -> Option<i32> {
        self.array().map(i32::from_ne_bytes)
    }

    pub(crate) fn be32(&mut self) -> Option<u32> {
        self.array().map(u32::from_be_bytes)
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_ne_bytes)
    }

    /// Everything not read yet.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        self.pos = self.buf.len();
        rest
    }

    pub(crate) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }
}

/// Appends host-order and network-order fields to a message being built.
pub(crate) trait Put {
    fn put_u8(&mut self, v: u8);
    fn put_u16(&mut self, v: u16);
    fn put_be16(&mut self, v: u16);
    fn put_u32(&mut self, v: u32);
    fn put_i32(&mut self, v: i32);
    fn put_be32(&mut self, v: u32);
    fn put_u64(&mut self, v: u64);
    /// Zero bytes up to the next multiple `aligned` gives, counted from `start`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_byte_orders_and_stops_at_the_end() {
        let bytes = [1, 2, 3, 4, 5, 6, 7];
        let mut r = Reader::new(&bytes);
        assert_eq!(r.be16(), Some(0x0102));
        assert_eq!(r.u16(), Some(u16::from_ne_bytes([3, 4])));
        assert_eq!(r.u32(), None, "3 bytes left");
        assert_eq!(r.position(), 4, "a failed read consumes nothing");
        assert_eq!(r.array::<2>(), Some([5, 6]));
        assert_eq!(r.remaining(), 1);
        assert_eq!(r.rest(), &[7]);
        assert_eq!(r.u8(), None);
        assert_eq!(r.take(usize::MAX), None);
    }

    #[test]
    fn writes_what_it_reads() {
        let mut out = vec![0xff];
        out.put_u8(1);
        out.put_u16(2);
        out.put_be16(3);
        out.put_u32(4);
        out.put_i32(-5);
        out.put_be32(6);
        out.put_u64(7);
        out.pad_from(1, |n| n.div_ceil(8) * 8);
        assert_eq!(out.len(), 1 + 32);
        let mut r = Reader::new(&out[1..]);
        assert_eq!(
            (
                r.u8(),
                r.u16(),
                r.be16(),
                r.u32(),
                r.i32(),
                r.be32(),
                r.u64()
            ),
            (
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(-5),
                Some(6),
                Some(7)
            )
        );
        assert_eq!(r.rest(), &[0; 7]);
    }
}
