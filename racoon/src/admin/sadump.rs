//! show-sa esp|ah|ipsec: the kernel's SAs as the PF_KEY dump messages the original
//! relayed to racoonctl (`sadb_msg`s numbered down to 0 for the last; an empty table is
//! one message carrying ENOENT), whichever backend racoon reads the kernel with.

use common::pfkey::{consts::msg, request, Extension, Header, LifetimeExt, Message};
use common::sa::{Dumped, Sa, SaType};

const ENOENT: u8 = 2;

/// The reply payload, and how many SAs could not be expressed in PF_KEY.
pub fn messages(entries: &[Dumped<Sa>], satype: Option<SaType>) -> (Vec<u8>, usize) {
    let mut encoded: Vec<Message> = Vec::new();
    let mut skipped = 0;
    for d in entries {
        let Ok(mut m) = request::add_sa(&d.entry, false, 0, d.pid) else {
            skipped += 1;
            continue;
        };
        m.header.msg_type = msg::DUMP;
        m.header.reserved = u16::try_from(d.refcnt).unwrap_or(u16::MAX);
        if let Some(c) = d.entry.current {
            m.extensions.push(Extension::LifetimeCurrent(LifetimeExt {
                allocations: c.allocations,
                bytes: c.bytes,
                addtime: c.addtime,
                usetime: c.usetime,
            }));
        }
        encoded.push(m);
    }
    if encoded.is_empty() {
        let sat = satype.and_then(|t| request::satype_of(t).ok()).unwrap_or(0);
        let mut h = Header::new(msg::DUMP, sat, 0, 0);
        h.errno = ENOENT;
        return (Message::new(h).encode().unwrap_or_default(), skipped);
    }
    let n = encoded.len();
    let mut out = Vec::new();
    for (i, mut m) in encoded.into_iter().enumerate() {
        m.header.seq = u32::try_from(n - 1 - i).unwrap_or(0);
        match m.encode() {
            Ok(b) => out.extend(b),
            Err(_) => skipped += 1,
        }
    }
    (out, skipped)
}
