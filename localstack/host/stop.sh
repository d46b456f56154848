#!/usr/bin/env bash
# Stop the emulator that start.sh started (LocalStack or the moto fallback), via its pid file.
# Idempotent: without a pid file, or with a dead pid, it says so and exits 0.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
STATE_DIR="${LOCAL_STATE_DIR:-$REPO_ROOT/.local}"
PID_FILE="$STATE_DIR/localstack.pid"
KIND_FILE="$STATE_DIR/emulator"

log() { printf '[stop.sh] %s\n' "$*"; }

if [ ! -f "$PID_FILE" ]; then
  log "no pid file at $PID_FILE: nothing started by start.sh is running"
  exit 0
fi
pid="$(cat "$PID_FILE")"
kind="$(cat "$KIND_FILE" 2>/dev/null || echo emulator)"
case "$pid" in ''|*[!0-9]*) log "pid file holds no pid: removing it"; rm -f "$PID_FILE" "$KIND_FILE"; exit 0 ;; esac

if ! kill -0 "$pid" 2>/dev/null; then
  log "$kind (pid $pid) is not running; removing stale pid file"
  rm -f "$PID_FILE" "$KIND_FILE"
  exit 0
fi

# start.sh runs the emulator under setsid, so its pid is also its process group: stop the group
# (LocalStack may have helper processes), falling back to the single pid.
log "stopping $kind (pid $pid)"
kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 30); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
if kill -0 "$pid" 2>/dev/null; then
  log "$kind did not stop within 30 s: sending SIGKILL"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
fi
rm -f "$PID_FILE" "$KIND_FILE"
log "stopped"
