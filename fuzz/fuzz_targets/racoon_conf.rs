//! The racoon.conf parser must return a configuration or a positioned error for any
//! input, includes and all, and never panic; psk.txt parsing and lookups too.
//!
//! Seed it with the real files: `mkdir -p corpus/racoon_conf && cp ../tests/corpus/racoon/*
//! ../tests/corpus/psk/* ../tests/seeds/racoon-*.conf corpus/racoon_conf/`, and run
//! `cargo fuzz run racoon_conf corpus/racoon_conf -- -dict=dict/racoon_conf.dict`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use racoon::conf::{parse_str, MemIncluder};
use racoon::psk::PskFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The input may include itself and a second file cut from its tail, so that
    // include handling (globs, nesting, depth limit) is fuzzed as well.
    let tail = text.get(text.len() / 2..).unwrap_or("");
    let mut includer = MemIncluder::new()
        .with("/etc/racoon/racoon.conf", &text)
        .with("/etc/racoon/tail.conf", tail);
    match parse_str("/etc/racoon/racoon.conf", &text, &mut includer) {
        Ok(config) => {
            for u in &config.unimplemented {
                assert!(u.location.line >= 1);
                let _ = u.to_string();
            }
            for w in &config.warnings {
                let _ = w.to_string();
            }
            for r in &config.remotes {
                assert!(!r.exchange_modes.is_empty() && !r.proposals.is_empty());
                let _ = r.describe();
            }
            for s in &config.sainfos {
                let _ = s.describe();
            }
        }
        Err(e) => {
            assert!(e.location.line >= 1 && e.location.column >= 1);
            let _ = e.to_string();
        }
    }
    let psk = PskFile::parse(data);
    for e in &psk.entries {
        let _ = psk.lookup(&e.identity);
    }
    let _ = psk.warnings();
});
