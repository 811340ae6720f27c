#!/usr/bin/env bash
# The whole check, as CI runs it: lint, types, migrations, deploy checks, then the test
# suite on SQLite, again on PostgreSQL, and the browser tests in Chromium.
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

step "tests on PostgreSQL"
scripts/with-postgres.sh $BIN/pytest -m "not browser" -n 2 -p no:cacheprovider

step "browser tests in Chromium"
DJANGO_ALLOW_ASYNC_UNSAFE=true $BIN/pytest -m browser -p no:cacheprovider
