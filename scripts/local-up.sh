#!/usr/bin/env bash
# Starts the whole pipeline on this machine, no AWS account needed: PostgreSQL, the AWS emulator
# (bucket, queue, dead-letter queue, notification), the ingest worker and the API. Then it runs a
# demo upload through the real path and prints how to try it yourself.
#
# With a Docker engine it runs `docker compose up` in localstack/. Without one (or with
# ASSETS_NO_DOCKER=1) it runs everything on the host: LocalStack 4.14.0 from PyPI, PostgreSQL from
# this machine (installed with apt if missing), and the two services from their jars.
# Stop it with scripts/local-down.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

API_PORT=${API_PORT:-8080}
WORKER_PORT=${WORKER_PORT:-8081}
API="http://localhost:$API_PORT"

wait_ready() { # name url
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$2" 2>/dev/null && { say "$1 is ready"; return 0; }
    sleep 1
  done
  say "$1 did not become ready; see $STATE_DIR/logs/$1.log"; return 1
}

start_service() { # name jar port
  local pid_file="$STATE_DIR/$1.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    say "$1 already running (pid $(cat "$pid_file"))"; return 0
  fi
  prepare_service "$1" "$2" --spring.profiles.active=local
  say "starting $1 on port $3 (log: .local/logs/$1.log)"
  setsid "${SERVICE_CMD[@]}" --spring.profiles.active=local --server.port="$3" \
    </dev/null >"$STATE_DIR/logs/$1.log" 2>&1 &
  echo $! >"$pid_file"
}

if docker_engine; then
  say "Docker engine found: docker compose up (LocalStack 4.14.0, PostgreSQL, worker, API)"
  (cd localstack && docker compose up -d --build --wait)
  wait_ready ingest-worker "http://localhost:$WORKER_PORT/actuator/health/readiness"
  wait_ready api-gateway-service "$API/actuator/health/readiness"
else
  ensure_build_tools
  start_host_services
  # the emulator may have been running already: make sure the pipeline's resources exist (idempotent)
  AWS_ENDPOINT="${AWS_ENDPOINT:-http://127.0.0.1:4566}" bash localstack/init/ready.d/10-create-resources.sh
  mkdir -p "$STATE_DIR/logs"
  say "building the services (mvn package, tests skipped: scripts/test.sh runs them)"
  mvn -B -q -ntp -DskipTests package
  start_service ingest-worker "$(ls ingest-worker/target/ingest-worker-*-exec.jar)" "$WORKER_PORT"
  wait_ready ingest-worker "http://localhost:$WORKER_PORT/actuator/health/readiness"
  start_service api-gateway-service "$(ls api-gateway-service/target/api-gateway-service-*-exec.jar)" "$API_PORT"
  wait_ready api-gateway-service "$API/actuator/health/readiness"
fi

say "issuing an API key for the demo client"
if docker_engine; then
  key_output=$(cd localstack && docker compose exec -T api-gateway-service java -jar /app/app.jar \
    --logging.level.root=WARN --assets.admin=true key demo)
else
  key_output=$(bash "$REPO_ROOT/scripts/clients.sh" key demo)
fi
DEMO_SECRET=$(printf '%s\n' "$key_output" | awk '/^secret:/ {print $2}')
[ -n "$DEMO_SECRET" ] || { say "could not issue a demo key:"; printf '%s\n' "$key_output"; exit 1; }

ASSETS_API_KEY="demo:$DEMO_SECRET" bash "$REPO_ROOT/scripts/demo.sh" "$API"

cat <<TXT

The pipeline is running ($(emulator_kind 2>/dev/null || echo localstack) on :4566, PostgreSQL on :5432, API on :$API_PORT, worker on :$WORKER_PORT).
Demo API key (client "demo"; shown once, only its hash is stored):
  KEY='demo:$DEMO_SECRET'
Try it:
  curl -s -u "\$KEY" -X POST $API/api/v1/assets -H 'Content-Type: application/json' \\
       -d '{"filename":"hello.txt","contentType":"text/plain","size":6}'
  # then PUT the bytes to upload.url with every header in upload.headers, for example:
  #   curl -X PUT --data-binary @hello.txt -H 'Content-Type: text/plain' "<upload.url>"
  curl -s -u "\$KEY" $API/api/v1/assets/<id>
  curl -s -u "\$KEY" "$API/api/v1/assets?status=AVAILABLE&limit=10"
  curl -sL -u "\$KEY" $API/api/v1/assets/<id>/content
More keys: scripts/clients.sh key <client-id> | list | revoke <key-id>
  curl -s $API/v3/api-docs
Stop it: scripts/local-down.sh
TXT
