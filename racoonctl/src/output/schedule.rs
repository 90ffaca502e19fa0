//! `show-schedule`: `index tick xtime created`, one line per scheduled event.

use super::date_time;
use common::admin::{SchedDump, SCHEDDUMP_LEN};
use common::dump::Clock;

pub fn print(payload: &[u8], clock: &dyn Clock) -> String {
    let mut out = String::new();
    if payload.len() % SCHEDDUMP_LEN != 0 {
        out.push_str(&format!("invalid length {}\n", payload.len()));
    }
    out.push_str("index    tick     xtime    created\n");
    for c in payload.chunks_exact(SCHEDDUMP_LEN) {
        let Ok(s) = SchedDump::decode(c) else {
            continue;
        };
        out.push_str(&format!(
            "{:<8} {:<8} {:<8} {}\n",
            s.id,
            s.tick,
            s.xtime,
            date_time(clock, s.created)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use common::admin::SchedDump;
    use common::dump::FixedClock;

    #[test]
    fn lines() {
        let s = SchedDump {
            xtime: 1_795_400_000,
            id: 3,
            created: 1_795_399_883,
            tick: 117,
        };
        let clock = FixedClock {
            now: 0,
            utc_offset: 0,
        };
        assert_eq!(
            super::print(&s.encode(), &clock),
            "index    tick     xtime    created\n3        117      1795400000 2026-11-23 02:11:23\n"
        );
    }
}
