//! One admin connection: non-blocking, with its own input and output buffers, so a
//! client that sends slowly, stops reading or disappears costs the daemon nothing but
//! the buffer.

use super::dispatch::Scope;
use common::admin::{Header, Request, HEADER_LEN};
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;

/// A request larger than this is not one racoonctl sends.
const MAX_REQUEST: usize = 64 * 1024;
/// Events queued for a client that does not read are dropped with the client.
const MAX_PENDING: usize = 1024 * 1024;

pub struct Conn {
    stream: UnixStream,
    inbuf: Vec<u8>,
    outbuf: Vec<u8>,
    /// Set once the request was answered with a subscription.
    pub scope: Option<Scope>,
    /// Close once the output is written.
    pub closing: bool,
    /// Close now.
    pub dead: bool,
}

/// What reading gave.
pub enum Input {
    Nothing,
    Request(Request),
}

impl Conn {
    pub fn new(stream: UnixStream) -> io::Result<Conn> {
        stream.set_nonblocking(true)?;
        Ok(Conn {
            stream,
            inbuf: Vec::new(),
            outbuf: Vec::new(),
            scope: None,
            closing: false,
            dead: false,
        })
    }

    pub fn fd(&self) -> RawFd {
        self.stream.as_raw_fd()
    }

    pub fn wants_write(&self) -> bool {
        !self.outbuf.is_empty()
    }

    /// Reads what is there. A subscribed connection has nothing more to say: anything
    /// readable (its end closing) ends it, as in the original.
    pub fn read(&mut self) -> Input {
        let mut buf = [0u8; 4096];
        loop {
            match self.stream.read(&mut buf) {
                Ok(0) => {
                    self.dead = true;
                    return Input::Nothing;
                }
                Ok(n) => {
                    if self.scope.is_some() || self.closing {
                        self.dead = true;
                        return Input::Nothing;
                    }
                    self.inbuf.extend_from_slice(&buf[..n]);
                    if self.inbuf.len() > MAX_REQUEST {
                        self.dead = true;
                        return Input::Nothing;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    self.dead = true;
                    return Input::Nothing;
                }
            }
        }
        self.take_request()
    }

    fn take_request(&mut self) -> Input {
        if self.inbuf.len() < HEADER_LEN || self.scope.is_some() || self.closing {
            return Input::Nothing;
        }
        let len = match Header::decode(&self.inbuf).and_then(|h| Request::wire_len(&h)) {
            Ok(l) => l,
            Err(_) => {
                self.dead = true;
                return Input::Nothing;
            }
        };
        if self.inbuf.len() < len {
            return Input::Nothing;
        }
        match Request::decode(&self.inbuf[..len]) {
            Ok(r) => {
                self.inbuf.clear();
                Input::Request(r)
            }
            Err(_) => {
                self.dead = true;
                Input::Nothing
            }
        }
    }

    pub fn queue(&mut self, bytes: &[u8]) {
        self.outbuf.extend_from_slice(bytes);
        if self.outbuf.len() > MAX_PENDING {
            self.dead = true;
        }
    }

    /// Writes what the socket takes now.
    pub fn flush(&mut self) {
        while !self.outbuf.is_empty() {
            match self.stream.write(&self.outbuf) {
                Ok(0) => {
                    self.dead = true;
                    return;
                }
                Ok(n) => {
                    self.outbuf.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    self.dead = true;
                    return;
                }
            }
        }
        if self.closing {
            self.dead = true;
        }
    }
}
