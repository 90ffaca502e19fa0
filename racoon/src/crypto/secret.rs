//! Key material that is overwritten when dropped, so SKEYIDs, shared secrets and KEYMAT
//! do not linger in freed heap memory. No extra crate: volatile writes the optimiser may
//! not remove, then a compiler fence.

use std::fmt;
use std::sync::atomic::{compiler_fence, Ordering};

/// Secret bytes. `Debug` prints the length only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: Vec<u8>) -> Secret {
        Secret(bytes)
    }

    pub fn from_slice(bytes: &[u8]) -> Secret {
        Secret(bytes.to_vec())
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8] {
        &mut self.0
    }

    /// Appends without reallocating when the capacity allows; callers size it first.
    pub(crate) fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first `n` bytes (all of them if shorter).
    pub fn truncated(&self, n: usize) -> Secret {
        Secret::from_slice(self.0.get(..n).unwrap_or(&self.0))
    }
}

/// Overwrites `bytes` with zeros in a way the compiler keeps.
pub fn wipe(bytes: &mut [u8]) {
    for b in bytes.iter_mut() {
        // SAFETY: `b` is a valid, aligned, exclusive reference to a byte.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    compiler_fence(Ordering::SeqCst);
}

impl Drop for Secret {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl AsRef<[u8]> for Secret {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({} bytes)", self.0.len())
    }
}

/// Compares two MACs or hashes in constant time (HASH_I, HASH_R, quick-mode hashes).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && openssl::memcmp::eq(a, b)
}
