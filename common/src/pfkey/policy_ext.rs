//! `sadb_x_policy` and the `sadb_x_ipsecrequest`s inside it.

use super::consts::ext;
use super::error::{DecodeError, EncodeError};
use super::ext::decode_pair;
use super::sockaddr::SockAddr;
use super::wire::{align8, Put, Reader};

/// `sadb_x_policy` with its requests.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyExt {
    /// `IPSEC_POLICY_*`: discard, none, ipsec (entrust and bypass only in socket policies).
    pub policy_type: u16,
    /// `IPSEC_DIR_*`; Linux dumps per-socket policies as 4..=6.
    pub dir: u8,
    /// The kernel's policy index (`spid`).
    pub id: u32,
    /// Linux's priority: lower wins; KAME's `prio def` is 0x80000000.
    pub priority: u32,
    pub requests: Vec<IpsecRequest>,
}

/// `sadb_x_ipsecrequest`, with the tunnel end points that may follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IpsecRequest {
    /// An IP protocol number (50 ESP, 51 AH, 108 IPComp), not an SA type.
    pub proto: u16,
    pub mode: u8,
    pub level: u8,
    pub reqid: u32,
    /// Source and destination of the tunnel; Linux reads them only in tunnel mode.
    pub addrs: Option<(SockAddr, SockAddr)>,
}

const REQUEST_HEADER: usize = 16;

impl PolicyExt {
    pub(crate) fn encode_body(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.put_u16(self.policy_type);
        out.extend_from_slice(&[self.dir, 0]);
        out.put_u32(self.id);
        out.put_u32(self.priority);
        for rq in &self.requests {
            let start = out.len();
            out.put_u16(0); // byte length, filled in below
            out.put_u16(rq.proto);
            out.extend_from_slice(&[rq.mode, rq.level]);
            out.put_u16(0);
            out.put_u32(rq.reqid);
            out.put_u32(0);
            if let Some((src, dst)) = &rq.addrs {
                src.encode(out);
                dst.encode(out);
            }
            // 16 + 2 sockaddrs is a multiple of 8 for both families; pad anyway so a
            // request never leaves the next one misaligned.
            out.pad_from(start, align8);
            let len = u16::try_from(out.len() - start).map_err(|_| EncodeError {
                what: "ipsecrequest",
            })?;
            out[start..start + 2].copy_from_slice(&len.to_ne_bytes());
        }
        Ok(())
    }

    /// `body` is the extension after its 4-byte header; `offset` where the extension
    /// starts in the message. Requests are walked as `parse_ipsecrequests` walks them:
    /// a length in bytes, at least a request header, within the extension; fewer than
    /// 16 bytes left over are ignored.
    pub(crate) fn decode(body: &[u8], offset: usize) -> Result<PolicyExt, DecodeError> {
        let short = || DecodeError::invalid(offset, ext::X_POLICY, "shorter than its fields");
        let mut r = Reader::new(body);
        let policy_type = r.u16().ok_or_else(short)?;
        let [dir, _] = r.array().ok_or_else(short)?;
        let id = r.u32().ok_or_else(short)?;
        let priority = r.u32().ok_or_else(short)?;
        let mut requests = Vec::new();
        let mut at = offset + 16;
        while r.remaining() >= REQUEST_HEADER {
            let bad = |reason| DecodeError::invalid(at, ext::X_POLICY, reason);
            let rest = r.rest();
            let mut rq = Reader::new(rest);
            let len = usize::from(rq.u16().ok_or_else(short)?);
            if len < REQUEST_HEADER || len > rest.len() {
                return Err(bad("ipsecrequest length out of range"));
            }
            let proto = rq.u16().ok_or_else(short)?;
            let [mode, level] = rq.array().ok_or_else(short)?;
            rq.skip(2).ok_or_else(short)?;
            let reqid = rq.u32().ok_or_else(short)?;
            let addr_bytes = rest.get(REQUEST_HEADER..len).unwrap_or(&[]);
            let addrs = if addr_bytes.is_empty() {
                None
            } else {
                Some(decode_pair(addr_bytes, at + REQUEST_HEADER, ext::X_POLICY)?)
            };
            requests.push(IpsecRequest {
                proto,
                mode,
                level,
                reqid,
                addrs,
            });
            r = Reader::new(rest.get(len..).unwrap_or(&[]));
            at += len;
        }
        Ok(PolicyExt {
            policy_type,
            dir,
            id,
            priority,
            requests,
        })
    }
}
