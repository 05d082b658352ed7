# shellcheck shell=bash
# tests/c/lib.sh: shell helpers shared by tests/c/run.sh and tests/c/fuzz.sh
# (sourced from the repository root, never run on its own).

# Prints the engine's sources: c/*.c and ml/*.c except files that define
# main() (c/main.c, the CLI), one per line.
engine_sources() {
    local f
    for f in c/*.c ml/*.c; do
        [ -e "$f" ] || continue
        [ "$f" = c/main.c ] && continue
        grep -Eq '^[[:space:]]*int[[:space:]]+main[[:space:]]*\(' "$f" && continue
        echo "$f"
    done
}
