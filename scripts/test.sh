#!/usr/bin/env bash
# The project's one test command (`npm test`): type-check, lint, build, start the local Kafka broker
# and PostgreSQL with the project's own scripts, then run the unit, integration and e2e suites
# against them, then the console in a real Chromium (Debian's package, installed when missing), then the fault suite on its own (it restarts PostgreSQL and kills its own Kafka
# broker, which must not happen under other suites), and last the cluster suite on its own (its own
# three-node Kafka cluster, `deploy/kafka/kafka.sh cluster`, losing a node under load). Extra arguments go to jest instead (e.g.
# `npm test -- libs/messaging`, `npm test -- --selectProjects faults`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh

step() { printf '\n== %s\n' "$*"; }

if [ ! -d node_modules ]; then
  step "install"
  bash scripts/install.sh
fi

step "type-check"
npx tsc -p tsconfig.json --noEmit && npx tsc -p apps/console/web/tsconfig.json

step "lint"
npx eslint . --max-warnings 0

step "build"
npm run --silent build

step "Chromium for the browser suite (Debian's package)"
bash scripts/ensure-chromium.sh

step "infrastructure (Kafka ${KAFKA_VERSION:-default}, PostgreSQL)"
bash deploy/kafka/kafka.sh start
bash deploy/postgres/ensure.sh

export SKIP_INFRA_START=1
if [ "$#" -gt 0 ]; then
  step "tests (jest $*)"
  npx jest --ci --maxWorkers=2 "$@"
  exit 0
fi

step "tests: unit, integration, e2e"
npx jest --ci --forceExit --maxWorkers=2 --selectProjects unit integration e2e

step "tests: the finance console in Chromium, against the whole system"
npx jest --ci --forceExit --runInBand --selectProjects browser

step "tests: the month as of every date of the sweep (alone)"
npx jest --ci --forceExit --runInBand --selectProjects sweep

step "tests: faults (alone)"
npx jest --ci --forceExit --runInBand --selectProjects faults

step "tests: the system on a three-node Kafka cluster losing a broker (alone)"
npx jest --ci --forceExit --runInBand --selectProjects cluster
