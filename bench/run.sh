#!/usr/bin/env bash
# Whole-process benchmark of connlint against other JSON Schema command-line validators, on
# the same generated corpora and the same schema (schemas/connection.schema.json).
#
#   bench/run.sh           default corpora, a few minutes
#   bench/run.sh --full    adds 100,000 files and 100 MB / 1 GB JSON Lines (slow; ~3 GB disk)
#
# Prints a markdown table of medians (hyperfine), ratios and peak RSS (/usr/bin/time -v).
# Raw results go to bench/out/results/. Peers that are not installed are skipped:
#
#   hyperfine, time    apt-get install -y hyperfine time           (required)
#   jsonschema-cli     cargo install jsonschema-cli                (the `jsonschema` crate's CLI)
#   check-jsonschema   pip install check-jsonschema
#   ajv-cli            npm install -g ajv-cli ajv-formats
#   Sourcemeta         npm install -g @sourcemeta/jsonschema       (its binary is `jsonschema`;
#                      set SOURCEMETA=/path/to/it if another `jsonschema` comes first in PATH)
#
# connlint validates against its built-in schema, which a test keeps identical to
# schemas/connection.schema.json, and also runs its lint rules and locates every error.
set -euo pipefail

FULL=0
for arg in "$@"; do
    case "$arg" in
        --full) FULL=1 ;;
        -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/bench/out"
