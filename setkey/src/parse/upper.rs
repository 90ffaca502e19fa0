//! The upper-layer part of a policy selector: `any`, a protocol name or number, and
//! the extra words ICMP, ICMPv6, MH and GRE may take (`icmp6 135,0`, `gre 1234`).

use common::addr::Port;
use nom::character::complete::{char, digit1};
use nom::combinator::{all_consuming, opt};
use nom::sequence::{preceded, tuple};
use nom::IResult;

use super::cursor::Cursor;
use super::error::ParseError;
use super::lexer::Kind;
use super::number;
use crate::ast::{PrefixSpec, UpperSpec};

const IPPROTO_ICMP: u8 = 1;
const IPPROTO_GRE: u8 = 47;
const IPPROTO_ICMPV6: u8 = 58;
const IPPROTO_MH: u8 = 135;

/// Protocol names, as glibc's `getprotobyname` finds them in the `/etc/protocols` that
/// Debian and Fedora ship (names and aliases, case as there), plus setkey's own
/// `icmp6` and `ip4`. Built in so that parsing never depends on the host's files.
const PROTOCOLS: &[(&str, u8)] = &[
    ("ip", 0),
    ("IP", 0),
    ("hopopt", 0),
    ("HOPOPT", 0),
    ("icmp", 1),
    ("ICMP", 1),
    ("igmp", 2),
    ("IGMP", 2),
    ("ggp", 3),
    ("GGP", 3),
    ("ipencap", 4),
    ("IP-ENCAP", 4),
    ("ip4", 4),
    ("st", 5),
    ("ST", 5),
    ("tcp", 6),
    ("TCP", 6),
    ("egp", 8),
    ("EGP", 8),
    ("igp", 9),
    ("IGP", 9),
    ("pup", 12),
    ("PUP", 12),
    ("udp", 17),
    ("UDP", 17),
    ("hmp", 20),
    ("HMP", 20),
    ("xns-idp", 22),
    ("XNS-IDP", 22),
    ("rdp", 27),
    ("RDP", 27),
    ("iso-tp4", 29),
    ("ISO-TP4", 29),
    ("dccp", 33),
    ("DCCP", 33),
    ("xtp", 36),
    ("XTP", 36),
    ("ddp", 37),
    ("DDP", 37),
    ("idpr-cmtp", 38),
    ("IDPR-CMTP", 38),
    ("ipv6", 41),
    ("IPv6", 41),
    ("ipv6-route", 43),
    ("IPv6-Route", 43),
    ("ipv6-frag", 44),
    ("IPv6-Frag", 44),
    ("idrp", 45),
    ("IDRP", 45),
    ("rsvp", 46),
    ("RSVP", 46),
    ("gre", 47),
    ("GRE", 47),
    ("esp", 50),
    ("IPSEC-ESP", 50),
    ("ah", 51),
    ("IPSEC-AH", 51),
    ("skip", 57),
    ("SKIP", 57),
    ("ipv6-icmp", 58),
    ("IPv6-ICMP", 58),
    ("icmp6", 58),
    ("ipv6-nonxt", 59),
    ("IPv6-NoNxt", 59),
    ("ipv6-opts", 60),
    ("IPv6-Opts", 60),
    ("rspf", 73),
    ("RSPF", 73),
    ("CPHB", 73),
    ("vmtp", 81),
    ("VMTP", 81),
    ("eigrp", 88),
    ("EIGRP", 88),
    ("ospf", 89),
    ("OSPFIGP", 89),
    ("ax.25", 93),
    ("AX.25", 93),
    ("ipip", 94),
    ("IPIP", 94),
    ("etherip", 97),
    ("ETHERIP", 97),
    ("encap", 98),
    ("ENCAP", 98),
    ("pim", 103),
    ("PIM", 103),
    ("ipcomp", 108),
    ("IPCOMP", 108),
    ("vrrp", 112),
    ("VRRP", 112),
    ("l2tp", 115),
    ("L2TP", 115),
    ("isis", 124),
    ("ISIS", 124),
    ("sctp", 132),
    ("SCTP", 132),
    ("fc", 133),
    ("FC", 133),
    ("mobility-header", 135),
    ("Mobility-Header", 135),
    ("ipv6-mh", 135),
    ("udplite", 136),
    ("UDPLite", 136),
    ("mpls-in-ip", 137),
    ("MPLS-in-IP", 137),
    ("manet", 138),
    ("hip", 139),
    ("HIP", 139),
    ("shim6", 140),
    ("Shim6", 140),
    ("wesp", 141),
    ("WESP", 141),
    ("rohc", 142),
    ("ROHC", 142),
    ("ethernet", 143),
    ("Ethernet", 143),
];

