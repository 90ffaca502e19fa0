//! PF_KEY with the SAs it would get wrong sent through XFRM instead.
//!
//! Linux's PF_KEY has no field for the ICV truncation, so it installs HMAC-SHA-2 with
//! its pre-RFC 4868 lengths (96 bits for SHA-256) and such an SA cannot talk to a
//! correct peer; and it has no way at all to install an AEAD such as AES-GCM. Every
//! kernel with AF_KEY also has XFRM netlink (af_key is built on it), so those SAs go
//! through XFRM with the right truncation, and everything else through PF_KEY as the
//! original did. Within a batch the order of operations is kept.
//!
//! Reading the tables (dumps, get) also goes through XFRM: af_key hands a dump out one
//! message per `recv` and is two to three times slower than XFRM netlink on 10,000
//! entries, while what comes back is the same, entry for entry, numbering and pid
//! included (the kernel conformance suite checks that one backend reads exactly what
//! the other wrote). [`RfcPfkey::reading_through_pfkey`] keeps reads on PF_KEY, for
//! `setkey -v`, which shows the PF_KEY messages of a dump.

use super::{Backend, EachEntry, Event, Kernel, KernelError, Op};
use crate::pfkey::{truncation_mismatch, PfkeyKernel};
use crate::policy::Policy;
use crate::sa::{Dumped, Sa, SaId, SaType};
use crate::xfrm::XfrmKernel;
use std::net::IpAddr;
use std::time::Duration;

pub struct RfcPfkey {
    pub pfkey: PfkeyKernel,
    /// Opened on first need.
    xfrm: Option<XfrmKernel>,
    reads_via_xfrm: bool,
}

impl RfcPfkey {
    pub fn new(pfkey: PfkeyKernel) -> RfcPfkey {
        RfcPfkey {
            pfkey,
            xfrm: None,
            reads_via_xfrm: true,
        }
    }

    /// Dumps and gets over PF_KEY too, so that a trace of the PF_KEY socket sees them.
    pub fn reading_through_pfkey(mut self) -> RfcPfkey {
        self.reads_via_xfrm = false;
        self
    }

    /// Where reads go: XFRM when wanted and available, PF_KEY otherwise.
    fn reader(&mut self) -> &mut dyn Kernel {
        if self.reads_via_xfrm && self.xfrm().is_ok() {
            if let Some(x) = self.xfrm.as_mut() {
                return x;
            }
        }
        &mut self.pfkey
    }

    fn xfrm(&mut self) -> Result<&mut XfrmKernel, KernelError> {
        if self.xfrm.is_none() {
            self.xfrm = Some(XfrmKernel::open()?);
        }
        // Just set above.
        self.xfrm.as_mut().ok_or(KernelError::new(5))
    }
}

/// Whether PF_KEY would install this op wrongly or not at all.
pub fn needs_xfrm(op: &Op) -> bool {
    match op {
        Op::AddSa(sa) | Op::UpdateSa(sa) => {
            truncation_mismatch(sa).is_some()
                || sa
                    .enc
                    .as_ref()
                    .is_some_and(|k| k.alg.pfkey_id.is_some() && !k.alg.pfkey_installable())
        }
        _ => false,
    }
}

impl Kernel for RfcPfkey {
    fn backend(&self) -> Backend {
        Backend::Pfkey
    }

    fn apply(&mut self, ops: &[Op]) -> Vec<Result<(), KernelError>> {
        let mut results = Vec::with_capacity(ops.len());
        let mut rest = ops;
        while let Some(first) = rest.first() {
            let via_xfrm = needs_xfrm(first);
            let run = rest
                .iter()
                .take_while(|op| needs_xfrm(op) == via_xfrm)
                .count();
            let (chunk, tail) = rest.split_at(run);
            if via_xfrm {
                match self.xfrm() {
                    Ok(x) => results.extend(x.apply(chunk)),
                    Err(e) => results.extend(chunk.iter().map(|_| Err(e))),
                }
            } else {
                results.extend(self.pfkey.apply(chunk));
            }
            rest = tail;
        }
        results
    }

    fn get_spi(
        &mut self,
        src: IpAddr,
        dst: IpAddr,
        satype: SaType,
        reqid: u32,
        min: u32,
        max: u32,
    ) -> Result<u32, KernelError> {
        self.pfkey.get_spi(src, dst, satype, reqid, min, max)
    }

    fn reserve_spi(&mut self, req: &super::SpiRequest) -> Result<u32, KernelError> {
        self.pfkey.reserve_spi(req)
    }

    fn get_sa(&mut self, id: &SaId) -> Result<Dumped<Sa>, KernelError> {
        self.reader().get_sa(id)
    }

    fn dump_sa(&mut self, satype: Option<SaType>) -> Result<Vec<Dumped<Sa>>, KernelError> {
        self.reader().dump_sa(satype)
    }

    fn dump_policy(&mut self, per_socket: bool) -> Result<Vec<Dumped<Policy>>, KernelError> {
        self.reader().dump_policy(per_socket)
    }

    fn each_sa(
        &mut self,
        satype: Option<SaType>,
        each: EachEntry<'_, Sa>,
    ) -> Result<(), KernelError> {
        self.reader().each_sa(satype, each)
    }

    fn each_policy(
        &mut self,
        per_socket: bool,
        each: EachEntry<'_, Policy>,
    ) -> Result<(), KernelError> {
        self.reader().each_policy(per_socket, each)
    }

    fn subscribe(&mut self) -> Result<(), KernelError> {
        self.pfkey.subscribe()
    }

    fn next_event(&mut self, timeout: Option<Duration>) -> Result<Option<Event>, KernelError> {
        self.pfkey.next_event(timeout)
    }

    fn event_fd(&self) -> Option<std::os::fd::RawFd> {
        self.pfkey.event_fd()
    }
}
