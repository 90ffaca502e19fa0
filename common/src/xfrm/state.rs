//! The SA structures: `xfrm_usersa_info`, `xfrm_usersa_id`, `xfrm_userspi_info`,
//! `xfrm_usersa_flush`, `xfrm_user_expire`.

use super::error::DecodeError;
use super::selector::{LifetimeCfg, LifetimeCur, RawAddr, Stats, XfrmId, XfrmSelector};
use super::wire::{align_u64, Put, Reader};

/// `struct xfrm_usersa_info`: an SA's fixed part (224 bytes on 64-bit targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserSaInfo {
    pub sel: XfrmSelector,
    pub id: XfrmId,
    pub saddr: RawAddr,
    pub lft: LifetimeCfg,
    pub curlft: LifetimeCur,
    pub stats: Stats,
    pub seq: u32,
    pub reqid: u32,
    pub family: u16,
    pub mode: u8,
    pub replay_window: u8,
    pub flags: u8,
}

impl UserSaInfo {
    /// Fields end at 217; the struct is padded to the alignment of its `__u64`s.
    pub const LEN: usize = align_u64(217);

    pub fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        self.sel.encode(out);
        self.id.encode(out);
        out.extend_from_slice(&self.saddr);
        self.lft.encode(out);
        self.curlft.encode(out);
        self.stats.encode(out);
        out.put_u32(self.seq);
        out.put_u32(self.reqid);
        out.put_u16(self.family);
        out.put_u8(self.mode);
        out.put_u8(self.replay_window);
        out.put_u8(self.flags);
        out.pad_from(start, align_u64);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<UserSaInfo, DecodeError> {
        let start = r.position();
        let info = UserSaInfo {
            sel: XfrmSelector::decode(r)?,
            id: XfrmId::decode(r)?,
            saddr: r.array()?,
            lft: LifetimeCfg::decode(r)?,
            curlft: LifetimeCur::decode(r)?,
            stats: Stats::decode(r)?,
            seq: r.u32()?,
            reqid: r.u32()?,
            family: r.u16()?,
            mode: r.u8()?,
            replay_window: r.u8()?,
            flags: r.u8()?,
        };
        r.skip(Self::LEN.saturating_sub(r.position() - start))?;
        Ok(info)
    }
}

/// `struct xfrm_usersa_id` (24 bytes): what names an SA in GETSA and DELSA; the
/// source address goes in an `XFRMA_SRCADDR` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserSaId {
    pub daddr: RawAddr,
    pub spi: u32,
    pub family: u16,
    pub proto: u8,
}

impl UserSaId {
    pub const LEN: usize = 24;

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.daddr);
        out.put_be32(self.spi);
        out.put_u16(self.family);
        out.put_u8(self.proto);
        out.put_u8(0);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<UserSaId, DecodeError> {
        let id = UserSaId {
            daddr: r.array()?,
            spi: r.be32()?,
            family: r.u16()?,
            proto: r.u8()?,
        };
        r.skip(1)?;
        Ok(id)
    }
}

/// `struct xfrm_userspi_info`: ALLOCSPI's request, an SA template and an SPI range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserSpiInfo {
    pub info: UserSaInfo,
    pub min: u32,
    pub max: u32,
}

impl UserSpiInfo {
    pub const LEN: usize = align_u64(UserSaInfo::LEN + 8);

    pub fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        self.info.encode(out);
        out.put_u32(self.min);
        out.put_u32(self.max);
        out.pad_from(start, align_u64);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<UserSpiInfo, DecodeError> {
        let start = r.position();
        let info = UserSaInfo::decode(r)?;
        let min = r.u32()?;
        let max = r.u32()?;
        r.skip(Self::LEN.saturating_sub(r.position() - start))?;
        Ok(UserSpiInfo { info, min, max })
    }
}

/// `struct xfrm_user_expire`: an SA that reached a soft or hard limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserExpire {
    pub state: UserSaInfo,
    pub hard: bool,
}

impl UserExpire {
    pub const LEN: usize = align_u64(UserSaInfo::LEN + 1);

    pub fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        self.state.encode(out);
        out.put_u8(u8::from(self.hard));
        out.pad_from(start, align_u64);
    }

    pub fn decode(r: &mut Reader<'_>) -> Result<UserExpire, DecodeError> {
        let start = r.position();
        let state = UserSaInfo::decode(r)?;
        let hard = r.u8()? != 0;
        r.skip(Self::LEN.saturating_sub(r.position() - start))?;
        Ok(UserExpire { state, hard })
    }
}
