#!/usr/bin/env bash
# Runs every test: unit tests, integration tests against real PostgreSQL and the AWS emulator, the
# end-to-end test that starts the worker and two API instances as real processes, the fault suite,
# and then a schemathesis fuzz run of the API (scripts/fuzz.sh; FUZZ=0 skips it). Arguments are
# passed to Maven and skip the fuzz run (e.g. -pl ingest-worker -am -Dit.test=...).
#
# With a Docker engine, Testcontainers starts PostgreSQL 15 and LocalStack 4.14.0. Without one (or
# with ASSETS_NO_DOCKER=1), this script starts both on the host and tells the tests where they are.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_build_tools
ensure_browser_tools

if docker_engine; then
  say "Docker engine found: Testcontainers will start PostgreSQL and LocalStack 4.14.0"
else
  say "no Docker engine: starting PostgreSQL and the emulator on this host"
  start_host_services
  export ASSETS_TEST_PG_URL="jdbc:postgresql://${ASSETS_PG_HOST:-localhost}:${ASSETS_PG_PORT:-5432}/${ASSETS_PG_DB:-assets}"
  export ASSETS_TEST_PG_USER="${ASSETS_PG_USER:-assets}"
  export ASSETS_TEST_PG_PASSWORD="${ASSETS_PG_PASSWORD:-assets}"
  export ASSETS_TEST_AWS_ENDPOINT="${AWS_ENDPOINT:-http://127.0.0.1:4566}"
  # outage tests stop and start this host's PostgreSQL cluster (the one on the port above)
  cluster=$(pg_cluster_on_port "${ASSETS_PG_PORT:-5432}")
  if [ -n "$cluster" ]; then
    export ASSETS_TEST_PG_STOP="pg_ctlcluster $cluster stop -m fast" ASSETS_TEST_PG_START="pg_ctlcluster $cluster start"
  fi
  # every test class makes its own database; drop the previous run's
  PGPASSWORD="$ASSETS_TEST_PG_PASSWORD" psql -qAt -h "${ASSETS_PG_HOST:-localhost}" -p "${ASSETS_PG_PORT:-5432}" \
    -U "$ASSETS_TEST_PG_USER" -d "${ASSETS_PG_DB:-assets}" \
    -c "SELECT datname FROM pg_database WHERE datname LIKE 'test\_%'" | while read -r db; do
      PGPASSWORD="$ASSETS_TEST_PG_PASSWORD" psql -qAt -h "${ASSETS_PG_HOST:-localhost}" -p "${ASSETS_PG_PORT:-5432}" \
        -U "$ASSETS_TEST_PG_USER" -d "${ASSETS_PG_DB:-assets}" -c "DROP DATABASE IF EXISTS \"$db\"" || true
    done
  say "tests use PostgreSQL at $ASSETS_TEST_PG_URL and $(emulator_kind) at $ASSETS_TEST_AWS_ENDPOINT"
fi

mvn -B -ntp verify "$@"

# the whole suite (no arguments narrowing it): also fuzz the API against its own OpenAPI document
if [ $# -eq 0 ] && [ "${FUZZ:-1}" != "0" ]; then
  bash "$REPO_ROOT/scripts/fuzz.sh"
fi
