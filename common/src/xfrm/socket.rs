//! A NETLINK_XFRM socket: buffers sized for pipelining, datagrams in and out.

use super::consts::{NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_XFRM, SOL_NETLINK};
use super::sys;
use std::io;
use std::os::fd::OwnedFd;
use std::time::Duration;

/// Socket buffer size asked for. Root gets it (SO_*BUFFORCE); others get
/// `net.core.[rw]mem_max`, and batches are cut to fit whatever was granted.
const WANTED_BUF: i32 = 8 << 20;
/// The largest datagram we send: big enough that the per-syscall cost vanishes,
/// small enough that the kernel's allocation for it is cheap.
const MAX_SEND: usize = 1 << 20;
/// What one acknowledgement costs in the receive buffer (its skb's truesize, with room
/// to spare: a 36-byte ack occupies well under 1 KiB on current kernels). Acks beyond
/// the buffer would be dropped, so at most `rcvbuf / ACK_COST` are outstanding.
const ACK_COST: usize = 2048;
/// Receive buffer: the kernel caps dump datagrams at 32 KiB.
const RECV_BUF: usize = 64 << 10;

#[derive(Debug)]
pub struct NlSocket {
    fd: OwnedFd,
    seq: u32,
    buf: Vec<u8>,
    max_send: usize,
    max_inflight: usize,
}

fn set_buffer(fd: &OwnedFd, force: i32, plain: i32) -> io::Result<usize> {
    if sys::set_int(fd, libc::SOL_SOCKET, force, WANTED_BUF).is_err() {
        // Without CAP_NET_ADMIN: as much as rmem_max/wmem_max allow.
        sys::set_int(fd, libc::SOL_SOCKET, plain, WANTED_BUF)?;
    }
    // The kernel reports the doubled value it actually uses.
    Ok(usize::try_from(sys::get_int(fd, libc::SOL_SOCKET, plain)?).unwrap_or(0))
}

impl std::os::fd::AsRawFd for NlSocket {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        std::os::fd::AsRawFd::as_raw_fd(&self.fd)
    }
}

impl NlSocket {
    /// Opens a socket subscribed to the multicast groups in `groups` (group numbers,
    /// not a bitmask); none for a request socket.
    pub fn open(groups: &[u32]) -> io::Result<NlSocket> {
        let fd = sys::netlink_socket(NETLINK_XFRM)?;
        let rcvbuf = set_buffer(&fd, libc::SO_RCVBUFFORCE, libc::SO_RCVBUF)?;
        let sndbuf = set_buffer(&fd, libc::SO_SNDBUFFORCE, libc::SO_SNDBUF)?;
        // Error acks then carry only the request's header, not the whole request:
        // cheaper, and the same size as a success ack for the budget above. Old
        // kernels lack the option and echo everything, which still parses.
        let _ = sys::set_int(&fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
        // The kernel picks our port id; replies come to it whatever it is.
        sys::bind(&fd, 0)?;
        for &group in groups {
            sys::set_int(&fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group as i32)?;
        }
        Ok(NlSocket {
            fd,
            seq: 0,
            buf: vec![0; RECV_BUF],
            // netlink_sendmsg refuses a datagram longer than sk_sndbuf - 32.
            max_send: sndbuf.saturating_sub(64).clamp(4096, MAX_SEND),
            max_inflight: (rcvbuf / ACK_COST).max(1),
        })
    }

    /// A fresh sequence number for a request.
    pub fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    /// The largest datagram worth sending in one go.
    pub fn max_send(&self) -> usize {
        self.max_send
    }

    /// How many acknowledged requests may be outstanding at once.
    pub fn max_inflight(&self) -> usize {
        self.max_inflight
    }

    pub fn send(&self, datagram: &[u8]) -> io::Result<()> {
        sys::send(&self.fd, datagram).map(|_| ())
    }

    /// The next datagram; with `nonblocking`, `WouldBlock` if none is queued. A
    /// datagram larger than the buffer is an error (EMSGSIZE), never silently cut.
    pub fn recv(&mut self, nonblocking: bool) -> io::Result<&[u8]> {
        let n = sys::recv(&self.fd, &mut self.buf, nonblocking)?;
        self.buf
            .get(..n)
            .ok_or_else(|| io::Error::from_raw_os_error(libc::EMSGSIZE))
    }

    /// Waits for a datagram; false if `timeout` passed first.
    pub fn wait(&self, timeout: Option<Duration>) -> io::Result<bool> {
        sys::poll_readable(&self.fd, timeout)
    }
}
