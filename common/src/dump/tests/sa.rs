//! `setkey -D` SA blocks.

use super::*;
use crate::dump::{sa, sa_table};
use crate::sa::{flags, Mode, NatT, Sa, SaState, SaType, SecCtx};

fn text(entry: &Dumped<Sa>, opts: &DumpOptions<'_>) -> String {
    let mut out = String::new();
    sa(&mut out, entry, opts).unwrap();
    out
}

fn esp(src: &str, dst: &str, spi: u32) -> Sa {
    Sa::new(ip(src), ip(dst), SaType::Esp, spi)
}

/// The block both seed 003 SAs share after their keys.
const SEED_LIFETIMES: &str = concat!(
    "\tcreated: Oct  2 09:22:44 2018\tcurrent: Oct  2 10:39:21 2018\n",
    "\tdiff: 4597(s)\thard: 28800(s)\tsoft: 23040(s)\n",
    "\tlast: Oct  2 09:22:45 2018\thard: 0(s)\tsoft: 0(s)\n",
    "\tcurrent: 84(bytes)\thard: 0(bytes)\tsoft: 0(bytes)\n",
    "\tallocated: 1\thard: 0\tsoft: 0\n",
);

fn seed_sa(src: &str, dst: &str, spi: u32, enc: &str, auth: &str) -> Sa {
    let mut sa = esp(src, dst, spi);
    sa.mode = Mode::Tunnel;
    sa.replay = 4;
    sa.enc = Some(keyed(Class::Encrypt, "3des-cbc", hex(enc)));
    sa.auth = Some(keyed(Class::Auth, "hmac-sha1", hex(auth)));
    sa.hard.addtime = 28_800;
    sa.soft.addtime = 23_040;
    sa.current = Some(used(SEED_CREATED, SEED_CREATED + 1, 84, 1));
    sa
}

/// Seed 003's `racoonctl show-sa esp`, both SAs. The article lost the address lines, the
/// tabs and the trailing spaces; the addresses here are documentation addresses, the
/// times the seed's read as UTC, everything else as printed there.
#[test]
fn seed_003() {
    let entries = [
        dumped(
            seed_sa(
                "192.0.2.10",
                "198.51.100.20",
                2_148_175_815,
                "799e587f 6a2b4b78 5590cc2a 3d3ee331 f7e7f472 01abcdef",
                "01c5161f 46679a36 5d07ee9d f159fc9a 01abcdef",
            ),
            1,
            3764,
            0,
        ),
        dumped(
            seed_sa(
                "198.51.100.20",
                "192.0.2.10",
                45_614_328,
                "97cedcf1 644e8bbb c22b4e2c fa08a874 01abcdef 211ad19e",
                "1ab3e79d 3fd924a0 01abcdef 6c9ac89a 01abcdef",
            ),
            0,
            3764,
            0,
        ),
    ];
    let mut out = String::new();
    sa_table(&mut out, &entries, &opts()).unwrap();
    let expected = [
        "192.0.2.10 198.51.100.20 \n",
        "\tesp mode=tunnel spi=2148175815(0x800a8fc7) reqid=0(0x00000000)\n",
        "\tE: 3des-cbc  799e587f 6a2b4b78 5590cc2a 3d3ee331 f7e7f472 01abcdef\n",
        "\tA: hmac-sha1  01c5161f 46679a36 5d07ee9d f159fc9a 01abcdef\n",
        "\tseq=0x00000000 replay=4 flags=0x00000000 state=mature \n",
        SEED_LIFETIMES,
        "\tsadb_seq=1 pid=3764 refcnt=0\n",
        "198.51.100.20 192.0.2.10 \n",
        "\tesp mode=tunnel spi=45614328(0x02b804f8) reqid=0(0x00000000)\n",
        "\tE: 3des-cbc  97cedcf1 644e8bbb c22b4e2c fa08a874 01abcdef 211ad19e\n",
        "\tA: hmac-sha1  1ab3e79d 3fd924a0 01abcdef 6c9ac89a 01abcdef\n",
        "\tseq=0x00000000 replay=4 flags=0x00000000 state=mature \n",
        SEED_LIFETIMES,
        "\tsadb_seq=0 pid=3764 refcnt=0\n",
    ]
    .concat();
    assert_text(&out, &expected);
}

