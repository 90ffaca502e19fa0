//! One request of an `ipsec` policy: `protocol/mode/src-dst/level`, with the short
//! forms libipsec accepted (`esp/transport//require`, `esp/tunnel/a-b`,
//! `esp/transport`) and whitespace anywhere between the parts.

use common::addr::{Address, Port};
use common::policy::{Direction, Level};
use common::sa::{Mode, SaType};

use super::cursor::Cursor;
use super::error::ParseError;
use super::lexer::{Kind, Token};
use super::number;
use crate::ast::{HostSpec, Pos, RequestSpec};

const LEVELS: &str = "a level (default, use, require, unique or unique:ID)";

/// The protocol of a request, if `word` names one.
pub(crate) fn request_protocol(word: &str) -> Option<SaType> {
    match word {
        "esp" => Some(SaType::Esp),
        "ah" => Some(SaType::Ah),
        "ipcomp" => Some(SaType::IpComp),
        _ => None,
    }
}

/// One request, starting at its protocol word.
pub(crate) fn request(c: &mut Cursor<'_>, dir: Direction) -> Result<RequestSpec, ParseError> {
    let p = c.expect_word("a request (protocol/mode/src-dst/level) or `;'")?;
    let proto = request_protocol(p.text).ok_or_else(|| {
        c.error_at(
            &p,
            "syntax error: expected a request (esp, ah or ipcomp/mode/src-dst/level) or `;'",
        )
    })?;
    if c.eat(Kind::Slash)?.is_none() {
        return Err(c.expected(&format!(
            "`/' and a mode after `{}' (protocol/mode/src-dst/level)",
            p.text
        )));
    }
    let m = c.expect_word("a mode (transport or tunnel)")?;
    let mode = match m.text {
        "transport" => Mode::Transport,
        "tunnel" => Mode::Tunnel,
        _ => return Err(c.error_at(&m, "syntax error: expected a mode (transport or tunnel)")),
    };
    let mut tunnel = None;
    let mut level = Level::Default;
    let mut reqid = None;
    if c.eat(Kind::Slash)?.is_some() {
        tunnel = end_points(c, dir)?;
        if c.eat(Kind::Slash)?.is_some() {
            if let Some(l) = c.peek_word_if(|w| request_protocol(w).is_none())? {
                c.next()?;
                (level, reqid) = parse_level(c, &l)?;
            }
        }
    }
    if mode == Mode::Tunnel && tunnel.is_none() {
        return Err(c.error_at(
            &m,
            "tunnel mode needs its end points: protocol/tunnel/SRC-DST/level",
        ));
    }
    Ok(RequestSpec {
        proto,
        mode,
        tunnel,
        level,
        reqid,
    })
}

fn parse_level(c: &Cursor<'_>, t: &Token<'_>) -> Result<(Level, Option<u32>), ParseError> {
    let level = match t.text {
        "default" => Level::Default,
        "use" => Level::Use,
        "require" => Level::Require,
        "unique" => Level::Unique,
        other => {
            let id = other
                .strip_prefix("unique:")
                .and_then(number::decimal)
                .ok_or_else(|| c.error_at(t, format!("syntax error: expected {LEVELS}")))?;
            let id = u32::try_from(id).map_err(|_| {
                c.error_at(
                    t,
                    format!("reqid {} out of range (0-4294967295)", &other[7..]),
                )
            })?;
            return Ok((Level::Unique, Some(id)));
        }
    };
    Ok((level, None))
}

/// A piece of the `src-dst` part, words split at their hyphens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str, Pos),
    Hyphen,
    Open,
    Close,
}

