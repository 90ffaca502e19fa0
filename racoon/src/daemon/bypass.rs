//! Per-socket IPsec bypass for the IKE sockets, as the original's `setsockopt_bypass`:
//! without it a host-to-host policy such as `spdadd A B any -P out ipsec
//! esp/transport//require;` would capture racoon's own UDP 500 datagrams and wait for
//! the SA they are meant to negotiate.
//!
//! Linux takes a socket policy in XFRM form (IP_XFRM_POLICY, `xfrm_userpolicy_info`,
//! handled by xfrm_user) or in PF_KEY form (IP_IPSEC_POLICY, `sadb_x_policy`, handled by
//! af_key); the XFRM form is tried first, so that a kernel without AF_KEY works too.

use std::io;

const IP_IPSEC_POLICY: i32 = 16;
const IP_XFRM_POLICY: i32 = 17;
const IPV6_IPSEC_POLICY: i32 = 34;
const IPV6_XFRM_POLICY: i32 = 35;

/// `sizeof(struct xfrm_userpolicy_info)`: selector 56, lifetime config 64, current
/// lifetime 32, priority, index, dir, action, flags, share, padded to 8.
const XFRM_USERPOLICY_INFO_LEN: usize = 168;
const XFRM_POLICY_IN: u8 = 0;
const XFRM_POLICY_OUT: u8 = 1;
const XFRM_POLICY_ALLOW: u8 = 0;

const SADB_X_EXT_POLICY: u16 = 18;
const IPSEC_POLICY_BYPASS: u16 = 4;
const IPSEC_DIR_INBOUND: u8 = 1;
const IPSEC_DIR_OUTBOUND: u8 = 2;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dir {
    In,
    Out,
}

/// An allow policy without templates for one direction, for any traffic of `family`.
fn xfrm_bypass(family: i32, dir: Dir) -> Vec<u8> {
    let mut b = vec![0u8; XFRM_USERPOLICY_INFO_LEN];
    b[40..42].copy_from_slice(&(family as u16).to_ne_bytes());
    b[160] = match dir {
        Dir::In => XFRM_POLICY_IN,
        Dir::Out => XFRM_POLICY_OUT,
    };
    b[161] = XFRM_POLICY_ALLOW;
    b
}

/// The same as a `sadb_x_policy` extension of type bypass.
fn pfkey_bypass(dir: Dir) -> Vec<u8> {
    let mut b = Vec::with_capacity(16);
    b.extend_from_slice(&2u16.to_ne_bytes()); // length in 8-byte units
    b.extend_from_slice(&SADB_X_EXT_POLICY.to_ne_bytes());
    b.extend_from_slice(&IPSEC_POLICY_BYPASS.to_ne_bytes());
    b.push(match dir {
        Dir::In => IPSEC_DIR_INBOUND,
        Dir::Out => IPSEC_DIR_OUTBOUND,
    });
    b.push(0);
    b.extend_from_slice(&0u32.to_ne_bytes()); // id
    b.extend_from_slice(&0u32.to_ne_bytes()); // priority
    b
}

fn setsockopt_bytes(fd: i32, level: i32, name: i32, value: &[u8]) -> io::Result<()> {
    // SAFETY: value is valid for its length, which is passed.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            value.as_ptr().cast(),
            value.len() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Exempts the socket `fd` of `family` (AF_INET or AF_INET6) from IPsec policies in
/// both directions.
pub fn bypass_ipsec(fd: i32, family: i32) -> io::Result<()> {
    let (level, xfrm_opt, pfkey_opt) = if family == libc::AF_INET6 {
        (libc::IPPROTO_IPV6, IPV6_XFRM_POLICY, IPV6_IPSEC_POLICY)
    } else {
        (libc::IPPROTO_IP, IP_XFRM_POLICY, IP_IPSEC_POLICY)
    };
    for dir in [Dir::In, Dir::Out] {
        if let Err(xfrm) = setsockopt_bytes(fd, level, xfrm_opt, &xfrm_bypass(family, dir)) {
            setsockopt_bytes(fd, level, pfkey_opt, &pfkey_bypass(dir)).map_err(|_| xfrm)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xfrm_form_has_family_direction_and_allow() {
        let b = xfrm_bypass(libc::AF_INET, Dir::Out);
        assert_eq!(b.len(), 168);
        assert_eq!(u16::from_ne_bytes([b[40], b[41]]), libc::AF_INET as u16);
        assert_eq!((b[160], b[161]), (XFRM_POLICY_OUT, XFRM_POLICY_ALLOW));
        assert!(b[..40].iter().all(|&x| x == 0));
    }

    #[test]
    fn pfkey_form_is_a_two_unit_bypass_extension() {
        let b = pfkey_bypass(Dir::In);
        assert_eq!(b.len(), 16);
        assert_eq!(u16::from_ne_bytes([b[0], b[1]]), 2);
        assert_eq!(u16::from_ne_bytes([b[2], b[3]]), 18);
        assert_eq!(u16::from_ne_bytes([b[4], b[5]]), 4);
        assert_eq!(b[6], 1);
    }
}