RESULTS="$OUT/results"
SCHEMA="$ROOT/schemas/connection.schema.json"
mkdir -p "$OUT" "$RESULTS"
rm -f "$RESULTS"/*.json "$RESULTS"/*.rss

for tool in hyperfine /usr/bin/time python3 cargo; do
    command -v "$tool" >/dev/null || { echo "missing $tool (see the header of $0)" >&2; exit 2; }
done

echo "building connlint (release)…" >&2
cd "$ROOT"
cargo build --release --quiet
CONNLINT="${CARGO_TARGET_DIR:-target}/release/connlint"
[[ "$CONNLINT" == /* ]] || CONNLINT="$ROOT/$CONNLINT"

# --- peers ---------------------------------------------------------------------------------
have() { command -v "$1" >/dev/null 2>&1; }
JSONSCHEMA_CLI=$(command -v jsonschema-cli || true)
CHECK_JSONSCHEMA=$(command -v check-jsonschema || true)
AJV=$(command -v ajv || true)
# Sourcemeta's binary is called `jsonschema`, like the Python package's deprecated CLI.
SOURCEMETA=${SOURCEMETA:-}
if [[ -z "$SOURCEMETA" ]] && have npm; then
    SOURCEMETA="$(npm prefix -g 2>/dev/null)/bin/jsonschema"
fi
if [[ -n "$SOURCEMETA" ]] && ! "$SOURCEMETA" help 2>/dev/null | grep -q "JSON Schema CLI"; then
    SOURCEMETA=""
fi
for name in JSONSCHEMA_CLI CHECK_JSONSCHEMA AJV SOURCEMETA; do
    [[ -n "${!name}" ]] || echo "note: ${name,,} not installed, skipped (see the header of $0)" >&2
done
if [[ -n "$AJV" ]] && ! (cd "$(npm root -g)" && [[ -d ajv-formats ]]); then
    echo "note: ajv-formats not installed; ajv skipped (npm install -g ajv-formats)" >&2
    AJV=""
fi

# --- corpora -------------------------------------------------------------------------------
gen() { python3 "$ROOT/bench/gen.py" "$@"; }
files_corpus() { # NAME COUNT INVALID_FRACTION SEED
    local dir="$OUT/$1"
    if [[ ! -f "$dir.done" ]]; then
        echo "generating $1…" >&2
        rm -rf "$dir"
        gen files "$dir" "$2" --invalid "$3" --seed "$4"
        touch "$dir.done"
    fi
    # The file list, for tools that take each file as an argument (fed through xargs).
    (cd "$OUT" && find "$1" -name '*.json' | sort) >"$dir.list"
}
files_corpus valid-1k 1000 0 11
files_corpus valid-10k 10000 0 1
files_corpus mixed-10k 10000 0.75 2
[[ $FULL == 1 ]] && files_corpus valid-100k 100000 0 3

# 200,000 connections, one in a thousand invalid (so diagnostics carry real line numbers);
# the other JSON Lines sizes are cut from it or repeat it, which is much faster than
# generating them.
JSONL="$OUT/conn-200k.jsonl"
if [[ ! -f "$JSONL.done" ]]; then
    echo "generating conn-200k.jsonl…" >&2
    gen jsonl "$JSONL" --lines 200000 --invalid 0.001 --seed 4
    touch "$JSONL.done"
fi
cut_jsonl() { # NAME BYTES: whole lines from the start of the 200k file
    [[ -f "$OUT/$1" ]] || python3 - "$JSONL" "$OUT/$1" "$2" <<'EOF'
import sys
src, dst, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, "rb") as f, open(dst, "wb") as out:
    written = 0
    for line in f:
        if written >= limit:
            break
        out.write(line)
        written += len(line)
EOF
}
cut_jsonl conn-10mb.jsonl 10000000

# The same size with many diagnostics: 200,000 valid connections, 37% of them with one
# `lint::timestamp-order` warning (updated before created), as a real export checked against
# a model it does not quite match. With --full, 1 GB with a warning on every line.
WARN="$OUT/conn-warn-200k.jsonl"
if [[ ! -f "$WARN.done" ]]; then
    echo "generating conn-warn-200k.jsonl…" >&2
    gen jsonl "$WARN" --lines 200000 --warn 0.37 --seed 5
    touch "$WARN.done"
fi
if [[ $FULL == 1 && ! -f "$OUT/conn-warn-1gb.jsonl.done" ]]; then
    echo "generating conn-warn-1gb.jsonl…" >&2
    gen jsonl "$OUT/conn-warn-all.jsonl" --lines 200000 --warn 1 --seed 6
    for _ in 1 2 3 4 5 6 7 8 9; do cat "$OUT/conn-warn-all.jsonl"; done >"$OUT/conn-warn-1gb.jsonl"
    rm -f "$OUT/conn-warn-all.jsonl"
    touch "$OUT/conn-warn-1gb.jsonl.done"
fi
if [[ $FULL == 1 ]]; then
    cut_jsonl conn-100mb.jsonl 100000000
    if [[ ! -f "$OUT/conn-1gb.jsonl" ]]; then
        for _ in 1 2 3 4 5 6 7 8 9; do cat "$JSONL"; done >"$OUT/conn-1gb.jsonl"
    fi
fi

# --- measuring -----------------------------------------------------------------------------
cd "$OUT"
# bench NAME SCENARIO TOOL RUNS COMMAND...: hyperfine median, then one more run for peak RSS.
bench() {
    local scenario=$1 tool=$2 runs=$3
    shift 3
    # A tenth of the runs (at least 2) first, unmeasured: caches, and the CPU's clock, settle.
    local warmup=$(((runs + 9) / 10))
    ((warmup < 2)) && warmup=2
    ((runs <= 3)) && warmup=0
    echo "  $scenario / $tool" >&2
    # -N: no shell in between (commands are plain argv); -i: invalid inputs exit non-zero.
    hyperfine -N -i --style none --warmup "$warmup" --runs "$runs" \
        --export-json "$RESULTS/$scenario--$tool.json" "$(printf '%q ' "$@")" >/dev/null 2>&1 \
        || { echo "    failed: $*" >&2; return 0; }
    /usr/bin/time -v "$@" >/dev/null 2>"$RESULTS/$scenario--$tool.rss" || true
}
# side_by_side SCENARIO RUNS: connlint (the array OURS) and jsonschema-cli (PEER), the pair the
# goals are ratios of, measured in alternating batches of a fifth of the runs each, so that a
# shared machine whose speed drifts during the run slows both alike; then peak RSS of each.
side_by_side() {
    local scenario=$1 runs=$2 rounds=5
    local per=$(((runs + rounds - 1) / rounds)) round tool
    echo "  $scenario / connlint and jsonschema-cli, side by side" >&2
    rm -f "$RESULTS/$scenario--"*.part*
    for ((round = 0; round < rounds; round++)); do
        local order=(connlint jsonschema-cli)
        ((round % 2)) && order=(jsonschema-cli connlint)
        for tool in "${order[@]}"; do
            local -a cmd=("${OURS[@]}")
            [[ $tool == jsonschema-cli ]] && cmd=("${PEER[@]}")
            hyperfine -N -i --style none --warmup 2 --runs "$per" \
                --export-json "$RESULTS/$scenario--$tool.part$round" "$(printf '%q ' "${cmd[@]}")" \
                >/dev/null 2>&1 || {
                echo "    failed: ${cmd[*]}" >&2
                rm -f "$RESULTS/$scenario--"*.part*
                return 0
            }
        done
    done
    for tool in connlint jsonschema-cli; do
        # The batches' times, as one hyperfine result.
        python3 - "$RESULTS/$scenario--$tool" <<'MERGE'
import glob, json, sys
base = sys.argv[1]
parts = sorted(glob.glob(base + ".part*"))
runs = [json.load(open(p))["results"][0] for p in parts]
merged = {"command": runs[0]["command"],
          "times": [t for run in runs for t in run["times"]],
          "exit_codes": [c for run in runs for c in run.get("exit_codes", [])]}
json.dump({"results": [merged]}, open(base + ".json", "w"))
MERGE
        rm -f "$RESULTS/$scenario--$tool".part*
    done
    /usr/bin/time -v "${OURS[@]}" >/dev/null 2>"$RESULTS/$scenario--connlint.rss" || true
    /usr/bin/time -v "${PEER[@]}" >/dev/null 2>"$RESULTS/$scenario--jsonschema-cli.rss" || true
}
# rounds SCENARIO RUNS VARIANT...: each VARIANT is `name:arg arg …` (connlint's arguments, no
# spaces inside one); all are measured in alternating batches of a fifth of the runs, like
# side_by_side, so that their ratios come from one stretch of the machine's time. Then peak
# RSS of each.
rounds() {
    local scenario=$1 runs=$2 rounds=5
    shift 2
    local per=$(((runs + rounds - 1) / rounds)) round variant name
    echo "  $scenario / ${*%%:*}" >&2
    rm -f "$RESULTS/$scenario--"*.part*
    for ((round = 0; round < rounds; round++)); do
        for variant in "$@"; do
            name=${variant%%:*}
            read -r -a args <<<"${variant#*:}"
            hyperfine -N -i --style none --warmup 1 --runs "$per" \
                --export-json "$RESULTS/$scenario--$name.part$round" \
                "$(printf '%q ' "$CONNLINT" "${args[@]}")" >/dev/null 2>&1 \
                || { echo "    failed: ${args[*]}" >&2; return 0; }
        done
    done
    for variant in "$@"; do
        name=${variant%%:*}
        read -r -a args <<<"${variant#*:}"
        python3 - "$RESULTS/$scenario--$name" <<'MERGE'
import glob, json, sys
base = sys.argv[1]
runs = [json.load(open(p))["results"][0] for p in sorted(glob.glob(base + ".part*"))]
merged = {"command": runs[0]["command"], "times": [t for run in runs for t in run["times"]]}
json.dump({"results": [merged]}, open(base + ".json", "w"))
MERGE
        rm -f "$RESULTS/$scenario--$name".part*
        /usr/bin/time -v "$CONNLINT" "${args[@]}" >/dev/null 2>"$RESULTS/$scenario--$name.rss" || true
    done
}

# scenario_warn SCENARIO FILE RUNS: the run with no diagnostics (the rule turned off) against
# every format, errors only (-q) and --statistics, on a JSON Lines file whose lines carry
# warnings.
scenario_warn() {
    local f=$2
    local variants=("none:check --no-progress --rule lint::timestamp-order=off $f")
    for format in concise json github sarif junit gitlab human; do
        variants+=("$format:check --no-progress --format $format $f")
    done
    variants+=("quiet:check --no-progress -q $f")
    variants+=("statistics:check --no-progress --statistics --format concise $f")
    rounds "$1" "$3" "${variants[@]}"
}

# xargs with the largest argument list the system allows: as few invocations as possible.
XARGS=(xargs -s "$(($(getconf ARG_MAX) - 262144))")

scenario_one_file() {
    local f=valid-10k/conn-0000.json
    OURS=("$CONNLINT" check "$f")
    PEER=("$JSONSCHEMA_CLI" validate --assert-format "$SCHEMA" -i "$f")
    if [[ -n "$JSONSCHEMA_CLI" ]]; then side_by_side one-file 100; else bench one-file connlint 100 "${OURS[@]}"; fi
    [[ -n "$CHECK_JSONSCHEMA" ]] && bench one-file check-jsonschema 5 "$CHECK_JSONSCHEMA" --schemafile "$SCHEMA" "$f"
    [[ -n "$AJV" ]] && bench one-file ajv-cli 10 "$AJV" validate --spec=draft7 -c ajv-formats -s "$SCHEMA" -d "$f"
    [[ -n "$SOURCEMETA" ]] && bench one-file sourcemeta 20 "$SOURCEMETA" validate "$SCHEMA" "$f" --format-assertion
    return 0
}

scenario_files() { # SCENARIO DIR CONNLINT_ARGS...
    local scenario=$1 dir=$2
    shift 2
    OURS=("$CONNLINT" check "$@" "$dir")
    PEER=("${XARGS[@]}" -a "$dir.list" "$JSONSCHEMA_CLI" validate --assert-format "$SCHEMA" -i)
    if [[ -n "$JSONSCHEMA_CLI" ]]; then side_by_side "$scenario" 30; else bench "$scenario" connlint 30 "${OURS[@]}"; fi
    [[ -n "$CHECK_JSONSCHEMA" ]] && bench "$scenario" check-jsonschema 3 "${XARGS[@]}" -a "$dir.list" "$CHECK_JSONSCHEMA" --schemafile "$SCHEMA"
    [[ -n "$AJV" ]] && bench "$scenario" ajv-cli 3 "$AJV" validate --spec=draft7 -c ajv-formats -s "$SCHEMA" -d "$dir/*.json"
    [[ -n "$SOURCEMETA" ]] && bench "$scenario" sourcemeta 5 "$SOURCEMETA" validate "$SCHEMA" "$dir" --format-assertion
    return 0
}

scenario_jsonl() { # SCENARIO FILE RUNS
    bench "$1" connlint "$3" "$CONNLINT" check "$2"
    # Of the peers, only Sourcemeta reads JSON Lines.
    [[ -n "$SOURCEMETA" ]] && bench "$1" sourcemeta 3 "$SOURCEMETA" validate "$SCHEMA" "$2" --format-assertion
    return 0
}

echo "measuring…" >&2
scenario_one_file
scenario_files valid-10k valid-10k
scenario_files mixed-10k mixed-10k --format json
scenario_jsonl jsonl-110mb conn-200k.jsonl 10
scenario_warn warn-110mb conn-warn-200k.jsonl 10
if [[ $FULL == 1 ]]; then scenario_warn warn-1gb conn-warn-1gb.jsonl 3; fi
# Linearity: connlint alone, growing inputs.
bench lin-files-1k connlint 10 "$CONNLINT" check valid-1k
bench lin-files-10k connlint 10 "$CONNLINT" check valid-10k
bench lin-jsonl-10mb connlint 10 "$CONNLINT" check conn-10mb.jsonl
bench lin-jsonl-110mb connlint 10 "$CONNLINT" check conn-200k.jsonl
if [[ $FULL == 1 ]]; then
    bench lin-files-100k connlint 5 "$CONNLINT" check valid-100k
    bench lin-jsonl-100mb connlint 5 "$CONNLINT" check conn-100mb.jsonl
    bench lin-jsonl-1gb connlint 3 "$CONNLINT" check conn-1gb.jsonl
fi

# --- the table -----------------------------------------------------------------------------
python3 - "$RESULTS" <<'EOF'
import glob, json, os, re, statistics, sys

results = sys.argv[1]
rows = {}
for path in sorted(glob.glob(os.path.join(results, "*.json"))):
    scenario, tool = os.path.basename(path)[:-5].split("--")
    with open(path) as f:
        times = json.load(f)["results"][0]["times"]
    rss = None
    try:
        with open(path[:-5] + ".rss") as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
            rss = int(m.group(1)) / 1024 if m else None
    except OSError:
        pass
    rows.setdefault(scenario, {})[tool] = (statistics.median(times), rss)

def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"

order = ["connlint", "jsonschema-cli", "check-jsonschema", "ajv-cli", "sourcemeta"]
# Runs with many diagnostics, against the same file with the rule off: a table of their own.
warn = {s: rows.pop(s) for s in list(rows) if s.startswith("warn-")}
print("| scenario | tool | median | × jsonschema-cli | connlint is … faster | peak RSS |")
print("|---|---|---:|---:|---:|---:|")
scenarios = ["one-file", "valid-10k", "mixed-10k", "jsonl-110mb", "lin-files-1k", "lin-files-10k",
             "lin-files-100k", "lin-jsonl-10mb", "lin-jsonl-100mb", "lin-jsonl-110mb", "lin-jsonl-1gb"]
for scenario in sorted(rows, key=lambda s: scenarios.index(s) if s in scenarios else 99):
    tools = rows[scenario]
    base = tools.get("jsonschema-cli", (None,))[0]
    ours = tools.get("connlint", (None,))[0]
    for tool in sorted(tools, key=lambda t: order.index(t) if t in order else 99):
        median, rss = tools[tool]
        ratio = f"{median / base:.2f}×" if base else "–"
        faster = f"{median / ours:.1f}×" if ours and tool != "connlint" else ""
        mem = f"{rss:.1f} MiB" if rss is not None else "–"
        print(f"| {scenario} | {tool} | {fmt_time(median)} | {ratio} | {faster} | {mem} |")
formats = ["none", "concise", "json", "github", "sarif", "junit", "gitlab", "human", "quiet",
           "statistics"]
if warn:
    print()
    print("| scenario | run | median | × no diagnostics | peak RSS |")
    print("|---|---|---:|---:|---:|")
for scenario in sorted(warn):
    tools = warn[scenario]
    base = tools.get("none", (None,))[0]
    for tool in sorted(tools, key=lambda t: formats.index(t) if t in formats else 99):
        median, rss = tools[tool]
        ratio = f"{median / base:.2f}×" if base else "–"
        mem = f"{rss:.1f} MiB" if rss is not None else "–"
        print(f"| {scenario} | {tool} | {fmt_time(median)} | {ratio} | {mem} |")
EOF
