//! Addresses, prefixes and ports as setkey reads and prints them.
