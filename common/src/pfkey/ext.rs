//! The extensions that follow a `sadb_msg`: one variant per extension type Linux knows,
//! each with the fields of its C struct except reserved ones and padding.
//!
//! Decoding applies the kernel's checks (`parse_exthdrs`) and then makes sure every
//! field read lies inside the extension; a longer-than-needed fixed-size extension is
//! accepted as the kernel accepts it. Encoding writes exactly what the kernel writes:
//! lengths in 8-byte units, zero padding to 8 bytes, SPIs and ports big-endian.

use super::consts::ext;
use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::policy_ext::PolicyExt;
use super::sockaddr::{SockAddr, SockAddrFault};
use super::wire::{align8, Put, Reader};

/// `sadb_sa`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SaExt {
    /// The SPI as a number (on the wire in network byte order).
    pub spi: u32,
    pub replay: u8,
    pub state: u8,
    pub auth: u8,
    /// The cipher id, or for IPComp the compression id (KAME overloads the field).
    pub encrypt: u8,
    pub flags: u32,
}

/// `sadb_lifetime`: hard, soft or current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LifetimeExt {
    pub allocations: u32,
    pub bytes: u64,
    pub addtime: u64,
    pub usetime: u64,
}

/// `sadb_address` and its sockaddr (also `SADB_X_EXT_NAT_T_OA`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressExt {
    /// Upper-layer protocol of a policy selector; 255 is any.
    pub proto: u8,
    pub prefixlen: u8,
    pub addr: SockAddr,
}

/// `sadb_key`: the key bits and the key, without its padding.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyExt {
    pub bits: u16,
    pub key: Vec<u8>,
}

impl std::fmt::Debug for KeyExt {
    /// Keys are secrets: their length only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyExt({} bits)", self.bits)
    }
}

/// `sadb_ident` with the identity string that follows it (padding included: the
/// string is NUL-terminated within it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityExt {
    pub ident_type: u16,
    pub id: u64,
    pub data: Vec<u8>,
}

/// `sadb_sens` with its two bitmaps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SensitivityExt {
    pub dpd: u32,
    pub sens_level: u8,
    pub integ_level: u8,
    pub sens_bitmap: Vec<u64>,
    pub integ_bitmap: Vec<u64>,
}

/// `sadb_comb`: one algorithm combination of an ACQUIRE's proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Comb {
    pub auth: u8,
    pub encrypt: u8,
    pub flags: u16,
    pub auth_minbits: u16,
    pub auth_maxbits: u16,
    pub encrypt_minbits: u16,
    pub encrypt_maxbits: u16,
    pub soft_allocations: u32,
    pub hard_allocations: u32,
    pub soft_bytes: u64,
    pub hard_bytes: u64,
    pub soft_addtime: u64,
    pub hard_addtime: u64,
    pub soft_usetime: u64,
    pub hard_usetime: u64,
}

/// `sadb_prop` and its combs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProposalExt {
    pub replay: u8,
    pub combs: Vec<Comb>,
}

/// `sadb_alg`: one algorithm of a REGISTER reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlgDesc {
    pub id: u8,
    pub ivlen: u8,
    pub minbits: u16,
    pub maxbits: u16,
}

/// `sadb_spirange`, in host byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpiRangeExt {
    pub min: u32,
    pub max: u32,
}

/// `sadb_x_sa2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sa2Ext {
    pub mode: u8,
    pub sequence: u32,
    pub reqid: u32,
}

/// `sadb_x_sec_ctx` and its context string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecCtxExt {
    pub alg: u8,
    pub doi: u8,
    pub ctx: Vec<u8>,
}

/// `sadb_x_kmaddress` and its address pair (MIGRATE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KmAddressExt {
    pub reserved: u32,
    pub local: SockAddr,
    pub remote: SockAddr,
}

/// `sadb_x_filter` (a DUMP restricted to address prefixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FilterExt {
    pub saddr: [u8; 16],
    pub daddr: [u8; 16],
    pub family: u16,
    pub splen: u8,
    pub dplen: u8,
}

