//! From parsed statements to kernel operations: host names resolved, defaults filled in,
//! one model value per address pair, and Linux's `fwd` policies added under RFC
//! semantics. This runs over the whole file before anything touches the kernel, so a
//! name that does not resolve leaves the kernel untouched, like a syntax error does.

use crate::ast::{
    AddrOpts, AlgSpec, Command, FamilyFilter, GetSpiSpec, HostSpec, Pos, PrefixSpec, ProtoSpec,
    RequestSpec, SaSpec, SelectorSpec, SpdSpec, Statement, UpperSpec,
};
use common::addr::{Address, Family, Port};
use common::kernel::{Op, SpiRequest};
use common::policy::{
    Action, Direction, Level, Policy, PolicyId, PolicySelector, Request, PRIORITY_DEFAULT, UL_ANY,
};
use common::sa::{flags, Keyed, NatT, Sa, SaId, SaType};
use std::fmt;
use std::net::IpAddr;

/// IP protocol numbers the selector encodes specially (ports carry type/code or key).
const IPPROTO_ICMPV6: u8 = 58;
const IPPROTO_GRE: u8 = 47;
/// The UDP port of IKE with NAT traversal (RFC 3947), esp-udp's default.
const NATT_PORT: u16 = 4500;

/// What one statement asks of the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Changes, applied in a batch with the changes of neighbouring statements.
    Ops(Vec<Op>),
    /// `get`: print these SAs.
    Get(Vec<SaId>),
    /// `getspi`: reserve these SPIs (the original prints nothing when it works).
    GetSpi(Vec<SpiRequest>),
    /// `deleteall`: delete every SA of this type between these address pairs.
    DeleteAll {
        satype: SaType,
        pairs: Vec<(IpAddr, IpAddr)>,
    },
    /// `dump [proto]`.
    Dump(Option<SaType>),
    /// `spddump`.
    SpdDump,
    /// `exit`, `quit`, `bye`.
    Exit,
}

/// A step and the statement it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub pos: Pos,
    pub step: Step,
}

/// How policies are expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Semantics {
    /// RFC semantics (`-r`, the default on Linux): every `in` policy gets a `fwd` twin
    /// so that tunnelled traffic routed through the host is accepted too.
    pub rfc_fwd: bool,
}

/// A statement that cannot become kernel operations; printed like a parse error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    pub file: String,
    pub pos: Pos,
    pub message: String,
    pub token: Option<String>,
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{},{}:{}: {}",
            self.file, self.pos.line, self.pos.col, self.message
        )?;
        if let Some(t) = &self.token {
            write!(f, " at `{t}'")?;
        }
        Ok(())
    }
}

impl std::error::Error for ResolveError {}

/// Turns host names into addresses. The real one asks the system resolver; tests pass
/// a table.
pub trait Resolver {
    fn lookup(&self, name: &str) -> Result<Vec<IpAddr>, String>;
}

/// The system resolver (getaddrinfo through std).
pub struct SystemResolver;

impl Resolver for SystemResolver {
    fn lookup(&self, name: &str) -> Result<Vec<IpAddr>, String> {
        use std::net::ToSocketAddrs;
        let mut out: Vec<IpAddr> = Vec::new();
        for sa in (name, 0).to_socket_addrs().map_err(|e| e.to_string())? {
            if !out.contains(&sa.ip()) {
                out.push(sa.ip());
            }
        }
        Ok(out)
    }
}

/// Resolves every statement of a file, or fails on the first that cannot be resolved.
pub fn resolve_all(
    file: &str,
    statements: &[Statement],
    semantics: Semantics,
    resolver: &dyn Resolver,
) -> Result<Vec<Resolved>, ResolveError> {
    let cx = Cx {
        file,
        semantics,
        resolver,
    };
    statements
        .iter()
        .map(|st| {
            Ok(Resolved {
                pos: st.pos,
                step: cx.statement(st)?,
            })
        })
        .collect()
}

struct Cx<'a> {
    file: &'a str,
    semantics: Semantics,
    resolver: &'a dyn Resolver,
}

