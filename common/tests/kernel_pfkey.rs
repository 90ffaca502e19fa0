//! What only the PF_KEY backend does, against a real kernel: Linux's pre-RFC 4868
//! truncation of HMAC-SHA-2, its refusal of AEADs, REGISTER's algorithm lists and the
//! promiscuous socket's raw messages. Everything both backends do alike is in
//! `kernel_conformance.rs`.
//!
//! These need AF_KEY and ESP, which the build machines lack: the kernel lab runs them
//! (scenario 10-kernel-backends), the binary in a fresh network namespace, one test at
//! a time. Every test starts on a flushed SAD and SPD.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use common::alg::{self, Class};
use common::kernel::{Event, Kernel, Op};
use common::pfkey::{truncation_mismatch, PfkeyKernel, Subscription};
use common::sa::Keyed;

use support::*;

/// A PF_KEY backend on clean tables.
fn kernel() -> PfkeyKernel {
    let mut k = open_pfkey();
    flush(&mut k);
    k
}

#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn hmac_sha256_over_pfkey_is_truncated_to_96_bits() {
    let mut k = kernel();
    let sa = esp(
        "10.0.0.1",
        "10.0.0.2",
        0xa001,
        "aes-cbc",
        Some("hmac-sha256"),
    );
    let mismatch = truncation_mismatch(&sa).expect("reported");
    assert_eq!((mismatch.standard_bits, mismatch.pfkey_bits), (128, 96));
    ok_all(&k.apply(&[Op::AddSa(sa.clone())]));
    let out = Command::new("ip")
        .args(["xfrm", "state"])
        .output()
        .expect("ip xfrm state");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("auth-trunc hmac(sha256)"))
        .unwrap_or_else(|| panic!("no hmac(sha256) in: {text}"));
    assert!(line.trim_end().ends_with(" 96"), "{line}");
    // The model has no truncation: the SA reads back as what was sent.
    same_sa(&k.get_sa(&sa.id()).unwrap().entry, &sa);
}

/// AF_KEY has no way to install an AEAD (`sadb_sa` has no slot for one): the backend
/// refuses it at its own index and the batch goes on.
#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn aes_gcm_is_refused_at_its_own_index() {
    let mut k = kernel();
    let a = esp("10.0.0.1", "10.0.0.2", 0x5001, "aes-cbc", Some("hmac-sha1"));
    let b = esp("10.0.0.1", "10.0.0.2", 0x5002, "aes-cbc", Some("hmac-sha1"));
    let mut gcm = a.clone();
    gcm.spi = 0x5004;
    gcm.enc = Some(Keyed {
        alg: alg::find_setkey(Class::Encrypt, "aes-gcm-16").unwrap(),
        key: vec![1; 20],
    });
    gcm.auth = None;
    let results = k.apply(&[Op::AddSa(a), Op::AddSa(gcm), Op::AddSa(b)]);
    assert_eq!(results, vec![Ok(()), err(EOPNOTSUPP), Ok(())]);
    assert_eq!(k.dump_sa(None).unwrap().len(), 2);
}

/// REGISTER (racoon's subscription) answers with the kernel's algorithms.
#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn register_lists_supported_algorithms() {
    let mut racoon = kernel();
    racoon.subscribe().unwrap();
    let (auth, enc) = racoon.supported_algorithms();
    assert!(
        !auth.is_empty() && !enc.is_empty(),
        "REGISTER lists algorithms"
    );
}

/// `setkey -x`: a promiscuous socket gets every message with its bytes, and each
/// decodes and re-encodes to the same length.
#[test]
#[ignore = "needs AF_KEY and ESP: run by the kernel lab"]
fn promisc_sees_changes_with_raw_bytes() {
    let mut k = kernel();
    let mut monitor = open_pfkey();
    monitor.subscribe_with(Subscription::Promisc).unwrap();
    let sa = esp("10.0.0.1", "10.0.0.2", 0x8001, "aes-cbc", Some("hmac-sha1"));
    ok_all(&k.apply(&[
        Op::AddSa(sa.clone()),
        Op::DeleteSa(sa.id()),
        Op::FlushPolicy,
    ]));
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        match monitor
            .next_raw_event(Some(Duration::from_millis(500)))
            .unwrap()
        {
            Some(raw) => {
                let m = raw.message.as_ref().expect("kernel messages decode");
                assert_eq!(m.encode().unwrap().len(), raw.bytes.len());
                seen.push(raw.event);
            }
            None => break,
        }
    }
    assert!(
        seen.iter()
            .any(|e| matches!(e, Event::SaAdded(s) if s.spi == 0x8001)),
        "{seen:#?}"
    );
    assert!(seen
        .iter()
        .any(|e| matches!(e, Event::SaDeleted(id) if id.spi == 0x8001)));
    assert!(seen.iter().any(|e| matches!(e, Event::PolicyFlushed)));
}
