#!/usr/bin/env bash
# The project's benchmark command (`npm run bench`): starts the local Kafka broker and PostgreSQL with the
# project's own scripts, then runs every benchmark, each in its own process (bench/run-all.ts; docs/benchmarks.md).
# Arguments go to the runner: `npm run bench -- --quick`, `npm run bench -- --only gateway,sync`, `--strict`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh

step() { printf '\n== %s\n' "$*"; }

if [ ! -d node_modules ]; then
  step "install"
  bash scripts/install.sh
fi

step "infrastructure (Kafka ${KAFKA_VERSION:-default}, PostgreSQL)"
bash deploy/kafka/kafka.sh start
bash deploy/postgres/ensure.sh

# The soak alone runs the services from the sources (unless BENCH_DIST=1): no build to wait for.
case " $* " in
  *" --only soak "* | *" --only=soak "*) [ "${BENCH_DIST:-0}" = 1 ] && build=1 || build=0 ;;
  *) build=1 ;;
esac
if [ "$build" = 1 ]; then
  step "build (the reconcile benchmark runs the service from dist/, as deployed)"
  npm run build --silent
fi

step "benchmarks"
status=0
node -r ./test/support/ts-register.js bench/run-all.ts "$@" || status=$?

# The findings page through reconcile's API with a person's token (bench/findings-api/run.ts, docs/benchmarks.md):
# not (yet) in bench/figures.ts, so run here after the others, unless --only chose a subset of those.
case " $* " in
  *" --only"*) ;;
  *)
    step "findings-api"
    findings=100000
    case " $* " in *" --quick "*) findings=20000 ;; esac
    BENCH_FINDINGS=$findings node -r ./test/support/ts-register.js bench/findings-api/run.ts || status=1
    ;;
esac
exit $status
