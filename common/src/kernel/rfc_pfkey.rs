//! PF_KEY with the SAs it would get wrong sent through XFRM instead.
//!
//! Linux's PF_KEY has no field for the ICV truncation, so it installs HMAC-SHA-2 with
//! its pre-RFC 4868 lengths (96 bits for SHA-256) and such an SA cannot talk to a
//! correct peer; and it has no way at all to install an AEAD such as AES-GCM. Every
//! kernel with AF_KEY also has XFRM netlink (af_key is built on it), so those SAs go
//! through XFRM with the right truncation, and everything else through PF_KEY as the
//! original did. Within a batch the order of operations is kept.

use super::{Backend, Event, Kernel, KernelError, Op};
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
}

impl RfcPfkey {
    pub fn new(pfkey: PfkeyKernel) -> RfcPfkey {
        RfcPfkey { pfkey, xfrm: None }
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

    fn get_sa(&mut self, id: &SaId) -> Result<Dumped<Sa>, KernelError> {
        self.pfkey.get_sa(id)
    }

    fn dump_sa(&mut self, satype: Option<SaType>) -> Result<Vec<Dumped<Sa>>, KernelError> {
        self.pfkey.dump_sa(satype)
    }

    fn dump_policy(&mut self, per_socket: bool) -> Result<Vec<Dumped<Policy>>, KernelError> {
        self.pfkey.dump_policy(per_socket)
    }

    fn subscribe(&mut self) -> Result<(), KernelError> {
        self.pfkey.subscribe()
    }

    fn next_event(&mut self, timeout: Option<Duration>) -> Result<Option<Event>, KernelError> {
        self.pfkey.next_event(timeout)
    }
}
