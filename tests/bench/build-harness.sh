#!/usr/bin/env bash
# build-harness.sh: build the benchmark harness into build/bench/ (skipped
# when every output is newer than every source):
#
#   bench-native              gcc -O2 (the product's native flags): HeapLab + glibc
#   bench-heaplab.{js,wasm}   emcc -O3 with HeapLab linked in (all policies)
#   bench-emmalloc.{js,wasm}  emcc -O3 -sMALLOC=emmalloc (no HeapLab)
#   bench-dlmalloc.{js,wasm}  emcc -O3 -sMALLOC=dlmalloc (no HeapLab)
#
# The three wasm builds share one harness source set and one flag set, so
# only the allocator differs. HeapLab's sources are the library files of c/
# and ml/ (not main.c, *_cli.c, files defining main(), or wasm API files).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emcc's JS optimizer needs Debian's acorn
OUT=build/bench
mkdir -p "$OUT"

LIB=()
for f in c/*.c ml/*.c; do
    [ -e "$f" ] || continue
    case "$(basename "$f")" in main.c | *_cli.c | *wasm_api.c) continue ;; esac
    if grep -Eq '^[[:space:]]*int[[:space:]]+main[[:space:]]*\(' "$f"; then continue; fi
    LIB+=("$f")
done
HARNESS=(tests/bench/bench_prog.c tests/bench/bench_replay.c)
SOURCES=("${LIB[@]}" c/*.h tests/bench/*.c tests/bench/*.h tests/bench/build-harness.sh)

# Returns success when $1 exists and is newer than every source.
fresh() {
    [ -e "$1" ] || return 1
    local s
    for s in "${SOURCES[@]}"; do [ -e "$s" ] && [ "$s" -nt "$1" ] && return 1; done
    return 0
}

if ! fresh "$OUT/bench-native"; then
    gcc -std=c11 -O2 -Wall -Wextra -ffp-contract=off -Ic -Iml -Itests/bench "${LIB[@]}" "${HARNESS[@]}" \
        tests/bench/bench_heaplab.c tests/bench/bench_compile.c tests/bench/bench_native.c -lm -o "$OUT/bench-native"
fi

if ! command -v emcc >/dev/null; then
    echo "build-harness.sh: emcc not found (apt-get install emscripten); wasm harness not built" >&2
    exit 1
fi

EXPORTS='"_bench_alloc","_bench_load","_bench_run_libc","_bench_util_libc","_bench_wall_us","_bench_failures","_bench_skipped","_bench_ops","_bench_peak_payload","_bench_heap_peak","_bench_footprint"'
EMFLAGS=(-std=c11 -O3 -Wall -Wextra -Ic -Iml -Itests/bench
    -sMODULARIZE=1 -sENVIRONMENT=node -sFILESYSTEM=0 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB
    -sABORTING_MALLOC=0 -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 -sEXPORTED_RUNTIME_METHODS='["HEAPU8"]')

# emcc_build NAME [extra args...]: one wasm harness build.
emcc_build() {
    local name=$1
    shift
    fresh "$OUT/bench-$name.js" && fresh "$OUT/bench-$name.wasm" && return 0
    emcc "${EMFLAGS[@]}" "$@" "${HARNESS[@]}" tests/bench/bench_wasm.c -o "$OUT/bench-$name.js" -sEXPORT_NAME="Bench_$name"
}

emcc_build heaplab -DBENCH_HEAPLAB "${LIB[@]}" tests/bench/bench_heaplab.c \
    -sEXPORTED_FUNCTIONS="[$EXPORTS,\"_bench_run_heaplab\",\"_bench_policy_count\",\"_bench_policy_name\"]"
emcc_build emmalloc -sMALLOC=emmalloc -sEXPORTED_FUNCTIONS="[$EXPORTS]"
emcc_build dlmalloc -sMALLOC=dlmalloc -sEXPORTED_FUNCTIONS="[$EXPORTS]"
