//! One SA as `setkey -D` and `racoonctl show-sa esp` print it (`pfkey_sadump1`).

use std::fmt;
use std::net::IpAddr;

use super::{hex, names, sa_lifetime, DumpOptions};
use crate::addr::Address;
use crate::digits::{write_hex8, write_u32};
use crate::sa::{Dumped, NatT, Sa, SaType, SecCtx};

/// Writes one SA block, every line ending in `\n`:
///
/// ```text
/// 10.0.0.1 10.0.0.2 ␠
/// \tesp mode=tunnel spi=4098(0x00001002) reqid=102(0x00000066)
/// \tE: aes-cbc  30313233 ...
/// \tA: hmac-sha256  ...
/// \tseq=0x00000000 replay=32 flags=0x00000000 state=mature ␠
/// \tcreated: ... (the lifetime block, only when the kernel sent current usage)
/// \tsadb_seq=1 pid=3764 refcnt=0
/// ```
pub fn sa(out: &mut impl fmt::Write, entry: &Dumped<Sa>, opts: &DumpOptions<'_>) -> fmt::Result {
    write_sa(out, entry, opts)
}

fn write_sa(out: &mut dyn fmt::Write, entry: &Dumped<Sa>, opts: &DumpOptions<'_>) -> fmt::Result {
    let sa = &entry.entry;
    // The original's `use_natt`: a NAT-T type extension with a nonzero type.
    let natt = sa.natt.filter(|n| n.encap != 0);

    write_end(out, sa.src, natt.map(|n| n.sport), opts.with_ports)?;
    write_end(out, sa.dst, natt.map(|n| n.dport), opts.with_ports)?;
    out.write_str("\n\t")?;

    match (natt, sa.satype) {
        (Some(_), SaType::Esp) => out.write_str("esp-udp")?,
        (Some(_), satype) => {
            out.write_str("natt+")?;
            out.write_str(satype.name())?;
        }
        (None, satype) => out.write_str(satype.name())?,
    }
    out.write_str(" mode=")?;
    out.write_str(sa.mode.name())?;
    out.write_str(" spi=")?;
    write_dec_hex(out, sa.spi)?;
    out.write_str(" reqid=")?;
    write_dec_hex(out, sa.reqid)?;
    out.write_char('\n')?;
    if let Some(NatT {
        original_address: Some(oa),
        ..
    }) = natt
    {
        writeln!(out, "\tNAT OA={}", Address::from(oa))?;
    }

    write_keys(out, sa)?;

    out.write_str("\tseq=0x")?;
    write_hex8(out, sa.seq)?;
    out.write_str(" replay=")?;
    write_u32(out, sa.replay)?;
    out.write_str(" flags=0x")?;
    write_hex8(out, sa.flags)?;
    out.write_str(" state=")?;
    out.write_str(sa.state.name())?;
    out.write_str(" \n")?;

    if let Some(current) = &sa.current {
        sa_lifetime::write(out, current, &sa.hard, &sa.soft, opts.clock)?;
    }
    if let Some(ctx) = &sa.sec_ctx {
        write_sec_ctx(out, ctx)?;
    }
    out.write_str("\tsadb_seq=")?;
    write_u32(out, entry.seq)?;
    out.write_str(" pid=")?;
    write_u32(out, entry.pid)?;
    out.write_str(" refcnt=")?;
    write_u32(out, entry.refcnt)?;
    out.write_char('\n')
}

/// `4098(0x00001002)`: the SPI and reqid fields.
fn write_dec_hex(out: &mut dyn fmt::Write, n: u32) -> fmt::Result {
    write_u32(out, n)?;
    out.write_str("(0x")?;
    write_hex8(out, n)?;
    out.write_char(')')
}

/// `SRC ` or, with `-p`, `SRC[0] `: the kernel reports SA addresses with port 0 (the
/// model keeps no port for them), then the NAT-T port when there is one.
fn write_end(
    out: &mut dyn fmt::Write,
    ip: IpAddr,
    natt_port: Option<u16>,
    with_ports: bool,
) -> fmt::Result {
    Address::from(ip).write(out)?;
    if with_ports {
        out.write_str("[0]")?;
    }
    if let Some(port) = natt_port {
        out.write_char('[')?;
        write_u32(out, port.into())?;
        out.write_char(']')?;
    }
    out.write_char(' ')
}

/// The `C:`, `E:` and `A:` lines.
///
/// IPComp's `C: deflate ` has no newline of its own: the original went straight on to
/// the `seq=` line (or to `A:`), so they share one line. `E:` and `A:` appear only when
/// the kernel sent a key extension, which Linux does only for a key of nonzero length:
/// so ESP with the `null` cipher has no `E:` line, and `-A null` no `A:` line.
fn write_keys(out: &mut dyn fmt::Write, sa: &Sa) -> fmt::Result {
    match sa.satype {
        SaType::IpComp => {
            out.write_str("\tC: ")?;
            match sa.comp {
                Some(alg) => names::write_alg(out, alg)?,
                None => out.write_str("none ")?,
            }
        }
        SaType::Esp => {
            if let Some(enc) = sa.enc.as_ref().filter(|k| !k.key.is_empty()) {
                out.write_str("\tE: ")?;
                names::write_alg(out, enc.alg)?;
                hex::write(out, &enc.key)?;
                out.write_char('\n')?;
            }
        }
        SaType::Ah | SaType::TcpMd5 => {}
    }
    if let Some(auth) = sa.auth.as_ref().filter(|k| !k.key.is_empty()) {
        out.write_str("\tA: ")?;
        names::write_alg(out, auth.alg)?;
        hex::write(out, &auth.key)?;
        out.write_char('\n')?;
    }
    Ok(())
}

/// The security context lines, shared by SAs and policies. The length is the kernel's
/// `sadb_x_ctx_len`, which counts the terminating NUL setkey and racoon send with the
/// label; the label prints as C's `%s` would, up to a NUL inside it.
pub(super) fn write_sec_ctx(out: &mut dyn fmt::Write, ctx: &SecCtx) -> fmt::Result {
    let label = ctx.label.split('\0').next().unwrap_or("");
    writeln!(out, "\tsecurity context doi: {}", ctx.doi)?;
    writeln!(out, "\tsecurity context algorithm: {}", ctx.alg)?;
    writeln!(out, "\tsecurity context length: {}", ctx.label.len() + 1)?;
    writeln!(out, "\tsecurity context: {label}")
}
