#!/usr/bin/env bash
# Makes a PostgreSQL server answer on $ASSETS_PG_HOST:$ASSETS_PG_PORT (default localhost:5432) with a
# role and database for the pipeline. Uses a server you name; otherwise starts (or installs, with apt)
# this host's PostgreSQL. Local credentials only: never use them anywhere that matters.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_HOST=${ASSETS_PG_HOST:-localhost}
PG_PORT=${ASSETS_PG_PORT:-5432}
PG_USER=${ASSETS_PG_USER:-assets}
PG_PASSWORD=${ASSETS_PG_PASSWORD:-assets}
PG_DB=${ASSETS_PG_DB:-assets}

answers() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "postgres-up: installing PostgreSQL with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi

if ! answers; then
  if [ "$PG_HOST" != "localhost" ] && [ "$PG_HOST" != "127.0.0.1" ]; then
    echo "postgres-up: nothing answers on $PG_HOST:$PG_PORT" >&2
    exit 1
  fi
  cluster=$(pg_cluster_on_port "$PG_PORT")
  if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
    echo "postgres-up: creating cluster $version/main on port $PG_PORT"
    pg_createcluster "$version" main --port "$PG_PORT" >/dev/null
    cluster="$version main"
  fi
  echo "postgres-up: starting cluster $cluster"
  # shellcheck disable=SC2086
  pg_ctlcluster $cluster start
  for _ in $(seq 1 30); do answers && break; sleep 1; done
  answers || { echo "postgres-up: PostgreSQL did not come up" >&2; exit 1; }
fi

as_admin() {
  if [ -n "${ASSETS_PG_ADMIN_URL:-}" ]; then
    psql -v ON_ERROR_STOP=1 -qAt "$ASSETS_PG_ADMIN_URL" "$@"
  else
    # the local superuser over the Unix socket (peer authentication)
    su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -p '$PG_PORT' $(printf "%q " "$@")"
  fi
}

if [ "$(as_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
  as_admin -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
fi
if [ "$(as_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
  as_admin -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\""
fi
echo "postgres-up: PostgreSQL ready at $PG_HOST:$PG_PORT, database $PG_DB, role $PG_USER"
