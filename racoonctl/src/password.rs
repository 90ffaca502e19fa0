//! getpass(3): the prompt on the terminal, the answer read with echo off.

use std::io::{BufRead, Write};

/// Prompts on /dev/tty and reads one line without echo; without a terminal, reads the
/// line from stdin.
pub fn read(prompt: &str) -> std::io::Result<String> {
    let Ok(tty) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
    else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_owned());
    };
    use std::os::fd::AsRawFd;
    let fd = tty.as_raw_fd();
    // SAFETY: termios is plain data; tcgetattr/tcsetattr only touch the struct we pass
    // and the descriptor, which stays open for the whole function.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    let have = unsafe { libc::tcgetattr(fd, &mut saved) } == 0;
    if have {
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &quiet) };
    }
    let mut w = &tty;
    let _ = w.write_all(prompt.as_bytes());
    let mut line = String::new();
    let r = std::io::BufReader::new(&tty).read_line(&mut line);
    if have {
        unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &saved) };
    }
    let _ = w.write_all(b"\n");
    r?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}
