//! The PF_KEY decoder on arbitrary bytes: it must never panic, whatever it accepts must
//! encode and decode back to itself, and the mapping to the model must not panic either.
#![no_main]

use common::pfkey::{reply, request, Message};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(m) = Message::decode(data) else { return };
    let bytes = m
        .encode()
        .expect("a decoded message fits its length fields");
    assert_eq!(bytes.len() % 8, 0);
    let again = Message::decode(&bytes).expect("an encoded message decodes");
    assert_eq!(again, m);
    assert_eq!(again.encode().unwrap(), bytes);

    let _ = reply::event_from_message(&m);
    if let Ok(sa) = reply::sa_from_message(&m) {
        let _ = request::add_sa(&sa, false, 1, 1);
    }
    if let Ok(p) = reply::policy_from_message(&m) {
        let _ = request::add_policy(&p, false, 1, 1);
    }
});