/// The protocol number of a name.
pub(crate) fn protocol_number(name: &str) -> Option<u8> {
    PROTOCOLS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, number)| number)
}

const WHAT: &str = "an upper-layer protocol (any, a protocol name or a number)";

/// `TYPE` or `TYPE,CODE`.
fn type_code(text: &str) -> IResult<&str, (&str, Option<&str>)> {
    all_consuming(tuple((digit1, opt(preceded(char(','), digit1)))))(text)
}

/// `A.B.C.D`.
fn dotted_quad(text: &str) -> IResult<&str, (&str, &str, &str, &str)> {
    let (rest, (a, _, b, _, c, _, d)) = all_consuming(tuple((
        digit1,
        char('.'),
        digit1,
        char('.'),
        digit1,
        char('.'),
        digit1,
    )))(text)?;
    Ok((rest, (a, b, c, d)))
}

fn byte(text: &str) -> Option<u8> {
    number::decimal(text).and_then(|v| u8::try_from(v).ok())
}

fn icmp_type_code(text: &str) -> Option<(u8, Option<u8>)> {
    let (_, (t, code)) = type_code(text).ok()?;
    let code = match code {
        Some(code) => Some(byte(code)?),
        None => None,
    };
    Some((byte(t)?, code))
}

fn gre_key(text: &str) -> Option<u32> {
    if let Ok((_, (a, b, c, d))) = dotted_quad(text) {
        return Some(u32::from_be_bytes([byte(a)?, byte(b)?, byte(c)?, byte(d)?]));
    }
    number::decimal(text).and_then(|v| u32::try_from(v).ok())
}

