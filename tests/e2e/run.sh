#!/usr/bin/env bash
# tests/e2e/run.sh: dist/heaplab.html in headless Chromium (playwright-core +
# /usr/bin/chromium, from file://): the page, OSTEP mode, the lessons, the budgets and
# the cost of a step on a 300,000-op trace (printed, never asserted), and
# issue 12's page defects (defects.test.mjs).
# The node unit tests of the page are tests/web (build.sh test runs both).
# Screenshots land in tests/e2e/screenshots/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/heaplab.html ] || { echo "tests/e2e: dist/heaplab.html is missing: run ./build.sh" >&2; exit 1; }
if [ ! -x /usr/bin/chromium ]; then
    echo "tests/e2e: /usr/bin/chromium is missing (apt-get install -y chromium)" >&2
    exit 1
fi
mkdir -p tests/e2e/screenshots
exec node --no-warnings --test --test-concurrency=1 tests/e2e/page.test.mjs tests/e2e/ostep.test.mjs tests/e2e/budget.test.mjs tests/e2e/steps.test.mjs tests/e2e/defects.test.mjs tests/e2e/mm.test.mjs tests/e2e/lessons.test.mjs tests/e2e/sites.test.mjs tests/e2e/import.test.mjs tests/e2e/zoom.test.mjs tests/e2e/large.test.mjs tests/e2e/search.test.mjs tests/e2e/log-rows.test.mjs tests/e2e/progress.test.mjs
