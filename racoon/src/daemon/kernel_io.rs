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
use crate::engine::{established_line, Engine, KernelRequest};
use common::kernel::{Event, Kernel, KernelError, Op};
use common::policy::{Direction, Policy, PolicyId};
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
                self.install(inbound.map(|b| *b), outbound.map(|b| *b), logger);
            }
            KernelRequest::Delete { sa } => {
                self.ours.retain(|o| *o != sa);
                if let Some(Err(e)) = self.kernel.apply(&[Op::DeleteSa(sa)]).pop() {
                    if !matches!(e.errno, ENOENT | ESRCH) {
                        logger.log(LogLevel::Error, &format!("pfkey DELETE failed: {e}"));
                    }
                }
            }
            KernelRequest::AddPolicy { policy } => self.add_policy(*policy, logger),
            KernelRequest::DeletePolicy { id } => self.delete_policy(id, logger),
        }
    }

    /// A generated policy (`generate_policy`), added or replacing one of its selector
    /// and direction, as the original's spdupdate2.
    fn add_policy(&mut self, policy: Policy, logger: &mut Logger) {
        let what = format!("spdupdate2({})", direction_word(policy.dir));
        self.policies
            .retain(|q| !(q.selector == policy.selector && q.dir == policy.dir));
        self.policies.push(policy.clone());
        let result = self.kernel.apply(&[Op::UpdatePolicy(policy)]).pop();
        logger.log(LogLevel::Debug, &format!("pfkey {what} sent."));
        if let Some(Err(e)) = result {
            logger.log(LogLevel::Error, &format!("pfkey X_SPDUPDATE failed: {e}"));
        }
    }

    /// A generated policy whose SAs are gone.
    fn delete_policy(&mut self, id: PolicyId, logger: &mut Logger) {
        let what = format!("spddelete({})", direction_word(id.dir));
        self.policies
            .retain(|q| !(q.selector == id.selector && q.dir == id.dir));
        let result = self.kernel.apply(&[Op::DeletePolicy(id)]).pop();
        logger.log(LogLevel::Debug, &format!("pfkey {what} sent."));
        match result {
            Some(Err(e)) if !matches!(e.errno, ENOENT | ESRCH) => {
                logger.log(LogLevel::Error, &format!("pfkey X_SPDDELETE failed: {e}"))
            }
            _ => {}
        }
    }

    /// The inbound SA by UPDATE, the outbound by ADD, each "IPsec-SA established" only
    /// once the kernel has taken it, in that order (pk_recvupdate, then pk_recvadd).
    fn install(&mut self, inbound: Option<Sa>, outbound: Option<Sa>, logger: &mut Logger) {
        if let Some(sa) = inbound {
            self.install_inbound(sa, logger);
        }
        if let Some(sa) = outbound {
            self.install_outbound(sa, logger);
        }
    }

    /// UPDATE of the larval SA GETSPI made; "IPsec-SA established" once the kernel took it.
    fn install_inbound(&mut self, sa: Sa, logger: &mut Logger) {
        let (id, line) = (sa.id(), established_line(&sa));
        let mut update = self
            .kernel
            .apply(&[Op::UpdateSa(sa.clone())])
            .pop()
            .unwrap_or(Err(KernelError::new(5)));
        if let Err(e) = update {
            if matches!(e.errno, ENOENT | ESRCH) {
                // The larval SA expired before the negotiation ended: add it afresh.
                update = self
                    .kernel
                    .apply(&[Op::AddSa(sa)])
                    .pop()
                    .unwrap_or(Err(KernelError::new(5)));
            }
        }
        match update {
            Ok(()) => {
                self.ours.push(id);
                logger.log(LogLevel::Info, &line);
            }
            Err(e) => logger.log(LogLevel::Error, &format!("pfkey UPDATE failed: {e}")),
        }
    }

    /// ADD of the outbound SA; "IPsec-SA established" once the kernel took it.
    fn install_outbound(&mut self, sa: Sa, logger: &mut Logger) {
        let (id, line) = (sa.id(), established_line(&sa));
        match self
            .kernel
            .apply(&[Op::AddSa(sa)])
            .pop()
            .unwrap_or(Err(KernelError::new(5)))
        {
            Ok(()) => {
                self.ours.push(id);
                logger.log(LogLevel::Info, &line);
            }
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

/// How the original names a policy's direction in its pfkey log lines.
fn direction_word(dir: Direction) -> &'static str {
    match dir {
        Direction::In => "inbound",
        Direction::Out => "outbound",
        Direction::Fwd => "forward",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use common::kernel::memory::MemoryKernel;
    use common::kernel::Backend;
    use common::sa::{Dumped, Mode, SaType};
    use std::net::IpAddr;

    const EINVAL: i32 = 22;

    /// Linux's answers, except that the ops naming `refuse` fail with EINVAL.
    struct Refusing {
        inner: MemoryKernel,
        refuse: u32,
    }

    impl Kernel for Refusing {
        fn backend(&self) -> Backend {
            Backend::Auto
        }
        fn apply(&mut self, ops: &[Op]) -> Vec<Result<(), KernelError>> {
            ops.iter()
                .map(|op| match op {
                    Op::UpdateSa(sa) | Op::AddSa(sa) if sa.spi == self.refuse => {
                        Err(KernelError::new(EINVAL))
                    }
                    _ => self.inner.apply(std::slice::from_ref(op)).remove(0),
                })
                .collect()
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
            self.inner.get_spi(src, dst, satype, reqid, min, max)
        }
        fn get_sa(&mut self, id: &SaId) -> Result<Dumped<Sa>, KernelError> {
            self.inner.get_sa(id)
        }
        fn dump_sa(&mut self, t: Option<SaType>) -> Result<Vec<Dumped<Sa>>, KernelError> {
            self.inner.dump_sa(t)
        }
        fn dump_policy(&mut self, per_socket: bool) -> Result<Vec<Dumped<Policy>>, KernelError> {
            self.inner.dump_policy(per_socket)
        }
        fn subscribe(&mut self) -> Result<(), KernelError> {
            self.inner.subscribe()
        }
        fn next_event(&mut self, t: Option<Duration>) -> Result<Option<Event>, KernelError> {
            self.inner.next_event(t)
        }
    }

    /// Installs the pair 0x1001 (in) / 0x2002 (out) on a kernel refusing `refuse`,
    /// returning the log lines without their timestamps.
    fn install_refusing(refuse: u32, name: &str) -> Vec<String> {
        let (a, b): (IpAddr, IpAddr) = (
            "192.168.1.100".parse().unwrap(),
            "192.168.2.100".parse().unwrap(),
        );
        let mut inner = MemoryKernel::new();
        inner.get_spi(b, a, SaType::Esp, 0, 0x1001, 0x1001).unwrap();
        let mut kio = KernelIo::new(Box::new(Refusing { inner, refuse }));
        let path = std::env::temp_dir().join(format!("racoon-kio-{name}-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mut logger = Logger::open(LogLevel::Debug, false, Some(&path)).unwrap();
        let mut inbound = Sa::new(b, a, SaType::Esp, 0x1001);
        let mut outbound = Sa::new(a, b, SaType::Esp, 0x2002);
        inbound.mode = Mode::Tunnel;
        outbound.mode = Mode::Tunnel;
        kio.install(Some(inbound), Some(outbound), &mut logger);
        let text = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        text.lines().map(|l| l[21..].to_owned()).collect()
    }

    #[test]
    fn generated_policies_are_updated_then_deleted_in_the_kernel() {
        use common::policy::{Action, Direction, PolicySelector};
        let path = std::env::temp_dir().join(format!("racoon-kio-pol-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mut logger = Logger::open(LogLevel::Debug, false, Some(&path)).unwrap();
        let mut kio = KernelIo::new(Box::new(MemoryKernel::new()));
        let selector = PolicySelector::Addresses {
            src: "10.0.0.1/32".parse().unwrap(),
            dst: "10.0.0.2/32".parse().unwrap(),
            ul_proto: 255,
        };
        let policy = Policy::new(selector.clone(), Direction::In, Action::Ipsec);
        kio.add_policy(policy.clone(), &mut logger);
        // spdupdate: a second one replaces the first instead of failing with EEXIST.
        kio.add_policy(policy, &mut logger);
        let spd = kio.kernel.dump_policy(false).unwrap();
        assert_eq!(spd.len(), 1);
        assert_eq!(spd[0].entry.selector, selector);
        let id = PolicyId {
            selector,
            dir: Direction::In,
        };
        kio.delete_policy(id.clone(), &mut logger);
        assert!(kio.kernel.dump_policy(false).unwrap().is_empty());
        // Already gone (flushed meanwhile): no error.
        kio.delete_policy(id, &mut logger);
        let text = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        let lines: Vec<_> = text.lines().map(|l| l[21..].to_owned()).collect();
        assert_eq!(
            lines,
            [
                "DEBUG: pfkey spdupdate2(inbound) sent.",
                "DEBUG: pfkey spdupdate2(inbound) sent.",
                "DEBUG: pfkey spddelete(inbound) sent.",
                "DEBUG: pfkey spddelete(inbound) sent.",
            ]
        );
    }

    #[test]
    fn established_only_after_the_kernel_accepted_each_sa() {
        let ok = install_refusing(0, "ok");
        assert_eq!(
            ok,
            [
                "INFO: IPsec-SA established: ESP/Tunnel 192.168.2.100->192.168.1.100 spi=4097(0x1001)",
                "INFO: IPsec-SA established: ESP/Tunnel 192.168.1.100->192.168.2.100 spi=8194(0x2002)",
            ]
        );
        let update_failed = install_refusing(0x1001, "upd");
        assert_eq!(
            update_failed,
            [
                "ERROR: pfkey UPDATE failed: Invalid argument",
                "INFO: IPsec-SA established: ESP/Tunnel 192.168.1.100->192.168.2.100 spi=8194(0x2002)",
            ]
        );
        let add_failed = install_refusing(0x2002, "add");
        assert_eq!(
            add_failed,
            [
                "INFO: IPsec-SA established: ESP/Tunnel 192.168.2.100->192.168.1.100 spi=4097(0x1001)",
                "ERROR: pfkey ADD failed: Invalid argument",
            ]
        );
    }
}
