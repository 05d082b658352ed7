#!/usr/bin/env bash
# tests/web/run.sh: node unit tests of the page's model, chart configs and
# engine core (the engine tests load dist/heaplab.js: run ./build.sh first).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node --no-warnings --test tests/web/
