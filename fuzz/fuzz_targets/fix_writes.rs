//! `--fix` on arbitrary bytes through the real writer, in a scratch directory. The assertions
//! are in `../src/checks.rs`, shared with `tests/it/regressions.rs`.
#![no_main]

#[path = "../src/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::fix_writes(data);
});
