//! setkey's library half: everything between the command line and the kernel, kept
//! out of main.rs so it can be tested and fuzzed.

pub mod apply;
pub mod ast;
pub mod monitor;
pub mod parse;
pub mod printer;
pub mod resolve;
pub mod run;
pub mod trace;
