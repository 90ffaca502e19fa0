//! The policy part of `spdadd`, `spdupdate` and `spddelete`:
//! `-P in|out|fwd [prio ...] discard|none|ipsec REQUEST... ;`.
//!
//! The original handed this text to libipsec's own little parser; it is read here from
//! the same tokens as the rest of the file, with libipsec's rules: the action may be
//! left out (the kernel then gets a discard policy, which is what `spddelete ... -P
//! out;` relies on), requests follow `ipsec`, and priorities count down from
//! `PRIORITY_DEFAULT` (a higher priority is a smaller number).

use common::policy::{Action, Direction, PRIORITY_DEFAULT, PRIORITY_HIGH, PRIORITY_LOW};

use super::cursor::Cursor;
use super::error::ParseError;
use super::lexer::{Kind, Token};
use super::number;
use super::request::request;
use crate::ast::PolicySpec;

/// `-P` and everything after it, up to and including the `;`.
pub(crate) fn policy_spec(c: &mut Cursor<'_>) -> Result<PolicySpec, ParseError> {
    if c.eat_word("-P")?.is_none() {
        return Err(c.expected("`-P' and a direction"));
    }
    let d = c.expect_word("a direction (in, out or fwd)")?;
    let dir = match d.text {
        "in" => Direction::In,
        "out" => Direction::Out,
        "fwd" => Direction::Fwd,
        _ => return Err(c.error_at(&d, "syntax error: expected a direction (in, out or fwd)")),
    };
    let mut priority = None;
    if c.eat_word("prio")?.is_some() || c.eat_word("priority")?.is_some() {
        priority = Some(parse_priority(c)?);
    }
    let action = match c.peek()? {
        Some(t) if t.kind == Kind::Semi && priority.is_none() => Action::Discard,
        _ => {
            const WHAT: &str = "an action (discard, none or ipsec)";
            let a = c.expect_word(WHAT)?;
            match a.text {
                "discard" => Action::Discard,
                "none" => Action::None,
                "ipsec" => Action::Ipsec,
                "bypass" | "entrust" => {
                    return Err(c.error_at(
                        &a,
                        format!("policy action `{}' is not supported on Linux", a.text),
                    ))
                }
                _ => return Err(c.error_at(&a, format!("syntax error: expected {WHAT}"))),
            }
        }
    };
    // libipsec parsed requests after any action and the kernel ignored them unless the
    // action was ipsec; the resolver does the same.
    let mut requests = Vec::new();
    while c.peek()?.is_some_and(|t| t.kind != Kind::Semi) {
        requests.push(request(c, dir)?);
    }
    c.expect_semi()?;
    Ok(PolicySpec {
        dir,
        priority,
        action,
        requests,
    })
}

const PRIORITY: &str = "a priority (a number, or low, def or high with an optional + or - offset)";

/// Whether a word starts a signed offset: `+`, `-`, `+5`, `-5`.
fn is_sign(word: &str) -> bool {
    word.starts_with(['+', '-']) && word[1..].chars().all(|c| c.is_ascii_digit())
}

/// `N`, `+N`, `-N`, `+ N` or `- N`, starting with the word `t` (already taken):
/// whether it is negative, its magnitude, and how it was written.
fn signed_number(c: &mut Cursor<'_>, t: &Token<'_>) -> Result<(bool, u128, String), ParseError> {
    let negative = t.text.starts_with('-');
    let digits = t.text.strip_prefix(['+', '-']).unwrap_or(t.text);
    let sign = if negative { "-" } else { "+" };
    if digits.is_empty() {
        let n = c.expect_word("a number after the sign")?;
        let value = number::decimal(n.text)
            .ok_or_else(|| c.error_at(&n, "syntax error: expected a number after the sign"))?;
        return Ok((negative, value, format!("{sign}{}", n.text)));
    }
    let value = number::decimal(digits)
        .ok_or_else(|| c.error_at(t, format!("syntax error: expected {PRIORITY}")))?;
    Ok((negative, value, format!("{sign}{digits}")))
}

/// After `prio`/`priority`: the kernel value. `prio N` is `N` above the default (so
/// `PRIORITY_DEFAULT - N`, lower numbers winning), `prio -N` below it; `prio high + N`
/// is `N` above `high`. The bounds are libipsec's.
fn parse_priority(c: &mut Cursor<'_>) -> Result<u32, ParseError> {
    let t = c.expect_word(PRIORITY)?;
    let base = match t.text {
        "low" => Some(PRIORITY_LOW),
        "def" => Some(PRIORITY_DEFAULT),
        "high" => Some(PRIORITY_HIGH),
        _ => None,
    };
    let (base, up_max, down_max, range) = match base {
        Some(base) => {
            let Some(sign) = c.peek_word_if(is_sign)? else {
                return Ok(base);
            };
            c.next()?;
            let range = format!("for `{}' (-1073741823 to +1073741824)", t.text);
            let offset = signed_number(c, &sign)?;
            return apply(c, &sign, base, offset, 0x4000_0000, 0x3fff_ffff, &range);
        }
        None if is_sign(t.text) || number::decimal(t.text).is_some() => (
            PRIORITY_DEFAULT,
            0x8000_0000u128,
            0x7fff_ffffu128,
            "(-2147483647 to +2147483648)".to_owned(),
        ),
        None => return Err(c.error_at(&t, format!("syntax error: expected {PRIORITY}"))),
    };
    let offset = signed_number(c, &t)?;
    apply(c, &t, base, offset, up_max, down_max, &range)
}

