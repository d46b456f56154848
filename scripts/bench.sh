#!/usr/bin/env bash
# The performance benchmark (README, "Performance and capacity"). Starts what it needs on this host
# (PostgreSQL, the emulator, two workers and four API instances with the lean defaults of
# scripts/lib.sh, on a database and buckets/queues of its own), measures start-up and idle memory, then
# runs every comparison with its reference interleaved in the same run and prints a table:
# figure, ours, reference, ratio (median and range over the rounds). Not a pass/fail test.
#
#   scripts/bench.sh            # the full run: 1,000,000 rows, 2,000 events a round, ~27 minutes
#   BENCH_SHORT=1 scripts/bench.sh   # every comparison, small sizes, a few minutes
# One part only: BENCH_ONLY=reads,uploads,cached,latency,ingest (comma-separated).
# Sizes and durations: BENCH_ROUNDS, BENCH_SECONDS, BENCH_LARGE_TABLE, BENCH_EVENTS, ... (Settings.java).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

PG_HOST=${ASSETS_PG_HOST:-localhost} PG_PORT=${ASSETS_PG_PORT:-5432}
PG_USER=${ASSETS_PG_USER:-assets} PG_PASSWORD=${ASSETS_PG_PASSWORD:-assets}
BENCH_DB=${BENCH_DB:-assets_bench}
AWS_ENDPOINT=${AWS_ENDPOINT:-http://127.0.0.1:4566}
BUCKET=assets-bench QUEUE=asset-events-bench
WORKER_PORT=8093 TRUSTING_WORKER_PORT=8094 API_A_PORT=8090 API_B_PORT=8091 API_UNCACHED_PORT=8092 API_TRUSTING_PORT=8095
RUN_DIR="$STATE_DIR/bench"
mkdir -p "$RUN_DIR"

ensure_build_tools
if ! command -v wrk >/dev/null; then
  say "installing wrk with apt (the upload-URL load, Wrk.java)"
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
start_host_services
psql_bench() { PGPASSWORD="$PG_PASSWORD" psql -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"; }
say "a fresh database $BENCH_DB"
psql_bench -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB"
ASSETS_BUCKET=$BUCKET ASSETS_QUEUE=$QUEUE ASSETS_DLQ=$QUEUE-dlq AWS_ENDPOINT=$AWS_ENDPOINT \
  bash localstack/init/ready.d/10-create-resources.sh >/dev/null
# a second worker's queue: it trusts the emulator's one principal as deploy/ trusts the API's role
ASSETS_BUCKET=$BUCKET-trusting ASSETS_QUEUE=$QUEUE-trusting ASSETS_DLQ=$QUEUE-trusting-dlq AWS_ENDPOINT=$AWS_ENDPOINT \
  bash localstack/init/ready.d/10-create-resources.sh >/dev/null
# the ingest rounds hold their backlog here, then move it to a worker's queue at once (Ingest.java)
ASSETS_BUCKET=$BUCKET-held ASSETS_QUEUE=$QUEUE-held ASSETS_DLQ=$QUEUE-held-dlq AWS_ENDPOINT=$AWS_ENDPOINT \
  bash localstack/init/ready.d/10-create-resources.sh >/dev/null
if [ "${BENCH_NO_BUILD:-0}" != "1" ]; then
  say "building (mvn package, tests skipped)"
  mvn -B -q -ntp -DskipTests package
fi

COMMON_ARGS=(--spring.profiles.active=local
  --spring.datasource.url="jdbc:postgresql://$PG_HOST:$PG_PORT/$BENCH_DB"
  --spring.datasource.username="$PG_USER" --spring.datasource.password="$PG_PASSWORD"
  --assets.upload.bucket=$BUCKET --assets.ingest.queue=$QUEUE
  # the per-instance URL rate limit would be the figure otherwise
  --assets.limits.urls-per-minute=1000000000)
WORKER_JAR=$(ls ingest-worker/target/ingest-worker-*-exec.jar)
API_JAR=$(ls api-gateway-service/target/api-gateway-service-*-exec.jar)
prepare_service ingest-worker "$WORKER_JAR" "${COMMON_ARGS[@]}"
WORKER_CMD=("${SERVICE_CMD[@]}")
prepare_service api-gateway-service "$API_JAR" "${COMMON_ARGS[@]}"
API_CMD=("${SERVICE_CMD[@]}")
say "services run with: ${API_CMD[*]:0:${#API_CMD[@]}-2}"

# the operator's password of the worker that HEADs everything, for its HEAD timer; made up for this run
OPERATOR_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do stop_process "$pid" 30; done; }
trap cleanup EXIT

# start name port args...: runs it in the background, sets STARTED_PID and STARTUP_SECONDS
start() {
  local name=$1 port=$2; shift 2
  start_until_ready "$RUN_DIR/$name.log" "$port" "$@"
  PIDS+=("$STARTED_PID")
}
# LocalStack's process when it runs on this host (not in Docker): the benchmark prints its CPU per event
emulator_pid() { local pid; pid=$(cat "$STATE_DIR/localstack.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null && echo "$pid"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# Start-up to readiness and idle RSS (10 s after readiness), three starts each; the last ones stay up.
declare -A STARTUP=() IDLE=()
STARTS=${BENCH_STARTS:-3}
for round in $(seq 1 "$STARTS"); do
  for service in worker api; do
    if [ "$service" = worker ]; then start worker $WORKER_PORT "${WORKER_CMD[@]}" "${COMMON_ARGS[@]}" \
      "--assets.operator.password-hash={noop}$OPERATOR_PASSWORD"
    else start api-a $API_A_PORT "${API_CMD[@]}" "${COMMON_ARGS[@]}"; fi
    pid=$STARTED_PID
    sleep 10
    STARTUP[$service]="${STARTUP[$service]:-} $STARTUP_SECONDS"
    IDLE[$service]="${IDLE[$service]:-} $(rss_mb "$pid")"
    say "$service start $round: ready in ${STARTUP_SECONDS}s, idle RSS $(rss_mb "$pid") MB"
    if [ "$round" -lt "$STARTS" ]; then stop_process "$pid" 30; fi
    if [ "$service" = worker ]; then WORKER_PID=$pid; else API_A_PID=$pid; fi
  done
done
start api-b $API_B_PORT "${API_CMD[@]}" "${COMMON_ARGS[@]}"
start api-uncached $API_UNCACHED_PORT "${API_CMD[@]}" "${COMMON_ARGS[@]}" --assets.read.cache-max-entries=0
# every object LocalStack reports names this writer; on AWS only the API's presigned PUTs would name its role
start worker-trusting $TRUSTING_WORKER_PORT "${WORKER_CMD[@]}" \
  "${COMMON_ARGS[@]/#--assets.ingest.queue=*/--assets.ingest.queue=$QUEUE-trusting}" \
  --assets.ingest.trusted-writers=AIDAJDPLRKLG7UEXAMPLE
TRUSTING_WORKER_PID=$STARTED_PID
# upload URLs for the trusting worker's bucket: PUT -> AVAILABLE as API uploads go on AWS
start api-trusting $API_TRUSTING_PORT "${API_CMD[@]}" \
  "${COMMON_ARGS[@]/#--assets.upload.bucket=*/--assets.upload.bucket=$BUCKET-trusting}"

CLASSPATH_FILE="$RUN_DIR/classpath"
mvn -B -q -ntp -pl benchmark dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null
BENCH_API_A=http://localhost:$API_A_PORT BENCH_API_B=http://localhost:$API_B_PORT \
BENCH_API_UNCACHED=http://localhost:$API_UNCACHED_PORT BENCH_API_TRUSTING=http://localhost:$API_TRUSTING_PORT \
BENCH_WORKER=http://localhost:$WORKER_PORT BENCH_WORKER_OPERATOR="operator:$OPERATOR_PASSWORD" \
BENCH_PG_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$BENCH_DB" BENCH_PG_USER=$PG_USER BENCH_PG_PASSWORD=$PG_PASSWORD \
BENCH_AWS_ENDPOINT=$AWS_ENDPOINT BENCH_BUCKET=$BUCKET BENCH_QUEUE=$QUEUE \
BENCH_WORKER_PID=$WORKER_PID BENCH_TRUSTING_WORKER_PID=$TRUSTING_WORKER_PID BENCH_API_A_PID=$API_A_PID \
BENCH_EMULATOR_PID="$(emulator_pid)" \
BENCH_STARTUP_API="${STARTUP[api]}" BENCH_STARTUP_WORKER="${STARTUP[worker]}" \
BENCH_IDLE_RSS_API="${IDLE[api]}" BENCH_IDLE_RSS_WORKER="${IDLE[worker]}" \
  "$(service_java)" -cp "benchmark/target/classes:$(cat "$CLASSPATH_FILE")" dev.assetpipeline.benchmark.Benchmark
