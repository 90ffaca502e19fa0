//! The options between an SA's SPI and its `;`: extensions (`-m -r -u -f -lh -ls -bh
//! -bs -ctx`) and algorithms (`-E -A -C`), in any order.
//!
//! The original wanted the extensions before the algorithms; taking them anywhere
//! accepts everything it accepted and spares people its bare "syntax error" for
//! `-E ... -m tunnel`. Repeated extensions follow the original: the last one counts,
//! except `-f`, which accumulates (padding choices replace each other).

use common::alg::{Algorithm, Class, Kind as AlgKind};
use common::sa::{flags, Mode, SaType, SecCtx};

use super::cursor::Cursor;
use super::error::ParseError;
use super::key;
use super::lexer::{Kind, Token};
use crate::ast::{AlgKey, AlgSpec, ProtoSpec, SaOpts};

/// The list printed for an unknown option.
const OPTIONS: &str = "-m, -r, -u, -f, -lh, -ls, -bh, -bs, -ctx, -E, -A or -C";

/// What the options of one SA command said.
pub(crate) struct Parsed {
    pub opts: SaOpts,
    /// `None` for commands without algorithms (`get`, `delete`).
    pub algs: Option<AlgSpec>,
}

/// The name of a protocol as written, for messages.
pub(crate) fn proto_name(proto: ProtoSpec) -> &'static str {
    match (proto.satype, proto.old, proto.udp_encap) {
        (SaType::Esp, _, true) => "esp-udp",
        (SaType::Esp, true, _) => "esp-old",
        (SaType::Ah, true, _) => "ah-old",
        (satype, _, _) => satype.name(),
    }
}

/// `-ctx DOI ALG "LABEL"` (after the `-ctx` word), shared with policies.
pub(crate) fn sec_ctx(c: &mut Cursor<'_>) -> Result<SecCtx, ParseError> {
    let (doi, _) = c.expect_decimal::<u8>("the security context DOI")?;
    let (alg, _) = c.expect_decimal::<u8>("the security context algorithm")?;
    let label = c.expect(Kind::Quoted, "the security context label (a quoted string)")?;
    Ok(SecCtx {
        doi,
        alg,
        label: label.text.to_owned(),
    })
}

