//! The setkey.conf parser must return statements or a positioned error for any input,
//! whole-file and line by line (`setkey -c`), and never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use setkey::parse::{parse_str, StatementReader};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = parse_str("fuzz", &text) {
        // Positions are 1-based and rendering never fails.
        assert!(e.line >= 1 && e.col >= 1);
        let _ = e.to_string();
    }
    let mut reader = StatementReader::new("fuzz");
    for line in text.split_inclusive('\n') {
        for result in reader.push_line(line) {
            if let Err(e) = result {
                let _ = e.to_string();
            }
        }
    }
    let _ = reader.finish();
});
