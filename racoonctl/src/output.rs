//! Printing replies as the original's `handle_recv` did, into a string for stdout.
//!
//! | reply                      | file        | original            |
//! |----------------------------|-------------|---------------------|
//! | show-sa isakmp             | `isakmp`    | `dump_isakmp_sa`    |
//! | show-sa esp / ah / ipsec   | `sadump`    | `pfkey_sadump` loop |
//! | events                     | `event`     | `print_evt`, `print_cfg` |
//! | show-schedule              | `schedule`  | `print_schedule`    |
//! | -d                         | `hexdump`   | `racoon_hexdump`    |

pub mod event;
pub mod hexdump;
pub mod isakmp;
pub mod sadump;
pub mod schedule;

use common::dump::Clock;

/// `%Y-%m-%d %T` in local time, as strftime over localtime().
pub fn date_time(clock: &dyn Clock, t: i64) -> String {
    match clock.local(t) {
        Some(tm) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            tm.year,
            tm.month + 1,
            tm.mday,
            tm.hour,
            tm.minute,
            tm.second
        ),
        None => "????-??-?? ??:??:??".to_owned(),
    }
}
