//! The engine's log lines and bookkeeping where they must match the original racoon's.

#[allow(dead_code)]
mod engine_sim;

use engine_sim::*;
use std::time::Duration;

/// The engine asks for the install and leaves "IPsec-SA established" to whoever performs
/// it (the daemon logs it once the kernel accepted each SA; the sim's kernel accepts
/// all): one line per SA, not two.
#[test]
fn ipsec_sa_established_is_logged_by_the_installer_only() {
    let mut sim = tunnel_pair(
        SAINFO,
        SAINFO,
        "simple psk",
        "simple psk",
        Link::default(),
        3,
    );
    sim.run_for(Duration::from_secs(5));
    for node in &sim.nodes {
        assert_eq!(node.installs.len(), 1, "{:#?}", node.logs);
        let lines: Vec<&String> = node
            .logs
            .iter()
            .filter(|l| l.starts_with("IPsec-SA established: "))
            .collect();
        let (inbound, outbound) = &node.installs[0];
        assert_eq!(
            lines,
            [
                &format!(
                    "IPsec-SA established: ESP/Tunnel {}->{} spi={}(0x{:x})",
                    inbound.src, inbound.dst, inbound.spi, inbound.spi
                ),
                &format!(
                    "IPsec-SA established: ESP/Tunnel {}->{} spi={}(0x{:x})",
                    outbound.src, outbound.dst, outbound.spi, outbound.spi
                ),
            ]
        );
    }
}