/// One extension. Types above `SADB_EXT_MAX` are kept as [`Extension::Unknown`], as the
/// kernel skips them rather than refusing the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extension {
    Sa(SaExt),
    LifetimeCurrent(LifetimeExt),
    LifetimeHard(LifetimeExt),
    LifetimeSoft(LifetimeExt),
    AddressSrc(AddressExt),
    AddressDst(AddressExt),
    AddressProxy(AddressExt),
    KeyAuth(KeyExt),
    KeyEncrypt(KeyExt),
    IdentitySrc(IdentityExt),
    IdentityDst(IdentityExt),
    Sensitivity(SensitivityExt),
    Proposal(ProposalExt),
    SupportedAuth(Vec<AlgDesc>),
    SupportedEncrypt(Vec<AlgDesc>),
    SpiRange(SpiRangeExt),
    /// Opaque key-manager data.
    KmPrivate(Vec<u8>),
    Policy(PolicyExt),
    Sa2(Sa2Ext),
    NatTType(u8),
    /// NAT-T source port (network order on the wire).
    NatTSport(u16),
    NatTDport(u16),
    NatTOa(AddressExt),
    SecCtx(SecCtxExt),
    KmAddress(KmAddressExt),
    Filter(FilterExt),
    /// An extension type this codec (and the kernel) does not know: its bytes after the
    /// 4-byte extension header.
    Unknown {
        ext_type: u16,
        data: Vec<u8>,
    },
}

impl Extension {
    /// `sadb_ext_type`.
    pub fn ext_type(&self) -> u16 {
        match self {
            Extension::Sa(_) => ext::SA,
            Extension::LifetimeCurrent(_) => ext::LIFETIME_CURRENT,
            Extension::LifetimeHard(_) => ext::LIFETIME_HARD,
            Extension::LifetimeSoft(_) => ext::LIFETIME_SOFT,
            Extension::AddressSrc(_) => ext::ADDRESS_SRC,
            Extension::AddressDst(_) => ext::ADDRESS_DST,
            Extension::AddressProxy(_) => ext::ADDRESS_PROXY,
            Extension::KeyAuth(_) => ext::KEY_AUTH,
            Extension::KeyEncrypt(_) => ext::KEY_ENCRYPT,
            Extension::IdentitySrc(_) => ext::IDENTITY_SRC,
            Extension::IdentityDst(_) => ext::IDENTITY_DST,
            Extension::Sensitivity(_) => ext::SENSITIVITY,
            Extension::Proposal(_) => ext::PROPOSAL,
            Extension::SupportedAuth(_) => ext::SUPPORTED_AUTH,
            Extension::SupportedEncrypt(_) => ext::SUPPORTED_ENCRYPT,
            Extension::SpiRange(_) => ext::SPIRANGE,
            Extension::KmPrivate(_) => ext::X_KMPRIVATE,
            Extension::Policy(_) => ext::X_POLICY,
            Extension::Sa2(_) => ext::X_SA2,
            Extension::NatTType(_) => ext::X_NAT_T_TYPE,
            Extension::NatTSport(_) => ext::X_NAT_T_SPORT,
            Extension::NatTDport(_) => ext::X_NAT_T_DPORT,
            Extension::NatTOa(_) => ext::X_NAT_T_OA,
            Extension::SecCtx(_) => ext::X_SEC_CTX,
            Extension::KmAddress(_) => ext::X_KMADDRESS,
            Extension::Filter(_) => ext::X_FILTER,
            Extension::Unknown { ext_type, .. } => *ext_type,
        }
    }

