//! The span index, pointer lookup, line/column positions, secret spans and the redacted
//! view on arbitrary text. The assertions are in `../src/checks.rs`, shared with
//! `tests/it/regressions.rs`.
#![no_main]

#[path = "../src/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::span_locator(data);
});
