#!/usr/bin/env bash
# Makes sure the PostgreSQL named by DATABASE_URL is usable for development and tests:
#   1. the server answers on the URL's host and port; a local Debian/Ubuntu cluster on that port that is down is
#      started with pg_ctlcluster;
#   2. the database of the URL exists (created from the `postgres` maintenance database if missing);
#   3. the schemas in DB_SCHEMAS exist (each service owns one and runs its own migrations in it).
# Idempotent and quiet: prints nothing on success unless it had to start or create something.
#
# Environment:
#   DATABASE_URL  postgres://user[:password]@host[:port]/database[?params]
#                 (default postgres://postgres@127.0.0.1:5432/invoice_sync)
#   DB_SCHEMAS    space-separated schema names (default "gateway sync reconcile notifier")
#   PG_START_TIMEOUT  seconds to wait for a started server (default 30)
set -euo pipefail

readonly DEFAULT_URL="postgres://postgres@127.0.0.1:5432/invoice_sync"

die() {
  printf 'postgres/ensure.sh: %s\n' "$*" >&2
  exit 1
}

note() {
  printf 'postgres/ensure.sh: %s\n' "$*"
}

# Splits DATABASE_URL into URL_BASE (scheme://authority), DB_NAME, URL_QUERY, PG_HOST and PG_PORT.
parse_url() {
  local url="$1" authority hostport
  [[ "${url}" =~ ^(postgres(ql)?://([^/?]*))/([^/?]+)(\?.*)?$ ]] ||
    die "DATABASE_URL must look like postgres://user@host:port/database, got '${url}'"
  URL_BASE="${BASH_REMATCH[1]}"
  authority="${BASH_REMATCH[3]}"
  DB_NAME="${BASH_REMATCH[4]}"
  URL_QUERY="${BASH_REMATCH[5]:-}"
  [[ "${DB_NAME}" =~ ^[A-Za-z0-9_-]+$ ]] || die "unsupported database name '${DB_NAME}' (letters, digits, _ and - only)"
  hostport="${authority##*@}"
  if [[ "${hostport}" =~ ^\[([^]]+)\](:([0-9]+))?$ ]]; then # [ipv6]:port
    PG_HOST="${BASH_REMATCH[1]}"
    PG_PORT="${BASH_REMATCH[3]:-5432}"
  elif [[ "${hostport}" =~ ^([^:]*)(:([0-9]+))?$ ]]; then
    PG_HOST="${BASH_REMATCH[1]:-127.0.0.1}"
    PG_PORT="${BASH_REMATCH[3]:-5432}"
  else
    die "cannot read host and port from '${hostport}'"
  fi
}

is_local_host() {
  case "${PG_HOST}" in
    127.0.0.1 | localhost | ::1 | /*) return 0 ;;
    *) return 1 ;;
  esac
}

server_ready() {
  pg_isready -q -h "${PG_HOST}" -p "${PG_PORT}" -t 3 >/dev/null 2>&1
}

# Starts the local pg_ctlcluster-managed cluster(s) configured for PG_PORT (Debian/Ubuntu packaging).
start_local_cluster() {
  command -v pg_lsclusters >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null 2>&1 || return 1
  local version cluster port status _rest started=1
  while read -r version cluster port status _rest; do
    [[ "${port}" == "${PG_PORT}" ]] || continue
    [[ "${status}" == online* ]] && continue
    note "starting PostgreSQL ${version}/${cluster} on port ${port}"
    if pg_ctlcluster --skip-systemctl-redirect "${version}" "${cluster}" start; then
      started=0
    else
      printf 'postgres/ensure.sh: pg_ctlcluster could not start %s/%s (run as root or the cluster owner)\n' \
        "${version}" "${cluster}" >&2
    fi
  done < <(pg_lsclusters --no-header 2>/dev/null)
  return "${started}"
}

ensure_server() {
  server_ready && return 0
  if is_local_host && start_local_cluster; then
    local deadline=$((SECONDS + ${PG_START_TIMEOUT:-30}))
    until server_ready; do
      ((SECONDS < deadline)) || die "PostgreSQL on ${PG_HOST}:${PG_PORT} was started but is not ready after ${PG_START_TIMEOUT:-30}s"
      sleep 0.5
    done
    return 0
  fi
  if is_local_host; then
    die "no PostgreSQL server answers on ${PG_HOST}:${PG_PORT} and no local cluster on that port could be started;" \
      "install PostgreSQL 15 (see docs/infrastructure.md) or point DATABASE_URL at a running server"
  fi
  die "no PostgreSQL server answers on ${PG_HOST}:${PG_PORT} (remote host: not starting anything)"
}

run_sql() {
  local url="$1"
  shift
  PGCONNECT_TIMEOUT=5 psql -X -q -v ON_ERROR_STOP=1 --no-psqlrc -At "$@" "${url}"
}

ensure_database() {
  local maintenance_url="${URL_BASE}/postgres${URL_QUERY}" exists
  exists="$(run_sql "${maintenance_url}" -v db="${DB_NAME}" <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")" ||
    die "cannot connect to the 'postgres' database on ${PG_HOST}:${PG_PORT} with the credentials of DATABASE_URL"
  [[ "${exists}" == "1" ]] && return 0
  # A concurrent run may create it first: accept that instead of failing.
  if ! run_sql "${maintenance_url}" -v db="${DB_NAME}" <<<"SELECT format('CREATE DATABASE %I', :'db') \gexec" 2>/dev/null; then
    exists="$(run_sql "${maintenance_url}" -v db="${DB_NAME}" <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")"
    [[ "${exists}" == "1" ]] || die "could not create database '${DB_NAME}'"
    return 0
  fi
  note "created database ${DB_NAME}"
}

ensure_schemas() {
  local schema sql=""
  for schema in ${DB_SCHEMAS:-gateway sync reconcile notifier}; do
    [[ "${schema}" =~ ^[a-z_][a-z0-9_]*$ ]] || die "invalid schema name '${schema}' in DB_SCHEMAS"
    sql+="CREATE SCHEMA IF NOT EXISTS ${schema};"$'\n'
  done
  [[ -n "${sql}" ]] || return 0
  sql="SET client_min_messages = warning;"$'\n'"${sql}"
  # Concurrent CREATE SCHEMA IF NOT EXISTS can still collide on the catalog's unique index: retry once.
  run_sql "${DATABASE_URL}" <<<"${sql}" >/dev/null 2>&1 ||
    run_sql "${DATABASE_URL}" <<<"${sql}" >/dev/null ||
    die "could not create schemas in ${DB_NAME}"
}

main() {
  DATABASE_URL="${DATABASE_URL:-${DEFAULT_URL}}"
  local tool
  for tool in psql pg_isready; do
    command -v "${tool}" >/dev/null 2>&1 || die "${tool} not found: install the PostgreSQL client (postgresql-client)"
  done
  parse_url "${DATABASE_URL}"
  ensure_server
  ensure_database
  ensure_schemas
}

main "$@"
