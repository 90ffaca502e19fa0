//! The text ipsec-tools' libipsec prints for a PF_KEY message (`key_debug.c`:
//! `kdebug_sadb` and the per-extension printers below it): what `setkey -x` shows for
//! every message and `setkey -v` for every message sent and received.
//!
//! The text is printed from a decoded [`Message`]. The fields our codec does not keep
//! are the reserved ones, which the kernel always writes as zero, so they print as 0
//! here too (`sadb_key reserved`, `sadb_comb reserved`, `sadb_x_sa2 reserved1/2`,
//! `sadb_address reserved`). Lengths are recomputed by encoding, which gives back what
//! was received since decoding checked them.
//!
//! Where the original's switch has no case for an extension (`SADB_X_EXT_SEC_CTX`,
//! `SADB_X_EXT_FILTER`, unknown types), it prints `kdebug_sadb: invalid ext_type N
//! was passed.` and stops; so does this.

use std::fmt::Write as _;
use std::net::IpAddr;

use super::consts::{msg, policy as ptype};
use super::ext::{AddressExt, Extension, IdentityExt, KeyExt, LifetimeExt, ProposalExt};
use super::message::{Message, HEADER_LEN};
use super::policy_ext::PolicyExt;
use super::sockaddr::SockAddr;

/// `kdebug_sadb()`: the whole message, each line ending in a newline. (The original's
/// callers add the empty line after it.)
pub fn kdebug(m: &Message) -> String {
    let mut out = String::new();
    let h = &m.header;
    let lens: Vec<usize> = m.extensions.iter().map(ext_len).collect();
    let total = HEADER_LEN + lens.iter().sum::<usize>();
    let _ = writeln!(
        out,
        "sadb_msg{{ version=2 type={} errno={} satype={}",
        h.msg_type, h.errno, h.satype
    );
    let _ = writeln!(
        out,
        "  len={} reserved={} seq={} pid={}",
        total / 8,
        h.reserved,
        h.seq,
        h.pid
    );
    for (e, len) in m.extensions.iter().zip(lens) {
        let _ = writeln!(out, "sadb_ext{{ len={} type={} }}", len / 8, e.ext_type());
        if !extension(&mut out, e) {
            break;
        }
    }
    out
}

/// The text for a message as received: a `SADB_X_PROMISC` wrapper is unwrapped as the
/// original's `promisc()` does (nothing at all for a bare one, such as the echo of a
/// promiscuous-mode request), and a message our codec refuses prints its header and
/// the reason instead of its extensions.
pub fn kdebug_bytes(bytes: &[u8]) -> Option<String> {
    let mut bytes = bytes;
    if bytes.get(1) == Some(&msg::X_PROMISC) {
        if bytes.len() <= HEADER_LEN {
            return None;
        }
        bytes = &bytes[HEADER_LEN..];
    }
    Some(match Message::decode(bytes) {
        Ok(m) => kdebug(&m),
        Err(e) => undecodable(bytes, &e.to_string()),
    })
}

fn undecodable(bytes: &[u8], why: &str) -> String {
    let mut out = String::new();
    if let Some(b) = bytes.get(..HEADER_LEN) {
        let u16_at = |i: usize| u16::from_ne_bytes([b[i], b[i + 1]]);
        let u32_at = |i: usize| u32::from_ne_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let _ = writeln!(
            out,
            "sadb_msg{{ version={} type={} errno={} satype={}",
            b[0], b[1], b[2], b[3]
        );
        let _ = writeln!(
            out,
            "  len={} reserved={} seq={} pid={}",
            u16_at(4),
            u16_at(6),
            u32_at(8),
            u32_at(12)
        );
    }
    let _ = writeln!(out, "kdebug_sadb: {why}.");
    out
}

/// The `-H` hex dump: `%08x: ` at each 16 bytes, `%02x ` per byte, a newline after
/// each full line and after a partial last one.
pub fn hexdump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, b) in bytes.iter().enumerate() {
        if i % 16 == 0 {
            let _ = write!(out, "{i:08x}: ");
        }
        let _ = write!(out, "{b:02x} ");
        if i % 16 == 15 {
            out.push('\n');
        }
    }
    if bytes.len() % 16 != 0 {
        out.push('\n');
    }
    out
}

