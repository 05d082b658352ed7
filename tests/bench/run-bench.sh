#!/usr/bin/env bash
# run-bench.sh: HeapLab's allocator benchmark (issue 7). Builds the harness
# (build-harness.sh: native with glibc, three wasm builds) and runs the
# driver, which replays every trace through every allocator and prints the
# tables; `--json FILE` also writes { "results": [...] }. All options:
# `run-bench.sh --help`. Reached by `./build.sh bench [args]` and
# `npm run bench -- [args]`. Paths are taken relative to the caller's cwd.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
if [ ! -x "$ROOT/build/heaplab" ]; then
    echo "run-bench.sh: build/heaplab is missing: run ./build.sh first" >&2
    exit 2
fi
"$HERE/build-harness.sh" >&2
exec node "$HERE/bench.cjs" "$@"
