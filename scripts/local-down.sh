#!/usr/bin/env bash
# Stops what scripts/local-up.sh started (services with SIGTERM, then the emulator).
# PostgreSQL is left running: it may be a server you use for other things.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

if docker_engine && [ -f localstack/docker-compose.yml ] && (cd localstack && docker compose ps -q | grep -q .); then
  (cd localstack && docker compose down)
fi
for name in api-gateway-service ingest-worker; do
  pid_file="$STATE_DIR/$name.pid"
  if [ -f "$pid_file" ]; then
    pid=$(cat "$pid_file")
    say "stopping $name (pid $pid)"
    stop_process "$pid" 40
    rm -f "$pid_file"
  fi
done
bash localstack/host/stop.sh || true