/// ESP transport, AES-CBC-256 and HMAC-SHA-256: two 32-byte keys, each exactly one full
/// line of eight groups. A fresh SA, never used: `last:` is 20 spaces.
#[test]
fn esp_transport_aes_sha256() {
    let mut sa = esp("10.0.0.1", "10.0.0.2", 0x1001);
    sa.mode = Mode::Transport;
    sa.reqid = 16_385;
    sa.replay = 32;
    sa.enc = Some(keyed(Class::Encrypt, "aes-cbc", (0..32).collect()));
    sa.auth = Some(keyed(Class::Auth, "hmac-sha256", (32..64).collect()));
    sa.current = Some(used(SEED_NOW as u64 - 10, 0, 0, 0));
    let expected = concat!(
        "10.0.0.1 10.0.0.2 \n",
        "\tesp mode=transport spi=4097(0x00001001) reqid=16385(0x00004001)\n",
        "\tE: aes-cbc  00010203 04050607 08090a0b 0c0d0e0f 10111213 14151617 18191a1b 1c1d1e1f\n",
        "\tA: hmac-sha256  20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637 38393a3b 3c3d3e3f\n",
        "\tseq=0x00000000 replay=32 flags=0x00000000 state=mature \n",
        "\tcreated: Oct  2 10:39:11 2018\tcurrent: Oct  2 10:39:21 2018\n",
        "\tdiff: 10(s)\thard: 0(s)\tsoft: 0(s)\n",
        "\tlast:                     \thard: 0(s)\tsoft: 0(s)\n",
        "\tcurrent: 0(bytes)\thard: 0(bytes)\tsoft: 0(bytes)\n",
        "\tallocated: 0\thard: 0\tsoft: 0\n",
        "\tsadb_seq=3 pid=0 refcnt=0\n",
    );
    assert_text(&text(&dumped(sa, 3, 0, 0), &opts()), expected);
}

/// A key longer than 32 bytes wraps: the next line starts with the group's space, no tab.
#[test]
fn long_key_wraps() {
    let mut sa = esp("10.0.0.1", "10.0.0.2", 0x1002);
    sa.mode = Mode::Tunnel;
    sa.reqid = 102;
    sa.replay = 32;
    sa.enc = Some(keyed(
        Class::Encrypt,
        "aes-cbc",
        b"0123456789abcdef".to_vec(),
    ));
    sa.auth = Some(keyed(Class::Auth, "hmac-sha512", (0..64).collect()));
    let expected = concat!(
        "10.0.0.1 10.0.0.2 \n",
        "\tesp mode=tunnel spi=4098(0x00001002) reqid=102(0x00000066)\n",
        "\tE: aes-cbc  30313233 34353637 38396162 63646566\n",
        "\tA: hmac-sha512  00010203 04050607 08090a0b 0c0d0e0f 10111213 14151617 18191a1b 1c1d1e1f\n",
        " 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637 38393a3b 3c3d3e3f\n",
        "\tseq=0x00000000 replay=32 flags=0x00000000 state=mature \n",
        "\tsadb_seq=0 pid=0 refcnt=0\n",
    );
    assert_text(&text(&dumped(sa, 0, 0, 0), &opts()), expected);
}

/// 3DES and HMAC-MD5 in tunnel mode, as in the KAME HOWTO.
#[test]
fn esp_tunnel_3des_md5() {
    let mut sa = esp("192.168.1.100", "192.168.2.100", 0x201);
    sa.mode = Mode::Tunnel;
    sa.enc = Some(keyed(
        Class::Encrypt,
        "3des-cbc",
        b"123456789012123456789012".to_vec(),
    ));
    sa.auth = Some(keyed(Class::Auth, "hmac-md5", b"1234567890123456".to_vec()));
    sa.current = Some(used(SEED_CREATED, 0, 0, 0));
    let expected = concat!(
        "192.168.1.100 192.168.2.100 \n",
        "\tesp mode=tunnel spi=513(0x00000201) reqid=0(0x00000000)\n",
        "\tE: 3des-cbc  31323334 35363738 39303132 31323334 35363738 39303132\n",
        "\tA: hmac-md5  31323334 35363738 39303132 33343536\n",
        "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n",
        "\tcreated: Oct  2 09:22:44 2018\tcurrent: Oct  2 10:39:21 2018\n",
        "\tdiff: 4597(s)\thard: 0(s)\tsoft: 0(s)\n",
        "\tlast:                     \thard: 0(s)\tsoft: 0(s)\n",
        "\tcurrent: 0(bytes)\thard: 0(bytes)\tsoft: 0(bytes)\n",
        "\tallocated: 0\thard: 0\tsoft: 0\n",
        "\tsadb_seq=1 pid=707 refcnt=0\n",
    );
    assert_text(&text(&dumped(sa, 1, 707, 0), &opts()), expected);
}

