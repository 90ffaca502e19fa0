//! The admin socket decoders on arbitrary bytes, as racoon's admin server meets them
//! from any local client: nothing may panic, and a request that decodes must encode back
//! to the bytes it came from (up to its declared length).
#![no_main]

use common::admin::{Event, Header, Ph1Dump, Reply, Request, SchedDump, FLAG_VERSION};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = Request::decode(data) {
        let _ = r.body();
        let h = Header::decode(data).expect("a decoded request has a header");
        let bytes = r.encode();
        let len = usize::from(h.len);
        // Without the version flag the third field is not kept; with it, exactly.
        if h.cmd & FLAG_VERSION != 0 && h.third != 0 {
            assert_eq!(bytes, &data[..len]);
        }
        assert_eq!(Request::decode(&bytes).map(|r| r.payload), Ok(r.payload));
    }
    if let Ok(r) = Reply::decode(data) {
        let again = Reply::decode(&r.encode()).expect("an encoded reply decodes");
        assert_eq!(again.payload, r.payload);
    }
    if let Ok(e) = Event::decode(data) {
        assert_eq!(Event::decode(&e.encode()), Ok(e));
    }
    let _ = Ph1Dump::decode_all(data);
    let _ = SchedDump::decode(data);
});
