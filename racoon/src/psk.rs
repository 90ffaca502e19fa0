//! psk.txt: pre-shared keys by peer identity.
