//! The current time and the local time zone, behind a trait.
//!
//! `setkey -D` prints the time of the dump (`current:`) and every timestamp in local time,
//! as `ctime(3)` does. Both come from the host, which would make golden tests depend on
//! when and where they run; the printer asks a [`Clock`] instead, so tests pass a
//! [`FixedClock`] and the tools pass [`SystemClock`].

use std::time::{SystemTime, UNIX_EPOCH};

/// A broken-down time, what `localtime(3)` fills in a `struct tm`, with the year in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// The year, e.g. 2018 (`tm_year + 1900`).
    pub year: i64,
    /// 0 = January (`tm_mon`).
    pub month: u8,
    /// 1 to 31 (`tm_mday`).
    pub mday: u8,
    pub hour: u8,
    pub minute: u8,
    /// 0 to 60: a leap second is possible where the zone data has them.
    pub second: u8,
    /// 0 = Sunday (`tm_wday`).
    pub weekday: u8,
}

/// Where the printer gets "now" and local time from.
pub trait Clock {
    /// Seconds since the Unix epoch, as `time(0)` returns them.
    fn now(&self) -> i64;

    /// `t` in the local time zone; `None` where `localtime(3)` fails (a year that does
    /// not fit a C `int`), which `ctime` reports as NULL and the original prints as `?`s.
    fn local(&self, t: i64) -> Option<LocalTime>;
}

/// The host's clock and time zone (`TZ`, `/etc/localtime`), through `localtime_r(3)`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_secs())
                .map(|s| -s)
                .unwrap_or(i64::MIN),
        }
    }

    fn local(&self, t: i64) -> Option<LocalTime> {
        // An identity on 64-bit Linux; where `time_t` is 32 bits, a time it cannot hold
        // fails as localtime would.
        #[allow(clippy::useless_conversion)]
        let time: libc::time_t = t.try_into().ok()?;
        // SAFETY: `tm` is plain old data, so all-zero is a valid value; localtime_r only
        // writes into the `tm` we pass and returns either that pointer or NULL.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        let result = unsafe { libc::localtime_r(&time, &mut tm) };
        if result.is_null() {
            return None;
        }
        Some(LocalTime {
            year: i64::from(tm.tm_year) + 1900,
            month: u8::try_from(tm.tm_mon).ok()?,
            mday: u8::try_from(tm.tm_mday).ok()?,
            hour: u8::try_from(tm.tm_hour).ok()?,
            minute: u8::try_from(tm.tm_min).ok()?,
            second: u8::try_from(tm.tm_sec).ok()?,
            weekday: u8::try_from(tm.tm_wday).ok()?,
        })
    }
}

/// A clock that remembers the last local times it computed: a dump of thousands of
/// entries created in the same second asks for that second thousands of times, and
/// each `localtime_r` costs more than the rest of the entry's line.
#[derive(Debug, Default)]
pub struct CachedClock<C> {
    inner: C,
    recent: std::cell::Cell<[Option<Remembered>; 2]>,
}

/// A time and what [`Clock::local`] said of it.
type Remembered = (i64, Option<LocalTime>);

impl<C: Clock> CachedClock<C> {
    pub fn new(inner: C) -> CachedClock<C> {
        CachedClock {
            inner,
            recent: std::cell::Cell::new([None, None]),
        }
    }
}

impl<C: Clock> Clock for CachedClock<C> {
    fn now(&self) -> i64 {
        self.inner.now()
    }

    fn local(&self, t: i64) -> Option<LocalTime> {
        let [a, b] = self.recent.get();
        for (at, local) in [a, b].into_iter().flatten() {
            if at == t {
                return local;
            }
        }
        let local = self.inner.local(t);
        // The newest first; the older of the two makes way.
        self.recent.set([Some((t, local)), a]);
        local
    }
}

/// A stopped clock in a zone with a fixed UTC offset: deterministic output for tests,
/// and a way to print dumps in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock {
    /// What [`Clock::now`] returns.
    pub now: i64,
    /// Seconds east of UTC.
    pub utc_offset: i64,
}

