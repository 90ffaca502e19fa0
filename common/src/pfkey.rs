//! PF_KEY v2 (RFC 2367 + KAME extensions): the sadb_* codec and the AF_KEY backend.
