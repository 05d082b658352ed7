#!/usr/bin/env bash
# tests/c/fuzz.sh SECONDS: build the libFuzzer target tests/c/fuzz_ops.c with
# clang (-fsanitize=fuzzer,address,undefined) into build/tests/fuzz_ops and
# run it for SECONDS seconds (default 60). The corpus lives in
# build/tests/fuzz-corpus (kept between local runs); a crashing input is
# written to build/tests/fuzz-crash-* and the script exits non-zero.
# ./build.sh fuzz SECONDS calls this; tests/c/run.sh runs it at its end.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/c/lib.sh
secs=${1:-60}
out=build/tests
mkdir -p "$out/fuzz-corpus"
if ! command -v clang >/dev/null; then
    echo "fuzz.sh: clang is missing: apt-get install -y clang libclang-rt-14-dev" >&2
    exit 1
fi
# shellcheck disable=SC2046
clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Ic -Iml \
    $(engine_sources) tests/c/fuzz_ops.c -lm -o "$out/fuzz_ops"
echo "fuzz_ops: running for ${secs}s (corpus $out/fuzz-corpus)"
"$out/fuzz_ops" -max_total_time="$secs" -max_len=4096 -timeout=20 -print_final_stats=1 \
    -artifact_prefix="$out/fuzz-" "$out/fuzz-corpus" 2>"$out/fuzz.log" || {
    tail -n 60 "$out/fuzz.log" >&2
    echo "fuzz_ops: FAILED (input saved as $out/fuzz-crash-*; replay with $out/fuzz_ops FILE)" >&2
    exit 1
}
grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$out/fuzz.log" || true
echo "fuzz_ops: ok"
