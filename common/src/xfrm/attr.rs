//! XFRM netlink attributes (`XFRMA_*`) and the structures they carry:
//! `xfrm_algo`, `xfrm_algo_auth`, `xfrm_algo_aead`, `xfrm_encap_tmpl`,
//! `xfrm_user_sec_ctx`, `xfrm_replay_state(_esn)`, `xfrm_mark`, `xfrm_user_offload`.
//!
//! Attributes the model has no use for are still decoded into typed values when their
//! layout is known (so `setkey -x` could show them and the fuzzer checks them), and kept
//! as raw bytes otherwise; an unknown attribute is never an error.

use super::consts::*;
use super::error::DecodeError;
use super::policy::{UserPolicyInfo, UserTmpl};
use super::selector::{LifetimeCur, RawAddr};
use super::state::UserSaInfo;
use super::wire::{put_attr, Put, Reader};

/// `alg_name` is a NUL-terminated `char[64]`.
const ALG_NAME_LEN: usize = 64;

/// `struct xfrm_algo` (`XFRMA_ALG_CRYPT`, `XFRMA_ALG_COMP`, the legacy `XFRMA_ALG_AUTH`).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Algo {
    pub name: String,
    /// Key length in bits, as the kernel counts it.
    pub key_bits: u32,
    pub key: Vec<u8>,
}

/// `struct xfrm_algo_auth` (`XFRMA_ALG_AUTH_TRUNC`): an HMAC and its ICV truncation.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct AlgoAuth {
    pub name: String,
    pub key_bits: u32,
    pub trunc_bits: u32,
    pub key: Vec<u8>,
}

/// `struct xfrm_algo_aead` (`XFRMA_ALG_AEAD`): an AEAD and its ICV length.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct AlgoAead {
    pub name: String,
    pub key_bits: u32,
    pub icv_bits: u32,
    pub key: Vec<u8>,
}

macro_rules! keyless_debug {
    ($t:ty, $($field:ident),*) => {
        impl std::fmt::Debug for $t {
            /// Keys are secrets: only their length is shown.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($t))
                    .field("name", &self.name)
                    $(.field(stringify!($field), &self.$field))*
                    .field("key_bytes", &self.key.len())
                    .finish()
            }
        }
    };
}
keyless_debug!(Algo, key_bits);
keyless_debug!(AlgoAuth, key_bits, trunc_bits);
keyless_debug!(AlgoAead, key_bits, icv_bits);

fn put_name(out: &mut Vec<u8>, name: &str) {
    let mut raw = [0u8; ALG_NAME_LEN];
    // Names come from the algorithm table, all far shorter than 63 bytes (a unit test
    // checks); one that is not is cut rather than allowed to lose its terminator.
    let n = name.len().min(ALG_NAME_LEN - 1);
    raw[..n].copy_from_slice(&name.as_bytes()[..n]);
    out.extend_from_slice(&raw);
}

fn read_name(r: &mut Reader<'_>, what: &'static str) -> Result<String, DecodeError> {
    let raw = r.take(ALG_NAME_LEN)?;
    let end = raw
        .iter()
        .position(|&b| b == 0)
        .ok_or(DecodeError::Invalid {
            what,
            value: ALG_NAME_LEN as u64,
        })?;
    std::str::from_utf8(&raw[..end])
        .map(str::to_owned)
        .map_err(|e| DecodeError::Invalid {
            what,
            value: e.valid_up_to() as u64,
        })
}

/// The key after an algorithm header: exactly `(bits + 7) / 8` bytes must follow
/// (the kernel's `xfrm_alg_len`); fewer is an error, more is ignored as padding.
fn read_key(r: &mut Reader<'_>, bits: u32) -> Result<Vec<u8>, DecodeError> {
    let len = usize::try_from(bits.div_ceil(8)).unwrap_or(usize::MAX);
    Ok(r.take(len)?.to_vec())
}

impl Algo {
    pub fn encode(&self, out: &mut Vec<u8>) {
        put_name(out, &self.name);
        out.put_u32(self.key_bits);
        out.extend_from_slice(&self.key);
    }

