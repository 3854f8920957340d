#!/usr/bin/env bash
# `npm run demo`: installs what is missing, starts Kafka and PostgreSQL with the project's scripts,
# builds, and starts every service on this machine. `--once` checks that everything came up and exits.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
exec node scripts/demo/run-demo.js "$@"
