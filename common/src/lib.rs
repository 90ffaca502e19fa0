//! Shared library for `setkey`, `racoon` and `racoonctl`.

pub mod addr;
pub mod alg;
pub mod getopt;
pub mod kernel;
pub mod policy;
pub mod sa;
pub mod version;
