//! The whole pipeline on arbitrary bytes, in JSON and JSON Lines mode, rendered in every
//! format. The assertions are in `../src/checks.rs`, shared with `tests/it/regressions.rs`.
#![no_main]

#[path = "../src/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::check_bytes(data);
});
