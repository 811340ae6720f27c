#!/usr/bin/env bash
# Print the folder holding PostgreSQL's server programs (initdb, pg_ctl), or nothing.
# Looks at PG_BINDIR, then `pg_config --bindir`, then Debian's /usr/lib/postgresql/<version>/bin
# (newest first), then the PATH.
set -euo pipefail

has_server() { [ -n "$1" ] && [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ]; }

candidates=("${PG_BINDIR:-}")
if command -v pg_config >/dev/null 2>&1; then
    candidates+=("$(pg_config --bindir 2>/dev/null || true)")
fi
while IFS= read -r dir; do
    candidates+=("$dir")
done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV)
if command -v initdb >/dev/null 2>&1; then
    candidates+=("$(dirname "$(command -v initdb)")")
fi

for dir in "${candidates[@]}"; do
    if has_server "$dir"; then
        echo "$dir"
        exit 0
    fi
done
