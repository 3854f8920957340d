-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d), in POSTGRES_DB.
-- One schema per service; each service runs its own migrations inside it. Same list as deploy/postgres/ensure.sh.
CREATE SCHEMA IF NOT EXISTS gateway;
CREATE SCHEMA IF NOT EXISTS sync;
CREATE SCHEMA IF NOT EXISTS reconcile;
CREATE SCHEMA IF NOT EXISTS notifier;
