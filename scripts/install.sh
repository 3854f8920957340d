#!/usr/bin/env bash
# Installs the locked dependencies. `npm ci` refuses a lock file that lacks optional binaries for other
# platforms (@swc/core-darwin-*, ...), which a registry mirror without them cannot provide; then
# `npm install` installs the same locked versions, and we check that it did not change the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! npm ci --no-audit --no-fund --loglevel=error 2>/tmp/npm-ci.$$.log; then
  if grep -q 'EUSAGE' /tmp/npm-ci.$$.log; then
    npm install --no-audit --no-fund --loglevel=error
    git diff --exit-code --quiet -- package-lock.json 2>/dev/null || {
      echo "npm install changed package-lock.json: the lock file is out of date" >&2
      exit 1
    }
  else
    cat /tmp/npm-ci.$$.log >&2
    exit 1
  fi
fi
rm -f /tmp/npm-ci.$$.log
