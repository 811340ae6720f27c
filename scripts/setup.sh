#!/usr/bin/env bash
# Install the project's Python environment into .venv from the lock file.
#
# Python: PYTHON if set, else the first Python 3.12 or newer found on the PATH or under pyenv,
# else the one uv manages. When there is none, uv is asked to provide the version in
# .python-version; when it cannot (no access to its download server), this says so in one line.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.8"
BOOTSTRAP=".cache/bootstrap"
UV="$BOOTSTRAP/bin/uv"
WANTED_PYTHON="$(tr -d '[:space:]' <.python-version)"

is_recent_python() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

find_python() {
    if [ -n "${PYTHON:-}" ]; then
        if is_recent_python "$PYTHON"; then
            "$PYTHON" -c 'import sys; print(sys.executable)'
            return 0
        fi
        echo "PYTHON=$PYTHON is not Python 3.12 or newer." >&2
        exit 1
    fi
    for candidate in "python$WANTED_PYTHON" python3.13 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && is_recent_python "$candidate"; then
            "$candidate" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    for dir in "$HOME"/.pyenv/versions/3.13* "$HOME"/.pyenv/versions/3.12*; do
        if [ -x "$dir/bin/python3" ]; then
            echo "$dir/bin/python3"
            return 0
        fi
    done
    if [ -x "$UV" ]; then
        "$UV" python find --managed-python --no-python-downloads ">=3.12" 2>/dev/null || true
    fi
}

# uv itself runs on any Python 3: it is installed with pip into a small bootstrap venv.
install_uv() {
    local python="$1"
    echo "Installing uv $UV_VERSION…"
    rm -rf "$BOOTSTRAP"
    if ! "$python" -m venv "$BOOTSTRAP" >/dev/null 2>&1; then
        echo "$python cannot make a virtual environment: run 'scripts/system-packages.sh run'" \
            "(it installs python3-venv), then run make again." >&2
        exit 1
    fi
    "$BOOTSTRAP/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
}

PYTHON_PATH="$(find_python)"

if [ ! -x "$UV" ] || [ "$("$UV" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    if [ -n "$PYTHON_PATH" ]; then
        install_uv "$PYTHON_PATH"
    elif command -v python3 >/dev/null 2>&1; then
        install_uv "$(command -v python3)"
    else
        echo "Schoolward needs Python 3.12 or newer, and this machine has no python3 at all." >&2
        exit 1
    fi
fi

if [ -z "$PYTHON_PATH" ]; then
    PYTHON_PATH="$("$UV" python find --managed-python --no-python-downloads ">=3.12" 2>/dev/null || true)"
fi
if [ -z "$PYTHON_PATH" ]; then
    echo "No Python 3.12 or newer here; asking uv for Python $WANTED_PYTHON…"
    if UV_HTTP_RETRIES=1 "$UV" python install --quiet "$WANTED_PYTHON" >/dev/null 2>&1; then
        PYTHON_PATH="$("$UV" python find --managed-python --no-python-downloads "$WANTED_PYTHON")"
    else
        echo "Schoolward needs Python 3.12 or newer: this machine has $(python3 --version 2>&1)," \
            "and uv could not download Python $WANTED_PYTHON (its download server is out of reach)." \
            "Install Python 3.12+ (Debian 13 and Ubuntu 24.04 ship it) or set PYTHON=/path/to/python3.12," \
            "then run make again." >&2
        exit 1
    fi
fi

"$UV" sync --frozen --python "$PYTHON_PATH" --quiet

# The browser tests check every page with axe-core, which npm installs from package-lock.json.
# Node is needed by the tests only (scripts/system-packages.sh test installs it): without npm,
# as on a machine set up by 'make run', this step is skipped.
if [ -f package.json ] && command -v npm >/dev/null 2>&1 &&
    { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
    echo "Installing axe-core for the browser tests…"
    npm ci --no-audit --no-fund --loglevel=error
fi
