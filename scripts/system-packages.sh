#!/usr/bin/env bash
# Install the Debian packages the test suite needs when they are missing:
# Chromium for browser tests, PostgreSQL for the second test run, poppler for looking at
# PDFs, and HarfBuzz's subsetter so WeasyPrint writes PDFs at full speed.
set -euo pipefail

wanted=(chromium poppler-utils libharfbuzz-subset0 postgresql)
missing=()
for package in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
