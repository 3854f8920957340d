#!/usr/bin/env bash
# The Kafka client code against the older broker line still in use (3.9 by default; KAFKA_COMPAT_VERSION picks another):
# a broker of that version on its own ports and cache, the Kafka smoke test and the messaging suites (outbox relay,
# inbox, transactions, dead letters) against it, then the broker stopped. The rest of `npm test` runs on the default
# broker (4.1). CI runs this after `npm test` (`npm run test:kafka-compat`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh

export KAFKA_VERSION="${KAFKA_COMPAT_VERSION:-3.9}"
export KAFKA_CACHE_DIR="${KAFKA_COMPAT_CACHE_DIR:-.cache/kafka-compat}"
export KAFKA_PORT="${KAFKA_COMPAT_PORT:-19592}"
export KAFKA_CONTROLLER_PORT="${KAFKA_COMPAT_CONTROLLER_PORT:-19593}"
export KAFKA_REQUIRE_OWN=1

bash deploy/kafka/kafka.sh start
trap 'bash deploy/kafka/kafka.sh stop >/dev/null 2>&1 || true' EXIT
bash deploy/postgres/ensure.sh

printf '\n== Kafka client suites on Kafka %s (127.0.0.1:%s)\n' "${KAFKA_VERSION}" "${KAFKA_PORT}"
KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}" SKIP_INFRA_START=1 \
  npx jest --ci --forceExit --runInBand --selectProjects integration -- test/infra/kafka-smoke.int-spec.ts libs/messaging/test
