//! Performing the engine's kernel requests on a [`Kernel`], and reading its events.
//!
//! GETSPI is answered at once (the kernel replies within milliseconds). The inbound SA
//! of a negotiated pair completes the larval SA GETSPI left (UPDATE), falling back to
//! ADD if that larval SA has gone meanwhile; the outbound SA is added, which also
//! replaces the larval state an ACQUIRE left. The ACQUIRE's sequence number is not
//! echoed in GETSPI: Linux matches it only against a larval SA whose destination is the
//! GETSPI's, and the ACQUIRE's larval SA points at the peer while GETSPI reserves an
//! inbound SPI (destination: us), so Linux falls back to the address match either way.

use super::Logger;
use crate::conf::LogLevel;
use crate::engine::{Engine, KernelRequest};
use common::kernel::{Event, Kernel, KernelError, Op};
use common::policy::Policy;
use common::sa::{Sa, SaId};
use std::time::{Duration, Instant};

/// The SPI range racoon asks for (the kernel's own default without SPIRANGE).
const SPI_MIN: u32 = 0x100;
const SPI_MAX: u32 = 0x0fff_ffff;

const ENOENT: i32 = 2;
const ESRCH: i32 = 3;

pub struct KernelIo {
    kernel: Box<dyn Kernel>,
    /// The SPD as last dumped, to complete ACQUIREs.
    policies: Vec<Policy>,
    /// SAs we installed and have not deleted, removed at shutdown.
    ours: Vec<SaId>,
}

impl KernelIo {
    pub fn new(kernel: Box<dyn Kernel>) -> KernelIo {
        KernelIo {
            kernel,
            policies: Vec::new(),
            ours: Vec::new(),
        }
    }

    pub fn event_fd(&self) -> Option<i32> {
        self.kernel.event_fd()
    }

    /// The SPD as the kernel has it now, for the responder's policy lookups.
    pub fn load_policies(&mut self, engine: &mut Engine, logger: &mut Logger) {
        match self.kernel.dump_policy(false) {
            Ok(dumped) => {
                let policies: Vec<_> = dumped.into_iter().map(|d| d.entry).collect();
                logger.log(
                    LogLevel::Debug,
                    &format!("{} policies read from the kernel", policies.len()),
                );
                self.policies.clone_from(&policies);
                engine.set_policies(policies);
            }
            Err(e) => logger.log(LogLevel::Error, &format!("pfkey SPDDUMP failed: {e}")),
        }
    }

    /// The next queued or waiting event, without waiting.
    pub fn next_event(&mut self, engine: &mut Engine, logger: &mut Logger) -> Option<Event> {
        match self.kernel.next_event(Some(Duration::ZERO)) {
            Ok(Some(ev)) => Some(self.complete_acquire(ev, engine, logger)),
            Ok(None) => None,
            Err(e) => {
                logger.log(LogLevel::Error, &format!("kernel event: {e}"));
                None
            }
        }
    }

    /// Linux's PF_KEY ACQUIRE names its policy only by id (no selector, no request), so
    /// the policy is looked up in the SPD, as the original's `getspbyspid`; the SPD is
    /// dumped again when the id is new to us.
    fn complete_acquire(&mut self, ev: Event, engine: &mut Engine, logger: &mut Logger) -> Event {
        let Event::Acquire {
            src,
            dst,
            satype,
            policy,
            request,
            seq,
        } = ev
        else {
            return ev;
        };
        let id = policy.id;
        let find = |ps: &[Policy]| ps.iter().find(|p| id != 0 && p.id == id).cloned();
        let mut found = find(&self.policies);
        if found.is_none() && id != 0 {
            self.load_policies(engine, logger);
            found = find(&self.policies);
        }
        let Some(full) = found else {
            logger.log(
                LogLevel::Debug,
                &format!("ACQUIRE for policy id {id} not in the SPD; using it as sent"),
            );
            return Event::Acquire {
                src,
                dst,
                satype,
                policy,
                request,
                seq,
            };
        };
        let request = full
            .requests
            .iter()
            .find(|r| r.proto == satype)
            .cloned()
            .unwrap_or(request);
        Event::Acquire {
            src,
            dst,
            satype,
            policy: full,
            request,
            seq,
        }
    }

    pub fn perform(&mut self, engine: &mut Engine, req: KernelRequest, logger: &mut Logger) {
        match req {
            KernelRequest::GetSpi {
                id,
                src,
                dst,
                satype,
                reqid,
            } => match self
                .kernel
                .get_spi(src, dst, satype, reqid, SPI_MIN, SPI_MAX)
            {
                Ok(spi) => {
                    logger.log(
                        LogLevel::Debug,
                        &format!("pfkey GETSPI succeeded: {src}->{dst} spi={spi}(0x{spi:x})"),
                    );
                    engine.handle_spi(Instant::now(), id, spi);
                }
                Err(e) => {
                    logger.log(LogLevel::Error, &format!("pfkey GETSPI failed: {e}"));
                    engine.handle_spi_failed(Instant::now(), id);
                }
            },
            KernelRequest::Install { inbound, outbound } => {
                self.install(*inbound, *outbound, logger);
            }
            KernelRequest::Delete { sa } => {
                self.ours.retain(|o| *o != sa);
                if let Some(Err(e)) = self.kernel.apply(&[Op::DeleteSa(sa)]).pop() {
                    if !matches!(e.errno, ENOENT | ESRCH) {
                        logger.log(LogLevel::Error, &format!("pfkey DELETE failed: {e}"));
                    }
                }
            }
        }
    }

    fn install(&mut self, inbound: Sa, outbound: Sa, logger: &mut Logger) {
        let (in_id, out_id) = (inbound.id(), outbound.id());
        let results = self
            .kernel
            .apply(&[Op::UpdateSa(inbound.clone()), Op::AddSa(outbound)]);
        let mut update = results.first().copied().unwrap_or(Err(KernelError::new(5)));
        if let Err(e) = update {
            if matches!(e.errno, ENOENT | ESRCH) {
                // The larval SA expired before the negotiation ended: add it afresh.
                update = self
                    .kernel
                    .apply(&[Op::AddSa(inbound)])
                    .pop()
                    .unwrap_or(Err(KernelError::new(5)));
            }
        }
        match update {
            Ok(()) => self.ours.push(in_id),
            Err(e) => logger.log(LogLevel::Error, &format!("pfkey UPDATE failed: {e}")),
        }
        match results.get(1).copied().unwrap_or(Err(KernelError::new(5))) {
            Ok(()) => self.ours.push(out_id),
            Err(e) => logger.log(LogLevel::Error, &format!("pfkey ADD failed: {e}")),
        }
    }

    /// At shutdown: the SAs we installed are removed, as the original's flush on exit.
    pub fn delete_ours(&mut self, logger: &mut Logger) {
        let ops: Vec<Op> = self.ours.drain(..).map(Op::DeleteSa).collect();
        if ops.is_empty() {
            return;
        }
        let n = ops.len();
        let failed = self
            .kernel
            .apply(&ops)
            .into_iter()
            .filter(|r| matches!(r, Err(e) if !matches!(e.errno, ENOENT | ESRCH)))
            .count();
        logger.log(
            LogLevel::Info,
            &format!(
                "{} of our {n} IPsec-SAs deleted from the kernel",
                n - failed
            ),
        );
    }
}