#[derive(Default)]
struct Algs<'a> {
    enc: Option<(AlgKey, Token<'a>)>,
    auth: Option<(AlgKey, Token<'a>)>,
    comp: Option<(&'static Algorithm, bool)>,
}

/// Reads options up to and including the `;`. `command` names the command for messages
/// (`get`); `with_algs` says whether it takes `-E -A -C`.
pub(crate) fn sa_options(
    c: &mut Cursor<'_>,
    proto: ProtoSpec,
    command: &str,
    with_algs: bool,
) -> Result<Parsed, ParseError> {
    let mut opts = SaOpts::default();
    let mut algs = Algs::default();
    let end = loop {
        let t = match c.peek()? {
            Some(t) if t.kind == Kind::Semi => {
                c.next()?;
                break t;
            }
            Some(t) if t.kind == Kind::Word && t.text.starts_with('-') => t,
            _ => {
                let what = if with_algs {
                    "an SA option (-m, -r, -u, -f, -lh, -ls, -bh, -bs, -ctx), \
                     an algorithm (-E, -A, -C) or `;'"
                } else {
                    "an SA option (-m, -r, -u, -f, -lh, -ls, -bh, -bs, -ctx) or `;'"
                };
                return Err(c.expected(what));
            }
        };
        c.next()?;
        match t.text {
            "-m" => {
                let m = c.expect_word("a mode (transport, tunnel or any)")?;
                opts.mode = Some(match m.text {
                    "transport" => Mode::Transport,
                    "tunnel" => Mode::Tunnel,
                    "any" => Mode::Any,
                    _ => {
                        return Err(c.error_at(
                            &m,
                            "syntax error: expected a mode (transport, tunnel or any)",
                        ))
                    }
                });
            }
            "-r" => {
                if proto.old {
                    return Err(c.error_at(
                        &t,
                        format!(
                            "replay prevention cannot be used with {}",
                            proto_name(proto)
                        ),
                    ));
                }
                opts.replay = Some(c.expect_decimal("the replay window size")?.0);
            }
            "-u" => opts.reqid = Some(c.expect_decimal("the reqid")?.0),
            "-f" => {
                const WHAT: &str = "zero-pad, random-pad, seq-pad or nocyclic-seq";
                let f = c.expect_word(WHAT)?;
                let pad = |flags: u32, bit: u32| (flags & !flags::PMASK) | bit;
                opts.flags = match f.text {
                    "zero-pad" => pad(opts.flags, flags::PZERO),
                    "random-pad" => pad(opts.flags, flags::PRAND),
                    "seq-pad" => pad(opts.flags, flags::PSEQ),
                    "nocyclic-seq" => opts.flags | flags::CYCSEQ,
                    _ => return Err(c.error_at(&f, format!("syntax error: expected {WHAT}"))),
                };
            }
            "-lh" => {
                opts.lifetime_hard_secs = Some(c.expect_decimal("the hard lifetime in seconds")?.0)
            }
            "-ls" => {
                opts.lifetime_soft_secs = Some(c.expect_decimal("the soft lifetime in seconds")?.0)
            }
            "-bh" => opts.bytes_hard = Some(c.expect_decimal("the hard lifetime in bytes")?.0),
            "-bs" => opts.bytes_soft = Some(c.expect_decimal("the soft lifetime in bytes")?.0),
            "-ctx" => opts.sec_ctx = Some(sec_ctx(c)?),
            "-E" | "-A" | "-C" if !with_algs => {
                return Err(c.error_at(&t, format!("`{}' is not allowed with {command}", t.text)))
            }
            "-E" => {
                if proto.satype != SaType::Esp {
                    return Err(not_with(c, &t, proto));
                }
                if algs.enc.is_some() {
                    return Err(c.error_at(&t, "`-E' given twice"));
                }
                let k = key::alg_key(c, Class::Encrypt, "an encryption algorithm")?;
                algs.enc = Some((k, t));
            }
            "-A" => {
                if proto.satype == SaType::IpComp {
                    return Err(not_with(c, &t, proto));
                }
                if algs.auth.is_some() {
                    return Err(c.error_at(&t, "`-A' given twice"));
                }
                let k = key::alg_key(c, Class::Auth, "an authentication algorithm")?;
                algs.auth = Some((k, t));
            }
            "-C" => {
                if proto.satype != SaType::IpComp {
                    return Err(not_with(c, &t, proto));
                }
                if algs.comp.is_some() {
                    return Err(c.error_at(&t, "`-C' given twice"));
                }
                let name = c.expect_word("a compression algorithm")?;
                let alg = key::algorithm(c, Class::Compress, &name)?;
                let raw_cpi = c.eat_word("-R")?.is_some();
                algs.comp = Some((alg, raw_cpi));
            }
            "-R" => return Err(c.error_at(&t, "`-R' must follow `-C ALGORITHM'")),
            _ => {
                return Err(c.error_at(
                    &t,
                    format!("unknown SA option `{}'; expected {OPTIONS}", t.text),
                ))
            }
        }
    };
    let algs = if with_algs {
        Some(alg_spec(c, proto, algs, &end)?)
    } else {
        None
    };
    Ok(Parsed { opts, algs })
}

fn not_with(c: &Cursor<'_>, t: &Token<'_>, proto: ProtoSpec) -> ParseError {
    c.error_at(
        t,
        format!("`{}' is not allowed with {}", t.text, proto_name(proto)),
    )
}

/// Checks that the algorithms fit the protocol: ESP names a cipher (`-E null` for
/// none) and optionally `-A`, unless the cipher is an AEAD; AH and TCP-MD5 name `-A`
/// only; IPComp `-C` only.
fn alg_spec(
    c: &Cursor<'_>,
    proto: ProtoSpec,
    algs: Algs<'_>,
    end: &Token<'_>,
) -> Result<AlgSpec, ParseError> {
    let name = proto_name(proto);
    match proto.satype {
        SaType::Esp => {
            let Some((enc, _)) = algs.enc else {
                return Err(c.error_at(
                    end,
                    format!(
                        "syntax error: {name} needs `-E ALGORITHM KEY' (`-E null' for no encryption)"
                    ),
                ));
            };
            if let Some((_, auth_flag)) = &algs.auth {
                if enc.alg.kind == AlgKind::Aead {
                    return Err(c.error_at(
                        auth_flag,
                        format!(
                            "{} authenticates by itself: `-A' is not allowed with it",
                            enc.alg.name()
                        ),
                    ));
                }
            }
            Ok(AlgSpec::Esp {
                enc,
                auth: algs.auth.map(|(a, _)| a),
            })
        }
        SaType::Ah | SaType::TcpMd5 => match algs.auth {
            Some((auth, _)) => Ok(AlgSpec::Auth(auth)),
            None => Err(c.error_at(
                end,
                format!("syntax error: {name} needs `-A ALGORITHM KEY'"),
            )),
        },
        SaType::IpComp => match algs.comp {
            Some((alg, raw_cpi)) => Ok(AlgSpec::Comp { alg, raw_cpi }),
            None => Err(c.error_at(end, "syntax error: ipcomp needs `-C ALGORITHM'")),
        },
    }
}
