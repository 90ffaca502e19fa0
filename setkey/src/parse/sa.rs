//! SA commands: `add`, `update`, `getspi`, `get`, `delete`, `deleteall`, and the protocol word
//! `flush` and `dump` share with them.

use common::sa::SaType;

use super::address::{addr_opts, check_same_family, host_spec, plain_host, sa_endpoint};
use super::cursor::Cursor;
use super::error::ParseError;
use super::lexer::Kind;
use super::number;
use super::sa_opts::{proto_name, sa_options};
use crate::ast::{AddrOpts, Command, GetSpiSpec, HostSpec, ProtoSpec, SaSpec};

const PROTOCOLS: &str = "a protocol (esp, esp-old, esp-udp, ah, ah-old, ipcomp or tcp)";

/// A protocol word, if `word` is one.
pub(crate) fn protocol(word: &str) -> Option<ProtoSpec> {
    let (satype, old, udp_encap) = match word {
        "esp" => (SaType::Esp, false, false),
        "esp-old" => (SaType::Esp, true, false),
        "esp-udp" => (SaType::Esp, false, true),
        "ah" => (SaType::Ah, false, false),
        "ah-old" => (SaType::Ah, true, false),
        "ipcomp" => (SaType::IpComp, false, false),
        "tcp" => (SaType::TcpMd5, false, false),
        _ => return None,
    };
    Some(ProtoSpec {
        satype,
        old,
        udp_encap,
    })
}

/// The protocol, and for `esp-udp` the NAT-OA that may follow it: any word that is not
/// an SPI (the original's lexer made numbers DECSTRING or HEXSTRING tokens, so only a
/// non-number could be its address).
fn proto_spec(
    c: &mut Cursor<'_>,
    opts: AddrOpts,
) -> Result<(ProtoSpec, Option<HostSpec>), ParseError> {
    let t = c.expect_word(PROTOCOLS)?;
    let proto = protocol(t.text)
        .ok_or_else(|| c.error_at(&t, format!("syntax error: expected {PROTOCOLS}")))?;
    let mut nat_oa = None;
    if proto.udp_encap {
        let is_spi = |w: &str| number::decimal(w).is_some() || number::hex(w).is_some();
        if let Some(oa) = c.peek_word_if(|w| !is_spi(w) && !w.starts_with('-'))? {
            c.next()?;
            nat_oa = Some(host_spec(c, &oa, opts, "the NAT-OA address")?);
        }
    }
    Ok((proto, nat_oa))
}

/// `flush [proto]` and `dump [proto]`: the protocol, if one is written.
pub(crate) fn optional_satype(c: &mut Cursor<'_>) -> Result<Option<SaType>, ParseError> {
    if c.peek()?.is_some_and(|t| t.kind == Kind::Semi) {
        return Ok(None);
    }
    let t = c.expect_word(&format!("{PROTOCOLS} or `;'"))?;
    match protocol(t.text) {
        Some(p) => Ok(Some(p.satype)),
        None => Err(c.error_at(&t, format!("syntax error: expected {PROTOCOLS} or `;'"))),
    }
}

/// The SPI: decimal, or hex with `0x`.
fn spi(c: &mut Cursor<'_>) -> Result<u32, ParseError> {
    const WHAT: &str = "the SPI (a decimal number or 0x followed by hex digits)";
    let t = c.expect_word(WHAT)?;
    let value = number::decimal(t.text)
        .or_else(|| number::hex(t.text))
        .ok_or_else(|| c.error_at(&t, format!("syntax error: expected {WHAT}")))?;
    u32::try_from(value).map_err(|_| {
        c.error_at(
            &t,
            format!("SPI {} out of range (at most 0xffffffff)", t.text),
        )
    })
}

/// `add`/`update` after the keyword: `[-46n] SRC[PORT] DST[PORT] PROTO SPI OPTIONS ;`.
pub(crate) fn sa_spec(c: &mut Cursor<'_>) -> Result<SaSpec, ParseError> {
    let opts_addr = addr_opts(c)?;
    let (src, src_port) = sa_endpoint(c, opts_addr, "the source address")?;
    let (dst, dst_port) = sa_endpoint(c, opts_addr, "the destination address")?;
    check_same_family(c, &src, &dst, "source and destination")?;
    let (proto, nat_oa) = proto_spec(c, opts_addr)?;
    let spi = spi(c)?;
    let parsed = sa_options(c, proto, "add", true)?;
    let algs = parsed.algs.ok_or_else(|| c.expected("an algorithm"))?;
    Ok(SaSpec {
        opts_addr,
        src,
        dst,
        src_port,
        dst_port,
        proto,
        nat_oa,
        spi,
        opts: parsed.opts,
        algs,
    })
}

/// `getspi` after the keyword: `[-46n] SRC[PORT] DST[PORT] PROTO SPI [EXTENSIONS] ;`,
/// the original's grammar for it (`add` without the algorithms).
pub(crate) fn get_spi_spec(c: &mut Cursor<'_>) -> Result<GetSpiSpec, ParseError> {
    let opts_addr = addr_opts(c)?;
    let (src, _) = sa_endpoint(c, opts_addr, "the source address")?;
    let (dst, _) = sa_endpoint(c, opts_addr, "the destination address")?;
    check_same_family(c, &src, &dst, "source and destination")?;
    let (proto, _) = proto_spec(c, opts_addr)?;
    let spi = spi(c)?;
    let parsed = sa_options(c, proto, "getspi", false)?;
    Ok(GetSpiSpec {
        opts_addr,
        src,
        dst,
        proto,
        spi,
        opts: parsed.opts,
    })
}

/// `get` and `delete` after the keyword: `[-46n] SRC DST PROTO SPI [EXTENSIONS] ;`.
/// The original accepted SA extensions here and ignored them ("WARNING: mode is
/// obsolete"); so do we.
pub(crate) fn get_or_delete(c: &mut Cursor<'_>, delete: bool) -> Result<Command, ParseError> {
    let opts_addr = addr_opts(c)?;
    let (src, _) = sa_endpoint(c, opts_addr, "the source address")?;
    let (dst, _) = sa_endpoint(c, opts_addr, "the destination address")?;
    check_same_family(c, &src, &dst, "source and destination")?;
    let (proto, _) = proto_spec(c, opts_addr)?;
    let spi = spi(c)?;
    let name = if delete { "delete" } else { "get" };
    sa_options(c, proto, name, false)?;
    Ok(if delete {
        Command::Delete {
            opts_addr,
            src,
            dst,
            proto,
            spi,
        }
    } else {
        Command::Get {
            opts_addr,
            src,
            dst,
            proto,
            spi,
        }
    })
}

/// `deleteall` after the keyword: `[-46n] SRC DST PROTO ;`.
pub(crate) fn delete_all(c: &mut Cursor<'_>) -> Result<Command, ParseError> {
    let opts_addr = addr_opts(c)?;
    let src = plain_host(c, opts_addr, "the source address")?;
    let dst = plain_host(c, opts_addr, "the destination address")?;
    check_same_family(c, &src, &dst, "source and destination")?;
    let (proto, _) = proto_spec(c, opts_addr)?;
    if let Some(t) = c.peek()?.filter(|t| t.kind != Kind::Semi) {
        return Err(c.error_at(
            &t,
            format!(
                "syntax error: expected `;' (deleteall takes no SPI: it deletes every {} SA between the two addresses)",
                proto_name(proto)
            ),
        ));
    }
    c.expect_semi()?;
    Ok(Command::DeleteAll {
        opts_addr,
        src,
        dst,
        proto,
    })
}
