#!/usr/bin/env bash
# build-wasm.sh: the WebAssembly module and its JS API, as one file.
#
#   build/wasm/heaplab-core.js  emcc output: MODULARIZE factory, wasm inlined
#   dist/heaplab.js             esbuild bundle of web/js/lab.js + the core:
#                               classic <script> (global HeapLab) and node require
#   dist/heaplab.mjs            ES-module entry for node (`import HeapLab, { load }`)
#
# Sources: every c/*.c and ml/*.c except the CLI ones (files that define
# main(), and the *_cli.c / main.c front ends, which print). Exports: every
# function marked EMSCRIPTEN_KEEPALIVE in those sources, found by grep, so
# other engineers' *_wasm_api.c files are picked up without editing this.
# Called by build.sh after the native build; needs emcc (Debian's 3.1.6).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emcc's JS optimizer needs Debian's acorn

OUT=build/wasm
mkdir -p "$OUT" dist

# Library sources: no main(), not a CLI front end.
SOURCES=()
for f in c/*.c ml/*.c; do
    [ -e "$f" ] || continue
    case "$(basename "$f")" in
        main.c | *_cli.c) continue ;;
    esac
    if grep -Eq '^[[:space:]]*int[[:space:]]+main[[:space:]]*\(' "$f"; then continue; fi
    SOURCES+=("$f")
done

# Exported C functions: the names after EMSCRIPTEN_KEEPALIVE (return type may
# span several tokens and a pointer star), plus malloc/free for JS buffers.
mapfile -t NAMES < <(grep -ho 'EMSCRIPTEN_KEEPALIVE[^(]*(' "${SOURCES[@]}" |
    sed -E 's/\($//; s/.*[[:space:]*]([A-Za-z_][A-Za-z0-9_]*)$/\1/' | sort -u)
if [ ${#NAMES[@]} -eq 0 ]; then
    echo "build-wasm.sh: no EMSCRIPTEN_KEEPALIVE functions found" >&2
    exit 1
fi
EXPORTS=$(printf '"_%s",' "${NAMES[@]}" malloc free)
EXPORTS="[${EXPORTS%,}]"

emcc -std=c11 -O2 -Wall -Wextra -ffp-contract=off -Ic -Iml "${SOURCES[@]}" -o "$OUT/heaplab-core.js" \
    -sMODULARIZE=1 -sEXPORT_NAME=HeapLabCore -sSINGLE_FILE=1 -sENVIRONMENT=web,node -sFILESYSTEM=0 \
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sABORTING_MALLOC=0 \
    -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 \
    -sEXPORTED_FUNCTIONS="$EXPORTS" \
    -sEXPORTED_RUNTIME_METHODS='["HEAPU8","HEAP32","HEAPU32","HEAPF64"]'

# One classic script that is also a CommonJS module. The core's node branch
# names fs/path (never reached with the wasm inlined): leave them external.
ESBUILD=node_modules/.bin/esbuild
"$ESBUILD" web/js/lab/lab.js --bundle --format=iife --global-name=HeapLab --platform=neutral \
    --main-fields=main,module --external:fs --external:path --log-level=warning \
    --banner:js='/* HeapLab: allocator + event log + regression tree in wasm. Classic script (global HeapLab) or CommonJS. */' \
    --footer:js='if (typeof module === "object" && module.exports) module.exports = HeapLab;' \
    --outfile=dist/heaplab.js

# The ES-module entry for node re-exports the CommonJS build, named and default.
NAMED=$(node -e 'const m = require("./dist/heaplab.js"); console.log(Object.keys(m).filter(k => k !== "default").join(", "))')
cat > dist/heaplab.mjs <<EOF
// heaplab.mjs: ES-module entry for node; the module itself is heaplab.js.
import { createRequire } from 'node:module';
const HeapLab = createRequire(import.meta.url)('./heaplab.js');
export default HeapLab;
export const { ${NAMED} } = HeapLab;
EOF
echo "build-wasm.sh: dist/heaplab.js ($(wc -c < dist/heaplab.js) bytes, ${#SOURCES[@]} sources, ${#NAMES[@]} exports)"
