#!/usr/bin/env bash
# The soak (issue: hardening). Starts PostgreSQL, the emulator, the worker and the API on this host,
# on a database, bucket and queue of their own, then runs mixed traffic for 10 minutes: uploads through
# presigned URLs, reads, list pages, injected events (duplicates, late arrivals) and a few poison
# messages. It prints requests by status, events by outcome, rows lost and wrong, 5xx, and each
# service's RSS, threads and database connections at the start, the middle and the end.
# Not part of CI's test command.
#
#   scripts/soak.sh                 # 10 minutes of traffic
#   SOAK_SHORT=1 scripts/soak.sh    # 1 minute
#   SOAK_SECONDS=1800 scripts/soak.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

PG_HOST=${ASSETS_PG_HOST:-localhost} PG_PORT=${ASSETS_PG_PORT:-5432}
PG_USER=${ASSETS_PG_USER:-assets} PG_PASSWORD=${ASSETS_PG_PASSWORD:-assets}
SOAK_DB=assets_soak BUCKET=assets-soak QUEUE=asset-events-soak
AWS_ENDPOINT=${AWS_ENDPOINT:-http://127.0.0.1:4566}
WORKER_PORT=8095 API_PORT=8094
RUN_DIR="$STATE_DIR/soak"
# the operator password of this run only, for the worker's metrics endpoint
OPERATOR_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
mkdir -p "$RUN_DIR"

ensure_build_tools
start_host_services
say "a fresh database $SOAK_DB"
PGPASSWORD="$PG_PASSWORD" psql -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres \
  -c "DROP DATABASE IF EXISTS $SOAK_DB" -c "CREATE DATABASE $SOAK_DB"
# a 12 s visibility timeout (6 x 2 s), so poison messages reach the dead-letter queue within the run
ASSETS_BUCKET=$BUCKET ASSETS_QUEUE=$QUEUE ASSETS_DLQ=$QUEUE-dlq AWS_ENDPOINT=$AWS_ENDPOINT \
  ASSETS_WORKER_SHUTDOWN_SECONDS=2 bash localstack/init/ready.d/10-create-resources.sh >/dev/null
if [ "${SOAK_NO_BUILD:-0}" != "1" ]; then
  say "building (mvn package, tests skipped)"
  mvn -B -q -ntp -DskipTests package
fi

COMMON_ARGS=(--spring.profiles.active=local
  --spring.datasource.url="jdbc:postgresql://$PG_HOST:$PG_PORT/$SOAK_DB"
  --spring.datasource.username="$PG_USER" --spring.datasource.password="$PG_PASSWORD"
  --assets.upload.bucket=$BUCKET --assets.ingest.queue=$QUEUE)
prepare_service ingest-worker "$(ls ingest-worker/target/ingest-worker-*-exec.jar)" "${COMMON_ARGS[@]}"
WORKER_CMD=("${SERVICE_CMD[@]}")
prepare_service api-gateway-service "$(ls api-gateway-service/target/api-gateway-service-*-exec.jar)" "${COMMON_ARGS[@]}"
API_CMD=("${SERVICE_CMD[@]}")

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do stop_process "$pid" 30; done; }
trap cleanup EXIT
start_until_ready "$RUN_DIR/worker.log" $WORKER_PORT "${WORKER_CMD[@]}" "${COMMON_ARGS[@]}" \
  --assets.operator.password-hash="{noop}$OPERATOR_PASSWORD" \
  --spring.datasource.hikari.data-source-properties.ApplicationName=ingest-worker
WORKER_PID=$STARTED_PID; PIDS+=("$STARTED_PID")
start_until_ready "$RUN_DIR/api.log" $API_PORT "${API_CMD[@]}" "${COMMON_ARGS[@]}" \
  --spring.datasource.hikari.data-source-properties.ApplicationName=api-gateway-service
API_PID=$STARTED_PID; PIDS+=("$STARTED_PID")
say "worker (pid $WORKER_PID) and API (pid $API_PID) ready"

CLASSPATH_FILE="$RUN_DIR/classpath"
mvn -B -q -ntp -pl benchmark dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null
SOAK_API=http://localhost:$API_PORT SOAK_WORKER=http://localhost:$WORKER_PORT \
SOAK_OPERATOR="operator:$OPERATOR_PASSWORD" SOAK_API_PID=$API_PID SOAK_WORKER_PID=$WORKER_PID \
SOAK_PG_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$SOAK_DB" SOAK_PG_USER=$PG_USER SOAK_PG_PASSWORD=$PG_PASSWORD \
SOAK_AWS_ENDPOINT=$AWS_ENDPOINT SOAK_BUCKET=$BUCKET SOAK_QUEUE=$QUEUE \
SOAK_SECONDS=${SOAK_SECONDS:-$([ "${SOAK_SHORT:-0}" = 1 ] && echo 60 || echo 600)} \
  "$(service_java)" -cp "benchmark/target/classes:$(cat "$CLASSPATH_FILE")" dev.assetpipeline.benchmark.Soak
