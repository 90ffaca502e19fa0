//! Main mode with RSA signatures and X.509 certificates between two engines. The
//! certificates are made here (a CA, host certificates for both gateways, and the bad
//! ones: another CA's, an expired one, one whose key is not the signer's) and written to
//! a temporary `path certificate` directory that the configuration names, as racoon
//! reads them. A good pair installs SAs; every bad credential ends phase 1 with the
//! original's log line, and no SA.

#[allow(dead_code)]
mod engine_sim;

use engine_sim::*;
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{BasicConstraints, SubjectAlternativeName};
use openssl::x509::{X509Name, X509};
use racoon::conf::{parse_str, NoIncludes};
use racoon::crypto::CertStore;
use racoon::engine::{Engine, SeededRng};
use racoon::isakmp::{CertEncoding, ExchangeType, Flags, Header, Message, Payload};
use racoon::psk::PskFile;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

const PROPOSAL_SIG: &str = "encryption_algorithm aes; hash_algorithm sha1; \
    authentication_method rsasig; dh_group modp1024;";

const SAINFO: &str = "encryption_algorithm aes; authentication_algorithm hmac_sha1; \
    compression_algorithm deflate;";

fn key() -> PKey<Private> {
    PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap()
}

fn name(cn: &str) -> X509Name {
    let mut b = X509Name::builder().unwrap();
    b.append_entry_by_text("C", "JP").unwrap();
    b.append_entry_by_text("O", "KAME").unwrap();
    b.append_entry_by_text("CN", cn).unwrap();
    b.build()
}

/// A certificate for `cn` with `key`, signed by `issuer` (None: self-signed CA),
/// valid from `from` to `to` days from now.
fn cert(
    cn: &str,
    key: &PKey<Private>,
    issuer: Option<(&X509, &PKey<Private>)>,
    days: (i64, i64),
    alt_dns: Option<&str>,
) -> X509 {
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    let mut serial = BigNum::new().unwrap();
    serial.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
    b.set_serial_number(&serial.to_asn1_integer().unwrap())
        .unwrap();
    b.set_subject_name(&name(cn)).unwrap();
    b.set_pubkey(key).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    b.set_not_before(&Asn1Time::from_unix(now + days.0 * 86400).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::from_unix(now + days.1 * 86400).unwrap())
        .unwrap();
    match issuer {
        None => {
            b.set_issuer_name(&name(cn)).unwrap();
            b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
                .unwrap();
            b.sign(key, MessageDigest::sha256()).unwrap();
        }
        Some((ca, ca_key)) => {
            b.set_issuer_name(ca.subject_name()).unwrap();
            if let Some(dns) = alt_dns {
                let ext = SubjectAlternativeName::new()
                    .dns(dns)
                    .build(&b.x509v3_context(Some(ca), None))
                    .unwrap();
                b.append_extension(ext).unwrap();
            }
            b.sign(ca_key, MessageDigest::sha256()).unwrap();
        }
    }
    b.build()
}

/// A fresh directory with the CA, the two gateways' pairs and the bad credentials.
struct Pki {
    dir: PathBuf,
}

