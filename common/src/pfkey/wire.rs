//! PF_KEY's layout on the shared cursor and writer ([`crate::wire`]): SPIs and ports
//! big-endian, everything else in host order, every extension a multiple of 8 bytes.

pub(crate) use crate::wire::{Put, Reader};

/// `n` rounded up to a multiple of 8 (`PFKEY_ALIGN8`).
pub(crate) const fn align8(n: usize) -> usize {
    n.div_ceil(8) * 8
}
