//! IKEv1 key derivation and authentication hashes (RFC 2409), checked against values
//! computed independently with the `openssl` command-line tool, since no published
//! IKEv1 vector set was found with the search tools. The generator, run once and its
//! output pasted below:
//!
//! ```text
//! hmac(md, key, data) = openssl dgst -<md> -mac HMAC -macopt hexkey:<key> -binary < data
//! h(md, data)         = openssl dgst -<md> -binary < data
//! SKEYID   = hmac(psk, Ni|Nr)             SKEYID_d = hmac(SKEYID, gxy|CKYI|CKYR|00)
//! SKEYID_a = hmac(SKEYID, d|gxy|CKYI|CKYR|01)  SKEYID_e = hmac(SKEYID, a|gxy|CKYI|CKYR|02)
//! key      = e[..n], or K1=hmac(e, 00), Kn=hmac(e, Kn-1), (K1|K2..)[..n]   (appendix B)
//! HASH_I   = hmac(SKEYID, gxi|gxr|CKYI|CKYR|SAi_b|IDii_b)
//! HASH_R   = hmac(SKEYID, gxr|gxi|CKYR|CKYI|SAi_b|IDir_b)
//! IV1 = h(gxi|gxr)[..blk]   IV2 = h(a0 a1 ..(blk bytes)|MID)[..blk]
//! SKEYID(sig) = hmac(Ni|Nr, gxy)
//! HASH(1) = hmac(a, MID|after)   HASH(2) = hmac(a, MID|Ni|after)  HASH(3) = hmac(a, 00|MID|Ni|Nr)
//! KEYMAT: Kn = hmac(d, Kn-1|[gqm|]03|SPI|Ni|Nr), 52 bytes
//! ```
//! Inputs: psk "s3cr3t-psk", Ni = 10..1f, Nr = 20..2f, g^xy[i] = 7i+3, g^xi[i] = 11i+5,
//! g^xr[i] = 13i+1, g(qm)^xy[i] = 5i+9 (128 bytes each, mod 256), CKY-I = 0102..08,
//! CKY-R = 1112..18, M-ID = 12345678, SPI = c0ffee01, "after" = 0a000014 | 16 zero bytes.

use racoon::crypto::{
    encryption_key, message_iv, phase1_iv, quick_hash1, quick_hash2, quick_hash3, skeyid_psk,
    skeyid_sig, Hash, KeymatInput, Phase1Keys, Phase1Transcript, Secret,
};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn pattern(mul: usize, add: usize) -> Vec<u8> {
    (0..128).map(|i| ((i * mul + add) % 256) as u8).collect()
}

struct Expected {
    hash: &'static str,
    key_len: usize,
    block: usize,
    skeyid: &'static str,
    d: &'static str,
    a: &'static str,
    e: &'static str,
    key: &'static str,
    hash_i: &'static str,
    hash_r: &'static str,
    iv1: &'static str,
    iv2: &'static str,
    skeyid_sig: &'static str,
    hash1: &'static str,
    hash2: &'static str,
    hash3: &'static str,
    keymat: &'static str,
    keymat_pfs: &'static str,
}

