#!/usr/bin/env bash
# The editor test drives Debian's Chromium with playwright-core (no browser download): install
# the package when it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
		echo "Chromium is missing and this user cannot install it: run 'apt-get install chromium' as root." >&2
		exit 1
	fi
fi
echo "› Installing Debian's chromium for the editor test…" >&2
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq chromium >/dev/null
