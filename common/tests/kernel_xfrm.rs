//! What only the XFRM backend does, against a real kernel: HMAC-SHA-2 with the RFC
//! 4868 truncation and AEADs. Everything both backends do alike is in
//! `kernel_conformance.rs`.
//!
//! Adding SAs needs ESP, which the build machines lack (their kernel answers
//! "Requested type not found"): the kernel lab runs these (scenario
//! 10-kernel-backends), the binary in a fresh network namespace, one test at a time.
//! Every test starts on a flushed SAD and SPD.

mod support;

use common::kernel::{Kernel, Op};
use common::sa::{Mode, SaType};
use common::xfrm::XfrmKernel;

use support::*;

/// An XFRM backend on clean tables.
fn kernel() -> XfrmKernel {
    let mut k = open_xfrm();
    flush(&mut k);
    k
}

/// What PF_KEY cannot install right or at all: HMAC-SHA-256 with its 128-bit ICV
/// (PF_KEY gets 96) and AES-GCM (PF_KEY has no AEADs). Both read back as sent.
#[test]
#[ignore = "needs XFRM with ESP: run by the kernel lab"]
fn hmac_sha256_gets_128_bits_and_aes_gcm_is_an_aead() {
    let mut k = kernel();
    let mut sha256 = esp(
        "10.0.0.1",
        "10.0.0.2",
        0x1001,
        "aes-cbc",
        Some("hmac-sha256"),
    );
    sha256.mode = Mode::Tunnel;
    let gcm = esp("10.0.0.2", "10.0.0.1", 0x1002, "aes-gcm-16", None);
    let sas = [sha256, gcm];
    ok_all(&k.apply(&sas.iter().cloned().map(Op::AddSa).collect::<Vec<_>>()));
    let dump = k.dump_sa(Some(SaType::Esp)).unwrap();
    assert_eq!(dump.len(), 2);
    for sent in &sas {
        same_sa(&k.get_sa(&sent.id()).unwrap().entry, sent);
    }
    // RFC 4868: the kernel itself says 128 bits, not the 96 PF_KEY would give.
    let text = ip_xfrm(&["state"]);
    assert!(
        text.lines()
            .any(|l| l.contains("auth-trunc hmac(sha256)") && l.trim_end().ends_with(" 128")),
        "{text}"
    );
    assert!(text.contains("aead rfc4106(gcm(aes))"), "{text}");
}
