#!/usr/bin/env bash
# Install (if needed) and start a local PostgreSQL server for the test suite, then print its URL.
#
# Runs as root on Debian/Ubuntu with apt. Idempotent: a second run reuses the cluster, role and
# database. Use it as:   export DEBRIEF_TEST_PG_URL="$(bash scripts/pg.sh)"
# Everything but the URL goes to stderr, so the line above captures only the URL.
set -euo pipefail

PG_USER="${PG_USER:-debrief}"
PG_PASSWORD="${PG_PASSWORD:-debrief}"
PG_DB="${PG_DB:-debrief_test}"
PG_PORT="${PG_PORT:-5432}"

log() { echo "pg.sh: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    log "must run as root (it installs packages and starts a system service)"
    exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    log "installing postgresql with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi

# The newest installed server version, and its cluster (create one if the package made none).
version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
cluster="main"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$version $cluster"; then
    log "creating cluster $version/$cluster on port $PG_PORT"
    pg_createcluster --port "$PG_PORT" "$version" "$cluster" >&2
fi
port="$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')"
status="$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $4}')"
if [ "$status" != "online" ]; then
    log "starting cluster $version/$cluster"
    pg_ctlcluster "$version" "$cluster" start >&2
fi

# Wait until the server accepts connections (a cold start can take a few seconds).
for _ in $(seq 1 60); do
    if su postgres -c "psql -p $port -tAc 'SELECT 1'" >/dev/null 2>&1; then
        break
    fi
    sleep 0.5
done

psql_admin() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -tAc \"$1\"" >&2; }

if [ -z "$(su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'\"")" ]; then
    log "creating role $PG_USER"
    psql_admin "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD' CREATEDB"
fi
if [ -z "$(su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = '$PG_DB'\"")" ]; then
    log "creating database $PG_DB"
    psql_admin "CREATE DATABASE $PG_DB OWNER $PG_USER"
fi

echo "postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
