#!/usr/bin/env bash
# The project's one test command (`npm test`): type-check, lint and build side by side while the local Kafka broker
# and PostgreSQL start (the project's own scripts) and Chromium is made sure of, then the unit, integration and e2e
# suites against them, then the console in a real Chromium (Debian's package, installed when missing) beside the month
# as of every date of the sweep, then the fault suite on its own (it restarts PostgreSQL and kills its own Kafka
# broker, which must not happen under other suites). The cluster suite (its own three-node Kafka cluster losing a
# node under load) is a step of its own: `npm run test:cluster`, which CI runs after this (.ci/run). Extra arguments
# go to jest instead (e.g. `npm test -- libs/messaging`, `npm test -- --selectProjects faults`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh

step() { printf '\n== %s\n' "$*"; }

if [ ! -d node_modules ]; then
  step "install"
  bash scripts/install.sh
fi

# Steps run side by side with `begin`; `finish` waits for all of them, then shows each one's output in turn and fails
# if any failed. The checks read the sources and write only dist/ (the build): on two cores they take the time of the
# longest instead of the sum.
logs="$(mktemp -d)"
trap 'rm -rf "${logs}"' EXIT
pids=()
names=()
begin() {
  local name="$1"
  shift
  (
    started=${SECONDS}
    code=0
    "$@" >"${logs}/${#names[@]}.log" 2>&1 || code=$?
    echo "${name} ($((SECONDS - started)) s)$([ "${code}" = 0 ] || echo ": FAILED, exit ${code}")" >"${logs}/${#names[@]}.title"
    exit "${code}"
  ) &
  pids+=("$!")
  names+=("${name}")
}
finish() {
  local failed=0 i
  for i in "${!pids[@]}"; do
    wait "${pids[${i}]}" || failed=1
    step "$(cat "${logs}/${i}.title")"
    cat "${logs}/${i}.log"
  done
  pids=()
  names=()
  return "${failed}"
}

step "type-check, lint, build, Chromium and infrastructure (Kafka ${KAFKA_VERSION:-default}, PostgreSQL), side by side"
begin "type-check" bash -c 'npx tsc -p tsconfig.json --noEmit && npx tsc -p apps/console/web/tsconfig.json'
begin "lint" npx eslint . --max-warnings 0
begin "build" npm run --silent build
begin "Chromium for the browser suite (Debian's package)" bash scripts/ensure-chromium.sh
begin "infrastructure" bash -c 'bash deploy/kafka/kafka.sh start && bash deploy/postgres/ensure.sh'
finish

export SKIP_INFRA_START=1
if [ "$#" -gt 0 ]; then
  step "tests (jest $*)"
  npx jest --ci --maxWorkers=2 "$@"
  exit 0
fi

# Most of a test's time is waiting (for Kafka, PostgreSQL, a process to start, a scenario's pauses): the main suites
# used 0.8 of the two cores with two workers, so they run four files at a time, and the browser suite runs beside the
# sweep. PostgreSQL's default 100 connections are the bound; the tests' pools are 4 a service (test/setup-env.js).
step "tests: unit, integration, e2e"
npx jest --ci --forceExit --maxWorkers=4 --selectProjects unit integration e2e

step "tests: the finance console in Chromium, and the month as of every date of the sweep, side by side"
begin "browser: the finance console in Chromium, against the whole system" \
  npx jest --ci --forceExit --runInBand --selectProjects browser
begin "sweep: the month as of every date of the sweep" npx jest --ci --forceExit --runInBand --selectProjects sweep
finish

step "tests: faults (alone)"
npx jest --ci --forceExit --runInBand --selectProjects faults