    pub fn decode(payload: &[u8]) -> Result<Algo, DecodeError> {
        let mut r = Reader::new(payload, "xfrm_algo");
        let name = read_name(&mut r, "xfrm_algo name")?;
        let key_bits = r.u32()?;
        let key = read_key(&mut r, key_bits)?;
        Ok(Algo {
            name,
            key_bits,
            key,
        })
    }
}

impl AlgoAuth {
    pub fn encode(&self, out: &mut Vec<u8>) {
        put_name(out, &self.name);
        out.put_u32(self.key_bits);
        out.put_u32(self.trunc_bits);
        out.extend_from_slice(&self.key);
    }

    pub fn decode(payload: &[u8]) -> Result<AlgoAuth, DecodeError> {
        let mut r = Reader::new(payload, "xfrm_algo_auth");
        let name = read_name(&mut r, "xfrm_algo_auth name")?;
        let key_bits = r.u32()?;
        let trunc_bits = r.u32()?;
        let key = read_key(&mut r, key_bits)?;
        Ok(AlgoAuth {
            name,
            key_bits,
            trunc_bits,
            key,
        })
    }
}

impl AlgoAead {
    pub fn encode(&self, out: &mut Vec<u8>) {
        put_name(out, &self.name);
        out.put_u32(self.key_bits);
        out.put_u32(self.icv_bits);
        out.extend_from_slice(&self.key);
    }

    pub fn decode(payload: &[u8]) -> Result<AlgoAead, DecodeError> {
        let mut r = Reader::new(payload, "xfrm_algo_aead");
        let name = read_name(&mut r, "xfrm_algo_aead name")?;
        let key_bits = r.u32()?;
        let icv_bits = r.u32()?;
        let key = read_key(&mut r, key_bits)?;
        Ok(AlgoAead {
            name,
            key_bits,
            icv_bits,
            key,
        })
    }
}

/// `struct xfrm_encap_tmpl` (24 bytes): UDP encapsulation for NAT traversal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EncapTmpl {
    pub encap_type: u16,
    pub sport: u16,
    pub dport: u16,
    pub oa: RawAddr,
}

impl EncapTmpl {
    pub const LEN: usize = 24;

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.put_u16(self.encap_type);
        out.put_be16(self.sport);
        out.put_be16(self.dport);
        out.put_u16(0);
        out.extend_from_slice(&self.oa);
    }

    pub fn decode(payload: &[u8]) -> Result<EncapTmpl, DecodeError> {
        let mut r = Reader::new(payload, "xfrm_encap_tmpl");
        let encap_type = r.u16()?;
        let sport = r.be16()?;
        let dport = r.be16()?;
        r.skip(2)?;
        Ok(EncapTmpl {
            encap_type,
            sport,
            dport,
            oa: r.array()?,
        })
    }
}

/// `struct xfrm_user_sec_ctx` and the label after it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecCtxAttr {
    pub doi: u8,
    pub alg: u8,
    pub label: Vec<u8>,
}

impl SecCtxAttr {
    const HDR: usize = 8;

    pub fn encode(&self, out: &mut Vec<u8>) {
        let ctx_len = u16::try_from(self.label.len()).unwrap_or(u16::MAX);
        out.put_u16(ctx_len.saturating_add(Self::HDR as u16));
        out.put_u16(XFRMA_SEC_CTX);
        out.put_u8(self.alg);
        out.put_u8(self.doi);
        out.put_u16(ctx_len);
        out.extend_from_slice(&self.label[..usize::from(ctx_len)]);
    }

    pub fn decode(payload: &[u8]) -> Result<SecCtxAttr, DecodeError> {
        let mut r = Reader::new(payload, "xfrm_user_sec_ctx");
        let _len = r.u16()?;
        let _exttype = r.u16()?;
        let alg = r.u8()?;
        let doi = r.u8()?;
        let ctx_len = r.u16()?;
        let label = r.take(usize::from(ctx_len))?.to_vec();
        Ok(SecCtxAttr { doi, alg, label })
    }
}

