#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server: start it in a temporary folder on a
# spare port, export DATABASE_URL for the command, then stop it and remove the folder.
set -euo pipefail
cd "$(dirname "$0")/.."

PGBIN="$(scripts/postgres-bindir.sh)"
if [ -z "$PGBIN" ]; then
    echo "PostgreSQL's server programs were not found: run 'scripts/system-packages.sh test'," \
        "or set PG_BINDIR to the folder holding initdb and pg_ctl." >&2
    exit 1
fi

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PGPORT="${SCHOOLWARD_PGPORT:-5433}"
while ! port_is_free "$PGPORT"; do
    PGPORT=$((PGPORT + 1))
done

DATA_DIR="$(mktemp -d /tmp/schoolward-pg.XXXXXX)"

# The server refuses to run as root: as root, run it as the postgres user Debian's package made.
as_db_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cleanup() {
    as_db_owner "$PGBIN/pg_ctl" -D "$DATA_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DATA_DIR"
}
trap cleanup EXIT

if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$DATA_DIR"
fi
as_db_owner "$PGBIN/initdb" -D "$DATA_DIR/data" -A trust -U postgres --no-sync >/dev/null
as_db_owner "$PGBIN/pg_ctl" -D "$DATA_DIR/data" -l "$DATA_DIR/server.log" -w start \
    -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k $DATA_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
"$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE ROLE schoolward LOGIN CREATEDB" \
    -c "CREATE DATABASE schoolward OWNER schoolward" >/dev/null

export DATABASE_URL="postgres://schoolward@127.0.0.1:$PGPORT/schoolward"
"$@"
