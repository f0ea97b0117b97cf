//! The integration tests: one test binary (`cargo test --test it`), one module per subject,
//! and `support` for what they share (the real binary, its JSON report, fixture paths).
//! One binary links the library once instead of once per file, and lets every module use
//! the same helpers without copies.
//!
//! Run one module with `cargo test --test it cli::`, one test with its name as the filter.

mod support;

mod cli;
mod conformance;
mod corpus;
mod fix;
mod fix_properties;
mod formats;
mod models;
mod promises;
mod properties;
mod regressions;
mod rules;
mod server;
mod streaming;
