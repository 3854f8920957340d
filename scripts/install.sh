#!/usr/bin/env bash
# Installs exactly the locked dependencies with `npm ci`, on a supported Node.js (scripts/node-runtime.sh).
# It never rewrites package-lock.json: a lock that does not match package.json, or that lacks the optional
# per-platform packages npm ci requires, stops the install with what to do about it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh

node scripts/check-lock.js

log="$(mktemp)"
trap 'rm -f "${log}"' EXIT
if ! npm ci --no-audit --no-fund --loglevel=error 2>"${log}"; then
  cat "${log}" >&2
  if grep -q 'EUSAGE' "${log}"; then
    cat >&2 <<'MSG'
install: package-lock.json does not match package.json (npm ci refused it, see above).
install: on a machine that reaches the full npm registry run `npm install --package-lock-only`,
install: check it with `node scripts/check-lock.js`, and commit package-lock.json together with package.json.
MSG
  fi
  exit 1
fi
