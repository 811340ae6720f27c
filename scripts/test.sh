#!/usr/bin/env bash
# The whole check, as CI runs it: lint, types, migrations, deploy checks, then the test
# suite on SQLite, again on PostgreSQL, and the browser tests in Chromium. The browser tests
# run on PostgreSQL, as production does: their live server and the browser's parallel htmx
# requests write at the same time, which an in-memory SQLite database answers with
# "database table is locked".
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_SETTINGS_MODULE=config.settings.test
BIN=.venv/bin

step() { printf '\n== %s\n' "$*"; }

step "ruff"
$BIN/ruff check .
$BIN/ruff format --check .

step "mypy"
$BIN/mypy

step "migrations are up to date"
$BIN/python manage.py makemigrations --check --dry-run

step "production settings pass check --deploy"
DJANGO_SETTINGS_MODULE=config.settings.production \
    SECRET_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=schoolward.example \
    $BIN/python manage.py check --deploy --fail-level WARNING

step "tests on SQLite"
$BIN/pytest -m "not browser" -n 2 -p no:cacheprovider

on_postgres() {
    step "tests on PostgreSQL"
    $BIN/pytest -m "not browser" -n 2 -p no:cacheprovider

    step "browser tests in Chromium, on PostgreSQL"
    DJANGO_ALLOW_ASYNC_UNSAFE=true $BIN/pytest -m browser -p no:cacheprovider
}
export -f step on_postgres
export BIN
scripts/with-postgres.sh bash -c on_postgres