/// AH has no `E:` line; its mode prints `any` when setkey was given no `-m`.
#[test]
fn ah() {
    let mut sa = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::Ah, 0x3000);
    sa.auth = Some(keyed(
        Class::Auth,
        "hmac-sha1",
        b"12345678901234567890".to_vec(),
    ));
    let expected = concat!(
        "10.0.0.1 10.0.0.2 \n",
        "\tah mode=any spi=12288(0x00003000) reqid=0(0x00000000)\n",
        "\tA: hmac-sha1  31323334 35363738 39303132 33343536 37383930\n",
        "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n",
        "\tsadb_seq=0 pid=0 refcnt=0\n",
    );
    assert_text(&text(&dumped(sa, 0, 0, 0), &opts()), expected);
}

/// IPComp: `C: deflate ` has no newline, so `seq=` follows on the same line.
#[test]
fn ipcomp() {
    let mut sa = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::IpComp, 0x4000);
    sa.mode = Mode::Tunnel;
    sa.comp = Some(find_setkey(Class::Compress, "deflate").unwrap());
    sa.flags = 0x40;
    let expected = concat!(
        "10.0.0.1 10.0.0.2 \n",
        "\tipcomp mode=tunnel spi=16384(0x00004000) reqid=0(0x00000000)\n",
        "\tC: deflate \tseq=0x00000000 replay=0 flags=0x00000040 state=mature \n",
        "\tsadb_seq=0 pid=0 refcnt=0\n",
    );
    assert_text(&text(&dumped(sa, 0, 0, 0), &opts()), expected);

    // No algorithm: PF_KEY's id 0, which the original's table calls `none`.
    let mut bare = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::IpComp, 0x4001);
    bare.mode = Mode::Transport;
    let out = text(&dumped(bare, 0, 0, 0), &opts());
    assert!(
        out.contains("\n\tC: none \tseq=0x00000000 replay=0"),
        "{out}"
    );
}

/// ESP in UDP: the NAT-T ports after the addresses, `esp-udp` for the type, the
/// original address before NAT on its own line.
#[test]
fn esp_udp_natt() {
    let mut sa = esp("10.0.0.1", "203.0.113.5", 0x0abc_def0);
    sa.mode = Mode::Transport;
    sa.enc = Some(keyed(
        Class::Encrypt,
        "aes-cbc",
        b"0123456789abcdef".to_vec(),
    ));
    sa.auth = Some(keyed(
        Class::Auth,
        "hmac-sha1",
        b"01234567890123456789".to_vec(),
    ));
    sa.natt = Some(NatT {
        encap: NatT::UDP_ENCAP_ESPINUDP,
        sport: 4500,
        dport: 4501,
        original_address: Some(ip("192.168.0.7")),
    });
    let entry = dumped(sa, 0, 0, 0);
    let expected = concat!(
        "10.0.0.1[4500] 203.0.113.5[4501] \n",
        "\tesp-udp mode=transport spi=180150000(0x0abcdef0) reqid=0(0x00000000)\n",
        "\tNAT OA=192.168.0.7\n",
        "\tE: aes-cbc  30313233 34353637 38396162 63646566\n",
        "\tA: hmac-sha1  30313233 34353637 38393031 32333435 36373839\n",
        "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n",
        "\tsadb_seq=0 pid=0 refcnt=0\n",
    );
    assert_text(&text(&entry, &opts()), expected);

    // With -p the kernel's port 0 comes first, then the NAT-T port.
    let with_ports = DumpOptions {
        with_ports: true,
        ..opts()
    };
    let out = text(&entry, &with_ports);
    assert!(
        out.starts_with("10.0.0.1[0][4500] 203.0.113.5[0][4501] \n\tesp-udp "),
        "{out}"
    );
}

/// NAT-T on something other than ESP prints `natt+` before the type; an encapsulation
/// type of 0 is no NAT-T at all, as in the original.
#[test]
fn natt_variants() {
    let natt = NatT {
        encap: NatT::UDP_ENCAP_ESPINUDP,
        sport: 4500,
        dport: 4500,
        original_address: None,
    };
    let mut ah = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::Ah, 1);
    ah.natt = Some(natt);
    let out = text(&dumped(ah, 0, 0, 0), &opts());
    assert!(
        out.starts_with("10.0.0.1[4500] 10.0.0.2[4500] \n\tnatt+ah mode=any spi=1("),
        "{out}"
    );

    let mut plain = esp("10.0.0.1", "10.0.0.2", 1);
    plain.natt = Some(NatT { encap: 0, ..natt });
    let out = text(&dumped(plain, 0, 0, 0), &opts());
    assert!(
        out.starts_with("10.0.0.1 10.0.0.2 \n\tesp mode=any spi=1("),
        "{out}"
    );
}

