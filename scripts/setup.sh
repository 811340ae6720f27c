#!/usr/bin/env bash
# Install the project's Python environment into .venv from the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.8"
BOOTSTRAP=".cache/bootstrap"

find_python() {
    for candidate in python3.13 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
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
    echo "Schoolward needs Python 3.12 or newer; none was found." >&2
    return 1
}

PYTHON="$(find_python)"

if [ ! -x "$BOOTSTRAP/bin/uv" ] || [ "$("$BOOTSTRAP/bin/uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    echo "Installing uv $UV_VERSION…"
    "$PYTHON" -m venv "$BOOTSTRAP"
    "$BOOTSTRAP/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

"$BOOTSTRAP/bin/uv" sync --frozen --python "$PYTHON" --quiet
