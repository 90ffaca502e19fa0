//! INVALID-HASH-INFORMATION, as racoon sends it: when a peer's HASH does not verify
//! (phase 1's HASH_I/HASH_R in oakley_validate_auth, quick mode's HASH(1), (2) or (3)),
//! the exchange function fails with that notify type and racoon's
//! isakmp_info_send_n1() sends HDR*, HASH(1), N(ISAKMP, no SPI, INVALID-HASH-
//! INFORMATION) over the phase-1 keys. The negotiation itself is not ended by it: a
//! phase 1 past its first message waits for a retransmission, as the original's
//! ph1_main ignores the error.

use super::Engine;
use crate::isakmp::{NotifyType, ProtocolId};

impl Engine {
    /// Notifies the peer of `ph1s[i]` that its HASH did not verify. `received_iv`
    /// is the last cipher block of the encrypted message that carried the HASH: the
    /// original derives the informational IV from it (oakley_newiv2 on the IV state
    /// the failed decryption left), while the phase 1 keeps its own IV for the peer's
    /// retransmission.
    pub(super) fn send_invalid_hash(&mut self, i: usize, received_iv: Option<Vec<u8>>) {
        let saved = received_iv.map(|iv| std::mem::replace(&mut self.ph1s[i].iv, iv));
        self.send_notify(
            i,
            ProtocolId::Isakmp,
            Vec::new(),
            NotifyType::InvalidHashInformation,
            Vec::new(),
        );
        if let Some(iv) = saved {
            self.ph1s[i].iv = iv;
        }
    }
}