/// The null cipher has a zero-length key, for which Linux sends no key extension, so the
/// original printed no `E:` line at all.
#[test]
fn null_encryption() {
    let mut sa = esp("10.0.0.1", "10.0.0.2", 0x5000);
    sa.mode = Mode::Transport;
    sa.enc = Some(keyed(Class::Encrypt, "null", Vec::new()));
    sa.auth = Some(keyed(
        Class::Auth,
        "hmac-sha1",
        b"12345678901234567890".to_vec(),
    ));
    let expected = concat!(
        "10.0.0.1 10.0.0.2 \n",
        "\tesp mode=transport spi=20480(0x00005000) reqid=0(0x00000000)\n",
        "\tA: hmac-sha1  31323334 35363738 39303132 33343536 37383930\n",
        "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n",
        "\tsadb_seq=0 pid=0 refcnt=0\n",
    );
    assert_text(&text(&dumped(sa, 0, 0, 0), &opts()), expected);
}

/// AES-GCM with a 256-bit key and its 32-bit salt: 36 bytes, so the salt wraps.
#[test]
fn aead_aes_gcm() {
    let mut sa = esp("2001:db8::1", "2001:db8::2", 0xc001_0001);
    sa.mode = Mode::Tunnel;
    sa.reqid = 1;
    sa.replay = 64;
    sa.enc = Some(keyed(Class::Encrypt, "aes-gcm-16", (0..36).collect()));
    let expected = concat!(
        "2001:db8::1 2001:db8::2 \n",
        "\tesp mode=tunnel spi=3221291009(0xc0010001) reqid=1(0x00000001)\n",
        "\tE: aes-gcm-16  00010203 04050607 08090a0b 0c0d0e0f 10111213 14151617 18191a1b 1c1d1e1f\n",
        " 20212223\n",
        "\tseq=0x00000000 replay=64 flags=0x00000000 state=mature \n",
        "\tsadb_seq=0 pid=0 refcnt=0\n",
    );
    assert_text(&text(&dumped(sa, 0, 0, 0), &opts()), expected);
}

/// Every lifetime field set, in a zone east of UTC: timestamps print in local time,
/// limits as given, byte counts through a double.
#[test]
fn all_lifetimes() {
    let mut sa = esp("10.0.0.1", "10.0.0.2", 0x6000);
    sa.mode = Mode::Tunnel;
    sa.enc = Some(keyed(
        Class::Encrypt,
        "aes-cbc",
        b"0123456789abcdef".to_vec(),
    ));
    sa.hard = Lifetime {
        allocations: 100,
        bytes: 4_608_000_000,
        addtime: 3_600,
        usetime: 1_800,
    };
    sa.soft = Lifetime {
        allocations: 80,
        bytes: 4_000_000_000,
        addtime: 2_880,
        usetime: 1_440,
    };
    sa.current = Some(used(SEED_CREATED, SEED_CREATED + 60, 123_456_789, 3));
    let moscow = FixedClock {
        now: SEED_NOW,
        utc_offset: 3 * 3_600,
    };
    let expected = concat!(
        "10.0.0.1 10.0.0.2 \n",
        "\tesp mode=tunnel spi=24576(0x00006000) reqid=0(0x00000000)\n",
        "\tE: aes-cbc  30313233 34353637 38396162 63646566\n",
        "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n",
        "\tcreated: Oct  2 12:22:44 2018\tcurrent: Oct  2 13:39:21 2018\n",
        "\tdiff: 4597(s)\thard: 3600(s)\tsoft: 2880(s)\n",
        "\tlast: Oct  2 12:23:44 2018\thard: 1800(s)\tsoft: 1440(s)\n",
        "\tcurrent: 123456789(bytes)\thard: 4608000000(bytes)\tsoft: 4000000000(bytes)\n",
        "\tallocated: 3\thard: 100\tsoft: 80\n",
        "\tsadb_seq=0 pid=0 refcnt=0\n",
    );
    assert_text(
        &text(&dumped(sa, 0, 0, 0), &DumpOptions::new(&moscow)),
        expected,
    );
}

