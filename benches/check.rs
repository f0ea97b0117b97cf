//! The library's hot path, to catch regressions: checking one document (valid and invalid),
//! a JSON Lines batch, and compiling the built-in schema (what every run pays at start-up).
//!
//! `cargo bench --bench check`. Whole-process comparisons with other validators live in
//! `bench/run.sh`; nothing here is a test, and no test depends on timing.

use std::hint::black_box;

use connlint::check::Checker;
use connlint::input::DEFAULT_MAX_FILE_SIZE;
use connlint::rules::RuleSet;
use connlint::schema::CompiledSchema;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const VALID: &str = include_str!("../fixtures/valid/full.json");
const INVALID: &str = include_str!("../fixtures/invalid/several-defects.json");
const LINES: &str = include_str!("../fixtures/valid/connections.jsonl");

fn checker() -> Checker {
    let schema = CompiledSchema::builtin().expect("the built-in schema compiles");
    Checker::new(schema, RuleSet::default(), DEFAULT_MAX_FILE_SIZE)
}

fn check_bytes(c: &mut Criterion) {
    let checker = checker();
    let mut group = c.benchmark_group("check_bytes");
    for (name, text) in [("valid", VALID), ("invalid", INVALID)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| checker.check_bytes("bench.json", black_box(text.as_bytes()), false))
        });
    }
    // About 1,000 valid lines: the streaming path, batch splitting included.
    let jsonl = LINES.repeat(1000 / LINES.lines().count().max(1));
    group.throughput(Throughput::Bytes(jsonl.len() as u64));
    group.bench_function("jsonl_1000_lines", |b| {
        b.iter(|| checker.check_bytes("bench.jsonl", black_box(jsonl.as_bytes()), true))
    });
    group.finish();
}

fn compile_schema(c: &mut Criterion) {
    c.bench_function("compile_builtin_schema", |b| {
        b.iter(|| CompiledSchema::builtin().map(black_box).is_ok())
    });
}

criterion_group!(benches, check_bytes, compile_schema);
criterion_main!(benches);
