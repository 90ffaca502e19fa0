//! ISAKMP codec: any input decodes to a message or a typed error without panicking; a
//! decoded message re-encodes, and the encoding decodes to the same message (reserved
//! fields are the only bytes that may differ). The same input is also walked as a
//! decrypted body (first byte = first payload type, padding allowed), run through the
//! typed attribute views, and decrypted with a fixed 3DES key.

#![no_main]

use libfuzzer_sys::fuzz_target;
use racoon::crypto::Cipher;
use racoon::isakmp::{
    decode_payloads, decrypt_message, IpsecAttribute, Message, Payload, PayloadType,
    Phase1Attribute, ProtocolId, RawPayloads, Trailing,
};
use std::sync::OnceLock;

fn cipher() -> &'static Cipher {
    static C: OnceLock<Cipher> = OnceLock::new();
    C.get_or_init(|| {
        let des3 = common::alg::find_phase1(common::alg::Class::Encrypt, "3des").unwrap();
        Cipher::new(des3, &[0x5a; 24]).unwrap()
    })
}

fn check_typed(payloads: &[Payload]) {
    for p in payloads {
        let Payload::Sa(sa) = p else { continue };
        for prop in &sa.proposals {
            for t in &prop.transforms {
                if prop.protocol == ProtocolId::Isakmp {
                    if let Ok(typed) = Phase1Attribute::from_attributes(&t.attributes) {
                        let back = Phase1Attribute::to_attributes(&typed).unwrap();
                        assert_eq!(Phase1Attribute::from_attributes(&back).unwrap(), typed);
                    }
                } else if let Ok(typed) = IpsecAttribute::from_attributes(&t.attributes) {
                    let back = IpsecAttribute::to_attributes(&typed).unwrap();
                    assert_eq!(IpsecAttribute::from_attributes(&back).unwrap(), typed);
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Message::decode(data) {
        let bytes = m.encode().expect("a decoded message re-encodes");
        assert_eq!(bytes.len(), data.len());
        let again = Message::decode(&bytes).expect("a re-encoded message decodes");
        assert_eq!(again, m);
        check_typed(&m.payloads);
    }
    if let Some((&first, body)) = data.split_first() {
        let first = PayloadType::from(first);
        if let Ok(payloads) = decode_payloads(first, body, 0, Trailing::Padding) {
            check_typed(&payloads);
        }
        for raw in RawPayloads::new(first, body, 0) {
            let Ok(raw) = raw else { break };
            let _ = raw.decode();
        }
    }
    let _ = decrypt_message(data, cipher(), &[0; 8]);
});
