//! The policy structures: `xfrm_userpolicy_info`, `xfrm_userpolicy_id`,
//! `xfrm_user_tmpl`, `xfrm_user_acquire`, `xfrm_user_polexpire`.

use super::error::DecodeError;
use super::selector::{LifetimeCfg, LifetimeCur, RawAddr, XfrmId, XfrmSelector};
use super::wire::{align_u64, Put, Reader};

/// `struct xfrm_userpolicy_info` (168 bytes on 64-bit targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserPolicyInfo {
    pub sel: XfrmSelector,
    pub lft: LifetimeCfg,
    pub curlft: LifetimeCur,
    pub priority: u32,
    pub index: u32,
    pub dir: u8,
    pub action: u8,
    pub flags: u8,
    pub share: u8,
}

impl UserPolicyInfo {
    pub const LEN: usize = align_u64(164);

    pub fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        self.sel.encode(out);
        self.lft.encode(out);
        self.curlft.encode(out);
        out.put_u32(self.priority);
        out.put_u32(self.index);
        out.put_u8(self.dir);
        out.put_u8(self.action);
        out.put_u8(self.flags);
        out.put_u8(self.share);
        out.pad_from(start, align_u64);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<UserPolicyInfo, DecodeError> {
        let start = r.position();
        let info = UserPolicyInfo {
            sel: XfrmSelector::decode(r)?,
            lft: LifetimeCfg::decode(r)?,
            curlft: LifetimeCur::decode(r)?,
            priority: r.u32()?,
            index: r.u32()?,
            dir: r.u8()?,
            action: r.u8()?,
            flags: r.u8()?,
            share: r.u8()?,
        };
        r.skip(Self::LEN.saturating_sub(r.position() - start))?;
        Ok(info)
    }
}

/// `struct xfrm_userpolicy_id` (64 bytes): names a policy by selector and direction,
/// or by index when `index` is not 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserPolicyId {
    pub sel: XfrmSelector,
    pub index: u32,
    pub dir: u8,
}

impl UserPolicyId {
    pub const LEN: usize = 64;

    pub fn encode(&self, out: &mut Vec<u8>) {
        self.sel.encode(out);
        out.put_u32(self.index);
        out.put_u8(self.dir);
        out.extend_from_slice(&[0; 3]);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<UserPolicyId, DecodeError> {
        let id = UserPolicyId {
            sel: XfrmSelector::decode(r)?,
            index: r.u32()?,
            dir: r.u8()?,
        };
        r.skip(3)?;
        Ok(id)
    }
}

/// `struct xfrm_user_tmpl` (64 bytes): one SA a policy requires (`XFRMA_TMPL` holds
/// an array of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserTmpl {
    pub id: XfrmId,
    pub family: u16,
    pub saddr: RawAddr,
    pub reqid: u32,
    pub mode: u8,
    pub share: u8,
    pub optional: u8,
    pub aalgos: u32,
    pub ealgos: u32,
    pub calgos: u32,
}

impl UserTmpl {
    pub const LEN: usize = 64;

    pub fn encode(&self, out: &mut Vec<u8>) {
        self.id.encode(out);
        out.put_u16(self.family);
        out.put_u16(0);
        out.extend_from_slice(&self.saddr);
        out.put_u32(self.reqid);
        out.put_u8(self.mode);
        out.put_u8(self.share);
        out.put_u8(self.optional);
        out.put_u8(0);
        out.put_u32(self.aalgos);
        out.put_u32(self.ealgos);
        out.put_u32(self.calgos);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<UserTmpl, DecodeError> {
        let id = XfrmId::decode(r)?;
        let family = r.u16()?;
        r.skip(2)?;
        let saddr = r.array()?;
        let reqid = r.u32()?;
        let mode = r.u8()?;
        let share = r.u8()?;
        let optional = r.u8()?;
        r.skip(1)?;
        Ok(UserTmpl {
            id,
            family,
            saddr,
            reqid,
            mode,
            share,
            optional,
            aalgos: r.u32()?,
            ealgos: r.u32()?,
            calgos: r.u32()?,
        })
    }

    /// The payload of `XFRMA_TMPL`: a whole number of templates, or an error.
    pub fn decode_list(payload: &[u8]) -> Result<Vec<UserTmpl>, DecodeError> {
        if payload.len() % Self::LEN != 0 {
            return Err(DecodeError::BadLength {
                what: "XFRMA_TMPL",
                len: payload.len(),
            });
        }
        let mut r = Reader::new(payload, "xfrm_user_tmpl");
        (0..payload.len() / Self::LEN)
            .map(|_| UserTmpl::decode(&mut r))
            .collect()
    }
}

/// `struct xfrm_user_acquire` (280 bytes): the kernel asks for an SA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserAcquire {
    pub id: XfrmId,
    pub saddr: RawAddr,
    pub sel: XfrmSelector,
    pub policy: UserPolicyInfo,
    pub aalgos: u32,
    pub ealgos: u32,
    pub calgos: u32,
    pub seq: u32,
}

impl UserAcquire {
    pub const LEN: usize =
        align_u64(XfrmId::LEN + 16 + XfrmSelector::LEN + UserPolicyInfo::LEN + 16);

    pub fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        self.id.encode(out);
        out.extend_from_slice(&self.saddr);
        self.sel.encode(out);
        out.pad_from(start, align_u64);
        self.policy.encode(out);
        out.put_u32(self.aalgos);
        out.put_u32(self.ealgos);
        out.put_u32(self.calgos);
        out.put_u32(self.seq);
        out.pad_from(start, align_u64);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<UserAcquire, DecodeError> {
        let start = r.position();
        let id = XfrmId::decode(r)?;
        let saddr = r.array()?;
        let sel = XfrmSelector::decode(r)?;
        r.skip(align_u64(r.position() - start) - (r.position() - start))?;
        let acquire = UserAcquire {
            id,
            saddr,
            sel,
            policy: UserPolicyInfo::decode(r)?,
            aalgos: r.u32()?,
            ealgos: r.u32()?,
            calgos: r.u32()?,
            seq: r.u32()?,
        };
        r.skip(Self::LEN.saturating_sub(r.position() - start))?;
        Ok(acquire)
    }
}

/// `struct xfrm_user_polexpire`: a policy reached a lifetime limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserPolExpire {
    pub pol: UserPolicyInfo,
    pub hard: bool,
}

impl UserPolExpire {
    pub const LEN: usize = align_u64(UserPolicyInfo::LEN + 1);

    pub fn decode(r: &mut Reader<'_>) -> Result<UserPolExpire, DecodeError> {
        let start = r.position();
        let pol = UserPolicyInfo::decode(r)?;
        let hard = r.u8()? != 0;
        r.skip(Self::LEN.saturating_sub(r.position() - start))?;
        Ok(UserPolExpire { pol, hard })
    }
}
