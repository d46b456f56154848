#!/usr/bin/env bash
# Stop the emulator that start.sh started (LocalStack or the moto fallback), via its pid file.
# Idempotent: without a pid file, or with a dead pid, it says so and exits 0.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

PID_FILE="$STATE_DIR/localstack.pid"
KIND_FILE="$STATE_DIR/emulator"

if [ ! -f "$PID_FILE" ]; then
  say "no pid file at $PID_FILE: nothing started by start.sh is running"
  exit 0
fi
pid="$(cat "$PID_FILE")"
kind="$(cat "$KIND_FILE" 2>/dev/null || echo emulator)"
case "$pid" in ''|*[!0-9]*) say "pid file holds no pid: removing it"; rm -f "$PID_FILE" "$KIND_FILE"; exit 0 ;; esac

# start.sh runs the emulator under setsid, so its pid is also its process group (LocalStack has helpers)
say "stopping $kind (pid $pid)"
stop_process "$pid" 30
rm -f "$PID_FILE" "$KIND_FILE"
say "stopped"
