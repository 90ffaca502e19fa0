//! An in-memory kernel with Linux's answers: for tests of everything above the kernel
//! interface (setkey's apply step, racoon's daemon loop) without a real kernel.

use super::{Backend, EachEntry, Event, Kernel, KernelError, Op};
use crate::policy::{Policy, PolicyId};
use crate::sa::{Dumped, Sa, SaId, SaState, SaType};
use std::collections::VecDeque;
use std::net::IpAddr;

const ENOENT: i32 = 2;
const EEXIST: i32 = 17;

/// SAD and SPD kept in insertion order, answering as Linux does: `EEXIST` for a
/// duplicate, `ENOENT` for a missing entry, dumps numbered down to 0.
#[derive(Debug, Default)]
pub struct MemoryKernel {
    pub sas: Vec<Sa>,
    pub policies: Vec<Policy>,
    /// Every op applied, in order: tests check batching and order with it.
    pub log: Vec<Op>,
    /// How many `apply` calls were made (one per batch).
    pub batches: usize,
    pub events: VecDeque<Event>,
    /// Makes streamed dumps ([`Kernel::each_sa`], [`Kernel::each_policy`]) hand over
    /// this many entries and then fail with this error, as a netlink dump can part way
    /// (ENOBUFS when the socket's buffer overran).
    pub dump_fails_after: Option<(usize, KernelError)>,
    subscribed: bool,
    next_policy_id: u32,
    pid: u32,
}

impl MemoryKernel {
    pub fn new() -> MemoryKernel {
        MemoryKernel {
            pid: std::process::id(),
            ..Default::default()
        }
    }

    /// Hands `all` over, or as much of it as [`MemoryKernel::dump_fails_after`] lets
    /// through before its error.
    fn stream<T>(&self, all: Vec<Dumped<T>>, each: EachEntry<'_, T>) -> Result<(), KernelError> {
        match self.dump_fails_after {
            None => all.into_iter().try_for_each(each),
            Some((good, error)) => {
                all.into_iter().take(good).try_for_each(each)?;
                Err(error)
            }
        }
    }

    fn find_sa(&self, id: &SaId) -> Option<usize> {
        self.sas.iter().position(|s| s.id() == *id)
    }

    fn find_policy(&self, id: &PolicyId) -> Option<usize> {
        self.policies
            .iter()
            .position(|p| p.selector == id.selector && p.dir == id.dir)
    }

    fn one(&mut self, op: &Op) -> Result<(), KernelError> {
        match op {
            Op::AddSa(sa) => {
                if self.find_sa(&sa.id()).is_some() {
                    return Err(KernelError::new(EEXIST));
                }
                self.sas.push(sa.clone());
                self.emit(Event::SaAdded(sa.clone()));
            }
            Op::UpdateSa(sa) => {
                let i = self.find_sa(&sa.id()).ok_or(KernelError::new(ENOENT))?;
                self.sas[i] = sa.clone();
                self.emit(Event::SaUpdated(sa.clone()));
            }
            Op::DeleteSa(id) => {
                let i = self.find_sa(id).ok_or(KernelError::new(ENOENT))?;
                self.sas.remove(i);
                self.emit(Event::SaDeleted(*id));
            }
            Op::FlushSa(t) => {
                self.sas.retain(|s| t.is_some_and(|t| s.satype != t));
                self.emit(Event::SaFlushed(*t));
            }
            Op::AddPolicy(p) => {
                let id = PolicyId {
                    selector: p.selector.clone(),
                    dir: p.dir,
                };
                if self.find_policy(&id).is_some() {
                    return Err(KernelError::new(EEXIST));
                }
                let p = self.numbered(p);
                self.policies.push(p.clone());
                self.emit(Event::PolicyAdded(p));
            }
            Op::UpdatePolicy(p) => {
                let id = PolicyId {
                    selector: p.selector.clone(),
                    dir: p.dir,
                };
                let p = self.numbered(p);
                match self.find_policy(&id) {
                    Some(i) => self.policies[i] = p.clone(),
                    None => self.policies.push(p.clone()),
                }
                self.emit(Event::PolicyUpdated(p));
            }
            Op::DeletePolicy(id) => {
                let i = self.find_policy(id).ok_or(KernelError::new(ENOENT))?;
                let p = self.policies.remove(i);
                self.emit(Event::PolicyDeleted(p));
            }
            Op::FlushPolicy => {
                self.policies.clear();
                self.emit(Event::PolicyFlushed);
            }
        }
        Ok(())
    }

