#!/usr/bin/env bash
# Runs each fuzz target for a bounded time, one after the other (a target is one libFuzzer
# process, so the run never takes more than one core).
#
#   fuzz/run.sh [SECONDS] [TARGET...]    default: 600 seconds each, every target
#
# cargo-fuzz passes nightly-only flags to rustc. With a nightly toolchain installed it is
# used; otherwise RUSTC_BOOTSTRAP=1 lets the stable compiler accept them. The sanitizer is
# off by default (connlint is safe Rust, and AddressSanitizer halves the executions per
# second); set FUZZ_SANITIZER=address to turn it on. Debug assertions and overflow checks
# stay on. Crashes land in fuzz/artifacts/TARGET/; keep each one as a regression test in
# tests/regressions/ (see tests/it/regressions.rs).
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(check_bytes span_locator jsonl_reader fix_writes)
fi

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  cargo=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  cargo=(cargo fuzz)
fi
sanitizer=${FUZZ_SANITIZER:-none}

for target in "${targets[@]}"; do
  corpus=corpus/$target
  mkdir -p "$corpus"
  # Seed an empty corpus with the fixtures and the regression inputs. check_bytes and
  # fix_writes read their first byte as the mode (bit 0: JSON Lines), jsonl_reader its
  # first three as the read size, line limit and split point, hence the prefixes.
  if [ -z "$(ls -A "$corpus")" ]; then
    for seed in ../fixtures/*/* ../tests/regressions/"$target"/*; do
      [ -f "$seed" ] || continue
      name=$(basename "$seed")
      if [ "$target" = jsonl_reader ]; then
        case "$seed" in
          */regressions/*) prefix='' ;;
          *) prefix='\007\377\200' ;;
        esac
        { printf "$prefix"; cat "$seed"; } >"$corpus/seed-$name"
      elif [ "$target" = check_bytes ] || [ "$target" = fix_writes ]; then
        case "$seed" in
          *.jsonl | *.ndjson) mode='\001' ;;
          */regressions/*) mode='' ;; # already a whole fuzz input
          *) mode='\000' ;;
        esac
        { printf "$mode"; cat "$seed"; } >"$corpus/seed-$name"
      else
        cp "$seed" "$corpus/seed-$name"
      fi
    done
  fi
  echo "== $target for ${seconds}s"
  "${cargo[@]}" run --sanitizer "$sanitizer" "$target" "$corpus" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1
done
