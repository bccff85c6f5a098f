#!/usr/bin/env bash
# The queue-mode tests run n8n on PostgreSQL and Redis, as operators do when they outgrow one
# process: install Debian's servers when they are missing (the tests start their own throw-away
# instances on free ports; no system service is used).
set -euo pipefail
missing=()
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != "0" ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
		echo "${missing[*]} missing and this user cannot install them: run 'apt-get install ${missing[*]}' as root." >&2
		exit 1
	fi
fi
echo "› Installing Debian's ${missing[*]} for the queue-mode tests…" >&2
$SUDO apt-get update -qq >&2
# Debian's packages try to start their services; without an init system that fails harmlessly.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