/// Splits the tokens of the end point part, up to the next `/`, `;` or request.
fn pieces<'a>(c: &mut Cursor<'a>) -> Result<(Vec<Piece<'a>>, Vec<Token<'a>>), ParseError> {
    let mut pieces = Vec::new();
    let mut tokens = Vec::new();
    while let Some(t) = c.peek()? {
        match t.kind {
            Kind::Word if request_protocol(t.text).is_none() => {
                let mut col = t.pos.col;
                for (i, part) in t.text.split('-').enumerate() {
                    if i > 0 {
                        pieces.push(Piece::Hyphen);
                        col = col.saturating_add(1);
                    }
                    if !part.is_empty() {
                        pieces.push(Piece::Text(
                            part,
                            Pos {
                                line: t.pos.line,
                                col,
                            },
                        ));
                    }
                    col = col.saturating_add(u32::try_from(part.chars().count()).unwrap_or(0));
                }
            }
            Kind::LBracket => pieces.push(Piece::Open),
            Kind::RBracket => pieces.push(Piece::Close),
            _ => break,
        }
        tokens.push(t);
        c.next()?;
    }
    Ok((pieces, tokens))
}

/// One end point as written: address, where it is, port.
type Side<'a> = (&'a str, Pos, Option<&'a str>);

/// One side: `ADDR` or `ADDR[PORT]`; the rest of the pieces after it.
fn side<'p, 'a>(pieces: &'p [Piece<'a>]) -> Option<(Side<'a>, &'p [Piece<'a>])> {
    match pieces {
        [Piece::Text(a, pos), Piece::Open, Piece::Text(p, _), Piece::Close, rest @ ..] => {
            Some(((a, *pos, Some(p)), rest))
        }
        [Piece::Text(a, pos), rest @ ..] => Some(((a, *pos, None), rest)),
        _ => None,
    }
}

/// The `src-dst` part: `None` when empty, `me-any` or `any-me`. Tunnel end points must
/// be numeric, as libipsec required. Ports on them (`192.168.0.1[4500]-...`, for
/// NAT-T on BSD) are checked and dropped: Linux policy templates carry no ports.
fn end_points(
    c: &mut Cursor<'_>,
    dir: Direction,
) -> Result<Option<(HostSpec, HostSpec)>, ParseError> {
    let (pieces, tokens) = pieces(c)?;
    let Some(first) = tokens.first() else {
        return Ok(None);
    };
    let written = tokens.iter().map(|t| t.raw).collect::<Vec<_>>().join(" ");
    let invalid = || {
        ParseError::new(
            c.file(),
            first.pos,
            "syntax error: expected the tunnel end points as SRC-DST (e.g. 192.168.0.1-192.168.0.2)",
            Some(&written),
        )
    };
    let ((src, src_pos, src_port), rest) = side(&pieces).ok_or_else(invalid)?;
    let [Piece::Hyphen, rest @ ..] = rest else {
        return Err(invalid());
    };
    let ((dst, dst_pos, dst_port), rest) = side(rest).ok_or_else(invalid)?;
    if !rest.is_empty() {
        return Err(invalid());
    }
    match (src, dst) {
        ("me", "any") | ("any", "me") => {
            let wanted = if src == "me" {
                Direction::Out
            } else {
                Direction::In
            };
            if dir != wanted {
                return Err(ParseError::new(
                    c.file(),
                    first.pos,
                    format!("`{src}-{dst}' is only allowed in `{wanted}' policies"),
                    Some(&written),
                ));
            }
            return Ok(None);
        }
        _ => {}
    }
    if src_port.is_some() != dst_port.is_some() {
        return Err(ParseError::new(
            c.file(),
            first.pos,
            "give a port on both tunnel end points or on neither",
            Some(&written),
        ));
    }
    let mut families = Vec::new();
    for (text, pos, port) in [(src, src_pos, src_port), (dst, dst_pos, dst_port)] {
        let error = |message: String| ParseError::new(c.file(), pos, message, Some(text));
        let address = text.parse::<Address>().map_err(|e| error(e.to_string()))?;
        families.push(address.family());
        if let Some(port) = port {
            port.parse::<Port>().map_err(|e| error(e.to_string()))?;
        }
    }
    if families[0] != families[1] {
        return Err(ParseError::new(
            c.file(),
            dst_pos,
            format!(
                "tunnel end points are of different address families ({} and {})",
                families[0], families[1]
            ),
            Some(dst),
        ));
    }
    let host = |text: &str, pos| HostSpec {
        text: text.to_owned(),
        pos,
    };
    Ok(Some((host(src, src_pos), host(dst, dst_pos))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, dir: Direction) -> Result<Vec<RequestSpec>, String> {
        let mut c = Cursor::new("t", text, Pos { line: 1, col: 1 });
        let mut out = Vec::new();
        while c
            .peek()
            .map_err(|e| e.to_string())?
            .is_some_and(|t| t.kind != Kind::Semi)
        {
            out.push(request(&mut c, dir).map_err(|e| e.to_string())?);
        }
        Ok(out)
    }

    fn req(
        proto: SaType,
        mode: Mode,
        tunnel: Option<(&str, &str)>,
        level: Level,
        reqid: Option<u32>,
    ) -> (SaType, Mode, Option<(String, String)>, Level, Option<u32>) {
        (
            proto,
            mode,
            tunnel.map(|(a, b)| (a.to_owned(), b.to_owned())),
            level,
            reqid,
        )
    }

    fn summary(r: &RequestSpec) -> (SaType, Mode, Option<(String, String)>, Level, Option<u32>) {
        (
            r.proto,
            r.mode,
            r.tunnel
                .as_ref()
                .map(|(a, b)| (a.text.clone(), b.text.clone())),
            r.level,
            r.reqid,
        )
    }

    #[test]
    fn forms() {
        use Level::*;
        use Mode::*;
        use SaType::*;
        let cases = [
            (
                "esp/transport//require",
                req(Esp, Transport, None, Require, None),
            ),
            ("esp/transport", req(Esp, Transport, None, Default, None)),
            ("esp/transport/", req(Esp, Transport, None, Default, None)),
            ("esp/transport//", req(Esp, Transport, None, Default, None)),
            ("ah/transport//use", req(Ah, Transport, None, Use, None)),
            (
                "ipcomp/transport//default",
                req(IpComp, Transport, None, Default, None),
            ),
            (
                "esp/transport//unique",
                req(Esp, Transport, None, Unique, None),
            ),
            (
                "esp/transport//unique:28000",
                req(Esp, Transport, None, Unique, Some(28000)),
            ),
            (
                "esp/tunnel/10.0.0.1-10.0.0.2/require",
                req(Esp, Tunnel, Some(("10.0.0.1", "10.0.0.2")), Require, None),
            ),
            (
                "esp/tunnel/10.0.0.1-10.0.0.2",
                req(Esp, Tunnel, Some(("10.0.0.1", "10.0.0.2")), Default, None),
            ),
            (
                "esp/tunnel/10.0.0.1-10.0.0.2/",
                req(Esp, Tunnel, Some(("10.0.0.1", "10.0.0.2")), Default, None),
            ),
            (
                " esp / tunnel / 10.0.0.1 - 10.0.0.2 / use ",
                req(Esp, Tunnel, Some(("10.0.0.1", "10.0.0.2")), Use, None),
            ),
            (
                "esp/tunnel/fec0:0:0:1::1-fec0:0:0:2::1/require",
                req(
                    Esp,
                    Tunnel,
                    Some(("fec0:0:0:1::1", "fec0:0:0:2::1")),
                    Require,
                    None,
                ),
            ),
            (
                "esp/tunnel/192.168.0.1[4500]-192.168.1.2[30000]/require",
                req(
                    Esp,
                    Tunnel,
                    Some(("192.168.0.1", "192.168.1.2")),
                    Require,
                    None,
                ),
            ),
            (
                "esp/transport/me-any/require",
                req(Esp, Transport, None, Require, None),
            ),
        ];
        for (text, expected) in cases {
            let got = run(text, Direction::Out).unwrap();
            assert_eq!(got.len(), 1, "{text:?}");
            assert_eq!(summary(&got[0]), expected, "{text:?}");
        }
    }

    #[test]
    fn bundles() {
        let got = run(
            "esp/tunnel/fec0::1-fec0::2 ah/transport//require esp/transport ipcomp/transport//use",
            Direction::In,
        )
        .unwrap();
        let protos: Vec<SaType> = got.iter().map(|r| r.proto).collect();
        assert_eq!(
            protos,
            [SaType::Esp, SaType::Ah, SaType::Esp, SaType::IpComp]
        );
        assert_eq!(got[0].level, Level::Default);
        assert_eq!(got[3].level, Level::Use);
    }

    #[test]
    fn positions_of_end_points() {
        let got = run("esp/tunnel/10.0.0.1-10.0.0.2/require", Direction::Out).unwrap();
        let (s, d) = got[0].tunnel.clone().unwrap();
        assert_eq!(s.pos, Pos { line: 1, col: 12 });
        assert_eq!(d.pos, Pos { line: 1, col: 21 });
    }

    #[test]
    fn errors() {
        let cases = [
            ("esp/tunnel//require", "t,1:5: tunnel mode needs its end points: protocol/tunnel/SRC-DST/level at `tunnel'"),
            ("esp/any//require", "t,1:5: syntax error: expected a mode (transport or tunnel) at `any'"),
            ("esp", "t,1:4: syntax error: expected `/' and a mode after `esp' (protocol/mode/src-dst/level), found the end of the file"),
            ("tcp/transport//require", "t,1:1: syntax error: expected a request (esp, ah or ipcomp/mode/src-dst/level) or `;' at `tcp'"),
            ("esp/transport//required", "t,1:16: syntax error: expected a level (default, use, require, unique or unique:ID) at `required'"),
            ("esp/transport//unique:x", "t,1:16: syntax error: expected a level (default, use, require, unique or unique:ID) at `unique:x'"),
            ("esp/transport//unique:4294967296", "t,1:16: reqid 4294967296 out of range (0-4294967295) at `unique:4294967296'"),
            ("esp/tunnel/10.0.0.1/require", "t,1:12: syntax error: expected the tunnel end points as SRC-DST (e.g. 192.168.0.1-192.168.0.2) at `10.0.0.1'"),
            ("esp/tunnel/10.0.0.1 10.0.0.2/require", "t,1:12: syntax error: expected the tunnel end points as SRC-DST (e.g. 192.168.0.1-192.168.0.2) at `10.0.0.1 10.0.0.2'"),
            ("esp/tunnel/a-b-c/require", "t,1:12: syntax error: expected the tunnel end points as SRC-DST (e.g. 192.168.0.1-192.168.0.2) at `a-b-c'"),
            ("esp/tunnel/gw1-gw2/require", "t,1:12: `gw1` is not a numeric IPv4 or IPv6 address at `gw1'"),
            ("esp/tunnel/10.0.0.1-fec0::1/require", "t,1:21: tunnel end points are of different address families (IPv4 and IPv6) at `fec0::1'"),
            ("esp/tunnel/10.0.0.1[500]-10.0.0.2/require", "t,1:12: give a port on both tunnel end points or on neither at `10.0.0.1 [ 500 ] -10.0.0.2'"),
            ("esp/tunnel/10.0.0.1[99999]-10.0.0.2[1]/require", "t,1:12: port 99999 out of range (0-65535) at `10.0.0.1'"),
            ("esp/transport/any-me/require", "t,1:15: `any-me' is only allowed in `in' policies at `any-me'"),
            ("esp/tunnel/me-any/require", "t,1:5: tunnel mode needs its end points: protocol/tunnel/SRC-DST/level at `tunnel'"),
        ];
        for (text, message) in cases {
            assert_eq!(run(text, Direction::Out).unwrap_err(), message, "{text:?}");
        }
    }
}
