#!/usr/bin/env bash
# tests/wasm/run.sh: the wasm module's node test suite (node --test).
# Assumes ./build.sh has built dist/heaplab.js and build/heaplab.
# HEAPLAB_SHADOW_OPS shortens the differential stress run (default 200000).
set -euo pipefail
cd "$(dirname "$0")/../.."
for f in dist/heaplab.js dist/heaplab.mjs build/heaplab; do
    [ -e "$f" ] || { echo "tests/wasm: $f missing; run ./build.sh first" >&2; exit 1; }
done
# Two files at a time: the shadow stress test is split in two halves.
exec node --test --test-concurrency=2 --test-reporter=spec tests/wasm/
