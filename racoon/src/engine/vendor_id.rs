//! Vendor IDs: racoon's are MD5 hashes of a name (vendorid.c); the NAT-T and DPD ones are
//! fixed bytes that happen to be MD5 hashes too. Received ones are logged by name.

use crate::crypto::Hash;

/// Names whose MD5 hash is a known vendor ID.
const KNOWN: &[&str] = &[
    "KAME/racoon",
    "IPSec-Tools",
    "draft-ietf-ipsec-nat-t-ike-00",
    "draft-ietf-ipsec-nat-t-ike-01",
    "draft-ietf-ipsec-nat-t-ike-02",
    "draft-ietf-ipsec-nat-t-ike-02\n",
    "draft-ietf-ipsec-nat-t-ike-03",
    "draft-ietf-ipsec-nat-t-ike-04",
    "draft-ietf-ipsec-nat-t-ike-05",
    "draft-ietf-ipsec-nat-t-ike-06",
    "draft-ietf-ipsec-nat-t-ike-07",
    "draft-ietf-ipsec-nat-t-ike-08",
    "RFC 3947",
    "CISCO-UNITY",
    "FRAGMENTATION",
];

/// The DPD vendor ID of RFC 3706 (not an MD5 of a name).
const DPD: [u8; 16] = [
    0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9, 0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
];

fn md5(name: &str) -> Option<Vec<u8>> {
    Hash::from_name("md5").ok()?.digest(&[name.as_bytes()]).ok()
}

/// The vendor ID this racoon sends, as the original did in the seeds.
pub(crate) fn ours() -> Option<Vec<u8>> {
    md5("KAME/racoon")
}

/// The DPD vendor ID, sent in phase 1 when the `remote` section has `dpd` on.
pub(crate) fn dpd() -> Vec<u8> {
    DPD.to_vec()
}

/// The FRAGMENTATION vendor ID with racoon's capability flags after the hash.
pub(crate) fn fragmentation(caps: u32) -> Option<Vec<u8>> {
    let mut v = md5("FRAGMENTATION")?;
    v.extend_from_slice(&caps.to_be_bytes());
    Some(v)
}

/// The capability flags of a received FRAGMENTATION vendor ID (0 when it has none).
pub(crate) fn fragmentation_caps(vid: &[u8]) -> Option<u32> {
    let hash = md5("FRAGMENTATION")?;
    if vid.get(..16) != Some(hash.as_slice()) {
        return None;
    }
    Some(match vid.get(16..20) {
        Some(&[a, b, c, d]) => u32::from_be_bytes([a, b, c, d]),
        _ => 0,
    })
}

/// Whether a received vendor ID is the DPD one.
pub(crate) fn is_dpd(vid: &[u8]) -> bool {
    vid.get(..16) == Some(&DPD[..])
}

/// The printable name of a received vendor ID, if known.
pub(crate) fn name(vid: &[u8]) -> Option<String> {
    if vid.len() >= 16 && vid.get(..16) == Some(&DPD[..]) {
        return Some("DPD".to_owned());
    }
    if let Some(n) = super::xauth::vid_name(vid) {
        return Some(n.to_owned());
    }
    // Matched on the hash as a prefix, as racoon's lookup_vendor_id_by_hash does: a
    // longer ID (FRAGMENTATION with its capability flags) is logged as "broken".
    KNOWN
        .iter()
        .find(|n| md5(n).is_some_and(|h| vid.get(..h.len()) == Some(h.as_slice())))
        .map(|n| n.trim_end().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_id_is_recognised() {
        assert_eq!(name(&ours().unwrap()).as_deref(), Some("KAME/racoon"));
        assert_eq!(name(&DPD).as_deref(), Some("DPD"));
        assert_eq!(name(b"nonsense"), None);
    }
}
