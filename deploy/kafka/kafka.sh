#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, combined broker + controller) for development and tests, assembled from
# Maven Central artifacts and run with plain `java`: no Docker, no Kafka distribution tarball.
#
#   deploy/kafka/kafka.sh start|stop|status|restart|kill|logs [-f|N]|path [libs|data|log|config|pid|cache]
#   deploy/kafka/kafka.sh cluster start|stop|status|brokers|kill N|pause N|resume N|start-node N|stop-node N|logs N [-f|lines]|path [N]
#
# Environment (all optional):
#   KAFKA_VERSION            4.1 (default: 4.1.2), 3.9 (3.9.2), or an exact x.y.z of the 3.x or 4.x line
#   KAFKA_CACHE_DIR          where libs, data, config and logs live (default: <repo>/.cache/kafka), one subfolder per version
#   KAFKA_PORT               client listener on 127.0.0.1 (default 9092)
#   KAFKA_CONTROLLER_PORT    KRaft controller listener on 127.0.0.1 (default 9093)
#   KAFKA_REQUIRE_OWN        1: fail instead of reusing a broker that another checkout started on KAFKA_PORT
#   KAFKA_AUTO_CREATE_TOPICS auto.create.topics.enable (default false: applications provision their topics)
#   KAFKA_HEAP_OPTS          default "-Xms256m -Xmx768m -XX:+UseG1GC"
#   KAFKA_JVM_OPTS           extra JVM flags (default: "-XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError")
#   KAFKA_EXTRA_PROPERTIES   extra server.properties lines (newline separated), appended last so they win
#   KAFKA_CLUSTER_ID         cluster id used when formatting empty storage (base64url UUID; a fixed default)
#   KAFKA_START_TIMEOUT      seconds to wait for readiness (default 90)
#   KAFKA_STOP_TIMEOUT       seconds to wait after SIGTERM before SIGKILL (default 30)
#   KAFKA_CDS                1 (default): record a class-data-sharing archive on the first clean stop and use it on later
#                            starts (about a second faster on 2 cores); 0 disables
#   KAFKA_MAVEN_ARGS         extra arguments for mvn when assembling libs (e.g. "-o" or "-Dmaven.repo.local=...")
#   JAVA_HOME                java to use (default: java on PATH)
#
# `cluster`: a local three-node KRaft cluster for tests that kill a broker under load (test/cluster). Every node is a
# combined broker + controller (three voters, so the quorum survives one node down), with its own data, config, log and
# pid file under KAFKA_CLUSTER_DIR/<version>/node-N; the classpath is the single node's (same Maven artifacts, same
# KAFKA_CACHE_DIR). Replication factor 3 and min.insync.replicas 2 for every topic and for the internal ones
# (__consumer_offsets, __transaction_state), so acks=all writes survive one node down and fail rather than shrink to
# one copy when two are down. Node N listens on 127.0.0.1:(KAFKA_CLUSTER_PORT + N - 1) for clients and
# (KAFKA_CLUSTER_CONTROLLER_PORT + N - 1) for the quorum: 18092-18094 and 18192-18194 by default, clear of the single
# node (9092/9093), of the fault suite's own broker (19092/19093) and of the ports tests hand out (20000-32000).
# `kill N` is SIGKILL (a crash), `stop-node N` SIGTERM (controlled shutdown), `start-node N` brings one back and waits
# until it answers; `pause N` is SIGSTOP (a node that hangs: its connections stay open and its requests time out, while
# the others fence it and take over its partitions), `resume N` SIGCONT; `brokers` prints the bootstrap list. The cluster never touches the single node, and vice versa.
#   KAFKA_CLUSTER_DIR              default <repo>/.cache/kafka-cluster
#   KAFKA_CLUSTER_PORT             client port of node 1 (default 18092)
#   KAFKA_CLUSTER_CONTROLLER_PORT  controller port of node 1 (default 18192)
#   KAFKA_HEAP_OPTS                as above; default per node "-Xms128m -Xmx512m -XX:+UseG1GC" (three JVMs on one host)
#
# Exit codes: 0 ok; 1 failure; 2 usage; 3 `status` when not running (`cluster status`: when no node runs).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT

# Latest patch releases on Maven Central when this was written; `KAFKA_VERSION=x.y.z` pins anything else.
readonly DEFAULT_3_9="3.9.2"
readonly DEFAULT_4_1="4.1.2"
readonly HOST="127.0.0.1"
readonly READY_MARKER="Kafka Server started"

