//! Policy commands: `spdadd`, `spdupdate`, `spddelete`.

use super::address::{addr_opts, check_same_family, prefix_spec};
use super::cursor::Cursor;
use super::error::ParseError;
use super::lexer::Kind;
use super::policy::policy_spec;
use super::sa_opts::sec_ctx;
use super::upper::upper_spec;
use crate::ast::{SelectorSpec, SpdSpec};

/// After the keyword: `[-46n] SRC DST UPPER [EXTRA] [-ctx ...] POLICY ;`, or
/// `tagged "TAG" POLICY ;`.
pub(crate) fn spd_spec(c: &mut Cursor<'_>) -> Result<SpdSpec, ParseError> {
    let opts_addr = addr_opts(c)?;
    if c.eat_word("tagged")?.is_some() {
        let tag = c.expect(Kind::Quoted, "the tag (a quoted string)")?;
        let policy = policy_spec(c)?;
        return Ok(SpdSpec {
            opts_addr,
            selector: SelectorSpec::Tagged(tag.text.to_owned()),
            policy,
            sec_ctx: None,
        });
    }
    let mut src = prefix_spec(c, opts_addr, "the source address")?;
    let mut dst = prefix_spec(c, opts_addr, "the destination address")?;
    check_same_family(c, &src.host, &dst.host, "source and destination")?;
    let upper = upper_spec(c, &mut src, &mut dst)?;
    let sec_ctx = match c.eat_word("-ctx")? {
        Some(_) => Some(sec_ctx(c)?),
        None => None,
    };
    let policy = policy_spec(c)?;
    Ok(SpdSpec {
        opts_addr,
        selector: SelectorSpec::Addresses { src, dst, upper },
        policy,
        sec_ctx,
    })
}
