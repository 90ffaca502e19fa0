//! One statement: the command word and what follows it, up to its `;`.

use super::cursor::Cursor;
use super::error::ParseError;
use super::sa::{delete_all, get_or_delete, get_spi_spec, optional_satype, sa_spec};
use super::spd::spd_spec;
use crate::ast::{Command, Statement};

const COMMANDS: &str = "a command (add, update, getspi, get, delete, deleteall, flush, dump, \
     spdadd, spdupdate, spddelete, spdflush, spddump or exit)";

/// The next statement, or `None` at the end of the input.
pub(crate) fn statement(c: &mut Cursor<'_>) -> Result<Option<Statement>, ParseError> {
    let Some(first) = c.peek()? else {
        return Ok(None);
    };
    let t = c.expect_word(COMMANDS)?;
    let command = match t.text {
        "add" => Command::Add(sa_spec(c)?),
        // Documented by setkey(8) but missing from the original grammar; it is `add`
        // with SADB_UPDATE.
        "update" => Command::Update(sa_spec(c)?),
        "getspi" => Command::GetSpi(get_spi_spec(c)?),
        "get" => get_or_delete(c, false)?,
        "delete" => get_or_delete(c, true)?,
        "deleteall" => delete_all(c)?,
        "flush" | "dump" => {
            let satype = optional_satype(c)?;
            c.expect_semi()?;
            if t.text == "flush" {
                Command::Flush(satype)
            } else {
                Command::Dump(satype)
            }
        }
        "spdadd" => Command::SpdAdd(spd_spec(c)?),
        "spdupdate" => Command::SpdUpdate(spd_spec(c)?),
        "spddelete" => Command::SpdDelete(spd_spec(c)?),
        "spdflush" | "spddump" => {
            c.expect_semi()?;
            if t.text == "spdflush" {
                Command::SpdFlush
            } else {
                Command::SpdDump
            }
        }
        "exit" | "quit" | "bye" => {
            c.expect_semi()?;
            Command::Exit
        }
        _ => return Err(c.error_at(&t, format!("syntax error: expected {COMMANDS}"))),
    };
    Ok(Some(Statement {
        pos: first.pos,
        command,
    }))
}