/// `base` moved up (towards 0) by a positive offset or down by a negative one.
fn apply(
    c: &Cursor<'_>,
    t: &Token<'_>,
    base: u32,
    (negative, value, shown): (bool, u128, String),
    up_max: u128,
    down_max: u128,
    range: &str,
) -> Result<u32, ParseError> {
    let out_of_range = || c.error_at(t, format!("priority offset {shown} out of range {range}"));
    let base = u128::from(base);
    let value = if negative {
        if value > down_max {
            return Err(out_of_range());
        }
        base + value
    } else {
        if value > up_max {
            return Err(out_of_range());
        }
        base - value
    };
    u32::try_from(value).map_err(|_| out_of_range())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Pos;

    fn run(text: &str) -> Result<PolicySpec, String> {
        let mut c = Cursor::new("t", text, Pos { line: 1, col: 1 });
        policy_spec(&mut c).map_err(|e| e.to_string())
    }

    fn prio(text: &str) -> Result<Option<u32>, String> {
        run(&format!("-P out {text} none;")).map(|p| p.priority)
    }

    #[test]
    fn directions_and_actions() {
        let p = run("-P in none;").unwrap();
        assert_eq!(
            (p.dir, p.action, p.priority),
            (Direction::In, Action::None, None)
        );
        let p = run("-P fwd discard;").unwrap();
        assert_eq!((p.dir, p.action), (Direction::Fwd, Action::Discard));
        let p = run("-P out;").unwrap();
        assert_eq!((p.dir, p.action), (Direction::Out, Action::Discard));
        assert!(p.requests.is_empty());
        let p = run("-P out ipsec esp/transport//require ah/transport//require;").unwrap();
        assert_eq!((p.action, p.requests.len()), (Action::Ipsec, 2));
        let p = run("-P out ipsec;").unwrap();
        assert!(p.requests.is_empty());
    }

    #[test]
    fn priorities() {
        let d = PRIORITY_DEFAULT;
        let cases = [
            ("prio 5", d - 5),
            ("priority 5", d - 5),
            ("prio +5", d - 5),
            ("prio -5", d + 5),
            ("prio - 5", d + 5),
            ("prio 0", d),
            ("prio 2147483648", 0),
            ("prio -2147483647", u32::MAX),
            ("prio def", d),
            ("prio low", PRIORITY_LOW),
            ("prio high", PRIORITY_HIGH),
            ("prio high + 10", PRIORITY_HIGH - 10),
            ("prio high +10", PRIORITY_HIGH - 10),
            ("prio low -10", PRIORITY_LOW + 10),
            ("prio low - 1073741823", u32::MAX),
            ("prio high + 1073741824", 0),
        ];
        for (text, value) in cases {
            assert_eq!(prio(text), Ok(Some(value)), "{text:?}");
        }
    }

    #[test]
    fn errors() {
        let cases = [
            ("-P", "t,1:3: syntax error: expected a direction (in, out or fwd), found the end of the file"),
            ("-P inbound none;", "t,1:4: syntax error: expected a direction (in, out or fwd) at `inbound'"),
            ("out none;", "t,1:1: syntax error: expected `-P' and a direction at `out'"),
            ("-P out allow;", "t,1:8: syntax error: expected an action (discard, none or ipsec) at `allow'"),
            ("-P out bypass;", "t,1:8: policy action `bypass' is not supported on Linux at `bypass'"),
            ("-P out entrust;", "t,1:8: policy action `entrust' is not supported on Linux at `entrust'"),
            ("-P out prio;", "t,1:12: syntax error: expected a priority (a number, or low, def or high with an optional + or - offset) at `;'"),
            ("-P out prio 5;", "t,1:14: syntax error: expected an action (discard, none or ipsec) at `;'"),
            ("-P out prio medium none;", "t,1:13: syntax error: expected a priority (a number, or low, def or high with an optional + or - offset) at `medium'"),
            ("-P out prio 2147483649 none;", "t,1:13: priority offset +2147483649 out of range (-2147483647 to +2147483648) at `2147483649'"),
            ("-P out prio -2147483648 none;", "t,1:13: priority offset -2147483648 out of range (-2147483647 to +2147483648) at `-2147483648'"),
            ("-P out prio high + 1073741825 none;", "t,1:18: priority offset +1073741825 out of range for `high' (-1073741823 to +1073741824) at `+'"),
            ("-P out prio low -1073741824 none;", "t,1:17: priority offset -1073741824 out of range for `low' (-1073741823 to +1073741824) at `-1073741824'"),
            ("-P out prio def - x none;", "t,1:19: syntax error: expected a number after the sign at `x'"),
            ("-P out ipsec esp/transport//require", "t,1:36: syntax error: expected `;', found the end of the file"),
        ];
        for (text, message) in cases {
            assert_eq!(run(text).unwrap_err(), message, "{text:?}");
        }
    }
}
