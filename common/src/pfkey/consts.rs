//! The numbers of PF_KEY v2 as Linux defines them (`include/uapi/linux/pfkeyv2.h`,
//! `include/uapi/linux/ipsec.h`). Algorithm ids are not here: they live in
//! [`crate::alg`], the one table.

/// `PF_KEY_V2`: the protocol argument of `socket(PF_KEY, SOCK_RAW, PF_KEY_V2)` and the
/// `sadb_msg_version` of every message.
pub const PF_KEY_V2: u8 = 2;

/// Message types (`sadb_msg_type`).
pub mod msg {
    pub const GETSPI: u8 = 1;
    pub const UPDATE: u8 = 2;
    pub const ADD: u8 = 3;
    pub const DELETE: u8 = 4;
    pub const GET: u8 = 5;
    pub const ACQUIRE: u8 = 6;
    pub const REGISTER: u8 = 7;
    pub const EXPIRE: u8 = 8;
    pub const FLUSH: u8 = 9;
    pub const DUMP: u8 = 10;
    pub const X_PROMISC: u8 = 11;
    pub const X_PCHANGE: u8 = 12;
    pub const X_SPDUPDATE: u8 = 13;
    pub const X_SPDADD: u8 = 14;
    pub const X_SPDDELETE: u8 = 15;
    pub const X_SPDGET: u8 = 16;
    pub const X_SPDACQUIRE: u8 = 17;
    pub const X_SPDDUMP: u8 = 18;
    pub const X_SPDFLUSH: u8 = 19;
    pub const X_SPDSETIDX: u8 = 20;
    pub const X_SPDEXPIRE: u8 = 21;
    pub const X_SPDDELETE2: u8 = 22;
    pub const X_NAT_T_NEW_MAPPING: u8 = 23;
    pub const X_MIGRATE: u8 = 24;
    /// `SADB_MAX`: the kernel refuses larger types.
    pub const MAX: u8 = 24;

    /// The KAME name of a message type, as `setkey -x` prints it (`SADB_ADD`).
    pub fn name(msg_type: u8) -> &'static str {
        const NAMES: [&str; 25] = [
            "SADB_RESERVED",
            "SADB_GETSPI",
            "SADB_UPDATE",
            "SADB_ADD",
            "SADB_DELETE",
            "SADB_GET",
            "SADB_ACQUIRE",
            "SADB_REGISTER",
            "SADB_EXPIRE",
            "SADB_FLUSH",
            "SADB_DUMP",
            "SADB_X_PROMISC",
            "SADB_X_PCHANGE",
            "SADB_X_SPDUPDATE",
            "SADB_X_SPDADD",
            "SADB_X_SPDDELETE",
            "SADB_X_SPDGET",
            "SADB_X_SPDACQUIRE",
            "SADB_X_SPDDUMP",
            "SADB_X_SPDFLUSH",
            "SADB_X_SPDSETIDX",
            "SADB_X_SPDEXPIRE",
            "SADB_X_SPDDELETE2",
            "SADB_X_NAT_T_NEW_MAPPING",
            "SADB_X_MIGRATE",
        ];
        NAMES
            .get(usize::from(msg_type))
            .copied()
            .unwrap_or("SADB_?")
    }
}

/// Extension types (`sadb_ext_type`).
pub mod ext {
    pub const SA: u16 = 1;
    pub const LIFETIME_CURRENT: u16 = 2;
    pub const LIFETIME_HARD: u16 = 3;
    pub const LIFETIME_SOFT: u16 = 4;
    pub const ADDRESS_SRC: u16 = 5;
    pub const ADDRESS_DST: u16 = 6;
    pub const ADDRESS_PROXY: u16 = 7;
    pub const KEY_AUTH: u16 = 8;
    pub const KEY_ENCRYPT: u16 = 9;
    pub const IDENTITY_SRC: u16 = 10;
    pub const IDENTITY_DST: u16 = 11;
    pub const SENSITIVITY: u16 = 12;
    pub const PROPOSAL: u16 = 13;
    pub const SUPPORTED_AUTH: u16 = 14;
    pub const SUPPORTED_ENCRYPT: u16 = 15;
    pub const SPIRANGE: u16 = 16;
    pub const X_KMPRIVATE: u16 = 17;
    pub const X_POLICY: u16 = 18;
    pub const X_SA2: u16 = 19;
    pub const X_NAT_T_TYPE: u16 = 20;
    pub const X_NAT_T_SPORT: u16 = 21;
    pub const X_NAT_T_DPORT: u16 = 22;
    pub const X_NAT_T_OA: u16 = 23;
    pub const X_SEC_CTX: u16 = 24;
    pub const X_KMADDRESS: u16 = 25;
    pub const X_FILTER: u16 = 26;
    /// `SADB_EXT_MAX`: larger types are skipped by the kernel, and kept as unknown here.
    pub const MAX: u16 = 26;

    /// The smallest length in bytes the kernel accepts for each known type
    /// (`sadb_ext_min_len[]` in `net/key/af_key.c`).
    pub fn min_len(ext_type: u16) -> usize {
        match ext_type {
            SA | SPIRANGE | IDENTITY_SRC | IDENTITY_DST | SENSITIVITY | X_SA2 => 16,
            LIFETIME_CURRENT | LIFETIME_HARD | LIFETIME_SOFT => 32,
            X_POLICY => 16,
            X_FILTER => 40,
            _ => 8,
        }
    }
}

/// SA types (`sadb_msg_satype`).
pub mod satype {
    pub const UNSPEC: u8 = 0;
    pub const AH: u8 = 2;
    pub const ESP: u8 = 3;
    pub const IPCOMP: u8 = 9;
}

/// SA states (`sadb_sa_state`).
pub mod sastate {
    pub const LARVAL: u8 = 0;
    pub const MATURE: u8 = 1;
    pub const DYING: u8 = 2;
    pub const DEAD: u8 = 3;
}

/// IPsec modes (`sadb_x_sa2_mode`, `sadb_x_ipsecrequest_mode`).
pub mod mode {
    pub const ANY: u8 = 0;
    pub const TRANSPORT: u8 = 1;
    pub const TUNNEL: u8 = 2;
    /// Linux's bound end-to-end tunnel; the model has no such mode.
    pub const BEET: u8 = 3;
}

/// Policy directions (`sadb_x_policy_dir`). Linux reports per-socket policies as
/// `3 + dir` in dumps (its index space puts them past `XFRM_POLICY_MAX`).
pub mod dir {
    pub const ANY: u8 = 0;
    pub const INBOUND: u8 = 1;
    pub const OUTBOUND: u8 = 2;
    pub const FWD: u8 = 3;
    pub const MAX: u8 = 4;
}

/// Policy types (`sadb_x_policy_type`).
pub mod policy {
    pub const DISCARD: u16 = 0;
    pub const NONE: u16 = 1;
    pub const IPSEC: u16 = 2;
    pub const ENTRUST: u16 = 3;
    pub const BYPASS: u16 = 4;
}

/// Request levels (`sadb_x_ipsecrequest_level`).
pub mod level {
    pub const DEFAULT: u8 = 0;
    pub const USE: u8 = 1;
    pub const REQUIRE: u8 = 2;
    pub const UNIQUE: u8 = 3;
}

/// `IPSEC_ULPROTO_ANY`: "any upper-layer protocol" in `sadb_address_proto`.
pub const ULPROTO_ANY: u8 = 255;

/// Address families as they appear in the sockaddrs (host byte order).
pub const AF_INET: u16 = 2;
pub const AF_INET6: u16 = 10;
