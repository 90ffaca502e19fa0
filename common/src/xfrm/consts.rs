//! Numbers from `include/uapi/linux/xfrm.h` and `linux/netlink.h`, spelled once.
//!
//! Only what the codec and the backend use; the header's enums are transcribed with
//! their values so a reader can check them against the header line by line.

// ---- netlink (linux/netlink.h) ----
/// `NETLINK_XFRM`, the protocol number of the XFRM netlink family.
pub const NETLINK_XFRM: i32 = 6;
pub const NLMSG_HDRLEN: usize = 16;
pub const NLMSG_NOOP: u16 = 1;
pub const NLMSG_ERROR: u16 = 2;
pub const NLMSG_DONE: u16 = 3;
pub const NLMSG_OVERRUN: u16 = 4;
pub const NLM_F_REQUEST: u16 = 0x1;
pub const NLM_F_MULTI: u16 = 0x2;
pub const NLM_F_ACK: u16 = 0x4;
pub const NLM_F_DUMP: u16 = 0x300;
/// `NETLINK_CAP_ACK` (socket option): error acks carry only the request's header.
pub const NETLINK_CAP_ACK: i32 = 10;
pub const NETLINK_ADD_MEMBERSHIP: i32 = 1;
pub const SOL_NETLINK: i32 = 270;
pub const NLA_HDRLEN: usize = 4;
/// The top two bits of `nla_type` are flags (nested, network byte order).
pub const NLA_TYPE_MASK: u16 = 0x3fff;

// ---- message types (XFRM_MSG_*) ----
pub const XFRM_MSG_NEWSA: u16 = 16;
pub const XFRM_MSG_DELSA: u16 = 17;
pub const XFRM_MSG_GETSA: u16 = 18;
pub const XFRM_MSG_NEWPOLICY: u16 = 19;
pub const XFRM_MSG_DELPOLICY: u16 = 20;
pub const XFRM_MSG_GETPOLICY: u16 = 21;
pub const XFRM_MSG_ALLOCSPI: u16 = 22;
pub const XFRM_MSG_ACQUIRE: u16 = 23;
pub const XFRM_MSG_EXPIRE: u16 = 24;
pub const XFRM_MSG_UPDPOLICY: u16 = 25;
pub const XFRM_MSG_UPDSA: u16 = 26;
pub const XFRM_MSG_POLEXPIRE: u16 = 27;
pub const XFRM_MSG_FLUSHSA: u16 = 28;
pub const XFRM_MSG_FLUSHPOLICY: u16 = 29;
pub const XFRM_MSG_NEWAE: u16 = 30;
pub const XFRM_MSG_GETAE: u16 = 31;
pub const XFRM_MSG_REPORT: u16 = 32;
pub const XFRM_MSG_MIGRATE: u16 = 33;
pub const XFRM_MSG_MAPPING: u16 = 38;

// ---- attributes (XFRMA_*) ----
pub const XFRMA_ALG_AUTH: u16 = 1;
pub const XFRMA_ALG_CRYPT: u16 = 2;
pub const XFRMA_ALG_COMP: u16 = 3;
pub const XFRMA_ENCAP: u16 = 4;
pub const XFRMA_TMPL: u16 = 5;
pub const XFRMA_SA: u16 = 6;
pub const XFRMA_POLICY: u16 = 7;
pub const XFRMA_SEC_CTX: u16 = 8;
pub const XFRMA_LTIME_VAL: u16 = 9;
pub const XFRMA_REPLAY_VAL: u16 = 10;
pub const XFRMA_REPLAY_THRESH: u16 = 11;
pub const XFRMA_ETIMER_THRESH: u16 = 12;
pub const XFRMA_SRCADDR: u16 = 13;
pub const XFRMA_COADDR: u16 = 14;
pub const XFRMA_LASTUSED: u16 = 15;
pub const XFRMA_POLICY_TYPE: u16 = 16;
pub const XFRMA_ALG_AEAD: u16 = 18;
pub const XFRMA_ALG_AUTH_TRUNC: u16 = 20;
pub const XFRMA_MARK: u16 = 21;
pub const XFRMA_TFCPAD: u16 = 22;
pub const XFRMA_REPLAY_ESN_VAL: u16 = 23;
pub const XFRMA_SA_EXTRA_FLAGS: u16 = 24;
pub const XFRMA_PROTO: u16 = 25;
pub const XFRMA_PAD: u16 = 27;
pub const XFRMA_OFFLOAD_DEV: u16 = 28;
pub const XFRMA_SET_MARK: u16 = 29;
pub const XFRMA_SET_MARK_MASK: u16 = 30;
pub const XFRMA_IF_ID: u16 = 31;

// ---- multicast groups (XFRMNLGRP_*) ----
pub const XFRMNLGRP_ACQUIRE: u32 = 1;
pub const XFRMNLGRP_EXPIRE: u32 = 2;
pub const XFRMNLGRP_SA: u32 = 3;
pub const XFRMNLGRP_POLICY: u32 = 4;

// ---- values ----
/// "No limit" in `xfrm_lifetime_cfg`; PF_KEY says 0 for the same thing.
pub const XFRM_INF: u64 = u64::MAX;
pub const XFRM_MODE_TRANSPORT: u8 = 0;
pub const XFRM_MODE_TUNNEL: u8 = 1;
pub const XFRM_POLICY_IN: u8 = 0;
pub const XFRM_POLICY_OUT: u8 = 1;
pub const XFRM_POLICY_FWD: u8 = 2;
/// Directions at or above this are per-socket policies (set with setsockopt).
pub const XFRM_POLICY_MAX: u8 = 3;
pub const XFRM_POLICY_ALLOW: u8 = 0;
pub const XFRM_POLICY_BLOCK: u8 = 1;
pub const XFRM_STATE_NOECN: u8 = 1;
pub const XFRM_STATE_DECAP_DSCP: u8 = 2;
pub const XFRM_STATE_NOPMTUDISC: u8 = 4;
/// `IPSEC_PROTO_ANY` (linux/ipsec.h): AH, ESP and IPComp, what a flush of "all" means.
pub const IPSEC_PROTO_ANY: u8 = 255;
pub const AF_INET: u16 = 2;
pub const AF_INET6: u16 = 10;
