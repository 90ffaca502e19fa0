//! Shared library for `setkey`, `racoon` and `racoonctl`.
