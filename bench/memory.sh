#!/usr/bin/env bash
# Peak memory of checking one large JSON Lines file (issue 6: a 200 MB `.jsonl` must be
# checked in under 100 MB of resident memory, by streaming it line by line).
#
#   bench/memory.sh [SIZE_MB] [BUDGET_MB]     defaults: 200 and 100
#
# Generates bench/out/memory-SIZE_MB.jsonl once (valid Connection lines, one bad line every
# 100,000 so that diagnostics, their source lines and redaction are part of the run), builds
# the release binary and measures it with GNU time (`/usr/bin/time -v`; on Debian/Ubuntu
# `apt-get install time`). Prints the peak RSS and exits 1 when it is over the budget. It
# measures memory, not speed: it is a benchmark script, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb=${1:-200}
budget_mb=${2:-100}
out=bench/out
file=$out/memory-${size_mb}mb.jsonl
mkdir -p "$out"

if [ ! -x /usr/bin/time ]; then
  echo "GNU time is needed at /usr/bin/time (apt-get install time)" >&2
  exit 2
fi

if [ ! -f "$file" ]; then
  echo "generating $file"
  good='{"integration_type":"hubspot","categories":["crm","ticketing"],"permissions":["crm_contact_read","crm_deal_read"],"workspace_id":"ws_0123456789","auth":{"access_token":"at_FAKE0123456789abcdefghijklmnop","expires_in":3600,"name":"Jo Doe"}}'
  bad='{"integration_type":"hubspot","categories":["crn"],"permissions":["crm_contact_read"],"auth":{"access_token":"at_FAKE0123456789abcdefghijklmnop","expires_in":"3600"}}'
  block=$(mktemp)
  trap 'rm -f "$block"' EXIT
  # `yes | head` ends `yes` with SIGPIPE, which pipefail would count as a failure.
  set +o pipefail
  # One block: 99,999 good lines and a bad one; repeated until the size is reached.
  { yes "$good" | head -n 99999; echo "$bad"; } >"$block"
  block_bytes=$(wc -c <"$block")
  target=$((size_mb * 1024 * 1024))
  : >"$file.tmp"
  while [ "$(wc -c <"$file.tmp")" -lt $((target - block_bytes)) ]; do
    cat "$block" >>"$file.tmp"
  done
  remaining=$(( (target - $(wc -c <"$file.tmp")) / (${#good} + 1) ))
  yes "$good" | head -n "$remaining" >>"$file.tmp"
  mv "$file.tmp" "$file"
  set -o pipefail
fi

cargo build --release --quiet
bytes=$(wc -c <"$file")
lines=$(wc -l <"$file")
status=0
/usr/bin/time -v target/release/connlint check --format json --no-progress "$file" \
  >"$out/memory-report.json" 2>"$out/memory-time.txt" || status=$?
# Exit 1 is expected (the file has bad lines); anything else is a failure of the run.
if [ "$status" -gt 1 ]; then
  echo "connlint exited with $status:" >&2
  cat "$out/memory-time.txt" >&2
  exit 2
fi
peak_kb=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$out/memory-time.txt")
wall=$(sed -n 's/.*Elapsed (wall clock) time[^)]*): *//p' "$out/memory-time.txt")
peak_mb=$((peak_kb / 1024))
errors=$(grep -o '"errors":[0-9]*' "$out/memory-report.json" | head -n 1 | cut -d: -f2)
echo "checked $file: $((bytes / 1024 / 1024)) MB, $lines lines, $errors errors, exit $status"
echo "peak RSS: ${peak_mb} MB (budget ${budget_mb} MB), wall clock $wall"
if [ "$peak_mb" -ge "$budget_mb" ]; then
  echo "over budget" >&2
  exit 1
fi