const CASES: &[Expected] = &[
    // SHA-1 with 3DES: SKEYID_e (20 bytes) is shorter than the key (24): appendix B.
    Expected {
        hash: "sha1",
        key_len: 24,
        block: 8,
        skeyid: "d02d7c506d0c51d67e6cf8aa245dd52c86f14a8c",
        d: "916cad81ef908a13fe7b8565e906e4b286afb2e2",
        a: "bbfc24bf07ef0c5daf71519303134e92e90bf29b",
        e: "7fc7c22ee550d40722912d58873bc95a7ad43508",
        key: "010d2a5eec8547178d14cddc39b2779200987a6f411e8bb7",
        hash_i: "48336671f969a8765e94e660c6d2ddcbae88c834",
        hash_r: "3fa94b892f32bd5e22dd6e3e6318ea88a1f5fd7b",
        iv1: "fc917e47072fac3c",
        iv2: "233f8b827a648bd2",
        skeyid_sig: "c460cab0f4205da98b3cee79181fb0506faa1301",
        hash1: "3bf0821dd3b3518b9ab5684d2e3d1206502ae119",
        hash2: "e0de607d968fb8bb19b79b156c4f9ec9d9199beb",
        hash3: "1446570d4c5c1e2d2c15ff0c7e17bff76da643e8",
        keymat: "f2eb4291ee43ece1d60449a855b1bb3d5a2fb1843b4eb861dd8c891cab37d36bd1dd6615d23b8720db5f4c709a979d895c2bedbd",
        keymat_pfs: "073d317e507f6a2012a2116e7e629bbfbf9ea131b69f8baa38a97e391aef95b53b9dcac5d769bba576147f5b3f55dec18dd93c30",
    },
    // MD5 with 3DES: 16-byte SKEYID_e, expanded.
    Expected {
        hash: "md5",
        key_len: 24,
        block: 8,
        skeyid: "19b6e3fa3c233b74024d9205dd7849af",
        d: "29cf4143cb486982f3875b6baaa1d3d4",
        a: "fe4bddf333e50ef875da59bbb4299bf0",
        e: "0558bdc2ae7169c5c3108d31776c65b4",
        key: "35cfd07a7313becbe8830ed0401b72ae8dc75512947a8397",
        hash_i: "4308dfdc9210a4a6f2f2c795aa19dded",
        hash_r: "ce85dad21e2990cc2fb8e99ab832e9f6",
        iv1: "5591ca495852c704",
        iv2: "345a21f258aa3901",
        skeyid_sig: "cae913254c0199109121489f4ba0a147",
        hash1: "0fb9e762a0d33962f58ae692f207c832",
        hash2: "dfb951d70c9da391375df87f1aeb50aa",
        hash3: "ccc4bbdb9e0779f83e5f534a49eab861",
        keymat: "cedf3c17078aa826bb3e3629bf1a4c0f6035164d3b62df95e45ed491ac3928925c1493de47d59cd2a2031e590570f097df10829c",
        keymat_pfs: "7b16eabd7de92623492b05f1d2947723a915f3270c1b26349b177ae2c9aa8bb47e4ea1160c7f1e1a8565ca40b1e965b79a915cc3",
    },
    // SHA-256 with AES-256: SKEYID_e is exactly the key.
    Expected {
        hash: "sha256",
        key_len: 32,
        block: 16,
        skeyid: "df11ff7e3922733019643d0ccf922e312bdac67501742e35194c329e66a6b1b2",
        d: "2300ae1c7f803b67428cbf0c1e1b5f8cdd0bc4a04c5fae54f38ed9e7d2f96a23",
        a: "8f93c664c59311ddd9c9fa3f326c737ef0269628486c6b7aea6dd8d86c840bde",
        e: "4e17c2fb3efbf6d087bdbe2342481c6bdd86e8bf87bc0c2811f050507164499f",
        key: "4e17c2fb3efbf6d087bdbe2342481c6bdd86e8bf87bc0c2811f050507164499f",
        hash_i: "8a31189c67ae5c69c23ec4dd10cec27aec7cd879830a648b428fefcedc8c54d7",
        hash_r: "5881a8f76fbd5dc5a708dc8a96f86b507b4b295bda59d0ce30a3a5da1304adf3",
        iv1: "905a85a2092d0f5fa30c590001cbdb59",
        iv2: "2283f72c5c71ca585d6f43b8f503b175",
        skeyid_sig: "a2fca3ad6003d1f7b92be4d47436c8e0d66de12d4307850f8af3a0365d9c6ffc",
        hash1: "f063a8e02e9478e2736cb810e774d0454b37d5c132a8d52bed331b155fd760ec",
        hash2: "c29bcb2e90fbdf32f7f975d787ec789ff4019c65e22f05f1de6fa577cfa596a4",
        hash3: "eeac8c79a6f8ce813b168a69b77c8ca80629e151dab76e94f39af57040528fb0",
        keymat: "85e9757b0d4e407f0f8e2cdad481c0bebd53b8a755c08be0c6f4a83aedc4539b2e552cdf897816d2e106814932be4588e1598a85",
        keymat_pfs: "f7cc37ebb6dbf285855178301bec2a26efeb836cf8bf96f7ce015ee234445c5fb7805951b04cf789442c8480f7e671ec3ba62212",
    },
    // SHA-1 with AES-256: 20-byte SKEYID_e expanded to 32.
    Expected {
        hash: "sha1",
        key_len: 32,
        block: 16,
        skeyid: "d02d7c506d0c51d67e6cf8aa245dd52c86f14a8c",
        d: "916cad81ef908a13fe7b8565e906e4b286afb2e2",
        a: "bbfc24bf07ef0c5daf71519303134e92e90bf29b",
        e: "7fc7c22ee550d40722912d58873bc95a7ad43508",
        key: "010d2a5eec8547178d14cddc39b2779200987a6f411e8bb73813a8a09dd3bdee",
        hash_i: "48336671f969a8765e94e660c6d2ddcbae88c834",
        hash_r: "3fa94b892f32bd5e22dd6e3e6318ea88a1f5fd7b",
        iv1: "fc917e47072fac3c2f4a1824cc8e2791",
        iv2: "5e93e4260c9edaa8a57280074d256afd",
        skeyid_sig: "c460cab0f4205da98b3cee79181fb0506faa1301",
        hash1: "3bf0821dd3b3518b9ab5684d2e3d1206502ae119",
        hash2: "e0de607d968fb8bb19b79b156c4f9ec9d9199beb",
        hash3: "1446570d4c5c1e2d2c15ff0c7e17bff76da643e8",
        keymat: "f2eb4291ee43ece1d60449a855b1bb3d5a2fb1843b4eb861dd8c891cab37d36bd1dd6615d23b8720db5f4c709a979d895c2bedbd",
        keymat_pfs: "073d317e507f6a2012a2116e7e629bbfbf9ea131b69f8baa38a97e391aef95b53b9dcac5d769bba576147f5b3f55dec18dd93c30",
    },
];

