//! The generic payload header (RFC 2408 3.2) that frames every payload, and also the
//! proposals inside an SA and the transforms inside a proposal. Every length check of the
//! codec happens here, once: a length shorter than the fixed part or longer than what
//! encloses it is the classic way to make a parser loop or read out of bounds (racoon's
//! CVE-2008-3651 and friends), and both are errors.

use super::error::{DecodeError, EncodeError, ErrorKind};
use super::reader::{patch_len16, Reader};
use super::PayloadType;

/// Bytes of the generic header.
pub(crate) const GENERIC_LEN: usize = 4;

/// One framed payload: the type of the one after it, and a reader over its body.
pub(crate) struct Frame<'a> {
    pub next: PayloadType,
    pub body: Reader<'a>,
    /// The whole payload, generic header included.
    pub bytes: &'a [u8],
    /// Offset of the generic header in the message.
    pub offset: usize,
}

/// Reads the frame of a payload of type `this` whose body must hold at least `min_body`
/// bytes. The reserved byte is ignored, as racoon and other peers do.
pub(crate) fn read_frame<'a>(
    r: &mut Reader<'a>,
    this: PayloadType,
    min_body: usize,
) -> Result<Frame<'a>, DecodeError> {
    let offset = r.offset();
    let mut whole = *r;
    let next = PayloadType::from(r.u8("payload header")?);
    let _reserved = r.u8("payload header")?;
    let length_at = r.offset();
    let length = r.u16("payload length")?;
    let minimum = GENERIC_LEN + min_body;
    if usize::from(length) < minimum {
        return Err(DecodeError {
            offset: length_at,
            kind: ErrorKind::PayloadTooShort {
                payload: this,
                length,
                minimum,
            },
        });
    }
    let body_len = usize::from(length) - GENERIC_LEN;
    if body_len > r.remaining() {
        return Err(DecodeError {
            offset: length_at,
            kind: ErrorKind::PayloadOverrun {
                payload: this,
                length,
                available: r.remaining() + GENERIC_LEN,
            },
        });
    }
    let body = r.sub(body_len, "payload body")?;
    let bytes = whole.take(usize::from(length), "payload")?;
    Ok(Frame {
        next,
        body,
        bytes,
        offset,
    })
}

/// Appends a generic header followed by what `body` writes, then patches the length.
pub(crate) fn write_frame(
    out: &mut Vec<u8>,
    next: PayloadType,
    what: &'static str,
    body: impl FnOnce(&mut Vec<u8>) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    let start = out.len();
    out.extend_from_slice(&[next.value(), 0, 0, 0]);
    body(out)?;
    let len = out.len() - start;
    patch_len16(out, start + 2, len, what)
}
