#!/usr/bin/env bash
# The project's one test command (`npm test`): type-check, lint, build, start the local Kafka broker
# and PostgreSQL with the project's own scripts, then run the unit, integration and e2e suites
# against them. Extra arguments go to jest (e.g. `npm test -- libs/messaging`).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

if [ ! -d node_modules ]; then
  step "install"
  bash scripts/install.sh
fi

step "type-check"
npx tsc -p tsconfig.json --noEmit

step "lint"
npx eslint . --max-warnings 0

step "build"
npm run --silent build

step "infrastructure (Kafka ${KAFKA_VERSION:-default}, PostgreSQL)"
bash deploy/kafka/kafka.sh start
bash deploy/postgres/ensure.sh

step "tests"
export SKIP_INFRA_START=1
npx jest --ci --maxWorkers=2 "$@"
