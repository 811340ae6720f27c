#!/usr/bin/env bash
# Install the system packages Schoolward needs, when they are missing.
#
#   scripts/system-packages.sh run    what the app needs: WeasyPrint's Pango and a font, HarfBuzz's
#                                     subsetter (PDFs at full speed), and python3-venv where the
#                                     distribution splits it out of Python
#   scripts/system-packages.sh test   the same, plus Chromium (browser tests), PostgreSQL (the
#                                     second test run), poppler (reading PDFs as text) and Node.js
#                                     with npm (axe-core, the browser tests' accessibility check)
#
# Works as root, or as a user with sudo. Without either it stops at once and prints the one
# command to run as root.
set -euo pipefail

purpose="${1:-run}"
case "$purpose" in
    run | test) ;;
    *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "Not a Debian or Ubuntu system: install Pango, HarfBuzz and a TrueType font yourself" \
        "(and for 'make test' Chromium, PostgreSQL, poppler and Node.js with npm), then run make again." >&2
    exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

wanted=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

# Debian's own Python keeps venv's pip bootstrap in a separate package; scripts/setup.sh needs it.
if [ -z "${PYTHON:-}" ] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    wanted+=(python3-venv)
fi

if [ "$purpose" = test ]; then
    wanted+=(poppler-utils)
    if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1 &&
        ! command -v chromium-browser >/dev/null 2>&1; then
        wanted+=(chromium)
    fi
    if [ -z "$(scripts/postgres-bindir.sh 2>/dev/null)" ]; then
        wanted+=(postgresql)
    fi
    if ! command -v npm >/dev/null 2>&1; then
        wanted+=(nodejs npm)
    fi
fi

missing=()
for package in "${wanted[@]}"; do
    installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

install_command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    sudo=(sudo)
else
    echo "Schoolward needs system packages that only root can install. As root, run:" >&2
    echo "    $install_command" >&2
    echo "then run make again." >&2
    exit 1
fi

echo "Installing system packages: ${missing[*]}"
if ! "${sudo[@]}" apt-get update -qq ||
    ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "Installing system packages failed. As root, run:" >&2
    echo "    $install_command" >&2
    exit 1
fi
