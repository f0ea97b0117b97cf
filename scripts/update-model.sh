#!/usr/bin/env bash
# Brings connlint up to a new release of the Unified.to Connection model.
#
#   1. Put the new history into src/model/history.json (a new entry at the end of `releases`;
#      for a new field, also its type in `field_types`/`auth_field_types`, and optionally a
#      description in src/model/annotations.json).
#   2. bash scripts/update-model.sh
#
# It regenerates src/model/generated.rs from the data, then the committed schemas from the new
# types (the latest model's and the 2023-11-07 model's), and checks that both are current.
# Review the diff, then update the test snapshots (`cargo insta review`) where the latest
# model's counts or dates appear in messages.
set -euo pipefail
cd "$(dirname "$0")/.."
# Rewrites generated.rs (this build still has the old one compiled in).
CONNLINT_REGENERATE=1 cargo test --quiet --lib model::codegen::tests::generated_code_is_current
# The new types, compiled: the committed schemas are derived from them.
cargo run --quiet -- schema >schemas/connection.schema.json
cargo run --quiet -- schema --model 2023-11-07 >schemas/connection-2023-11-07.schema.json
cargo run --quiet -- schema --check
cargo test --quiet --lib -- model:: schema::