    /// Appends the extension, header and padding included.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        out.put_u16(0); // length, filled in below
        out.put_u16(self.ext_type());
        self.encode_body(out)?;
        out.pad_from(start, align8);
        let units = u16::try_from((out.len() - start) / 8)
            .map_err(|_| EncodeError { what: "extension" })?;
        out[start..start + 2].copy_from_slice(&units.to_ne_bytes());
        Ok(())
    }

    fn encode_body(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match self {
            Extension::Sa(sa) => {
                out.put_be32(sa.spi);
                out.extend_from_slice(&[sa.replay, sa.state, sa.auth, sa.encrypt]);
                out.put_u32(sa.flags);
            }
            Extension::LifetimeCurrent(l)
            | Extension::LifetimeHard(l)
            | Extension::LifetimeSoft(l) => {
                out.put_u32(l.allocations);
                out.put_u64(l.bytes);
                out.put_u64(l.addtime);
                out.put_u64(l.usetime);
            }
            Extension::AddressSrc(a)
            | Extension::AddressDst(a)
            | Extension::AddressProxy(a)
            | Extension::NatTOa(a) => {
                out.extend_from_slice(&[a.proto, a.prefixlen, 0, 0]);
                a.addr.encode(out);
            }
            Extension::KeyAuth(k) | Extension::KeyEncrypt(k) => {
                out.put_u16(k.bits);
                out.put_u16(0);
                out.extend_from_slice(&k.key);
            }
            Extension::IdentitySrc(i) | Extension::IdentityDst(i) => {
                out.put_u16(i.ident_type);
                out.put_u16(0);
                out.put_u64(i.id);
                out.extend_from_slice(&i.data);
            }
            Extension::Sensitivity(s) => {
                let too_long = EncodeError {
                    what: "sensitivity bitmap",
                };
                out.put_u32(s.dpd);
                out.put_u8(s.sens_level);
                out.put_u8(u8::try_from(s.sens_bitmap.len()).map_err(|_| too_long)?);
                out.put_u8(s.integ_level);
                out.put_u8(u8::try_from(s.integ_bitmap.len()).map_err(|_| too_long)?);
                out.put_u32(0);
                for word in s.sens_bitmap.iter().chain(&s.integ_bitmap) {
                    out.put_u64(*word);
                }
            }
            Extension::Proposal(p) => {
                out.extend_from_slice(&[p.replay, 0, 0, 0]);
                for c in &p.combs {
                    encode_comb(c, out);
                }
            }
            Extension::SupportedAuth(algs) | Extension::SupportedEncrypt(algs) => {
                out.put_u32(0);
                for a in algs {
                    out.extend_from_slice(&[a.id, a.ivlen]);
                    out.put_u16(a.minbits);
                    out.put_u16(a.maxbits);
                    out.put_u16(0);
                }
            }
            Extension::SpiRange(r) => {
                out.put_u32(r.min);
                out.put_u32(r.max);
                out.put_u32(0);
            }
            Extension::KmPrivate(data) => {
                out.put_u32(0);
                out.extend_from_slice(data);
            }
            Extension::Policy(p) => p.encode_body(out)?,
            Extension::Sa2(s) => {
                out.extend_from_slice(&[s.mode, 0, 0, 0]);
                out.put_u32(s.sequence);
                out.put_u32(s.reqid);
            }
            Extension::NatTType(t) => out.extend_from_slice(&[*t, 0, 0, 0]),
            Extension::NatTSport(p) | Extension::NatTDport(p) => {
                out.put_be16(*p);
                out.put_u16(0);
            }
            Extension::SecCtx(c) => {
                out.extend_from_slice(&[c.alg, c.doi]);
                out.put_u16(u16::try_from(c.ctx.len()).map_err(|_| EncodeError {
                    what: "security context",
                })?);
                out.extend_from_slice(&c.ctx);
            }
            Extension::KmAddress(k) => {
                out.put_u32(k.reserved);
                k.local.encode(out);
                k.remote.encode(out);
            }
            Extension::Filter(f) => {
                out.extend_from_slice(&f.saddr);
                out.extend_from_slice(&f.daddr);
                out.put_u16(f.family);
                out.extend_from_slice(&[f.splen, f.dplen]);
            }
            Extension::Unknown { data, .. } => out.extend_from_slice(data),
        }
        Ok(())
    }

    /// Decodes one extension: `bytes` is all of it, header included, its length already
    /// checked against the message and the type's minimum. `offset` is where it starts
    /// in the message, for errors.
    pub(crate) fn decode(
        ext_type: u16,
        bytes: &[u8],
        offset: usize,
    ) -> Result<Extension, DecodeError> {
        let body = bytes.get(4..).unwrap_or(&[]);
        let mut r = Reader::new(body);
        let short = || DecodeError::invalid(offset, ext_type, "shorter than its fields");
        let e = match ext_type {
            ext::SA => {
                let spi = r.be32().ok_or_else(short)?;
                let [replay, state, auth, encrypt] = r.array().ok_or_else(short)?;
                let flags = r.u32().ok_or_else(short)?;
                Extension::Sa(SaExt {
                    spi,
                    replay,
                    state,
                    auth,
                    encrypt,
                    flags,
                })
            }
            ext::LIFETIME_CURRENT | ext::LIFETIME_HARD | ext::LIFETIME_SOFT => {
                let l = LifetimeExt {
                    allocations: r.u32().ok_or_else(short)?,
                    bytes: r.u64().ok_or_else(short)?,
                    addtime: r.u64().ok_or_else(short)?,
                    usetime: r.u64().ok_or_else(short)?,
                };
                match ext_type {
                    ext::LIFETIME_CURRENT => Extension::LifetimeCurrent(l),
                    ext::LIFETIME_HARD => Extension::LifetimeHard(l),
                    _ => Extension::LifetimeSoft(l),
                }
            }
            ext::ADDRESS_SRC | ext::ADDRESS_DST | ext::ADDRESS_PROXY | ext::X_NAT_T_OA => {
                let a = decode_address(bytes, offset, ext_type)?;
                match ext_type {
                    ext::ADDRESS_SRC => Extension::AddressSrc(a),
                    ext::ADDRESS_DST => Extension::AddressDst(a),
                    ext::ADDRESS_PROXY => Extension::AddressProxy(a),
                    _ => Extension::NatTOa(a),
                }
            }
            ext::KEY_AUTH | ext::KEY_ENCRYPT => {
                let bits = r.u16().ok_or_else(short)?;
                r.skip(2).ok_or_else(short)?;
                let key_bytes = usize::from(bits).div_ceil(8);
                let key = r
                    .take(key_bytes)
                    .ok_or_else(|| {
                        DecodeError::invalid(offset, ext_type, "key longer than its extension")
                    })?
                    .to_vec();
                let k = KeyExt { bits, key };
                if ext_type == ext::KEY_AUTH {
                    Extension::KeyAuth(k)
                } else {
                    Extension::KeyEncrypt(k)
                }
            }
            ext::IDENTITY_SRC | ext::IDENTITY_DST => {
                let ident_type = r.u16().ok_or_else(short)?;
                r.skip(2).ok_or_else(short)?;
                let id = r.u64().ok_or_else(short)?;
                let i = IdentityExt {
                    ident_type,
                    id,
                    data: r.rest().to_vec(),
                };
                if ext_type == ext::IDENTITY_SRC {
                    Extension::IdentitySrc(i)
                } else {
                    Extension::IdentityDst(i)
                }
            }
            ext::SENSITIVITY => {
                let dpd = r.u32().ok_or_else(short)?;
                let [sens_level, sens_len, integ_level, integ_len] = r.array().ok_or_else(short)?;
                r.skip(4).ok_or_else(short)?;
                let bitmap = |r: &mut Reader<'_>, n: u8| -> Result<Vec<u64>, DecodeError> {
                    (0..n)
                        .map(|_| {
                            r.u64().ok_or_else(|| {
                                DecodeError::invalid(
                                    offset,
                                    ext_type,
                                    "bitmaps longer than the extension",
                                )
                            })
                        })
                        .collect()
                };
                let sens_bitmap = bitmap(&mut r, sens_len)?;
                let integ_bitmap = bitmap(&mut r, integ_len)?;
                Extension::Sensitivity(SensitivityExt {
                    dpd,
                    sens_level,
                    integ_level,
                    sens_bitmap,
                    integ_bitmap,
                })
            }
            ext::PROPOSAL => {
                let [replay, _, _, _] = r.array().ok_or_else(short)?;
                let mut combs = Vec::new();
                while r.remaining() >= 72 {
                    combs.push(decode_comb(&mut r).ok_or_else(short)?);
                }
                Extension::Proposal(ProposalExt { replay, combs })
            }
            ext::SUPPORTED_AUTH | ext::SUPPORTED_ENCRYPT => {
                r.skip(4).ok_or_else(short)?;
                let mut algs = Vec::new();
                while r.remaining() >= 8 {
                    let [id, ivlen] = r.array().ok_or_else(short)?;
                    let minbits = r.u16().ok_or_else(short)?;
                    let maxbits = r.u16().ok_or_else(short)?;
                    r.skip(2).ok_or_else(short)?;
                    algs.push(AlgDesc {
                        id,
                        ivlen,
                        minbits,
                        maxbits,
                    });
                }
                if ext_type == ext::SUPPORTED_AUTH {
                    Extension::SupportedAuth(algs)
                } else {
                    Extension::SupportedEncrypt(algs)
                }
            }
            ext::SPIRANGE => Extension::SpiRange(SpiRangeExt {
                min: r.u32().ok_or_else(short)?,
                max: r.u32().ok_or_else(short)?,
            }),
            ext::X_KMPRIVATE => {
                r.skip(4).ok_or_else(short)?;
                Extension::KmPrivate(r.rest().to_vec())
            }
            ext::X_POLICY => Extension::Policy(PolicyExt::decode(body, offset)?),
            ext::X_SA2 => {
                let [mode, _, _, _] = r.array().ok_or_else(short)?;
                Extension::Sa2(Sa2Ext {
                    mode,
                    sequence: r.u32().ok_or_else(short)?,
                    reqid: r.u32().ok_or_else(short)?,
                })
            }
            ext::X_NAT_T_TYPE => Extension::NatTType(r.u8().ok_or_else(short)?),
            ext::X_NAT_T_SPORT => Extension::NatTSport(r.be16().ok_or_else(short)?),
            ext::X_NAT_T_DPORT => Extension::NatTDport(r.be16().ok_or_else(short)?),
            ext::X_SEC_CTX => {
                let [alg, doi] = r.array().ok_or_else(short)?;
                let ctx_len = usize::from(r.u16().ok_or_else(short)?);
                // verify_sec_ctx_len: at most a page, and an exact extension length.
                if ctx_len > 4096 || (8 + ctx_len).div_ceil(8) * 8 != bytes.len() {
                    return Err(DecodeError::invalid(
                        offset,
                        ext_type,
                        "context length disagrees with the extension length",
                    ));
                }
                let ctx = r.take(ctx_len).ok_or_else(short)?.to_vec();
                Extension::SecCtx(SecCtxExt { alg, doi, ctx })
            }
            ext::X_KMADDRESS => {
                let reserved = r.u32().ok_or_else(short)?;
                let (local, remote) = decode_pair(r.rest(), offset + 8, ext_type)?;
                Extension::KmAddress(KmAddressExt {
                    reserved,
                    local,
                    remote,
                })
            }
            ext::X_FILTER => {
                let saddr = r.array().ok_or_else(short)?;
                let daddr = r.array().ok_or_else(short)?;
                let family = r.u16().ok_or_else(short)?;
                let [splen, dplen] = r.array().ok_or_else(short)?;
                Extension::Filter(FilterExt {
                    saddr,
                    daddr,
                    family,
                    splen,
                    dplen,
                })
            }
            _ => Extension::Unknown {
                ext_type,
                data: body.to_vec(),
            },
        };
        Ok(e)
    }
}