die() {
  printf 'kafka.sh: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '5,7p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
  exit 2
}

resolve_version() {
  local requested="${KAFKA_VERSION:-}" running
  case "${requested}" in
    "")
      if running="$(running_version)"; then
        [[ "${running}" == "${DEFAULT_4_1}" ]] ||
          printf 'kafka.sh: Kafka %s runs from this cache: using it (the default is %s; KAFKA_VERSION=4.1 switches)\n' \
            "${running}" "${DEFAULT_4_1}" >&2
        printf '%s\n' "${running}"
      else
        printf '%s\n' "${DEFAULT_4_1}"
      fi
      ;;
    4.1 | 4.1.x) printf '%s\n' "${DEFAULT_4_1}" ;;
    3.9 | 3.9.x) printf '%s\n' "${DEFAULT_3_9}" ;;
    [34].[0-9]*.[0-9]*) printf '%s\n' "${requested}" ;;
    *) die "unsupported KAFKA_VERSION '${requested}' (use 3.9, 4.1 or an exact 3.x/4.x version)" ;;
  esac
}

# With KAFKA_VERSION unset, a broker already running from this cache keeps its version (the single node's, or any live
# cluster node's for `cluster` commands): the default moved from 3.9 to 4.1, and a `start`, `restart` or `start-node`
# must neither fail against nor bring up a 4.1 node beside a 3.9 one that still runs. Prints that version.
running_version() {
  local pid_file pid version
  for pid_file in "${STICKY_PID_FILES[@]}"; do
    [[ -f "${pid_file}" ]] || continue
    read -r pid version _ <"${pid_file}" || true
    [[ "${pid:-}" =~ ^[0-9]+$ && -n "${version:-}" ]] || continue
    kill -0 "${pid}" 2>/dev/null || continue
    [[ ! -r "/proc/${pid}/cmdline" ]] || tr '\0' ' ' <"/proc/${pid}/cmdline" | grep -q 'kafka\.Kafka ' || continue
    printf '%s\n' "${version}"
    return 0
  done
  return 1
}

