//! Prints the algorithm table for shell scripts, so the kernel lab can install every
//! algorithm into a real kernel with `ip xfrm state add` and prove that the XFRM names and
//! truncations in `common::alg` are ones Linux accepts.
//!
//! Run: `cargo run -q -p common --example alg_table`
//!
//! Output: one line per algorithm that has an XFRM name, five fields separated by one
//! space, no header:
//!
//! ```text
//! <kind> <setkey-name> <xfrm-name> <key-bits> <icv-bits>
//! auth hmac-sha256 hmac(sha256) 256 128
//! enc aes-ctr rfc3686(ctr(aes)) 160 0
//! aead aes-gcm-16 rfc4106(gcm(aes)) 160 128
//! comp deflate deflate 0 0
//! ```
//!
//! - `kind`: `auth`, `enc`, `aead` or `comp`, the `ip xfrm state` keyword family
//!   (`auth` rows go in as `auth-trunc NAME KEY ICV`, `aead` rows as `aead NAME KEY ICV`).
//! - `setkey-name`: the name `setkey -D` prints.
//! - `xfrm-name`: the kernel crypto API name; it contains parentheses, so quote it.
//! - `key-bits`: the smallest valid nonzero key size, nonce or salt included; 0 for a
//!   keyless algorithm (null, compression). Any key bytes of that length will do.
//! - `icv-bits`: the ICV truncation (auth) or tag length (aead), 0 otherwise.
//!
//! Two rows depend on the kernel: `hmac(rmd160)` was removed from XFRM in 2026, and `lzs`
//! is known to XFRM but needs an LZS compressor module that mainline does not ship.

use common::alg::{self, Kind};

fn main() {
    for a in alg::all() {
        let (Some(xfrm), Some(name)) = (a.xfrm_name, a.setkey_name()) else {
            continue;
        };
        let key = a.key_bits.smallest_nonzero().unwrap_or(0);
        let icv = match a.kind {
            Kind::Auth | Kind::Aead => a.icv_bits,
            Kind::Encrypt | Kind::Compress => 0,
        };
        println!("{} {name} {xfrm} {key} {icv}", a.kind.keyword());
    }
}
