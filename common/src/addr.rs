//! Addresses, prefixes and ports as setkey and racoon read and print them.
//!
//! The same few textual forms run through every tool of the suite, and scripts parse
//! them, so they are kept in one place:
//!
//! | form                 | where                                   | type          |
//! |----------------------|-----------------------------------------|---------------|
//! | `10.0.0.1`           | SA lines of `setkey -D`, tunnel ends    | [`Address`]   |
//! | `10.2.0.0/24[any]`   | policy selectors, `setkey -DP`          | [`Selector`]  |
//! | `192.168.1.1[any]`   | a full-length selector (no `/32`)       | [`Selector`]  |
//! | `fec0::/64`          | ICMPv6 selectors print without a port   | [`Selector::spd_display`] |
//! | `192.168.1.1[500]`   | racoon log lines, NAT-T SA lines        | [`Endpoint`]  |
//!
//! A `setkey -D` SA line begins `SRC DST ` where each side is an [`Address`], or an
//! [`Endpoint`] when the SA carries ports (esp-udp: `10.0.0.1[4500] 10.0.0.2[4500] `).
//!
//! Everything here is sans-IO: a host name or an interface name is handed back to the
//! caller to resolve ([`SelectorParts`], [`Address::resolve_zone`]); nothing here touches
//! DNS, `/etc/services` or the interface table.

mod address;
mod endpoint;
mod error;
mod family;
mod ntop;
mod parts;
mod port;
mod selector;
mod zone;

pub use address::Address;
pub use endpoint::Endpoint;
pub use error::AddrError;
pub use family::Family;
pub use parts::SelectorParts;
pub use port::Port;
pub use selector::{Selector, SpdDisplay};
pub use zone::{IfName, Zone};

use std::fmt;

/// Writes `write`'s output straight to `f`, or through [`fmt::Formatter::pad`] when the
/// caller asked for a width, so that `format!("{:<22}", addr)` lines up columns the way
/// racoonctl's tables need without every caller building a `String` first.
fn pad_with(
    f: &mut fmt::Formatter<'_>,
    write: impl Fn(&mut dyn fmt::Write) -> fmt::Result,
) -> fmt::Result {
    if f.width().is_none() && f.precision().is_none() {
        return write(f);
    }
    let mut text = String::new();
    write(&mut text)?;
    f.pad(&text)
}

/// Value of a run of ASCII digits, saturating instead of overflowing: the number only
/// ever feeds a range check and an error message, and must not panic on long input.
fn decimal(digits: &str) -> u64 {
    digits.bytes().fold(0u64, |acc, b| {
        acc.saturating_mul(10)
            .saturating_add(u64::from(b.wrapping_sub(b'0')))
    })
}
