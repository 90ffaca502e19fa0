//! The XFRM netlink decoder on arbitrary datagrams: it must never panic, whatever
//! decodes must re-encode to something that decodes to the same, and every decoded
//! message must map to an event without panicking.
#![no_main]

use common::xfrm::{decode_all, decode_event};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(messages) = decode_all(data) else {
        return;
    };
    let mut again = Vec::new();
    for m in &messages {
        let _ = decode_event(m, 1_700_000_000);
        m.encode(&mut again);
    }
    let back = decode_all(&again).expect("re-encoded messages decode");
    assert_eq!(back.len(), messages.len());
    for (a, b) in messages.iter().zip(&back) {
        assert_eq!(a.body, b.body);
    }
});