/// An extension's length in bytes, header and padding included.
fn ext_len(e: &Extension) -> usize {
    let mut buf = Vec::new();
    match e.encode(&mut buf) {
        Ok(()) => buf.len(),
        Err(_) => 0,
    }
}

/// One extension's text; false where the original gives up on the message.
fn extension(out: &mut String, e: &Extension) -> bool {
    match e {
        Extension::Sa(sa) => {
            let _ = writeln!(
                out,
                "sadb_sa{{ spi={} replay={} state={}",
                sa.spi, sa.replay, sa.state
            );
            let _ = writeln!(
                out,
                "  auth={} encrypt={} flags=0x{:08x} }}",
                sa.auth, sa.encrypt, sa.flags
            );
        }
        Extension::LifetimeCurrent(l) | Extension::LifetimeHard(l) | Extension::LifetimeSoft(l) => {
            lifetime(out, l)
        }
        Extension::AddressSrc(a)
        | Extension::AddressDst(a)
        | Extension::AddressProxy(a)
        | Extension::NatTOa(a) => address(out, a),
        Extension::KeyAuth(k) | Extension::KeyEncrypt(k) => key(out, k),
        Extension::IdentitySrc(i) => identity(out, "src", i),
        Extension::IdentityDst(i) => identity(out, "dst", i),
        Extension::Sensitivity(_) | Extension::SpiRange(_) | Extension::KmPrivate(_) => {}
        Extension::Proposal(p) => proposal(out, p),
        Extension::SupportedAuth(algs) | Extension::SupportedEncrypt(algs) => {
            out.push_str("sadb_sup{\n");
            for a in algs {
                let _ = writeln!(
                    out,
                    "  {{ id={} ivlen={} min={} max={} }}",
                    a.id, a.ivlen, a.minbits, a.maxbits
                );
            }
            out.push_str("}\n");
        }
        Extension::Policy(p) => policy(out, p),
        Extension::Sa2(s) => {
            let _ = writeln!(out, "sadb_x_sa2{{ mode={} reqid={}", s.mode, s.reqid);
            let _ = writeln!(out, "  reserved1=0 reserved2=0 sequence={} }}", s.sequence);
        }
        Extension::NatTType(t) => {
            let _ = writeln!(out, "sadb_x_nat_t_type{{ type={t} }}");
        }
        Extension::NatTSport(p) | Extension::NatTDport(p) => {
            let _ = writeln!(out, "sadb_x_nat_t_port{{ port={p} }}");
        }
        Extension::KmAddress(k) => {
            let r = k.reserved.to_ne_bytes();
            let _ = writeln!(
                out,
                "sadb_x_kmaddress{{ reserved=0x{:02x}{:02x}{:02x}{:02x} }}",
                r[0], r[1], r[2], r[3]
            );
            sockaddr(out, &k.local);
            sockaddr(out, &k.remote);
        }
        Extension::SecCtx(_) | Extension::Filter(_) | Extension::Unknown { .. } => {
            let _ = writeln!(
                out,
                "kdebug_sadb: invalid ext_type {} was passed.",
                e.ext_type()
            );
            return false;
        }
    }
    true
}

fn lifetime(out: &mut String, l: &LifetimeExt) {
    // The original casts bytes and times to 32 bits.
    let _ = writeln!(
        out,
        "sadb_lifetime{{ alloc={}, bytes={}",
        l.allocations, l.bytes as u32
    );
    let _ = writeln!(
        out,
        "  addtime={}, usetime={} }}",
        l.addtime as u32, l.usetime as u32
    );
}

fn address(out: &mut String, a: &AddressExt) {
    let _ = writeln!(
        out,
        "sadb_address{{ proto={} prefixlen={} reserved=0x0000 }}",
        a.proto, a.prefixlen
    );
    sockaddr(out, &a.addr);
}