/// An SA reserved by GETSPI: no keys yet, state larval, never added (created 20 spaces,
/// diff 0).
#[test]
fn larval() {
    let mut sa = esp("10.0.0.2", "10.0.0.1", 0xc0ff_ee00);
    sa.state = SaState::Larval;
    sa.seq = 7;
    sa.hard.addtime = 30;
    sa.current = Some(Lifetime::default());
    let expected = concat!(
        "10.0.0.2 10.0.0.1 \n",
        "\tesp mode=any spi=3237998080(0xc0ffee00) reqid=0(0x00000000)\n",
        "\tseq=0x00000007 replay=0 flags=0x00000000 state=larval \n",
        "\tcreated:                     \tcurrent: Oct  2 10:39:21 2018\n",
        "\tdiff: 0(s)\thard: 30(s)\tsoft: 0(s)\n",
        "\tlast:                     \thard: 0(s)\tsoft: 0(s)\n",
        "\tcurrent: 0(bytes)\thard: 0(bytes)\tsoft: 0(bytes)\n",
        "\tallocated: 0\thard: 0\tsoft: 0\n",
        "\tsadb_seq=0 pid=1234 refcnt=0\n",
    );
    assert_text(&text(&dumped(sa, 0, 1234, 0), &opts()), expected);
}

/// States past soft and hard expiry, and the KAME flags in hex.
#[test]
fn dying_dead_and_flags() {
    let cases = [
        (
            SaState::Dying,
            flags::CYCSEQ,
            "flags=0x00000040 state=dying \n",
        ),
        (
            SaState::Dead,
            flags::PZERO,
            "flags=0x00000200 state=dead \n",
        ),
        (
            SaState::Mature,
            flags::OLD | flags::DERIV | flags::PRAND,
            "flags=0x00000121 state=mature \n",
        ),
    ];
    for (state, flags, tail) in cases {
        let mut sa = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::Ah, 9);
        sa.state = state;
        sa.flags = flags;
        sa.replay = 4;
        let out = text(&dumped(sa, 0, 0, 0), &opts());
        let line = format!("\tseq=0x00000000 replay=4 {tail}");
        assert!(out.contains(&line), "{out}");
    }
}

/// The KAME DES variants print the name of their PF_KEY id, `des-cbc`.
#[test]
fn des_deriv_prints_des_cbc() {
    let mut sa = esp("10.0.0.1", "10.0.0.2", 1);
    sa.enc = Some(keyed(Class::Encrypt, "des-deriv", b"12345678".to_vec()));
    sa.flags = flags::DERIV;
    let out = text(&dumped(sa, 0, 0, 0), &opts());
    assert!(
        out.contains(
            "\n\tE: des-cbc  31323334 35363738\n\tseq=0x00000000 replay=0 flags=0x00000020 "
        ),
        "{out}"
    );
}

/// A security context follows the lifetimes; its length counts the label's NUL.
#[test]
fn security_context() {
    let mut sa = esp("10.0.0.1", "10.0.0.2", 0x7000);
    sa.enc = Some(keyed(
        Class::Encrypt,
        "aes-cbc",
        b"0123456789abcdef".to_vec(),
    ));
    sa.sec_ctx = Some(SecCtx {
        doi: 1,
        alg: 1,
        label: "system_u:object_r:ipsec_spd_t:s0".to_owned(),
    });
    let expected = concat!(
        "10.0.0.1 10.0.0.2 \n",
        "\tesp mode=any spi=28672(0x00007000) reqid=0(0x00000000)\n",
        "\tE: aes-cbc  30313233 34353637 38396162 63646566\n",
        "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n",
        "\tsecurity context doi: 1\n",
        "\tsecurity context algorithm: 1\n",
        "\tsecurity context length: 33\n",
        "\tsecurity context: system_u:object_r:ipsec_spd_t:s0\n",
        "\tsadb_seq=0 pid=0 refcnt=0\n",
    );
    assert_text(&text(&dumped(sa, 0, 0, 0), &opts()), expected);
}

/// A clock behind the SA's creation time: C's unsigned subtraction wraps.
#[test]
fn clock_behind_wraps() {
    let mut sa = esp("10.0.0.1", "10.0.0.2", 1);
    sa.current = Some(used(SEED_NOW as u64 + 1, 0, 0, 0));
    let out = text(&dumped(sa, 0, 0, 0), &opts());
    assert!(out.contains("\n\tdiff: 18446744073709551615(s)\t"), "{out}");
}