impl FixedClock {
    /// Stopped at `now`, in UTC.
    pub const fn utc(now: i64) -> FixedClock {
        FixedClock { now, utc_offset: 0 }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.now
    }

    fn local(&self, t: i64) -> Option<LocalTime> {
        civil(t.checked_add(self.utc_offset)?)
    }
}

/// Seconds since the epoch to a calendar date in the proleptic Gregorian calendar
/// (H. Hinnant's days-to-civil), failing where glibc's `localtime` does: when
/// `year - 1900` does not fit an `int`.
fn civil(t: i64) -> Option<LocalTime> {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // 1970-01-01 was a Thursday.
    let weekday = (days + 4).rem_euclid(7);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let mday = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 2 } else { mp - 10 };
    let year = yoe + era * 400 + i64::from(month < 2);
    i32::try_from(year - 1900).ok()?;
    Some(LocalTime {
        year,
        month: u8::try_from(month).ok()?,
        mday: u8::try_from(mday).ok()?,
        hour: u8::try_from(secs / 3_600).ok()?,
        minute: u8::try_from(secs % 3_600 / 60).ok()?,
        second: u8::try_from(secs % 60).ok()?,
        weekday: u8::try_from(weekday).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(year: i64, month: u8, mday: u8, hms: (u8, u8, u8), weekday: u8) -> LocalTime {
        LocalTime {
            year,
            month,
            mday,
            hour: hms.0,
            minute: hms.1,
            second: hms.2,
            weekday,
        }
    }

    #[test]
    fn utc_calendar() {
        let utc = FixedClock::utc(0);
        assert_eq!(utc.local(0), Some(at(1970, 0, 1, (0, 0, 0), 4)));
        assert_eq!(utc.local(-1), Some(at(1969, 11, 31, (23, 59, 59), 3)));
        // Seed 003: created Oct  2 09:22:44 2018, a Tuesday.
        assert_eq!(
            utc.local(1_538_472_164),
            Some(at(2018, 9, 2, (9, 22, 44), 2))
        );
        // Leap day and the 2038 boundary.
        assert_eq!(utc.local(951_782_400), Some(at(2000, 1, 29, (0, 0, 0), 2)));
        assert_eq!(
            utc.local(2_147_483_648),
            Some(at(2038, 0, 19, (3, 14, 8), 2))
        );
    }

    #[test]
    fn offsets() {
        let cet = FixedClock {
            now: 0,
            utc_offset: 3_600,
        };
        assert_eq!(cet.local(0), Some(at(1970, 0, 1, (1, 0, 0), 4)));
        let west = FixedClock {
            now: 0,
            utc_offset: -5 * 3_600,
        };
        assert_eq!(west.local(0), Some(at(1969, 11, 31, (19, 0, 0), 3)));
        assert_eq!(cet.now(), 0);
    }

    #[test]
    fn out_of_range_is_none() {
        let utc = FixedClock::utc(0);
        assert_eq!(utc.local(i64::MAX), None);
        assert_eq!(utc.local(i64::MIN), None);
        let shifted = FixedClock {
            now: 0,
            utc_offset: 1,
        };
        assert_eq!(shifted.local(i64::MAX), None);
    }

    /// The host's zone is unknown here, but a date it gives must be a date.
    #[test]
    fn cached_clock_answers_as_its_inner_clock() {
        let inner = FixedClock {
            now: 77,
            utc_offset: 3600,
        };
        let cached = CachedClock::new(inner);
        assert_eq!(cached.now(), 77);
        for t in [
            1_538_472_164,
            1_538_472_164,
            5,
            1_538_472_164,
            6,
            5,
            i64::MAX,
        ] {
            assert_eq!(cached.local(t), inner.local(t), "{t}");
        }
    }

    #[test]
    fn system_clock_is_sane() {
        let clock = SystemClock;
        assert!(clock.now() > 1_600_000_000);
        let local = clock.local(1_538_472_164).unwrap();
        assert!((2018..=2018).contains(&local.year));
        assert!(local.month == 9 && (1..=3).contains(&local.mday));
        assert!(local.weekday < 7 && local.hour < 24);
        assert_eq!(clock.local(i64::MAX), None);
    }
}