impl Pki {
    fn new(tag: &str) -> Pki {
        let dir = std::env::temp_dir().join(format!("racoon-cert-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let write_cert = |f: &str, c: &X509| std::fs::write(dir.join(f), c.to_pem().unwrap());
        let write_key = |f: &str, k: &PKey<Private>| {
            std::fs::write(dir.join(f), k.private_key_to_pem_pkcs8().unwrap())
        };
        let ca_key = key();
        let ca = cert("Test CA", &ca_key, None, (-1, 365), None);
        write_cert("ca.crt", &ca).unwrap();
        for host in ["a", "b"] {
            let k = key();
            let c = cert(
                host,
                &k,
                Some((&ca, &ca_key)),
                (-1, 365),
                Some(&format!("{host}.example")),
            );
            write_cert(&format!("{host}.crt"), &c).unwrap();
            write_key(&format!("{host}.key"), &k).unwrap();
        }
        // Another CA's certificate for b.
        let rogue_key = key();
        let rogue = cert("Rogue CA", &rogue_key, None, (-1, 365), None);
        let k = key();
        let c = cert("b", &k, Some((&rogue, &rogue_key)), (-1, 365), None);
        write_cert("rogue-b.crt", &c).unwrap();
        write_key("rogue-b.key", &k).unwrap();
        // b's certificate, expired yesterday.
        let k = key();
        let c = cert("b", &k, Some((&ca, &ca_key)), (-30, -1), None);
        write_cert("expired-b.crt", &c).unwrap();
        write_key("expired-b.key", &k).unwrap();
        // A key that is not the one b.crt certifies.
        write_key("other.key", &key()).unwrap();
        Pki { dir }
    }

    fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One gateway's racoon.conf: `path certificate` the PKI's directory, rsasig, asn1dn.
fn gateway_conf(pki: &Pki, peer: &str, remote_lines: &str, local: &str, remote: &str) -> String {
    mode_conf(pki, "main", peer, remote_lines, local, remote)
}

/// [`gateway_conf`] with another exchange mode.
fn mode_conf(
    pki: &Pki,
    mode: &str,
    peer: &str,
    remote_lines: &str,
    local: &str,
    remote: &str,
) -> String {
    format!(
        "path certificate \"{}\";\nremote {peer} {{\n exchange_mode {mode};\n \
         ca_type x509 \"ca.crt\";\n my_identifier asn1dn;\n {remote_lines}\n \
         proposal {{\n {PROPOSAL_SIG}\n }}\n}}\n{}\n",
        pki.path().display(),
        sainfo(local, remote, SAINFO)
    )
}

fn node(addr: &str, conf_text: &str, seed: u64) -> Node {
    let config = parse_str("racoon.conf", conf_text, &mut NoIncludes).expect("config parses");
    let certs = CertStore::load(&config).expect("certificates load");
    let mut engine = Engine::new(
        Arc::new(config),
        Arc::new(PskFile::parse(b"")),
        vec![ip(addr)],
        Box::new(SeededRng::new(seed)),
    );
    engine.set_certs(Arc::new(certs));
    Node::with_engine(addr, engine, 0x1000 + (seed as u32 & 0xff) * 0x100)
}

/// A (initiator, 192.168.1.100) with `a_lines`, B with `b_lines`.
fn pair(pki: &Pki, a_lines: &str, b_lines: &str, seed: u64) -> Sim {
    mode_pair(pki, "main", a_lines, b_lines, seed)
}

fn mode_pair(pki: &Pki, mode: &str, a_lines: &str, b_lines: &str, seed: u64) -> Sim {
    let a = node(
        A,
        &mode_conf(pki, mode, B, a_lines, "172.16.1.0/24", "172.16.2.0/24"),
        seed,
    );
    let b = node(
        B,
        &mode_conf(pki, mode, A, b_lines, "172.16.2.0/24", "172.16.1.0/24"),
        seed + 1,
    );
    Sim::new(a, b, Link::default(), seed + 2)
}

const A_GOOD: &str = "certificate_type x509 \"a.crt\" \"a.key\";";
const B_GOOD: &str = "certificate_type x509 \"b.crt\" \"b.key\";";
const ROGUE_B: &str = "certificate_type x509 \"rogue-b.crt\" \"rogue-b.key\";";

fn run(sim: &mut Sim) {
    start_kame_tunnel(sim);
    sim.run_for(Duration::from_secs(10));
}

/// Runs `sim` and returns every ISAKMP message that crossed (retransmissions
/// included), with the index of the node it went to.
fn run_recording(sim: &mut Sim) -> Vec<(usize, Message)> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let log = seen.clone();
    sim.drop_if = Some(Box::new(move |to, bytes| {
        if let Ok(m) = Message::decode(bytes) {
            log.borrow_mut().push((to, m));
        }
        false
    }));
    run(sim);
    seen.take()
}

/// A and B in `mode` with `a_lines` and `b_lines`, negotiated.
fn negotiated(pki: &Pki, mode: &str, a_lines: &str, b_lines: &str, seed: u64) -> Sim {
    let mut sim = mode_pair(pki, mode, a_lines, b_lines, seed);
    run(&mut sim);
    sim
}

fn established(node: &Node) -> usize {
    node.engine
        .isakmp_sas()
        .iter()
        .filter(|s| s.established)
        .count()
}

/// Both sides authenticated each other by certificate and signature and installed
/// matching SAs.
fn assert_signed_and_installed(sim: &Sim) {
    for node in &sim.nodes {
        assert_eq!(established(node), 1, "{:#?}", node.logs);
        assert!(node.has_log("CERT validated"), "{:#?}", node.logs);
        assert!(node.has_log("SIG authenticated"));
        assert_eq!(node.installs.len(), 1);
    }
    assert_pairs_match(sim);
}

/// A refused B's certificate, signed by the rogue CA.
fn assert_rogue_refused(sim: &Sim) {
    assert!(sim.nodes[0].has_log(
        "unable to get local issuer certificate(20) at depth:0 SubjectName:/C=JP/O=KAME/CN=b"
    ));
    assert_refused(sim, 0, "the peer's certificate is not verified.");
}

/// The failure left no ISAKMP-SA on `failing` and no IPsec SA anywhere.
fn assert_refused(sim: &Sim, failing: usize, line: &str) {
    let node = &sim.nodes[failing];
    assert!(node.has_log(line), "no {line:?} in {:#?}", node.logs);
    assert!(node.has_log_containing("phase1 negotiation failed."));
    assert_eq!(established(node), 0, "{:#?}", node.logs);
    assert!(sim.nodes.iter().all(|n| n.installs.is_empty()));
}

#[test]
fn rsasig_main_mode_installs_sas() {
    let pki = Pki::new("good");
    let mut sim = pair(
        &pki,
        &format!("{A_GOOD} peers_identifier asn1dn \"C=JP, O=KAME, CN=b\"; verify_identifier on;"),
        &format!("{B_GOOD} peers_identifier asn1dn \"C=JP, O=KAME, CN=*\"; verify_identifier on;"),
        10,
    );
    // The cleartext messages: 3 and 4 each carry a CR naming the CA.
    let crs: Vec<_> = run_recording(&mut sim)
        .iter()
        .flat_map(|(_, m)| &m.payloads)
        .filter_map(|p| match p {
            Payload::CertificateRequest {
                encoding,
                authority,
            } => Some((*encoding, authority.clone())),
            _ => None,
        })
        .collect();
    assert_signed_and_installed(&sim);
    let ca = X509::from_pem(&std::fs::read(pki.path().join("ca.crt")).unwrap()).unwrap();
    let ca_dn = ca.subject_name().to_der().unwrap();
    assert_eq!(
        crs,
        vec![
            (CertEncoding::X509Signature, ca_dn.clone()),
            (CertEncoding::X509Signature, ca_dn)
        ]
    );
    let (sa, sb) = (
        sim.nodes[0].engine.isakmp_sas(),
        sim.nodes[1].engine.isakmp_sas(),
    );
    let (ka, kb) = (sa[0].keys.as_ref().unwrap(), sb[0].keys.as_ref().unwrap());
    for n in 0..3 {
        assert_eq!(ka[n].as_bytes(), kb[n].as_bytes());
    }
}

#[test]
fn send_cr_off_sends_none_and_peers_certfile_replaces_the_cert_payload() {
    let pki = Pki::new("certfile");
    let mut sim = pair(
        &pki,
        &format!("{A_GOOD} send_cr off; peers_certfile x509 \"b.crt\";"),
        &format!("{B_GOOD} send_cr off; send_cert off; peers_certfile x509 \"a.crt\";"),
        20,
    );
    let crs = run_recording(&mut sim)
        .iter()
        .flat_map(|(_, m)| &m.payloads)
        .filter(|p| matches!(p, Payload::CertificateRequest { .. }))
        .count();
    for node in &sim.nodes {
        assert_eq!(established(node), 1, "{:#?}", node.logs);
    }
    assert_eq!(crs, 0);
}

#[test]
fn a_certificate_of_another_ca_is_refused() {
    let pki = Pki::new("rogue");
    let sim = negotiated(&pki, "main", A_GOOD, ROGUE_B, 30);
    assert_rogue_refused(&sim);
}

#[test]
fn an_expired_certificate_is_refused() {
    let pki = Pki::new("expired");
    // B answers with the expired certificate; A (the initiator) checks it.
    let sim = negotiated(
        &pki,
        "main",
        A_GOOD,
        "certificate_type x509 \"expired-b.crt\" \"expired-b.key\";",
        40,
    );
    assert!(sim.nodes[0]
        .has_log("certificate has expired(10) at depth:0 SubjectName:/C=JP/O=KAME/CN=b"));
    assert_refused(&sim, 0, "the peer's certificate is not verified.");
}

#[test]
fn a_signature_by_another_key_is_refused() {
    let pki = Pki::new("badsig");
    // A signs with a key that is not its certificate's: B, the responder, must refuse.
    let sim = negotiated(
        &pki,
        "main",
        "certificate_type x509 \"a.crt\" \"other.key\";",
        B_GOOD,
        50,
    );
    assert!(sim.nodes[1].has_log("CERT validated"));
    assert_refused(&sim, 1, "Invalid SIG.");
    assert!(!sim.nodes[1].has_log("SIG authenticated"));
}

#[test]
fn a_tampered_signature_is_refused() {
    let pki = Pki::new("tampered");
    let mut sim = pair(&pki, A_GOOD, B_GOOD, 60);
    // Message 5 reaches B with one bit of its second-to-last cipher block flipped: in
    // CBC that garbles the block after it in the plaintext, the end of the SIG payload
    // (the last payload, before at most one block of padding).
    let done = Rc::new(RefCell::new(false));
    let flag = done.clone();
    sim.mutate = Some(Box::new(move |to, bytes| {
        let Ok(h) = Header::decode(bytes) else { return };
        if to == 1
            && h.exchange == ExchangeType::IdentityProtection
            && h.flags.contains(Flags::ENCRYPTION)
            && !*flag.borrow()
        {
            let n = bytes.len();
            bytes[n - 32] ^= 0x01;
            *flag.borrow_mut() = true;
        }
    }));
    run(&mut sim);
    assert!(*done.borrow());
    assert!(
        sim.nodes[1].has_log("CERT validated"),
        "{:#?}",
        sim.nodes[1].logs
    );
    assert_refused(&sim, 1, "Invalid SIG.");
    assert!(!sim.nodes[1].has_log("SIG authenticated"));
}

#[test]
fn rsa_signatures_are_raw_pkcs1_and_any_change_fails() {
    let pki = Pki::new("rawsig");
    let key =
        PKey::private_key_from_pem(&std::fs::read(pki.path().join("b.key")).unwrap()).unwrap();
    let b = X509::from_pem(&std::fs::read(pki.path().join("b.crt")).unwrap()).unwrap();
    let public = b.public_key().unwrap();
    let hash = [7u8; 20];
    let mut sig = racoon::crypto::rsa_sign(&key, &hash).unwrap();
    assert_eq!(sig.len(), 256);
    // Opened without padding, the block is 00 01 FF..FF 00 || HASH: no DigestInfo.
    let mut raw = vec![0; 256];
    public
        .rsa()
        .unwrap()
        .public_decrypt(&sig, &mut raw, openssl::rsa::Padding::NONE)
        .unwrap();
    assert_eq!(&raw[..2], &[0, 1]);
    assert!(raw[2..256 - 21].iter().all(|&x| x == 0xff));
    assert_eq!(raw[256 - 21], 0);
    assert_eq!(&raw[256 - 20..], &hash);
    assert!(racoon::crypto::rsa_verify(&public, &hash, &sig));
    assert!(!racoon::crypto::rsa_verify(&public, &[8u8; 20], &sig));
    sig[100] ^= 1;
    assert!(!racoon::crypto::rsa_verify(&public, &hash, &sig));
    assert!(!racoon::crypto::rsa_verify(&public, &hash, &[]));
}

#[test]
fn an_id_the_certificate_does_not_name_is_refused() {
    let pki = Pki::new("idmismatch");
    let sim = negotiated(
        &pki,
        "main",
        &format!("{A_GOOD} verify_identifier on;"),
        &format!("{B_GOOD} my_identifier asn1dn \"C=JP, O=KAME, CN=c\";"),
        70,
    );
    assert!(sim.nodes[0].has_log("ID mismatched with ASN1 SubjectName."));
    assert_refused(&sim, 0, "no peer's CERT payload found.");
}

#[test]
fn peers_identifier_asn1dn_must_match() {
    let pki = Pki::new("peersid");
    let sim = negotiated(
        &pki,
        "main",
        &format!("{A_GOOD} peers_identifier asn1dn \"C=JP, O=KAME, CN=c\"; verify_identifier on;"),
        B_GOOD,
        80,
    );
    assert!(sim.nodes[0].has_log("No ID match."));
    assert_refused(&sim, 0, "invalid ID payload.");
}

#[test]
fn missing_files_and_non_rsa_keys_fail_the_configuration() {
    let pki = Pki::new("load");
    let load = |lines: &str| {
        let conf = gateway_conf(&pki, B, lines, "172.16.1.0/24", "172.16.2.0/24");
        let config = parse_str("racoon.conf", &conf, &mut NoIncludes).unwrap();
        CertStore::load(&config).map(|_| ()).unwrap_err()
    };
    let dir = pki.path().display();
    let e = load("certificate_type x509 \"nope.crt\" \"a.key\";");
    assert!(
        e.ends_with(&format!(
            "failed to load certificate \"{dir}/nope.crt\": No such file or directory"
        )),
        "{e}"
    );
    let ec = PKey::from_ec_key(
        openssl::ec::EcKey::generate(
            &openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    std::fs::write(
        pki.path().join("ec.key"),
        ec.private_key_to_pem_pkcs8().unwrap(),
    )
    .unwrap();
    let e = load("certificate_type x509 \"a.crt\" \"ec.key\";");
    assert!(
        e.ends_with(&format!(
            "failed to load private key \"{dir}/ec.key\": a EC key, only RSA keys can sign"
        )),
        "{e}"
    );
    std::fs::write(pki.path().join("junk.crt"), b"not a certificate").unwrap();
    let e = load("certificate_type x509 \"a.crt\" \"a.key\"; peers_certfile x509 \"junk.crt\";");
    assert!(
        e.contains(&format!("failed to load certificate \"{dir}/junk.crt\"")),
        "{e}"
    );
}

/// Aggressive mode: IDs and a CR in messages 1 and 2, SIG_R in message 2, SIG_I in 3.
#[test]
fn rsasig_aggressive_mode_installs_sas() {
    let pki = Pki::new("aggr");
    let mut sim = mode_pair(
        &pki,
        "aggressive",
        &format!("{A_GOOD} peers_identifier asn1dn \"C=JP, O=KAME, CN=b\"; verify_identifier on;"),
        B_GOOD,
        90,
    );
    let sigs: Vec<_> = run_recording(&mut sim)
        .into_iter()
        .filter(|(_, m)| m.header.exchange == ExchangeType::Aggressive)
        .map(|(to, m)| {
            let kinds: Vec<_> = m
                .payloads
                .iter()
                .filter_map(|p| match p {
                    Payload::Certificate { .. } => Some("CERT"),
                    Payload::CertificateRequest { .. } => Some("CR"),
                    Payload::Signature(_) => Some("SIG"),
                    Payload::Hash(_) => Some("HASH"),
                    _ => None,
                })
                .collect();
            (to, kinds)
        })
        .collect();
    assert_signed_and_installed(&sim);
    assert_eq!(
        sigs,
        vec![
            (1, vec!["CR"]),
            (0, vec!["CERT", "SIG", "CR"]),
            (1, vec!["CERT", "SIG"])
        ]
    );
}

#[test]
fn aggressive_mode_refuses_another_cas_certificate() {
    let pki = Pki::new("aggrrogue");
    let sim = negotiated(&pki, "aggressive", A_GOOD, ROGUE_B, 100);
    assert_rogue_refused(&sim);
    assert_eq!(established(&sim.nodes[1]), 0);
}