/// The upper-layer protocol and its optional extra word. ICMP and MH type and code
/// ride in the selector ports, as the original put them there; ICMPv6 and GRE have
/// their own variants.
pub(crate) fn upper_spec(
    c: &mut Cursor<'_>,
    src: &mut PrefixSpec,
    dst: &mut PrefixSpec,
) -> Result<UpperSpec, ParseError> {
    let t = c.expect_word(WHAT)?;
    let number = if t.text == "any" {
        return Ok(UpperSpec::Any);
    } else if let Some(n) = number::decimal(t.text) {
        u8::try_from(n).map_err(|_| {
            c.error_at(
                &t,
                format!("upper-layer protocol {} out of range (0-255)", t.text),
            )
        })?
    } else if t.text.starts_with('-') {
        return Err(c.error_at(&t, format!("syntax error: expected {WHAT}")));
    } else {
        protocol_number(t.text)
            .ok_or_else(|| c.error_at(&t, format!("unknown upper-layer protocol `{}'", t.text)))?
    };
    let Some(extra) = c
        .peek()?
        .filter(|e| e.kind == Kind::Word && !e.text.starts_with('-'))
    else {
        return Ok(match number {
            IPPROTO_ICMPV6 => UpperSpec::Icmp6 {
                icmp_type: None,
                code: None,
            },
            IPPROTO_GRE => UpperSpec::Gre { key: None },
            n => UpperSpec::Proto(n),
        });
    };
    c.next()?;
    let ports_given = [&*src, &*dst]
        .iter()
        .any(|p| p.port.is_some_and(|port| !port.is_any()));
    match number {
        IPPROTO_ICMP | IPPROTO_ICMPV6 | IPPROTO_MH => {
            let (icmp_type, code) = icmp_type_code(extra.text).ok_or_else(|| {
                c.error_at(
                    &extra,
                    format!(
                        "invalid type and code `{}' for {}; expected TYPE or TYPE,CODE (numbers 0-255)",
                        extra.text, t.text
                    ),
                )
            })?;
            if ports_given {
                return Err(c.error_at(
                    &extra,
                    format!("{} takes a type or ports, not both", t.text),
                ));
            }
            if number == IPPROTO_ICMPV6 {
                return Ok(UpperSpec::Icmp6 {
                    icmp_type: Some(icmp_type),
                    code,
                });
            }
            src.port = Some(Port::new(u16::from(icmp_type)));
            dst.port = Some(Port::new(code.map_or(0, u16::from)));
            Ok(UpperSpec::Proto(number))
        }
        IPPROTO_GRE => {
            let key = gre_key(extra.text).ok_or_else(|| {
                c.error_at(
                    &extra,
                    format!(
                        "invalid GRE key `{}'; expected a number (0-4294967295) or a dotted quad",
                        extra.text
                    ),
                )
            })?;
            if ports_given {
                return Err(c.error_at(&extra, "gre takes a key or ports, not both"));
            }
            Ok(UpperSpec::Gre { key: Some(key) })
        }
        // The original read a word here for any protocol and ignored it unless the
        // protocol had a use for it; a file relying on that must keep loading.
        n => Ok(UpperSpec::Proto(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{HostSpec, Pos};

    fn prefix(port: Option<u16>) -> PrefixSpec {
        PrefixSpec {
            host: HostSpec {
                text: "::".into(),
                pos: Pos::default(),
            },
            prefix_len: None,
            port: port.map(Port::new),
        }
    }

    fn run(text: &str) -> Result<(UpperSpec, Option<Port>, Option<Port>), String> {
        let mut c = Cursor::new("t", text, Pos { line: 1, col: 1 });
        let (mut s, mut d) = (prefix(None), prefix(None));
        let u = upper_spec(&mut c, &mut s, &mut d).map_err(|e| e.to_string())?;
        Ok((u, s.port, d.port))
    }

    #[test]
    fn accepted() {
        let p = |n: u16| Some(Port::new(n));
        let cases = [
            ("any", UpperSpec::Any, None, None),
            ("tcp", UpperSpec::Proto(6), None, None),
            ("TCP", UpperSpec::Proto(6), None, None),
            ("udp -P", UpperSpec::Proto(17), None, None),
            ("17", UpperSpec::Proto(17), None, None),
            ("255", UpperSpec::Proto(255), None, None),
            ("ip4", UpperSpec::Proto(4), None, None),
            ("esp", UpperSpec::Proto(50), None, None),
            ("icmp", UpperSpec::Proto(1), None, None),
            ("icmp 8", UpperSpec::Proto(1), p(8), p(0)),
            ("icmp 3,1", UpperSpec::Proto(1), p(3), p(1)),
            ("mobility-header 5", UpperSpec::Proto(135), p(5), p(0)),
            (
                "icmp6 135,0",
                UpperSpec::Icmp6 {
                    icmp_type: Some(135),
                    code: Some(0),
                },
                None,
                None,
            ),
            (
                "ipv6-icmp 128",
                UpperSpec::Icmp6 {
                    icmp_type: Some(128),
                    code: None,
                },
                None,
                None,
            ),
            (
                "58",
                UpperSpec::Icmp6 {
                    icmp_type: None,
                    code: None,
                },
                None,
                None,
            ),
            ("gre", UpperSpec::Gre { key: None }, None, None),
            ("gre 1234", UpperSpec::Gre { key: Some(1234) }, None, None),
            (
                "gre 1.2.3.4",
                UpperSpec::Gre {
                    key: Some(0x0102_0304),
                },
                None,
                None,
            ),
            // Ignored, as the original ignored it.
            ("tcp 80", UpperSpec::Proto(6), None, None),
        ];
        for (text, upper, sp, dp) in cases {
            assert_eq!(run(text), Ok((upper, sp, dp)), "{text:?}");
        }
    }

    #[test]
    fn rejected() {
        let cases = [
            ("foo", "t,1:1: unknown upper-layer protocol `foo' at `foo'"),
            ("256", "t,1:1: upper-layer protocol 256 out of range (0-255) at `256'"),
            ("-P", "t,1:1: syntax error: expected an upper-layer protocol (any, a protocol name or a number) at `-P'"),
            ("icmp6 x", "t,1:7: invalid type and code `x' for icmp6; expected TYPE or TYPE,CODE (numbers 0-255) at `x'"),
            ("icmp 1,256", "t,1:6: invalid type and code `1,256' for icmp; expected TYPE or TYPE,CODE (numbers 0-255) at `1,256'"),
            ("gre 1.2.3", "t,1:5: invalid GRE key `1.2.3'; expected a number (0-4294967295) or a dotted quad at `1.2.3'"),
            ("gre 4294967296", "t,1:5: invalid GRE key `4294967296'; expected a number (0-4294967295) or a dotted quad at `4294967296'"),
        ];
        for (text, message) in cases {
            assert_eq!(run(text).unwrap_err(), message, "{text:?}");
        }
        let mut c = Cursor::new("t", "icmp 8", Pos { line: 1, col: 1 });
        let (mut s, mut d) = (prefix(Some(80)), prefix(None));
        assert_eq!(
            upper_spec(&mut c, &mut s, &mut d).unwrap_err().to_string(),
            "t,1:6: icmp takes a type or ports, not both at `8'"
        );
    }
}
