//! Version strings printed by `-V`.