    /// Linux numbers policies so that `id % 8` is the direction (0 in, 1 out, 2 fwd).
    fn numbered(&mut self, p: &Policy) -> Policy {
        self.next_policy_id += 8;
        let dir = match p.dir {
            crate::policy::Direction::In => 0,
            crate::policy::Direction::Out => 1,
            crate::policy::Direction::Fwd => 2,
        };
        Policy {
            id: self.next_policy_id + dir,
            ..p.clone()
        }
    }

    fn emit(&mut self, e: Event) {
        if self.subscribed {
            self.events.push_back(e);
        }
    }

    fn dumped<T: Clone>(&self, items: &[T]) -> Vec<Dumped<T>> {
        let n = items.len() as u32;
        items
            .iter()
            .enumerate()
            .map(|(i, e)| Dumped {
                entry: e.clone(),
                seq: n - 1 - i as u32,
                pid: self.pid,
                refcnt: 0,
            })
            .collect()
    }
}

impl Kernel for MemoryKernel {
    fn backend(&self) -> Backend {
        Backend::Auto
    }

    fn apply(&mut self, ops: &[Op]) -> Vec<Result<(), KernelError>> {
        self.batches += 1;
        self.log.extend(ops.iter().cloned());
        ops.iter().map(|op| self.one(op)).collect()
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
        let spi = (min.max(0x100)..=max)
            .find(|&spi| {
                self.find_sa(&SaId {
                    src,
                    dst,
                    satype,
                    spi,
                })
                .is_none()
            })
            // Linux's xfrm_alloc_spi answers ENOENT when no SPI in the range is free.
            .ok_or(KernelError::new(ENOENT))?;
        let mut sa = Sa::new(src, dst, satype, spi);
        sa.reqid = reqid;
        sa.state = SaState::Larval;
        self.sas.push(sa);
        Ok(spi)
    }

    fn reserve_spi(&mut self, req: &super::SpiRequest) -> Result<u32, KernelError> {
        let spi = self.get_spi(req.src, req.dst, req.satype, req.reqid, req.min, req.max)?;
        if let Some(sa) = self.sas.last_mut() {
            sa.mode = req.mode;
        }
        Ok(spi)
    }

    fn get_sa(&mut self, id: &SaId) -> Result<Dumped<Sa>, KernelError> {
        let i = self.find_sa(id).ok_or(KernelError::new(ENOENT))?;
        Ok(Dumped {
            entry: self.sas[i].clone(),
            seq: 0,
            pid: self.pid,
            refcnt: 0,
        })
    }

    fn dump_sa(&mut self, satype: Option<SaType>) -> Result<Vec<Dumped<Sa>>, KernelError> {
        let v: Vec<Sa> = self
            .sas
            .iter()
            .filter(|s| satype.is_none_or(|t| s.satype == t))
            .cloned()
            .collect();
        Ok(self.dumped(&v))
    }

    fn dump_policy(&mut self, _per_socket: bool) -> Result<Vec<Dumped<Policy>>, KernelError> {
        Ok(self.dumped(&self.policies))
    }

    fn each_sa(
        &mut self,
        satype: Option<SaType>,
        each: EachEntry<'_, Sa>,
    ) -> Result<(), KernelError> {
        let all = self.dump_sa(satype)?;
        self.stream(all, each)
    }

    fn each_policy(
        &mut self,
        per_socket: bool,
        each: EachEntry<'_, Policy>,
    ) -> Result<(), KernelError> {
        let all = self.dump_policy(per_socket)?;
        self.stream(all, each)
    }

    fn subscribe(&mut self) -> Result<(), KernelError> {
        self.subscribed = true;
        Ok(())
    }

    fn next_event(
        &mut self,
        _timeout: Option<std::time::Duration>,
    ) -> Result<Option<Event>, KernelError> {
        Ok(self.events.pop_front())
    }
}