impl Cx<'_> {
    fn err(&self, pos: Pos, message: impl Into<String>, token: Option<&str>) -> ResolveError {
        ResolveError {
            file: self.file.to_owned(),
            pos,
            message: message.into(),
            token: token.map(str::to_owned),
        }
    }

    fn statement(&self, st: &Statement) -> Result<Step, ResolveError> {
        Ok(match &st.command {
            Command::Add(spec) => Step::Ops(self.sas(spec)?.into_iter().map(Op::AddSa).collect()),
            Command::Update(spec) => {
                Step::Ops(self.sas(spec)?.into_iter().map(Op::UpdateSa).collect())
            }
            Command::Get {
                opts_addr,
                src,
                dst,
                proto,
                spi,
            } => Step::Get(
                self.pairs(*opts_addr, src, dst)?
                    .into_iter()
                    .map(|(s, d)| sa_id(s, d, *proto, *spi))
                    .collect(),
            ),
            Command::GetSpi(spec) => Step::GetSpi(self.spi_requests(spec)?),
            Command::Delete {
                opts_addr,
                src,
                dst,
                proto,
                spi,
            } => Step::Ops(
                self.pairs(*opts_addr, src, dst)?
                    .into_iter()
                    .map(|(s, d)| Op::DeleteSa(sa_id(s, d, *proto, *spi)))
                    .collect(),
            ),
            Command::DeleteAll {
                opts_addr,
                src,
                dst,
                proto,
            } => Step::DeleteAll {
                satype: proto.satype,
                pairs: self.pairs(*opts_addr, src, dst)?,
            },
            Command::Flush(t) => Step::Ops(vec![Op::FlushSa(*t)]),
            Command::Dump(t) => Step::Dump(*t),
            Command::SpdAdd(spec) => Step::Ops(
                self.policies(spec)?
                    .into_iter()
                    .map(Op::AddPolicy)
                    .collect(),
            ),
            Command::SpdUpdate(spec) => Step::Ops(
                self.policies(spec)?
                    .into_iter()
                    .map(Op::UpdatePolicy)
                    .collect(),
            ),
            Command::SpdDelete(spec) => Step::Ops(
                self.policies(spec)?
                    .into_iter()
                    .map(|p| {
                        Op::DeletePolicy(PolicyId {
                            selector: p.selector,
                            dir: p.dir,
                        })
                    })
                    .collect(),
            ),
            Command::SpdFlush => Step::Ops(vec![Op::FlushPolicy]),
            Command::SpdDump => Step::SpdDump,
            Command::Exit => Step::Exit,
        })
    }

    /// The addresses a host spec stands for, filtered by `-4`/`-6`.
    fn host(&self, opts: AddrOpts, h: &HostSpec) -> Result<Vec<Address>, ResolveError> {
        let found: Vec<Address> = match h.text.parse::<Address>() {
            Ok(a) => vec![a],
            Err(_) if opts.numeric_only => {
                return Err(self.err(
                    h.pos,
                    "not a numeric address (-n forbids name lookups)",
                    Some(&h.text),
                ))
            }
            Err(_) => self
                .resolver
                .lookup(&h.text)
                .map_err(|e| self.err(h.pos, e, Some(&h.text)))?
                .into_iter()
                .map(Address::from)
                .collect(),
        };
        let kept: Vec<Address> = found
            .into_iter()
            .filter(|a| match opts.family {
                FamilyFilter::Any => true,
                FamilyFilter::Inet => a.family() == Family::Ipv4,
                FamilyFilter::Inet6 => a.family() == Family::Ipv6,
            })
            .collect();
        if kept.is_empty() {
            return Err(self.err(h.pos, "no address of the requested family", Some(&h.text)));
        }
        Ok(kept)
    }

    /// Every (source, destination) pair of the same family, as the original pairs the
    /// results of two name lookups.
    fn pairs(
        &self,
        opts: AddrOpts,
        src: &HostSpec,
        dst: &HostSpec,
    ) -> Result<Vec<(IpAddr, IpAddr)>, ResolveError> {
        let srcs = self.host(opts, src)?;
        let dsts = self.host(opts, dst)?;
        let pairs: Vec<(IpAddr, IpAddr)> = srcs
            .iter()
            .flat_map(|s| {
                dsts.iter()
                    .filter(|d| d.family() == s.family())
                    .map(|d| (s.ip(), d.ip()))
            })
            .collect();
        if pairs.is_empty() {
            return Err(self.err(
                dst.pos,
                "source and destination address families differ",
                Some(&dst.text),
            ));
        }
        Ok(pairs)
    }

    fn sas(&self, spec: &SaSpec) -> Result<Vec<Sa>, ResolveError> {
        let pairs = self.pairs(spec.opts_addr, &spec.src, &spec.dst)?;
        let mut template = Sa::new(pairs[0].0, pairs[0].1, spec.proto.satype, spec.spi);
        let o = &spec.opts;
        template.mode = o.mode.unwrap_or_default();
        template.replay = o.replay.unwrap_or(0);
        template.reqid = o.reqid.unwrap_or(0);
        template.flags = o.flags | if spec.proto.old { flags::OLD } else { 0 };
        template.hard.addtime = o.lifetime_hard_secs.unwrap_or(0);
        template.soft.addtime = o.lifetime_soft_secs.unwrap_or(0);
        template.hard.bytes = o.bytes_hard.unwrap_or(0);
        template.soft.bytes = o.bytes_soft.unwrap_or(0);
        template.sec_ctx = o.sec_ctx.clone();
        match &spec.algs {
            AlgSpec::Esp { enc, auth } => {
                template.enc = Some(keyed(enc.alg, &enc.key));
                template.auth = auth.as_ref().map(|a| keyed(a.alg, &a.key));
            }
            AlgSpec::Auth(a) => template.auth = Some(keyed(a.alg, &a.key)),
            AlgSpec::Comp { alg, raw_cpi } => {
                template.comp = Some(alg);
                if *raw_cpi {
                    template.flags |= flags::RAWCPI;
                }
            }
        }
        let nat_oa = match (&spec.nat_oa, spec.proto.udp_encap) {
            (Some(oa), true) => Some(self.host(spec.opts_addr, oa)?),
            _ => None,
        };
        if spec.proto.udp_encap {
            // No port, `[0]` or `[any]`: the IKE NAT-T port, as the original's
            // `get_port` defaulted.
            let port = |p: Option<u16>| p.filter(|&p| p != 0).unwrap_or(NATT_PORT);
            template.natt = Some(NatT {
                encap: NatT::UDP_ENCAP_ESPINUDP,
                sport: port(spec.src_port),
                dport: port(spec.dst_port),
                original_address: None,
            });
        }
        pairs
            .into_iter()
            .map(|(s, d)| {
                let mut sa = Sa {
                    src: s,
                    dst: d,
                    ..template.clone()
                };
                if let (Some(natt), Some(found)) = (sa.natt.as_mut(), &nat_oa) {
                    natt.original_address = Some(self.nat_oa(spec, found, s)?);
                }
                Ok(sa)
            })
            .collect()
    }

    /// The NAT-OA for an SA whose source is `src`: the first address the name stands
    /// for in the SA's family (the kernel stores it without a family of its own).
    fn nat_oa(
        &self,
        spec: &SaSpec,
        found: &[Address],
        src: IpAddr,
    ) -> Result<IpAddr, ResolveError> {
        let family = Address::from(src).family();
        found
            .iter()
            .find(|a| a.family() == family)
            .map(|a| a.ip())
            .ok_or_else(|| {
                let oa = spec.nat_oa.as_ref().unwrap_or(&spec.src);
                self.err(
                    oa.pos,
                    format!("the NAT-OA has no {family} address, unlike the SA's addresses"),
                    Some(&oa.text),
                )
            })
    }

    /// `getspi`: one GETSPI per address pair; SPI 0 leaves the choice to the kernel in
    /// the range Linux uses when none is given.
    fn spi_requests(&self, spec: &GetSpiSpec) -> Result<Vec<SpiRequest>, ResolveError> {
        let (min, max) = match spec.spi {
            0 => (SpiRequest::KERNEL_MIN, SpiRequest::KERNEL_MAX),
            spi => (spi, spi),
        };
        Ok(self
            .pairs(spec.opts_addr, &spec.src, &spec.dst)?
            .into_iter()
            .map(|(src, dst)| SpiRequest {
                src,
                dst,
                satype: spec.proto.satype,
                mode: spec.opts.mode.unwrap_or_default(),
                reqid: spec.opts.reqid.unwrap_or(0),
                min,
                max,
            })
            .collect())
    }

    fn policies(&self, spec: &SpdSpec) -> Result<Vec<Policy>, ResolveError> {
        let selectors = match &spec.selector {
            SelectorSpec::Tagged(tag) => vec![PolicySelector::Tagged(tag.clone())],
            SelectorSpec::Addresses { src, dst, upper } => {
                self.selectors(spec.opts_addr, src, dst, *upper)?
            }
        };
        let requests = spec
            .policy
            .requests
            .iter()
            .map(|r| self.request(r))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for selector in selectors {
            let mut p = Policy::new(selector, spec.policy.dir, spec.policy.action);
            p.priority = spec.policy.priority.unwrap_or(PRIORITY_DEFAULT);
            p.requests = if p.action == Action::Ipsec {
                requests.clone()
            } else {
                Vec::new()
            };
            p.sec_ctx = spec.sec_ctx.clone();
            let twin = (self.semantics.rfc_fwd && p.dir == Direction::In).then(|| fwd_twin(&p));
            out.push(p);
            out.extend(twin);
        }
        Ok(out)
    }

    fn selectors(
        &self,
        opts: AddrOpts,
        src: &PrefixSpec,
        dst: &PrefixSpec,
        upper: UpperSpec,
    ) -> Result<Vec<PolicySelector>, ResolveError> {
        let srcs = self.host(opts, &src.host)?;
        let dsts = self.host(opts, &dst.host)?;
        let (ul_proto, ports) = match upper {
            UpperSpec::Any => (UL_ANY, None),
            UpperSpec::Proto(p) => (p, None),
            // KAME carries the ICMPv6 type in the source port and the code in the
            // destination port; GRE's key is split across both.
            UpperSpec::Icmp6 { icmp_type, code } => (
                IPPROTO_ICMPV6,
                icmp_type.map(|t| (u16::from(t), code.map_or(0, u16::from))),
            ),
            UpperSpec::Gre { key } => (
                IPPROTO_GRE,
                key.map(|k| ((k >> 16) as u16, (k & 0xffff) as u16)),
            ),
        };
        let mut out = Vec::new();
        for s in &srcs {
            for d in dsts.iter().filter(|d| d.family() == s.family()) {
                let mut ssel = src
                    .parts()
                    .into_selector(*s)
                    .map_err(|e| self.err(src.host.pos, e.to_string(), Some(&src.host.text)))?;
                let mut dsel = dst
                    .parts()
                    .into_selector(*d)
                    .map_err(|e| self.err(dst.host.pos, e.to_string(), Some(&dst.host.text)))?;
                if let Some((sp, dp)) = ports {
                    ssel = ssel.with_port(Some(Port::new(sp)));
                    dsel = dsel.with_port(Some(Port::new(dp)));
                }
                out.push(PolicySelector::Addresses {
                    src: ssel,
                    dst: dsel,
                    ul_proto,
                });
            }
        }
        if out.is_empty() {
            return Err(self.err(
                dst.host.pos,
                "source and destination address families differ",
                Some(&dst.host.text),
            ));
        }
        Ok(out)
    }

    fn request(&self, r: &RequestSpec) -> Result<Request, ResolveError> {
        let tunnel = match &r.tunnel {
            None => None,
            Some((s, d)) => {
                let numeric = AddrOpts {
                    family: FamilyFilter::Any,
                    numeric_only: true,
                };
                let s = self.host(numeric, s)?[0];
                let dd = self.host(numeric, d)?[0];
                if s.family() != dd.family() {
                    return Err(self.err(
                        d.pos,
                        "tunnel end points of different address families",
                        Some(&d.text),
                    ));
                }
                Some((s.ip(), dd.ip()))
            }
        };
        Ok(Request {
            proto: r.proto,
            mode: r.mode,
            tunnel,
            level: r.level,
            reqid: r.reqid.unwrap_or(0),
        })
    }
}

/// The `fwd` policy the original adds for an `in` policy under RFC semantics; the
/// kernel has no per-SA uniqueness for forwarded traffic, so `unique` becomes `require`.
fn fwd_twin(p: &Policy) -> Policy {
    let mut f = p.clone();
    f.dir = Direction::Fwd;
    for r in &mut f.requests {
        if r.level == Level::Unique {
            r.level = Level::Require;
        }
    }
    f
}

fn keyed(alg: &'static common::alg::Algorithm, key: &[u8]) -> Keyed {
    Keyed {
        alg,
        key: key.to_vec(),
    }
}

fn sa_id(src: IpAddr, dst: IpAddr, proto: ProtoSpec, spi: u32) -> SaId {
    SaId {
        src,
        dst,
        satype: proto.satype,
        spi,
    }
}
