//! IKEv1 cryptography through OpenSSL: Diffie-Hellman groups, ciphers, hashes, PRFs, SKEYID and KEYMAT derivation.
