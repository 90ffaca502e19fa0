//! Shared library for `setkey`, `racoon` and `racoonctl`.

pub mod addr;
pub mod admin;
pub mod alg;
mod digits;
pub mod dump;
pub mod getopt;
pub mod kernel;
pub mod pfkey;
pub mod policy;
pub mod sa;
pub mod sigpipe;
pub mod version;
mod wire;
pub mod xfrm;