/// `struct xfrm_replay_state_esn`: a replay window wider than 32 packets, or ESN.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplayEsn {
    pub oseq: u32,
    pub seq: u32,
    pub oseq_hi: u32,
    pub seq_hi: u32,
    pub replay_window: u32,
    /// `bmp_len` words of bitmap.
    pub bmp: Vec<u32>,
}

impl ReplayEsn {
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.put_u32(u32::try_from(self.bmp.len()).unwrap_or(u32::MAX));
        out.put_u32(self.oseq);
        out.put_u32(self.seq);
        out.put_u32(self.oseq_hi);
        out.put_u32(self.seq_hi);
        out.put_u32(self.replay_window);
        for w in &self.bmp {
            out.put_u32(*w);
        }
    }

    pub fn decode(payload: &[u8]) -> Result<ReplayEsn, DecodeError> {
        let mut r = Reader::new(payload, "xfrm_replay_state_esn");
        let bmp_len = r.u32()?;
        let mut esn = ReplayEsn {
            oseq: r.u32()?,
            seq: r.u32()?,
            oseq_hi: r.u32()?,
            seq_hi: r.u32()?,
            replay_window: r.u32()?,
            bmp: Vec::new(),
        };
        // Bounded by the payload, never by the (untrusted) count alone.
        let words = usize::try_from(bmp_len).unwrap_or(usize::MAX);
        if words > payload.len() / 4 {
            return Err(DecodeError::BadLength {
                what: "xfrm_replay_state_esn bitmap",
                len: words,
            });
        }
        esn.bmp = (0..words).map(|_| r.u32()).collect::<Result<_, _>>()?;
        Ok(esn)
    }
}

/// One decoded attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attr {
    /// `XFRMA_ALG_AUTH_TRUNC`: what we send, and what dumps carry next to the legacy
    /// `XFRMA_ALG_AUTH`.
    AuthTrunc(AlgoAuth),
    /// `XFRMA_ALG_AUTH`: the kernel's legacy form, with its default truncation implied.
    Auth(Algo),
    Crypt(Algo),
    Aead(AlgoAead),
    Comp(Algo),
    Encap(EncapTmpl),
    Tmpl(Vec<UserTmpl>),
    /// `XFRMA_SA`: the deleted SA in a DELSA notification.
    Sa(Box<UserSaInfo>),
    /// `XFRMA_POLICY`: the deleted policy in a DELPOLICY notification.
    Policy(Box<UserPolicyInfo>),
    SecCtx(SecCtxAttr),
    /// `XFRMA_LTIME_VAL`: current lifetime, in async event messages.
    LifetimeVal(LifetimeCur),
    /// `XFRMA_REPLAY_VAL`: `struct xfrm_replay_state { oseq, seq, bitmap }`.
    Replay {
        oseq: u32,
        seq: u32,
        bitmap: u32,
    },
    ReplayEsn(ReplayEsn),
    SrcAddr(RawAddr),
    CoAddr(RawAddr),
    LastUsed(u64),
    /// `XFRMA_POLICY_TYPE`: `struct xfrm_userpolicy_type`, main (0) or sub (1).
    PolicyType(u8),
    Mark {
        value: u32,
        mask: u32,
    },
    SetMark(u32),
    SetMarkMask(u32),
    IfId(u32),
    ExtraFlags(u32),
    ReplayThresh(u32),
    EtimerThresh(u32),
    TfcPad(u32),
    Proto(u8),
    OffloadDev {
        ifindex: i32,
        flags: u8,
    },
    Pad,
    /// Anything else, kept as it came.
    Other {
        kind: u16,
        data: Vec<u8>,
    },
}

fn u32_of(payload: &[u8], what: &'static str) -> Result<u32, DecodeError> {
    Reader::new(payload, what).u32()
}

fn addr_of(payload: &[u8], what: &'static str) -> Result<RawAddr, DecodeError> {
    Reader::new(payload, what).array()
}

