//! Timestamps as the original printed them: 20 characters cut out of `ctime(3)`.

use std::fmt::{self, Write as _};

use super::{Clock, LocalTime};

/// The width of every timestamp field in the dumps.
const WIDTH: usize = 20;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Writes `t` as `str_time` in pfkey_dump.c does: 20 spaces for 0 (never happened), else
/// characters 4 to 23 of `ctime`'s `"Tue Oct  2 09:22:44 2018\n"`, which drops the weekday
/// and the newline (`Oct  2 09:22:44 2018`), or 20 `?` where `ctime` fails.
///
/// The kernel's time is unsigned; the original cast it to `long` first, so a value past
/// `i64::MAX` comes out as a date before 1970, or as `?`s. Years of other than four digits
/// come out as the original's fixed-width copy made them: cut after 20 characters, or
/// ending in `ctime`'s newline.
pub(super) fn write(out: &mut dyn fmt::Write, t: u64, clock: &dyn Clock) -> fmt::Result {
    // The original's `(long)` cast: reinterpret, never fail.
    let t = i64::from_ne_bytes(t.to_ne_bytes());
    if t == 0 {
        return write!(out, "{:WIDTH$}", "");
    }
    let Some(local) = clock.local(t) else {
        return out.write_str(&"?".repeat(WIDTH));
    };
    match usual(&local) {
        // Only ASCII was written.
        Some(text) => out.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?),
        None => write_cut(out, &local),
    }
}

/// The 20 characters for the usual case (a month in range, a four-digit year, two-digit
/// day and clock fields), written straight into place: `Oct  2 09:22:44 2018`.
fn usual(t: &LocalTime) -> Option<[u8; WIDTH]> {
    let month = MONTHS.get(usize::from(t.month))?;
    let year = u16::try_from(t.year)
        .ok()
        .filter(|y| (1000..=9999).contains(y))?;
    if [t.mday, t.hour, t.minute, t.second].iter().any(|&v| v > 99) {
        return None;
    }
    let digit = |v: u16, place: u16| b'0' + u8::try_from(v / place % 10).unwrap_or(0);
    let two = |v: u8| [digit(v.into(), 10), digit(v.into(), 1)];
    let mut text = [b' '; WIDTH];
    text[..3].copy_from_slice(month.as_bytes());
    if t.mday >= 10 {
        text[4] = digit(t.mday.into(), 10);
    }
    text[5] = digit(t.mday.into(), 1);
    text[7..9].copy_from_slice(&two(t.hour));
    text[9] = b':';
    text[10..12].copy_from_slice(&two(t.minute));
    text[12] = b':';
    text[13..15].copy_from_slice(&two(t.second));
    text[16..].copy_from_slice(&[1000, 100, 10, 1].map(|place| digit(year, place)));
    Some(text)
}

/// Any other time, through `asctime`'s format and the original's cut.
fn write_cut(out: &mut dyn fmt::Write, local: &LocalTime) -> fmt::Result {
    let mut full = Asctime::default();
    asctime(&mut full, local)?;
    // `ctime` output is ASCII, so byte offsets are character offsets.
    let cut = full.text().get(4..).unwrap_or("");
    let end = cut.len().min(WIDTH);
    out.write_str(cut.get(..end).unwrap_or(""))
}

/// `asctime(3)`'s text, on the stack: one per timestamp of a long dump.
struct Asctime {
    buf: [u8; 64],
    len: usize,
}

impl Default for Asctime {
    fn default() -> Asctime {
        Asctime {
            buf: [0; 64],
            len: 0,
        }
    }
}

impl Asctime {
    fn text(&self) -> &str {
        std::str::from_utf8(self.buf.get(..self.len).unwrap_or_default()).unwrap_or("")
    }
}

impl fmt::Write for Asctime {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        self.buf
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `asctime(3)`'s `"%.3s %.3s%3d %.2d:%.2d:%.2d %d\n"`, with glibc's `???` for a weekday
/// or month out of range. (At most 3+1+3+3+1+8+1+20+1 bytes: it fits the buffer.)
fn asctime(out: &mut Asctime, t: &LocalTime) -> fmt::Result {
    let weekday = WEEKDAYS.get(usize::from(t.weekday)).unwrap_or(&"???");
    let month = MONTHS.get(usize::from(t.month)).unwrap_or(&"???");
    writeln!(
        out,
        "{weekday} {month}{:3} {:02}:{:02}:{:02} {}",
        t.mday, t.hour, t.minute, t.second, t.year
    )
}

#[cfg(test)]
mod tests {
    use super::super::FixedClock;
    use super::*;

    fn show(t: u64, clock: &dyn Clock) -> String {
        let mut text = String::new();
        write(&mut text, t, clock).unwrap();
        text
    }

    #[test]
    fn ctime_slice() {
        let utc = FixedClock::utc(0);
        assert_eq!(show(1_538_472_164, &utc), "Oct  2 09:22:44 2018");
        assert_eq!(show(1_538_476_761, &utc), "Oct  2 10:39:21 2018");
        assert_eq!(show(1, &utc), "Jan  1 00:00:01 1970");
        assert_eq!(show(1_700_000_000, &utc), "Nov 14 22:13:20 2023");
        let plus2 = FixedClock {
            now: 0,
            utc_offset: 7_200,
        };
        assert_eq!(show(1_538_472_164, &plus2), "Oct  2 11:22:44 2018");
    }

    #[test]
    fn usual_times_as_asctime_cuts_them() {
        let utc = FixedClock::utc(0);
        for t in (0..400).map(|i| 1_000_000_007 * i + 86_399) {
            let local = utc.local(t).unwrap();
            let mut slow = String::new();
            write_cut(&mut slow, &local).unwrap();
            let fast = usual(&local).map(|b| String::from_utf8(b.to_vec()).unwrap());
            match fast {
                Some(fast) => assert_eq!(fast, slow, "{t}"),
                None => assert!(!(1000..=9999).contains(&local.year), "{t}"),
            }
        }
    }

    #[test]
    fn zero_is_blank() {
        assert_eq!(show(0, &FixedClock::utc(5)), " ".repeat(20));
    }

    #[test]
    fn odd_years() {
        let utc = FixedClock::utc(0);
        // u64 past i64::MAX: the C cast makes it negative, a date long before 1970.
        assert_eq!(show(u64::MAX, &utc), "Dec 31 23:59:59 1969");
        // Five-digit year: cut at 20 characters.
        assert_eq!(show(253_402_300_800, &utc), "Jan  1 00:00:00 1000");
        // Beyond what localtime can express.
        assert_eq!(show(1 << 62, &utc), "?".repeat(20));
    }

    #[test]
    fn bad_fields_are_question_marks() {
        let t = LocalTime {
            year: 2000,
            month: 12,
            mday: 1,
            hour: 0,
            minute: 0,
            second: 0,
            weekday: 7,
        };
        let mut text = Asctime::default();
        asctime(&mut text, &t).unwrap();
        assert_eq!(text.text(), "??? ???  1 00:00:00 2000\n");
        // The widest year still fits.
        let mut text = Asctime::default();
        asctime(
            &mut text,
            &LocalTime {
                year: i64::MIN,
                ..t
            },
        )
        .unwrap();
        assert_eq!(text.text(), "??? ???  1 00:00:00 -9223372036854775808\n");
    }
}
