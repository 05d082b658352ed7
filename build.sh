#!/usr/bin/env bash
# build.sh: HeapLab's one build entry point.
#
#   ./build.sh            install what is missing, build everything (native tool, wasm module, page)
#   ./build.sh test       ... then run every test suite (tests/{c,mm,record,wasm,ml,ostep,bench,web,e2e}/run.sh)
#   ./build.sh serve      ... then serve dist/ on http://127.0.0.1:8000
#   ./build.sh bench      ... then run the allocator benchmark (args passed on)
#   ./build.sh fuzz SECS  ... then run the libFuzzer target for SECS seconds
#
# System packages come from Debian (apt-get when root; otherwise the exact
# command is printed). npm packages come from package-lock.json (npm ci).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimizer needs Debian's acorn (toolchain.md)

APT_PACKAGES="gcc clang libclang-rt-14-dev emscripten chromium python3-sklearn python3-pandas"

need_apt() {
    local missing=()
    for p in $APT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ]; then
        echo "build.sh: installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "build.sh: missing system packages. Run:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
}

need_npm() {
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        npm ci --no-audit --no-fund >/dev/null
    fi
}

# Everything compiles through the one build description, c/Makefile
# (incremental: only what changed is rebuilt).
MAKE_CMD=(make --no-print-directory -f c/Makefile -j"$(nproc 2>/dev/null || echo 2)")

build_all() {
    need_apt
    need_npm
    "${MAKE_CMD[@]}" all
}

run_tests() {
    local failed=()
    for suite in c mm record wasm ml ostep bench web e2e; do
        [ -x "tests/$suite/run.sh" ] || continue
        echo "== tests/$suite"
        if ! "tests/$suite/run.sh"; then failed+=("$suite"); fi
    done
    if [ ${#failed[@]} -ne 0 ]; then
        echo "FAILED suites: ${failed[*]}" >&2
        exit 1
    fi
    echo "all test suites passed"
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case "$cmd" in
    build) build_all ;;
    test) build_all; run_tests ;;
    serve)
        build_all
        mkdir -p dist
        echo "serving dist/ on http://127.0.0.1:8000/heaplab.html"
        exec python3 -m http.server 8000 --bind 127.0.0.1 --directory dist ;;
    bench) build_all; exec tests/bench/run-bench.sh "$@" ;;
    fuzz) build_all; exec tests/c/fuzz/fuzz.sh "${1:-60}" ;;
    *) echo "usage: ./build.sh [build|test|serve|bench|fuzz SECONDS]" >&2; exit 2 ;;
esac