# The pid files running_version reads: the single node's, or the cluster's nodes' for `cluster` commands.
sticky_pid_files() {
  local root
  if [[ "$1" == cluster ]]; then
    root="${KAFKA_CLUSTER_DIR:-${REPO_ROOT}/.cache/kafka-cluster}"
    [[ "${root}" == /* ]] || root="${PWD}/${root}"
    STICKY_PID_FILES=("${root}/node-1.pid" "${root}/node-2.pid" "${root}/node-3.pid")
  else
    root="${KAFKA_CACHE_DIR:-${REPO_ROOT}/.cache/kafka}"
    [[ "${root}" == /* ]] || root="${PWD}/${root}"
    STICKY_PID_FILES=("${root}/kafka.pid")
  fi
}

init_paths() {
  VERSION="$(resolve_version)"
  MAJOR="${VERSION%%.*}"
  CACHE_ROOT="${KAFKA_CACHE_DIR:-${REPO_ROOT}/.cache/kafka}"
  [[ "${CACHE_ROOT}" == /* ]] || CACHE_ROOT="${PWD}/${CACHE_ROOT}"
  VERSION_DIR="${CACHE_ROOT}/${VERSION}"
  LIBS_DIR="${VERSION_DIR}/libs"
  DATA_DIR="${VERSION_DIR}/data"
  CONFIG_DIR="${VERSION_DIR}/config"
  LOG_FILE="${VERSION_DIR}/kafka.log"
  # One pid file per cache root: only one broker (of any version) runs at a time on the configured ports.
  PID_FILE="${CACHE_ROOT}/kafka.pid"
  LOCK_FILE="${CACHE_ROOT}/.lock"
  PORT="${KAFKA_PORT:-9092}"
  CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
  # What differs between the single node and a cluster node (init_node overrides these).
  NODE_ID=1
  NODE_SUBDIR=""
  VOTERS="1@${HOST}:${CONTROLLER_PORT}"
  REPLICATION=1
  MIN_ISR=1
  INTERNAL_PARTITIONS=1
  DEFAULT_HEAP_OPTS="-Xms256m -Xmx768m -XX:+UseG1GC"
}

# ---------------------------------------------------------------------------------------------------------------------
# Process bookkeeping

# Prints "<pid> <version> <port>" of the broker recorded in the pid file when that process is alive and is our
# broker; removes a stale pid file. Returns 1 when no broker of ours is running.
running_instance() {
  local pid version port
  [[ -f "${PID_FILE}" ]] || return 1
  read -r pid version port <"${PID_FILE}" || true
  if [[ "${pid:-}" =~ ^[0-9]+$ ]] && is_our_broker "${pid}"; then
    printf '%s %s %s\n' "${pid}" "${version:-unknown}" "${port:-${PORT}}"
    return 0
  fi
  rm -f "${PID_FILE}"
  return 1
}

# A live process whose command line is kafka.Kafka with a server.properties under this cache root (guards against a
# recycled pid).
is_our_broker() {
  local pid="$1" cmdline
  kill -0 "${pid}" 2>/dev/null || return 1
  [[ -r "/proc/${pid}/cmdline" ]] || return 0 # no procfs: trust kill -0
  cmdline="$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null || true)"
  [[ "${cmdline}" == *"kafka.Kafka ${CACHE_ROOT}/"* ]] || return 1
  [[ -z "${NODE_SUBDIR}" || "${cmdline}" == *"${NODE_SUBDIR}/config/server.properties"* ]]
}

port_open() {
  timeout 2 bash -c ": <>/dev/tcp/${HOST}/$1" 2>/dev/null
}

# A TCP connect succeeds even when the JVM is paused (the kernel completes the handshake), so readiness asks the broker
# itself: an ApiVersions v0 request (api key 18, correlation id 1, client id "hc"), which every version answers, and
# checks the reply's correlation id.
broker_answers() {
  # shellcheck disable=SC2016 # $0 and $1 are for the child shell
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02hc" >&3
    reply="$(head -c 8 <&3 | od -An -tx1 | tr -d " \n")"
    [[ "${reply:8:8}" == "00000001" ]]
  ' "${HOST}" "$1" 2>/dev/null
}

with_lock() {
  mkdir -p "${CACHE_ROOT}"
  exec 9>"${LOCK_FILE}"
  flock -w 600 9 || die "could not lock ${LOCK_FILE} (another kafka.sh is busy)"
}

# ---------------------------------------------------------------------------------------------------------------------
# Assembly: classpath from Maven Central, configuration, storage

ensure_libs() {
  # .complete holds the checksum of the pom the libs came from: editing the pom re-assembles them.
  local pom_sum
  pom_sum="$(cksum <"${SCRIPT_DIR}/pom.xml")"
  [[ -f "${LIBS_DIR}/.complete" && "$(<"${LIBS_DIR}/.complete")" == "${pom_sum}" ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found: Maven is needed once per version to fetch Kafka ${VERSION}"
  local tmp="${VERSION_DIR}/libs.tmp" mvn_log="${VERSION_DIR}/maven.log"
  local -a extra=()
  # shellcheck disable=SC2206 # KAFKA_MAVEN_ARGS is a whitespace-separated list of flags on purpose
  [[ -n "${KAFKA_MAVEN_ARGS:-}" ]] && extra=(${KAFKA_MAVEN_ARGS})
  rm -rf "${tmp}"
  mkdir -p "${VERSION_DIR}"
  if ! mvn -q -B -Dstyle.color=never -f "${SCRIPT_DIR}/pom.xml" "${extra[@]}" \
    -Dkafka.version="${VERSION}" -P "kafka-${MAJOR}" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="${tmp}" >"${mvn_log}" 2>&1; then
    tail -n 40 "${mvn_log}" >&2
    die "maven could not assemble Kafka ${VERSION} (full output: ${mvn_log})"
  fi
  compgen -G "${tmp}/kafka_2.13-${VERSION}.jar" >/dev/null || die "kafka_2.13-${VERSION}.jar missing after maven run"
  printf '%s\n' "${pom_sum}" >"${tmp}/.complete"
  rm -rf "${LIBS_DIR}" "${VERSION_DIR}/cds" # an archive is only valid for the classpath it was recorded with
  mv "${tmp}" "${LIBS_DIR}"
}

write_config() {
  mkdir -p "${CONFIG_DIR}" "${DATA_DIR}"
  local auto_create
  case "${KAFKA_AUTO_CREATE_TOPICS:-false}" in
    true | 1 | yes) auto_create=true ;;
    false | 0 | no) auto_create=false ;;
    *) die "KAFKA_AUTO_CREATE_TOPICS must be true or false, got '${KAFKA_AUTO_CREATE_TOPICS}'" ;;
  esac
  {
    cat <<EOF
# Generated by deploy/kafka/kafka.sh on every start; edit the script or KAFKA_EXTRA_PROPERTIES, not this file.
process.roles=broker,controller
node.id=${NODE_ID}
controller.quorum.voters=${VOTERS}
listeners=PLAINTEXT://${HOST}:${PORT},CONTROLLER://${HOST}:${CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://${HOST}:${PORT}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${DATA_DIR}
num.partitions=1
auto.create.topics.enable=${auto_create}
offsets.topic.replication.factor=${REPLICATION}
offsets.topic.num.partitions=${INTERNAL_PARTITIONS}
transaction.state.log.replication.factor=${REPLICATION}
transaction.state.log.min.isr=${MIN_ISR}
transaction.state.log.num.partitions=${INTERNAL_PARTITIONS}
min.insync.replicas=${MIN_ISR}
default.replication.factor=${REPLICATION}
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
background.threads=4
# A restarted broker cannot re-register until the controller expires its previous session (9 s by default), which
# made every restart after a crash (SIGKILL) take 10+ s; 4 s keeps that short and is still ample on one host.
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
EOF
    if ((MAJOR >= 4)); then
      printf '%s\n' "share.coordinator.state.topic.replication.factor=${REPLICATION}" \
        "share.coordinator.state.topic.min.isr=${MIN_ISR}"
    fi
    if [[ -n "${KAFKA_EXTRA_PROPERTIES:-}" ]]; then
      printf '%s\n' "${KAFKA_EXTRA_PROPERTIES}"
    fi
  } >"${CONFIG_DIR}/server.properties.tmp"
  mv "${CONFIG_DIR}/server.properties.tmp" "${CONFIG_DIR}/server.properties"

  if ((MAJOR >= 4)); then
    cat >"${CONFIG_DIR}/log4j2.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.statechange.name = state.change.logger
logger.statechange.level = warn
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.clients.name = org.apache.kafka.clients
logger.clients.level = warn
EOF
  else
    cat >"${CONFIG_DIR}/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
EOF
  fi
}

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
    printf '%s\n' "${JAVA_HOME}/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    die "java not found (install a JDK 17+ or set JAVA_HOME)"
  fi
}

logging_opts() {
  if ((MAJOR >= 4)); then
    printf '%s\n' "-Dlog4j2.configurationFile=${CONFIG_DIR}/log4j2.properties"
  else
    printf '%s\n' "-Dlog4j.configuration=file:${CONFIG_DIR}/log4j.properties"
  fi
}

format_storage() {
  [[ -f "${DATA_DIR}/meta.properties" ]] && return 0
  local format_log="${VERSION_DIR}/format.log" log_opt
  log_opt="$(logging_opts)"
  # Static quorum (controller.quorum.voters): no --standalone, which both 3.9 and 4.1 reject together with voters.
  if ! "${JAVA}" "${log_opt}" -cp "${LIBS_DIR}/*" kafka.tools.StorageTool format \
    --config "${CONFIG_DIR}/server.properties" \
    --cluster-id "${KAFKA_CLUSTER_ID:-MkU3OEVBNTcwNTJENDM2Qg}" \
    --ignore-formatted >"${format_log}" 2>&1; then
    cat "${format_log}" >&2
    die "formatting ${DATA_DIR} failed"
  fi
}

# Application class-data sharing (JDK 13+): the first run records the classes it loaded into <archive>.tmp when the JVM
# exits; a clean `stop` promotes it, a crash discards it. Later starts map the archive instead of parsing ~50 jars.
# The archive name carries a hash of `java -version`, so another JDK records its own.
cds_opts() {
  [[ "${KAFKA_CDS:-1}" == "1" ]] || return 0
  local version_text java_major archive
  version_text="$("${JAVA}" -version 2>&1)"
  java_major="$(sed -n 's/.*version "\([0-9]*\).*/\1/p' <<<"${version_text}" | head -n 1)"
  [[ "${java_major}" =~ ^[0-9]+$ ]] && ((java_major >= 13)) || return 0
  archive="${VERSION_DIR}/cds/kafka-$(cksum <<<"${version_text}" | cut -d' ' -f1).jsa"
  mkdir -p "${VERSION_DIR}/cds"
  rm -f "${VERSION_DIR}"/cds/*.tmp
  if [[ -s "${archive}" ]]; then
    printf '%s\n' "-XX:SharedArchiveFile=${archive}"
  else
    printf '%s\n' "-XX:ArchiveClassesAtExit=${archive}.tmp"
  fi
}

# After a graceful exit the JVM has finished writing its archive; after SIGKILL it may be partial.
settle_cds() {
  local version_dir="$1" graceful="$2" tmp
  for tmp in "${version_dir}"/cds/*.jsa.tmp; do
    [[ -e "${tmp}" ]] || continue
    if [[ "${graceful}" == "1" && -s "${tmp}" ]]; then mv -f "${tmp}" "${tmp%.tmp}"; else rm -f "${tmp}"; fi
  done
}

# ---------------------------------------------------------------------------------------------------------------------
# Commands

wait_ready() {
  local pid="$1" deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-90}))
  while ((SECONDS < deadline)); do
    if ! kill -0 "${pid}" 2>/dev/null; then
      rm -f "${PID_FILE}"
      tail -n 40 "${LOG_FILE}" >&2 || true
      die "Kafka ${VERSION} exited during start-up (log: ${LOG_FILE})"
    fi
    if grep -q "${READY_MARKER}" "${LOG_FILE}" 2>/dev/null && broker_answers "${PORT}"; then
      return 0
    fi
    sleep 0.25
  done
  tail -n 40 "${LOG_FILE}" >&2 || true
  die "Kafka ${VERSION} not ready after ${KAFKA_START_TIMEOUT:-90}s (pid ${pid} left running; log: ${LOG_FILE})"
}

cmd_start() {
  local started=${SECONDS} instance pid version port
  if instance="$(running_instance)"; then
    read -r pid version port <<<"${instance}"
    [[ "${version}" == "${VERSION}" ]] ||
      die "Kafka ${version} is running (pid ${pid}); stop it first, or switch with: KAFKA_VERSION=${VERSION} $0 restart"
    [[ "${port}" == "${PORT}" ]] ||
      die "Kafka ${version} is running on port ${port}, not ${PORT}; restart it to change ports"
    # Running: healthy returns at once; still starting (or paused) waits for readiness like a fresh start.
    if ! broker_answers "${PORT}"; then
      wait_ready "${pid}"
    fi
    echo "kafka ${VERSION} already running on ${HOST}:${PORT} (pid ${pid})"
    return 0
  fi
  # A broker started from another checkout (or left by an earlier run) already answers on this port:
  # reuse it. Tests isolate themselves by topic prefix, so sharing is safe; a caller that must own
  # the broker (fault tests that kill it) sets KAFKA_REQUIRE_OWN=1.
  if [[ "${KAFKA_REQUIRE_OWN:-0}" != "1" ]] && port_open "${PORT}" && broker_answers "${PORT}"; then
    echo "kafka: reusing the broker already answering on ${HOST}:${PORT} (not started by this checkout)"
    return 0
  fi
  local p
  for p in "${PORT}" "${CONTROLLER_PORT}"; do
    if port_open "${p}"; then
      die "${HOST}:${p} is already in use by another process (ss -ltnp 'sport = :${p}' shows which)"
    fi
  done

  JAVA="$(java_bin)"
  ensure_libs
  write_config
  format_storage
  launch_broker
  pid="${LAUNCHED_PID}"

  wait_ready "${pid}"
  echo "kafka ${VERSION} ready on ${HOST}:${PORT} (pid ${pid}, $((SECONDS - started))s)"
}

# Spawns the JVM for the configured paths and ports in its own session, records "<pid> <version> <port>" in the pid
# file and sets LAUNCHED_PID; does not wait for readiness.
launch_broker() {
  [[ -f "${LOG_FILE}" ]] && mv -f "${LOG_FILE}" "${LOG_FILE}.1"
  local heap_opts="${KAFKA_HEAP_OPTS:-${DEFAULT_HEAP_OPTS}}"
  local jvm_opts="${KAFKA_JVM_OPTS:--XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError}"
  local -a cmd launcher=() cds=()
  mapfile -t cds < <(cds_opts)
  # shellcheck disable=SC2206 # the *_OPTS variables are whitespace-separated JVM flags on purpose
  cmd=("${JAVA}" ${heap_opts} ${jvm_opts} "${cds[@]}" -Djava.awt.headless=true "$(logging_opts)"
    -cp "${LIBS_DIR}/*" kafka.Kafka "${CONFIG_DIR}/server.properties")
  # Own session: the broker outlives this shell and its process group (CI steps, IDE terminals).
  command -v setsid >/dev/null 2>&1 && launcher=(setsid)
  local spawned="${VERSION_DIR}/spawned.pid"
  rm -f "${spawned}"
  # The child writes its own pid and then becomes java; fd 9 (the lock) is closed so the broker never holds it.
  # shellcheck disable=SC2016 # $$, $0 and $@ are for the child shell
  "${launcher[@]}" bash -c 'echo "$$" >"$0"; exec "$@"' "${spawned}" "${cmd[@]}" \
    </dev/null >"${LOG_FILE}" 2>&1 9>&- &
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "${spawned}" ]] && break
    sleep 0.05
  done
  [[ -s "${spawned}" ]] || die "could not launch java (see ${LOG_FILE})"
  LAUNCHED_PID="$(<"${spawned}")"
  rm -f "${spawned}"
  printf '%s %s %s\n' "${LAUNCHED_PID}" "${VERSION}" "${PORT}" >"${PID_FILE}"
}

# Stops whichever version is running (the pid file is shared by all versions under this cache root).
cmd_stop() {
  local instance pid version deadline graceful=1
  instance="$(running_instance)" || return 0
  read -r pid version _ <<<"${instance}"
  kill -CONT "${pid}" 2>/dev/null || true # a paused (SIGSTOP) broker cannot handle SIGTERM
  kill -TERM "${pid}" 2>/dev/null || true
  deadline=$((SECONDS + ${KAFKA_STOP_TIMEOUT:-30}))
  while kill -0 "${pid}" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kill -0 "${pid}" 2>/dev/null; then
    echo "kafka ${version} did not stop within ${KAFKA_STOP_TIMEOUT:-30}s; sending SIGKILL" >&2
    kill -KILL "${pid}" 2>/dev/null || true
    while kill -0 "${pid}" 2>/dev/null; do sleep 0.1; done
    graceful=0
  fi
  settle_cds "${CACHE_ROOT}/${version}${NODE_SUBDIR}" "${graceful}"
  rm -f "${PID_FILE}"
}

cmd_kill() {
  local instance pid version
  instance="$(running_instance)" || die "no broker running"
  read -r pid version _ <<<"${instance}"
  kill -KILL "${pid}"
  while kill -0 "${pid}" 2>/dev/null; do sleep 0.05; done
  settle_cds "${CACHE_ROOT}/${version}${NODE_SUBDIR}" 0
  rm -f "${PID_FILE}"
  echo "kafka ${version} killed (pid ${pid})"
}

cmd_status() {
  local instance pid version port
  if ! instance="$(running_instance)"; then
    echo "kafka not running (cache: ${CACHE_ROOT})"
    return 3
  fi
  read -r pid version port <<<"${instance}"
  if broker_answers "${port}"; then
    echo "kafka ${version} running on ${HOST}:${port} (pid ${pid}, data: ${CACHE_ROOT}/${version}/data)"
  else
    echo "kafka ${version} process ${pid} alive but ${HOST}:${port} not answering (starting, paused or stuck)"
    return 1
  fi
}

cmd_logs() {
  local instance pid version log="${LOG_FILE}"
  if instance="$(running_instance)"; then
    read -r pid version _ <<<"${instance}"
    log="${CACHE_ROOT}/${version}${NODE_SUBDIR}/kafka.log"
  fi
  [[ -f "${log}" ]] || die "no log yet at ${log}"
  case "${1:-}" in
    -f) tail -n 40 -f "${log}" ;;
    "") tail -n 200 "${log}" ;;
    *[!0-9]*) usage ;;
    *) tail -n "$1" "${log}" ;;
  esac
}

cmd_path() {
  case "${1:-}" in
    "") printf '%s\n' "${VERSION_DIR}" ;;
    cache) printf '%s\n' "${CACHE_ROOT}" ;;
    libs) printf '%s\n' "${LIBS_DIR}" ;;
    data) printf '%s\n' "${DATA_DIR}" ;;
    config) printf '%s\n' "${CONFIG_DIR}/server.properties" ;;
    log) printf '%s\n' "${LOG_FILE}" ;;
    pid) printf '%s\n' "${PID_FILE}" ;;
    *) usage ;;
  esac
}

# ---------------------------------------------------------------------------------------------------------------------
# Cluster mode: three combined broker + controller nodes (see the header)

readonly CLUSTER_NODES=(1 2 3)

init_cluster() {
  CLUSTER_ROOT="${KAFKA_CLUSTER_DIR:-${REPO_ROOT}/.cache/kafka-cluster}"
  [[ "${CLUSTER_ROOT}" == /* ]] || CLUSTER_ROOT="${PWD}/${CLUSTER_ROOT}"
  CLUSTER_PORT="${KAFKA_CLUSTER_PORT:-18092}"
  CLUSTER_CONTROLLER_PORT="${KAFKA_CLUSTER_CONTROLLER_PORT:-18192}"
  [[ "${CLUSTER_PORT}" =~ ^[0-9]+$ && "${CLUSTER_CONTROLLER_PORT}" =~ ^[0-9]+$ ]] ||
    die "KAFKA_CLUSTER_PORT and KAFKA_CLUSTER_CONTROLLER_PORT must be port numbers"
  local n voters=()
  for n in "${CLUSTER_NODES[@]}"; do voters+=("${n}@${HOST}:$((CLUSTER_CONTROLLER_PORT + n - 1))"); done
  CLUSTER_VOTERS="$(
    IFS=,
    printf '%s' "${voters[*]}"
  )"
}

# Points every path and port the single-node functions use at node N (init_paths has run; LIBS_DIR stays shared).
init_node() {
  local n="$1"
  [[ "${n}" =~ ^[1-3]$ ]] || die "node must be 1, 2 or 3, got '${n}'"
  NODE_ID="${n}"
  NODE_SUBDIR="/node-${n}"
  CACHE_ROOT="${CLUSTER_ROOT}"
  VERSION_DIR="${CLUSTER_ROOT}/${VERSION}${NODE_SUBDIR}"
  DATA_DIR="${VERSION_DIR}/data"
  CONFIG_DIR="${VERSION_DIR}/config"
  LOG_FILE="${VERSION_DIR}/kafka.log"
  PID_FILE="${CLUSTER_ROOT}/node-${n}.pid"
  LOCK_FILE="${CLUSTER_ROOT}/.lock"
  PORT=$((CLUSTER_PORT + n - 1))
  CONTROLLER_PORT=$((CLUSTER_CONTROLLER_PORT + n - 1))
  VOTERS="${CLUSTER_VOTERS}"
  REPLICATION=3
  MIN_ISR=2
  INTERNAL_PARTITIONS=3
  DEFAULT_HEAP_OPTS="-Xms128m -Xmx512m -XX:+UseG1GC"
}

cluster_brokers() {
  local n list=()
  for n in "${CLUSTER_NODES[@]}"; do list+=("${HOST}:$((CLUSTER_PORT + n - 1))"); done
  (
    IFS=,
    printf '%s\n' "${list[*]}"
  )
}

# Launches node N unless it runs already (no wait). A node cannot report ready before a majority of voters runs, so
# `cluster start` launches all of them first and waits afterwards.
cluster_launch_node() {
  init_node "$1"
  if running_instance >/dev/null; then
    return 0
  fi
  local p
  for p in "${PORT}" "${CONTROLLER_PORT}"; do
    port_open "${p}" && die "${HOST}:${p} (node $1) is already in use by another process"
  done
  write_config
  format_storage
  launch_broker
}

cluster_wait_node() {
  local instance pid
  init_node "$1"
  instance="$(running_instance)" || die "node $1 is not running (log: ${LOG_FILE})"
  read -r pid _ <<<"${instance}"
  broker_answers "${PORT}" || wait_ready "${pid}"
}

cluster_start() {
  local started=${SECONDS} n
  for n in "${CLUSTER_NODES[@]}"; do cluster_launch_node "${n}"; done
  for n in "${CLUSTER_NODES[@]}"; do cluster_wait_node "${n}"; done
  echo "kafka ${VERSION} cluster ready on $(cluster_brokers) ($((SECONDS - started))s, data: ${CLUSTER_ROOT}/${VERSION})"
}

cluster_start_node() {
  local started=${SECONDS}
  cluster_launch_node "$1"
  cluster_wait_node "$1"
  echo "kafka ${VERSION} node $1 ready on ${HOST}:${PORT} ($((SECONDS - started))s)"
}

# SIGTERM to every node at once: stopped one by one, the last two would each wait for a quorum that is gone.
cluster_stop() {
  local n instance pid version deadline
  local -a pids=()
  for n in "${CLUSTER_NODES[@]}"; do
    init_node "${n}"
    if instance="$(running_instance)"; then
      read -r pid version _ <<<"${instance}"
      kill -CONT "${pid}" 2>/dev/null || true
      kill -TERM "${pid}" 2>/dev/null || true
      pids[n]="${pid}"
    fi
  done
  deadline=$((SECONDS + ${KAFKA_STOP_TIMEOUT:-30}))
  for n in "${!pids[@]}"; do
    init_node "${n}"
    pid="${pids[n]}"
    while kill -0 "${pid}" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "${pid}" 2>/dev/null; then
      echo "kafka node ${n} did not stop within ${KAFKA_STOP_TIMEOUT:-30}s; sending SIGKILL" >&2
      kill -KILL "${pid}" 2>/dev/null || true
      while kill -0 "${pid}" 2>/dev/null; do sleep 0.1; done
      settle_cds "${VERSION_DIR}" 0
    else
      settle_cds "${VERSION_DIR}" 1
    fi
    rm -f "${PID_FILE}"
  done
}

cluster_status() {
  local n instance pid version port up=0 answering=0
  for n in "${CLUSTER_NODES[@]}"; do
    init_node "${n}"
    if ! instance="$(running_instance)"; then
      echo "node ${n}: not running (${HOST}:${PORT})"
      continue
    fi
    read -r pid version port <<<"${instance}"
    up=$((up + 1))
    if broker_answers "${port}"; then
      answering=$((answering + 1))
      echo "node ${n}: kafka ${version} running on ${HOST}:${port} (pid ${pid}, data: ${DATA_DIR})"
    else
      echo "node ${n}: process ${pid} alive but ${HOST}:${port} not answering (starting, paused or stuck)"
    fi
  done
  ((up > 0)) || return 3
  ((answering == ${#CLUSTER_NODES[@]})) || return 1
}

# SIGSTOP (pause) or SIGCONT (resume) to node N.
cluster_signal_node() {
  local instance pid signal=STOP
  [[ "$1" == resume ]] && signal=CONT
  init_node "$2"
  instance="$(running_instance)" || die "node $2 is not running"
  read -r pid _ <<<"${instance}"
  kill "-${signal}" "${pid}"
  echo "kafka node $2 ${1}d (pid ${pid})"
}

cluster_path() {
  if [[ -z "${1:-}" ]]; then
    printf '%s\n' "${CLUSTER_ROOT}/${VERSION}"
  else
    init_node "$1"
    printf '%s\n' "${VERSION_DIR}"
  fi
}

cluster_main() {
  local command="${1:-}" node="${2:-}"
  [[ $# -gt 0 ]] && shift
  init_cluster
  case "${command}" in
    start | stop | kill | start-node | stop-node)
      # Libraries are the single node's: assemble them (once) under its lock, then hold the cluster's lock.
      JAVA="$(java_bin)"
      [[ "${command}" == start* ]] && with_lock && ensure_libs
      CACHE_ROOT="${CLUSTER_ROOT}"
      LOCK_FILE="${CLUSTER_ROOT}/.lock"
      with_lock
      ;;
    *) ;;
  esac
  case "${command}" in
    start) cluster_start ;;
    stop) cluster_stop ;;
    status) cluster_status ;;
    brokers) cluster_brokers ;;
    kill)
      init_node "${node}"
      cmd_kill
      ;;
    start-node) cluster_start_node "${node}" ;;
    pause | resume) cluster_signal_node "${command}" "${node}" ;;
    stop-node)
      init_node "${node}"
      cmd_stop
      echo "kafka node ${node} stopped"
      ;;
    logs)
      [[ -n "${node}" ]] || usage
      shift
      init_node "${node}"
      cmd_logs "$@"
      ;;
    path) cluster_path "${node}" ;;
    *) usage ;;
  esac
}

main() {
  local command="${1:-}"
  [[ $# -gt 0 ]] && shift
  sticky_pid_files "${command}"
  init_paths
  if [[ "${command}" == "cluster" ]]; then
    cluster_main "$@"
    return
  fi
  case "${command}" in
    start | stop | restart | kill) with_lock ;;
    *) ;;
  esac
  case "${command}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart)
      cmd_stop
      cmd_start
      ;;
    kill) cmd_kill ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    path) cmd_path "$@" ;;
    *) usage ;;
  esac
}

main "$@"
