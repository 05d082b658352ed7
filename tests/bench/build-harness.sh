#!/usr/bin/env bash
# build-harness.sh: build the benchmark harness into build/bench/ through
# c/Makefile (`make bench`: rebuilt only when a source changed):
#
#   bench-native              gcc -O2 (the product's native flags): HeapLab + glibc
#   bench-heaplab.{js,wasm}   emcc -O3 with HeapLab linked in (all policies)
#   bench-emmalloc.{js,wasm}  emcc -O3 -sMALLOC=emmalloc (no HeapLab)
#   bench-dlmalloc.{js,wasm}  emcc -O3 -sMALLOC=dlmalloc (no HeapLab)
#
# The three wasm builds share one harness source set and one flag set, so
# only the allocator differs (see the bench section of c/Makefile).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emcc's JS optimizer needs Debian's acorn
if ! command -v emcc >/dev/null; then
    echo "build-harness.sh: emcc not found (apt-get install emscripten); wasm harness not built" >&2
    exit 1
fi
exec make --no-print-directory -s -f c/Makefile -j"${JOBS:-2}" bench