const SAI_B: &str =
    "00000001000000010000002c010100010300002401010000800b0001800c0e1080010005800300018002000280040002";

#[test]
fn phase1_and_phase2_derivation_match_openssl() {
    let ni: Vec<u8> = (0x10..0x20).collect();
    let nr: Vec<u8> = (0x20..0x30).collect();
    let g_xy = pattern(7, 3);
    let g_xi = pattern(11, 5);
    let g_xr = pattern(13, 1);
    let g_qm = pattern(5, 9);
    let cky_i: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
    let cky_r: [u8; 8] = [0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18];
    let sai_b = hex(SAI_B);
    let mid = 0x1234_5678;
    let mut after = hex("0a000014");
    after.extend_from_slice(&[0; 16]);

    for c in CASES {
        let hash = Hash::from_name(c.hash).unwrap();
        let prf = hash.prf();
        let skeyid = skeyid_psk(&prf, b"s3cr3t-psk", &ni, &nr).unwrap();
        assert_eq!(skeyid.as_bytes(), hex(c.skeyid), "{}", c.hash);
        let keys = Phase1Keys::derive(&prf, skeyid, &g_xy, &cky_i, &cky_r, c.key_len).unwrap();
        assert_eq!(keys.skeyid_d.as_bytes(), hex(c.d));
        assert_eq!(keys.skeyid_a.as_bytes(), hex(c.a));
        assert_eq!(keys.skeyid_e.as_bytes(), hex(c.e));
        assert_eq!(keys.encryption_key.as_bytes(), hex(c.key), "{} key", c.hash);

        let t = Phase1Transcript {
            g_xi: &g_xi,
            g_xr: &g_xr,
            cky_i: &cky_i,
            cky_r: &cky_r,
            sai_b: &sai_b,
        };
        assert_eq!(
            t.hash_i(&prf, &keys.skeyid, &hex("011101f4c0a80001"))
                .unwrap(),
            hex(c.hash_i)
        );
        assert_eq!(
            t.hash_r(&prf, &keys.skeyid, &hex("011101f4c0a80002"))
                .unwrap(),
            hex(c.hash_r)
        );

        assert_eq!(phase1_iv(&hash, &g_xi, &g_xr, c.block).unwrap(), hex(c.iv1));
        let last: Vec<u8> = (0xa0..0xa0 + c.block as u8).collect();
        assert_eq!(message_iv(&hash, &last, mid, c.block).unwrap(), hex(c.iv2));

        assert_eq!(
            skeyid_sig(&prf, &ni, &nr, &g_xy).unwrap().as_bytes(),
            hex(c.skeyid_sig)
        );

        let a = &keys.skeyid_a;
        assert_eq!(quick_hash1(&prf, a, mid, &after).unwrap(), hex(c.hash1));
        assert_eq!(
            quick_hash2(&prf, a, mid, &ni, &after).unwrap(),
            hex(c.hash2)
        );
        assert_eq!(quick_hash3(&prf, a, mid, &ni, &nr).unwrap(), hex(c.hash3));

        let spi = hex("c0ffee01");
        let other = hex("0badf00d");
        let mut input = KeymatInput {
            prf: &prf,
            skeyid_d: &keys.skeyid_d,
            pfs_g_xy: None,
            protocol: 3,
            ni_b: &ni,
            nr_b: &nr,
        };
        let pair = input.pair(&spi, &other, 52).unwrap();
        assert_eq!(pair.inbound.as_bytes(), hex(c.keymat), "{} keymat", c.hash);
        assert_ne!(pair.inbound, pair.outbound);
        input.pfs_g_xy = Some(&g_qm);
        let pfs = input.pair(&other, &spi, 52).unwrap();
        assert_eq!(pfs.outbound.as_bytes(), hex(c.keymat_pfs), "{} pfs", c.hash);
    }
}

#[test]
fn appendix_b_prefix_property() {
    // A shorter key is a prefix of a longer one, and a long enough SKEYID_e is truncated.
    let prf = Hash::from_name("md5").unwrap().prf();
    let e = Secret::new(vec![7; 16]);
    let k24 = encryption_key(&prf, &e, 24).unwrap();
    let k40 = encryption_key(&prf, &e, 40).unwrap();
    assert_eq!(&k40.as_bytes()[..24], k24.as_bytes());
    assert_eq!(encryption_key(&prf, &e, 8).unwrap().as_bytes(), &[7; 8]);
    assert!(encryption_key(&prf, &e, 255 * 16 + 1).is_err());
}
