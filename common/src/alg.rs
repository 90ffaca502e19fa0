//! The one algorithm table.
