//! A bounds-checked cursor over received bytes, in the style of rustls' `codec::Reader`:
//! every read either succeeds or returns a [`DecodeError`] that says what was being read
//! and at which offset of the message, so that no decoder ever indexes a slice itself.

use super::error::{DecodeError, ErrorKind};

#[derive(Clone, Copy)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Offset of `buf[0]` in the whole message, for error reports.
    base: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self::at(buf, 0)
    }

    /// A reader over `buf`, which starts `base` bytes into the message.
    pub(crate) fn at(buf: &'a [u8], base: usize) -> Self {
        Reader { buf, pos: 0, base }
    }

    /// Offset of the next byte in the whole message.
    pub(crate) fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    pub(crate) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    pub(crate) fn error(&self, kind: ErrorKind) -> DecodeError {
        DecodeError {
            offset: self.offset(),
            kind,
        }
    }

    pub(crate) fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let available = self.remaining();
        if n > available {
            return Err(self.error(ErrorKind::Truncated {
                what,
                needed: n,
                available,
            }));
        }
        let out = self.buf.get(self.pos..self.pos + n).unwrap_or_default();
        self.pos += n;
        Ok(out)
    }

    /// A reader over the next `n` bytes, which this one skips.
    pub(crate) fn sub(&mut self, n: usize, what: &'static str) -> Result<Reader<'a>, DecodeError> {
        let base = self.offset();
        Ok(Reader::at(self.take(n, what)?, base))
    }

    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let out = self.buf.get(self.pos..).unwrap_or_default();
        self.pos = self.buf.len();
        out
    }

    pub(crate) fn array<const N: usize>(
        &mut self,
        what: &'static str,
    ) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        Ok(self.array::<1>(what)?[0])
    }

    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    /// Fails with [`ErrorKind::TrailingData`] unless everything was read.
    pub(crate) fn finish(&self, what: &'static str) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            bytes => Err(self.error(ErrorKind::TrailingData { what, bytes })),
        }
    }
}

/// Appends a length-checked `u16` length field: the encoders' one way to write lengths.
pub(crate) fn put_len16(
    out: &mut Vec<u8>,
    len: usize,
    what: &'static str,
) -> Result<(), super::EncodeError> {
    let v = u16::try_from(len).map_err(|_| super::EncodeError::TooLong {
        what,
        length: len,
        max: usize::from(u16::MAX),
    })?;
    out.extend_from_slice(&v.to_be_bytes());
    Ok(())
}

/// Overwrites a `u16` length placeholder at `at` with `len`.
pub(crate) fn patch_len16(
    out: &mut [u8],
    at: usize,
    len: usize,
    what: &'static str,
) -> Result<(), super::EncodeError> {
    let v = u16::try_from(len).map_err(|_| super::EncodeError::TooLong {
        what,
        length: len,
        max: usize::from(u16::MAX),
    })?;
    if let Some(slot) = out.get_mut(at..at + 2) {
        slot.copy_from_slice(&v.to_be_bytes());
    }
    Ok(())
}
