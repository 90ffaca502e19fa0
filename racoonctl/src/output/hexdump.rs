//! `-d`: the request in hex before it is sent, four bytes to a group, 32 to a line.

pub fn hexdump(bytes: &[u8]) -> String {
    let mut s = String::new();
    for (i, b) in bytes.iter().enumerate() {
        if i != 0 && i % 32 == 0 {
            s.push('\n');
        }
        if i % 4 == 0 {
            s.push(' ');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_and_lines() {
        assert_eq!(
            super::hexdump(&[8, 0, 1, 0x81, 1, 0, 0xff, 1]),
            " 08000181 0100ff01\n"
        );
        let s = super::hexdump(&[0; 33]);
        assert_eq!(s.lines().count(), 2);
        assert!(s.ends_with("\n 00\n"));
    }
}
