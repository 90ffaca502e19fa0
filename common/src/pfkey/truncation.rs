//! The one way a PF_KEY SA silently differs from what was asked: Linux installs
//! HMAC-SHA-2 over PF_KEY with its pre-RFC 4868 truncation (96 bits for SHA-256), since
//! `sadb_sa` has no field for it. Such an SA cannot talk to a correct peer, so callers
//! (setkey, racoon) check here before adding one and warn.

use std::fmt;

use crate::alg::Algorithm;
use crate::kernel::Op;
use crate::sa::Sa;

/// An SA whose ICV Linux will truncate to `pfkey_bits` instead of `standard_bits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TruncationMismatch {
    pub alg: &'static Algorithm,
    /// What the RFC prescribes (RFC 4868: 128 for SHA-256).
    pub standard_bits: u16,
    /// What Linux installs over PF_KEY.
    pub pfkey_bits: u16,
}

impl fmt::Display for TruncationMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} over PF_KEY: Linux truncates the ICV to {} bits instead of the {} bits of RFC 4868; \
             standard peers will drop every packet (use the XFRM backend)",
            self.alg.name(),
            self.pfkey_bits,
            self.standard_bits
        )
    }
}

/// The mismatch an SA added over PF_KEY would have, if any.
pub fn truncation_mismatch(sa: &Sa) -> Option<TruncationMismatch> {
    let alg = sa.auth.as_ref()?.alg;
    (alg.pfkey_icv_bits != alg.icv_bits).then_some(TruncationMismatch {
        alg,
        standard_bits: alg.icv_bits,
        pfkey_bits: alg.pfkey_icv_bits,
    })
}

/// The mismatches of a batch, with the index of each op that has one.
pub fn truncation_mismatches(ops: &[Op]) -> Vec<(usize, TruncationMismatch)> {
    ops.iter()
        .enumerate()
        .filter_map(|(i, op)| match op {
            Op::AddSa(sa) | Op::UpdateSa(sa) => truncation_mismatch(sa).map(|m| (i, m)),
            _ => None,
        })
        .collect()
}
