//! `show-sa esp|ah|ipsec`: the reply carries the kernel's dump messages (PF_KEY
//! `sadb_msg`s, the last with sequence number 0), printed as `setkey -D` prints them.

use common::dump::{self, Clock, DumpOptions};
use common::pfkey::{consts::msg, reply, Message};

const ENOENT: u8 = 2;

pub fn print(payload: &[u8], clock: &dyn Clock) -> String {
    let mut out = String::new();
    let opts = DumpOptions::new(clock);
    let mut rest = payload;
    loop {
        if rest.len() < 16 {
            break;
        }
        let len = usize::from(u16::from_ne_bytes([rest[4], rest[5]])) * 8;
        let Some(bytes) = rest.get(..len).filter(|_| len >= 16) else {
            break;
        };
        let (errno, msg_type, seq) = (
            rest[2],
            rest[1],
            u32::from_ne_bytes([rest[8], rest[9], rest[10], rest[11]]),
        );
        match errno {
            0 => {
                if let Ok(m) = Message::decode(bytes) {
                    if let Ok(sa) = reply::sa_from_message(&m) {
                        let _ = dump::sa(&mut out, &reply::dumped(&m, sa), &opts);
                    }
                }
            }
            ENOENT => {
                match msg_type {
                    msg::DELETE | msg::GET => out.push_str("No entry.\n"),
                    msg::DUMP => out.push_str("No SAD entries.\n"),
                    _ => {}
                }
                break;
            }
            e => {
                out.push_str(&format!("{}.\n", crate::fail::strerror(i32::from(e))));
                break;
            }
        }
        if seq == 0 {
            break;
        }
        rest = &rest[len..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use common::dump::FixedClock;
    use common::pfkey::{Header, Message};

    #[test]
    fn empty_and_error_replies() {
        let clock = FixedClock {
            now: 0,
            utc_offset: 0,
        };
        let mut h = Header::new(msg::DUMP, 3, 0, 0);
        h.errno = 2;
        let bytes = Message::new(h).encode().unwrap();
        assert_eq!(print(&bytes, &clock), "No SAD entries.\n");
        h.errno = 1;
        let bytes = Message::new(h).encode().unwrap();
        assert_eq!(print(&bytes, &clock), "Operation not permitted.\n");
        assert_eq!(print(&[], &clock), "");
    }
}
