# shellcheck shell=bash
# tests/c/lib.sh: shell helpers shared by tests/c/run.sh and tests/c/fuzz/fuzz.sh
# (sourced from the repository root, never run on its own).

# Builds targets of the one build description, c/Makefile (incremental).
build_targets() {
    make --no-print-directory -s -f c/Makefile -j"${JOBS:-2}" "$@"
}