impl Attr {
    /// Decodes one attribute's payload by its type.
    pub fn decode(kind: u16, p: &[u8]) -> Result<Attr, DecodeError> {
        Ok(match kind {
            XFRMA_ALG_AUTH_TRUNC => Attr::AuthTrunc(AlgoAuth::decode(p)?),
            XFRMA_ALG_AUTH => Attr::Auth(Algo::decode(p)?),
            XFRMA_ALG_CRYPT => Attr::Crypt(Algo::decode(p)?),
            XFRMA_ALG_AEAD => Attr::Aead(AlgoAead::decode(p)?),
            XFRMA_ALG_COMP => Attr::Comp(Algo::decode(p)?),
            XFRMA_ENCAP => Attr::Encap(EncapTmpl::decode(p)?),
            XFRMA_TMPL => Attr::Tmpl(UserTmpl::decode_list(p)?),
            XFRMA_SA => Attr::Sa(Box::new(UserSaInfo::decode(&mut Reader::new(
                p, "XFRMA_SA",
            ))?)),
            XFRMA_POLICY => Attr::Policy(Box::new(UserPolicyInfo::decode(&mut Reader::new(
                p,
                "XFRMA_POLICY",
            ))?)),
            XFRMA_SEC_CTX => Attr::SecCtx(SecCtxAttr::decode(p)?),
            XFRMA_LTIME_VAL => {
                Attr::LifetimeVal(LifetimeCur::decode(&mut Reader::new(p, "XFRMA_LTIME_VAL"))?)
            }
            XFRMA_REPLAY_VAL => {
                let mut r = Reader::new(p, "XFRMA_REPLAY_VAL");
                Attr::Replay {
                    oseq: r.u32()?,
                    seq: r.u32()?,
                    bitmap: r.u32()?,
                }
            }
            XFRMA_REPLAY_ESN_VAL => Attr::ReplayEsn(ReplayEsn::decode(p)?),
            XFRMA_SRCADDR => Attr::SrcAddr(addr_of(p, "XFRMA_SRCADDR")?),
            XFRMA_COADDR => Attr::CoAddr(addr_of(p, "XFRMA_COADDR")?),
            XFRMA_LASTUSED => Attr::LastUsed(Reader::new(p, "XFRMA_LASTUSED").u64()?),
            XFRMA_POLICY_TYPE => Attr::PolicyType(Reader::new(p, "XFRMA_POLICY_TYPE").u8()?),
            XFRMA_MARK => {
                let mut r = Reader::new(p, "XFRMA_MARK");
                Attr::Mark {
                    value: r.u32()?,
                    mask: r.u32()?,
                }
            }
            XFRMA_SET_MARK => Attr::SetMark(u32_of(p, "XFRMA_SET_MARK")?),
            XFRMA_SET_MARK_MASK => Attr::SetMarkMask(u32_of(p, "XFRMA_SET_MARK_MASK")?),
            XFRMA_IF_ID => Attr::IfId(u32_of(p, "XFRMA_IF_ID")?),
            XFRMA_SA_EXTRA_FLAGS => Attr::ExtraFlags(u32_of(p, "XFRMA_SA_EXTRA_FLAGS")?),
            XFRMA_REPLAY_THRESH => Attr::ReplayThresh(u32_of(p, "XFRMA_REPLAY_THRESH")?),
            XFRMA_ETIMER_THRESH => Attr::EtimerThresh(u32_of(p, "XFRMA_ETIMER_THRESH")?),
            XFRMA_TFCPAD => Attr::TfcPad(u32_of(p, "XFRMA_TFCPAD")?),
            XFRMA_PROTO => Attr::Proto(Reader::new(p, "XFRMA_PROTO").u8()?),
            XFRMA_OFFLOAD_DEV => {
                let mut r = Reader::new(p, "XFRMA_OFFLOAD_DEV");
                Attr::OffloadDev {
                    ifindex: r.i32()?,
                    flags: r.u8()?,
                }
            }
            XFRMA_PAD => Attr::Pad,
            kind => Attr::Other {
                kind,
                data: p.to_vec(),
            },
        })
    }

