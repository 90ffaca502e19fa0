//! The admin socket from racoonctl's side (kmpstat.c's com_init, com_send, com_recv):
//! connect, send one request, read replies whole.

use common::admin::{Header, Reply, HEADER_LEN};
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;

/// Why talking to racoon failed; [`ClientError::message`] is the line racoonctl prints.
#[derive(Debug)]
pub enum ClientError {
    Connect(String, io::Error),
    Send(io::Error),
    Recv(io::Error),
    /// The connection ended before a header.
    Eof,
    /// It ended inside a header.
    ShortHeader(usize),
    /// A header whose length is impossible.
    BadReply(common::admin::AdminError),
    /// racoon answered with an errno.
    Refused(i16),
}

pub const EEXIST: i16 = 17;

fn text(e: &io::Error) -> String {
    crate::fail::strerror(e.raw_os_error().unwrap_or(5))
}

impl ClientError {
    /// The stderr line without the program name, or `None` where the original is
    /// silent (EEXIST: the SA asked for is already there, exit status 0).
    pub fn message(&self) -> Option<String> {
        Some(match self {
            ClientError::Connect(path, e) => format!(
                "cannot connect to racoon admin socket {path}: {} (is racoon running?)",
                text(e)
            ),
            ClientError::Send(e) => format!("failed to send request to racoon: {}", text(e)),
            ClientError::Recv(e) => format!("failed to receive reply from racoon: {}", text(e)),
            ClientError::Eof => {
                "racoon closed the admin connection before sending a reply header (EOF)".to_owned()
            }
            ClientError::ShortHeader(n) => {
                format!("short read from racoon: got {n} of {HEADER_LEN} expected header bytes")
            }
            ClientError::BadReply(e) => format!("invalid reply from racoon: {e}"),
            ClientError::Refused(EEXIST) => return None,
            ClientError::Refused(errno) => crate::fail::strerror(i32::from(*errno)),
        })
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            ClientError::Refused(EEXIST) => 0,
            _ => 1,
        }
    }
}

pub struct Client {
    stream: UnixStream,
}

impl Client {
    pub fn connect(path: &Path) -> Result<Client, ClientError> {
        UnixStream::connect(path)
            .map(|stream| Client { stream })
            .map_err(|e| ClientError::Connect(path.display().to_string(), e))
    }

    pub fn send(&mut self, bytes: &[u8]) -> Result<(), ClientError> {
        self.stream.write_all(bytes).map_err(ClientError::Send)
    }

    /// The next whole reply.
    pub fn recv(&mut self) -> Result<Reply, ClientError> {
        let mut head = [0u8; HEADER_LEN];
        let mut got = 0;
        while got < HEADER_LEN {
            match self.stream.read(&mut head[got..]) {
                Ok(0) if got == 0 => return Err(ClientError::Eof),
                Ok(0) => return Err(ClientError::ShortHeader(got)),
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(ClientError::Recv(e)),
            }
        }
        let header = Header::decode(&head).map_err(ClientError::BadReply)?;
        let (len, errno) = Reply::wire_len(&header).map_err(ClientError::BadReply)?;
        if errno != 0 {
            return Err(ClientError::Refused(errno));
        }
        let mut bytes = head.to_vec();
        bytes.resize(len, 0);
        self.stream
            .read_exact(&mut bytes[HEADER_LEN..])
            .map_err(|e| {
                if e.kind() == io::ErrorKind::UnexpectedEof {
                    ClientError::Recv(io::Error::from_raw_os_error(104))
                } else {
                    ClientError::Recv(e)
                }
            })?;
        Reply::decode(&bytes).map_err(ClientError::BadReply)
    }
}
