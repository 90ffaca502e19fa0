//! The mode-cfg address pool (`network4`, `pool_size`): racoon numbers its clients'
//! "ports" from 0 and gives port n the address network4 + n. A port belongs to one
//! ISAKMP SA; it is free again once that SA's handle is gone, so the pool is read off the
//! live handles instead of kept beside them.

use std::net::Ipv4Addr;

/// racoon's pool size when `pool_size` is not given (ISAKMP_CFG_MAX_CNX).
pub(crate) const DEFAULT_POOL_SIZE: u64 = 255;

/// The lowest port below `size` that no handle holds.
pub(crate) fn free_port(used: impl IntoIterator<Item = u32>, size: u64) -> Option<u32> {
    let mut used: Vec<u32> = used.into_iter().collect();
    used.sort_unstable();
    used.dedup();
    let mut candidate = 0u32;
    for u in used {
        if u > candidate {
            break;
        }
        if u == candidate {
            candidate = candidate.checked_add(1)?;
        }
    }
    (u64::from(candidate) < size).then_some(candidate)
}

/// The address of a port: network4 + port (wrapping, as the original's unsigned sum).
pub(crate) fn address(network4: Ipv4Addr, port: u32) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(network4).wrapping_add(port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_handed_out_lowest_first_and_reused_once_free() {
        assert_eq!(free_port([], 3), Some(0));
        assert_eq!(free_port([0, 1], 3), Some(2));
        assert_eq!(free_port([1, 0, 2], 3), None);
        assert_eq!(free_port([0, 2], 3), Some(1));
        assert_eq!(free_port([5, 0], 3), Some(1));
        assert_eq!(free_port([], 0), None);
    }

    #[test]
    fn a_port_maps_to_network_plus_port() {
        let net = Ipv4Addr::new(10, 8, 0, 1);
        assert_eq!(address(net, 0), Ipv4Addr::new(10, 8, 0, 1));
        assert_eq!(address(net, 255), Ipv4Addr::new(10, 8, 1, 0));
    }
}
