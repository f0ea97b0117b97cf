//! The JSON Lines reader: arbitrary bytes read in small chunks, whole, and streamed from a
//! file, around a line holding a secret. The assertions are in `../src/checks.rs`, shared
//! with `tests/it/regressions.rs`.
#![no_main]

#[path = "../src/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _outputs = checks::jsonl_reader(data);
});
