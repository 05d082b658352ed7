#!/usr/bin/env bash
# tests/c/fuzz/fuzz.sh SECONDS: build the libFuzzer target tests/c/fuzz/fuzz_ops.c with
# clang (-fsanitize=fuzzer,address,undefined: c/Makefile's `fuzz` variant)
# into build/fuzz/tests/c/fuzz/fuzz_ops and
# run it for SECONDS seconds (default 60). The corpus lives in
# build/tests/fuzz-corpus (kept between local runs); a crashing input is
# written to build/tests/fuzz-crash-* and the script exits non-zero.
# ./build.sh fuzz SECONDS calls this; tests/c/run.sh runs it at its end.
set -euo pipefail
cd "$(dirname "$0")/../../.."
. tests/c/lib.sh
secs=${1:-60}
out=build/tests
mkdir -p "$out/fuzz-corpus"
if ! command -v clang >/dev/null; then
    echo "fuzz.sh: clang is missing: apt-get install -y clang libclang-rt-14-dev" >&2
    exit 1
fi
build_targets build/fuzz/tests/c/fuzz/fuzz_ops
fuzz=build/fuzz/tests/c/fuzz/fuzz_ops
echo "fuzz_ops: running for ${secs}s (corpus $out/fuzz-corpus)"
"$fuzz" -max_total_time="$secs" -max_len=4096 -timeout=20 -print_final_stats=1 \
    -artifact_prefix="$out/fuzz-" "$out/fuzz-corpus" 2>"$out/fuzz.log" || {
    tail -n 60 "$out/fuzz.log" >&2
    echo "fuzz_ops: FAILED (input saved as $out/fuzz-crash-*; replay with $fuzz FILE)" >&2
    exit 1
}
grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$out/fuzz.log" || true
echo "fuzz_ops: ok"