    /// Appends the attribute, header and padding included.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Attr::AuthTrunc(a) => put_attr(out, XFRMA_ALG_AUTH_TRUNC, |o| a.encode(o)),
            Attr::Auth(a) => put_attr(out, XFRMA_ALG_AUTH, |o| a.encode(o)),
            Attr::Crypt(a) => put_attr(out, XFRMA_ALG_CRYPT, |o| a.encode(o)),
            Attr::Aead(a) => put_attr(out, XFRMA_ALG_AEAD, |o| a.encode(o)),
            Attr::Comp(a) => put_attr(out, XFRMA_ALG_COMP, |o| a.encode(o)),
            Attr::Encap(e) => put_attr(out, XFRMA_ENCAP, |o| e.encode(o)),
            Attr::Tmpl(list) => put_attr(out, XFRMA_TMPL, |o| {
                for t in list {
                    t.encode(o);
                }
            }),
            Attr::Sa(info) => put_attr(out, XFRMA_SA, |o| info.encode(o)),
            Attr::Policy(info) => put_attr(out, XFRMA_POLICY, |o| info.encode(o)),
            Attr::SecCtx(c) => put_attr(out, XFRMA_SEC_CTX, |o| c.encode(o)),
            Attr::LifetimeVal(l) => put_attr(out, XFRMA_LTIME_VAL, |o| l.encode(o)),
            Attr::Replay { oseq, seq, bitmap } => put_attr(out, XFRMA_REPLAY_VAL, |o| {
                o.put_u32(*oseq);
                o.put_u32(*seq);
                o.put_u32(*bitmap);
            }),
            Attr::ReplayEsn(e) => put_attr(out, XFRMA_REPLAY_ESN_VAL, |o| e.encode(o)),
            Attr::SrcAddr(a) => put_attr(out, XFRMA_SRCADDR, |o| o.extend_from_slice(a)),
            Attr::CoAddr(a) => put_attr(out, XFRMA_COADDR, |o| o.extend_from_slice(a)),
            Attr::LastUsed(t) => put_attr(out, XFRMA_LASTUSED, |o| o.put_u64(*t)),
            Attr::PolicyType(t) => put_attr(out, XFRMA_POLICY_TYPE, |o| {
                o.put_u8(*t);
                o.extend_from_slice(&[0; 5]);
            }),
            Attr::Mark { value, mask } => put_attr(out, XFRMA_MARK, |o| {
                o.put_u32(*value);
                o.put_u32(*mask);
            }),
            Attr::SetMark(v) => put_attr(out, XFRMA_SET_MARK, |o| o.put_u32(*v)),
            Attr::SetMarkMask(v) => put_attr(out, XFRMA_SET_MARK_MASK, |o| o.put_u32(*v)),
            Attr::IfId(v) => put_attr(out, XFRMA_IF_ID, |o| o.put_u32(*v)),
            Attr::ExtraFlags(v) => put_attr(out, XFRMA_SA_EXTRA_FLAGS, |o| o.put_u32(*v)),
            Attr::ReplayThresh(v) => put_attr(out, XFRMA_REPLAY_THRESH, |o| o.put_u32(*v)),
            Attr::EtimerThresh(v) => put_attr(out, XFRMA_ETIMER_THRESH, |o| o.put_u32(*v)),
            Attr::TfcPad(v) => put_attr(out, XFRMA_TFCPAD, |o| o.put_u32(*v)),
            Attr::Proto(v) => put_attr(out, XFRMA_PROTO, |o| o.put_u8(*v)),
            Attr::OffloadDev { ifindex, flags } => put_attr(out, XFRMA_OFFLOAD_DEV, |o| {
                o.put_i32(*ifindex);
                o.put_u8(*flags);
                o.extend_from_slice(&[0; 3]);
            }),
            Attr::Pad => put_attr(out, XFRMA_PAD, |_| {}),
            Attr::Other { kind, data } => put_attr(out, *kind, |o| o.extend_from_slice(data)),
        }
    }

    /// Decodes every attribute in `buf`.
    pub fn decode_all(buf: &[u8]) -> Result<Vec<Attr>, DecodeError> {
        super::wire::attrs(buf)
            .map(|a| a.and_then(|(kind, payload)| Attr::decode(kind, payload)))
            .collect()
    }
}