/// `verify_address_len`: the extension is exactly a header plus the family's sockaddr,
/// padded, and the prefix fits the family.
fn decode_address(bytes: &[u8], offset: usize, ext_type: u16) -> Result<AddressExt, DecodeError> {
    let (proto, prefixlen) = match bytes.get(4..6) {
        Some(&[proto, prefixlen]) => (proto, prefixlen),
        _ => {
            return Err(DecodeError::invalid(
                offset,
                ext_type,
                "shorter than its fields",
            ))
        }
    };
    let sockaddr = bytes.get(8..).unwrap_or(&[]);
    let (addr, len) =
        SockAddr::decode(sockaddr).map_err(|fault| sockaddr_error(fault, offset + 8, ext_type))?;
    if (8 + len).div_ceil(8) * 8 != bytes.len() {
        return Err(DecodeError::invalid(
            offset,
            ext_type,
            "length does not match the address family",
        ));
    }
    if prefixlen > addr.full_prefix() {
        return Err(DecodeError::invalid(
            offset,
            ext_type,
            "prefix length longer than the address",
        ));
    }
    Ok(AddressExt {
        proto,
        prefixlen,
        addr,
    })
}

/// Two sockaddrs of one family back to back (`parse_sockaddr_pair`).
pub(crate) fn decode_pair(
    bytes: &[u8],
    offset: usize,
    ext_type: u16,
) -> Result<(SockAddr, SockAddr), DecodeError> {
    let (first, len) = SockAddr::decode(bytes).map_err(|f| sockaddr_error(f, offset, ext_type))?;
    let rest = bytes.get(len..).unwrap_or(&[]);
    let (second, _) =
        SockAddr::decode(rest).map_err(|f| sockaddr_error(f, offset + len, ext_type))?;
    if first.family() != second.family() {
        return Err(DecodeError::invalid(
            offset,
            ext_type,
            "address pair of two families",
        ));
    }
    Ok((first, second))
}

