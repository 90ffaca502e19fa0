//! racoon's library half: configuration, the ISAKMP codec, IKEv1 crypto and the engine,
//! kept out of main.rs so they can be tested and fuzzed.

pub mod admin;
pub mod conf;
pub mod crypto;
pub mod daemon;
pub mod engine;
pub mod isakmp;
pub mod psk;