/// `kdebug_sockaddr`: length, family and port, the IPv6 extras, the address in hex.
fn sockaddr(out: &mut String, s: &SockAddr) {
    let _ = writeln!(
        out,
        "sockaddr{{ len={} family={} port={}",
        s.wire_len(),
        s.family(),
        s.port
    );
    match s.ip {
        IpAddr::V4(ip) => hex(out, &ip.octets()),
        IpAddr::V6(ip) => {
            // sin6_flowinfo is printed as the host reads the network-order field.
            let _ = writeln!(
                out,
                "  flowinfo=0x{:08x}, scope_id=0x{:08x}",
                u32::from_ne_bytes(s.flowinfo.to_be_bytes()),
                s.scope_id
            );
            hex(out, &ip.octets());
        }
    }
    out.push_str("  }\n");
}

/// `ipsec_hexdump`: a space before each 4 bytes, a newline before each 32, none at the
/// end.
fn hex(out: &mut String, bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        if i != 0 && i % 32 == 0 {
            out.push('\n');
        }
        if i % 4 == 0 {
            out.push(' ');
        }
        let _ = write!(out, "{b:02x}");
    }
}

fn key(out: &mut String, k: &KeyExt) {
    let _ = writeln!(out, "sadb_key{{ bits={} reserved=0", k.bits);
    out.push_str("  key=");
    let n = usize::from(k.bits >> 3).min(k.key.len());
    hex(out, &k.key[..n]);
    out.push_str(" }\n");
}

fn identity(out: &mut String, which: &str, i: &IdentityExt) {
    let _ = write!(
        out,
        "sadb_ident_{which}{{ type={} id={}",
        i.ident_type, i.id
    );
    if !i.data.is_empty() {
        out.push_str("\n  str=\"");
        for &c in i.data.iter().take_while(|&&c| c != 0) {
            if c.is_ascii_graphic() || c == b' ' {
                out.push(char::from(c));
            } else {
                let _ = write!(out, "\\{c:03o}");
            }
        }
        out.push('"');
    }
    out.push_str(" }\n");
}

fn proposal(out: &mut String, p: &ProposalExt) {
    let _ = writeln!(out, "sadb_prop{{ replay={}", p.replay);
    for c in &p.combs {
        let _ = writeln!(
            out,
            "sadb_comb{{ auth={} encrypt={} flags=0x{:04x} reserved=0x00000000",
            c.auth, c.encrypt, c.flags
        );
        let _ = writeln!(
            out,
            "  auth_minbits={} auth_maxbits={} encrypt_minbits={} encrypt_maxbits={}",
            c.auth_minbits, c.auth_maxbits, c.encrypt_minbits, c.encrypt_maxbits
        );
        let _ = writeln!(
            out,
            "  soft_alloc={} hard_alloc={} soft_bytes={} hard_bytes={}",
            c.soft_allocations, c.hard_allocations, c.soft_bytes, c.hard_bytes
        );
        // The original labels the four times with the allocation and byte names.
        let _ = writeln!(
            out,
            "  soft_alloc={} hard_alloc={} soft_bytes={} hard_bytes={} }}",
            c.soft_addtime, c.hard_addtime, c.soft_usetime, c.hard_usetime
        );
    }
    out.push_str("}\n");
}

fn policy(out: &mut String, p: &PolicyExt) {
    let _ = writeln!(
        out,
        "sadb_x_policy{{ type={} dir={} id={:x} priority={} }}",
        p.policy_type, p.dir, p.id, p.priority
    );
    if p.policy_type != ptype::IPSEC {
        return;
    }
    for rq in &p.requests {
        let len = 16
            + rq.addrs
                .map_or(0, |(s, d)| (s.wire_len() + d.wire_len()).div_ceil(8) * 8);
        let _ = writeln!(
            out,
            " {{ len={} proto={} mode={} level={} reqid={}",
            len, rq.proto, rq.mode, rq.level, rq.reqid
        );
        if let Some((src, dst)) = &rq.addrs {
            sockaddr(out, src);
            sockaddr(out, dst);
        }
        out.push_str(" }\n");
    }
}

#[cfg(test)]
#[path = "tests/debug.rs"]
mod tests;