pub(crate) fn sockaddr_error(fault: SockAddrFault, offset: usize, ext_type: u16) -> DecodeError {
    match fault {
        SockAddrFault::Family(af) => {
            DecodeError::new(offset, DecodeErrorKind::UnsupportedFamily(af))
        }
        SockAddrFault::Truncated => DecodeError::invalid(offset, ext_type, "truncated sockaddr"),
    }
}

fn encode_comb(c: &Comb, out: &mut Vec<u8>) {
    out.extend_from_slice(&[c.auth, c.encrypt]);
    out.put_u16(c.flags);
    out.put_u16(c.auth_minbits);
    out.put_u16(c.auth_maxbits);
    out.put_u16(c.encrypt_minbits);
    out.put_u16(c.encrypt_maxbits);
    out.put_u32(0);
    out.put_u32(c.soft_allocations);
    out.put_u32(c.hard_allocations);
    for v in [
        c.soft_bytes,
        c.hard_bytes,
        c.soft_addtime,
        c.hard_addtime,
        c.soft_usetime,
        c.hard_usetime,
    ] {
        out.put_u64(v);
    }
}

fn decode_comb(r: &mut Reader<'_>) -> Option<Comb> {
    let [auth, encrypt] = r.array()?;
    let flags = r.u16()?;
    let auth_minbits = r.u16()?;
    let auth_maxbits = r.u16()?;
    let encrypt_minbits = r.u16()?;
    let encrypt_maxbits = r.u16()?;
    r.skip(4)?;
    Some(Comb {
        auth,
        encrypt,
        flags,
        auth_minbits,
        auth_maxbits,
        encrypt_minbits,
        encrypt_maxbits,
        soft_allocations: r.u32()?,
        hard_allocations: r.u32()?,
        soft_bytes: r.u64()?,
        hard_bytes: r.u64()?,
        soft_addtime: r.u64()?,
        hard_addtime: r.u64()?,
        soft_usetime: r.u64()?,
        hard_usetime: r.u64()?,
    })
}
