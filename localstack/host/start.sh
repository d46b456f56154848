#!/usr/bin/env bash
# Start the AWS emulator for local development on the host (no Docker needed).
#
#   localstack/host/start.sh        # idempotent; prints which emulator runs and exits 0
#   localstack/host/stop.sh         # stops what this script started
#
# 1. If a healthy LocalStack (or moto) already answers on $AWS_ENDPOINT it says so and exits 0.
# 2. Otherwise it makes (or reuses) a virtualenv with LocalStack 4.14.0 from the pins in
#    requirements.txt beside this script, starts it in the background and waits until
#    /_localstack/health reports s3, sqs, cloudwatch and cloudformation (deploy/ deploys its CDK
#    stack to the latter).
# 3. If LocalStack cannot be installed or started it falls back to moto_server (moto.sh).
# 4. It then runs the init hooks in ../init/ready.d (the same ones the Docker image runs), which
#    create the bucket, queues and notification. Set RUN_INIT_HOOKS=0 to skip them.
#
# Environment (all optional):
#   AWS_ENDPOINT        default http://127.0.0.1:4566 (host and port to bind and to probe)
#   LOCAL_STATE_DIR     default <repo root>/.local  (venv, pid file, logs, LocalStack's files)
#   LOCALSTACK_PYTHON   interpreter to build the venv with; must be Python >= 3.13
#   START_TIMEOUT       seconds to wait for health, default 120
#   EMULATOR            "localstack" (default: try it, fall back to moto) or "moto" (moto only)
#   RUN_INIT_HOOKS      default 1
#   SQS_CLOUDWATCH_METRICS_REPORT_INTERVAL  seconds between the queues' figures in CloudWatch, default
#                       10 here (AWS and LocalStack's own default: 60), so alarms see a DLQ sooner
#   GATEWAY_SERVER      LocalStack's HTTP server, default hypercorn (binds only the endpoint's host;
#                       "twisted", the Docker image's default, listens on all interfaces)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

SCRIPT_DIR="$REPO_ROOT/localstack/host"
ENDPOINT="${AWS_ENDPOINT:-http://127.0.0.1:4566}"
START_TIMEOUT="${START_TIMEOUT:-120}"
EMULATOR="${EMULATOR:-localstack}"
LOCALSTACK_VERSION="4.14.0"
SERVICES="s3 sqs cloudwatch cloudformation"   # what must be healthy; iam, sns, ssm, sts, logs serve it
REQUIREMENTS="$SCRIPT_DIR/requirements.txt"
VENV="$STATE_DIR/localstack-venv"
PID_FILE="$STATE_DIR/localstack.pid"
KIND_FILE="$STATE_DIR/emulator"
LOG_DIR="$STATE_DIR/logs"
LOG_FILE="$LOG_DIR/localstack.log"

# host:port to bind, taken from the endpoint (http://127.0.0.1:4566 -> 127.0.0.1 4566)
hostport="${ENDPOINT#*://}"
hostport="${hostport%%/*}"
BIND_HOST="${hostport%:*}"
BIND_PORT="${hostport##*:}"
if [ "$BIND_HOST" = "$hostport" ]; then BIND_PORT=4566; fi
if [ "$BIND_HOST" = "localhost" ]; then BIND_HOST=127.0.0.1; fi

source "$SCRIPT_DIR/moto.sh"

# 0 when every one of $SERVICES is available or running, 1 when not (yet), 2 when one is in error
localstack_health() {
  local body service
  body="$(curl -fsS --max-time 3 "$ENDPOINT/_localstack/health" 2>/dev/null)" || return 1
  for service in $SERVICES; do
    printf '%s' "$body" | grep -Eq "\"$service\": *\"error\"" && return 2
    printf '%s' "$body" | grep -Eq "\"$service\": *\"(available|running)\"" || return 1
  done
}

run_init_hooks() {
  [ "${RUN_INIT_HOOKS:-1}" = "1" ] || { say "RUN_INIT_HOOKS=0: not creating resources"; return 0; }
  local hook
  for hook in "$REPO_ROOT"/localstack/init/ready.d/*.sh; do
    [ -e "$hook" ] || continue
    say "running init hook $(basename "$hook")"
    # the hooks use `aws`; the LocalStack venv brings one for machines without it
    AWS_ENDPOINT="$ENDPOINT" PATH="$PATH:$VENV/bin" bash "$hook"
  done
}

# An interpreter that runs LocalStack 4.14.0: Python >= 3.13 (its metadata says >= 3.10, but it uses
# PEP 695 generics, a SyntaxError on 3.11, and warnings.deprecated, an ImportError on 3.12).
find_python() {
  local c root
  local candidates=()
  [ -n "${LOCALSTACK_PYTHON:-}" ] && candidates+=("$LOCALSTACK_PYTHON")
  candidates+=(python3.14 python3.13)
  root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
  for c in "$root"/versions/3.13*/bin/python3 "$root"/versions/3.14*/bin/python3 python3; do
    [ -x "$c" ] || command -v "$c" >/dev/null 2>&1 && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    # pyenv shims exist for versions that are not selected and then fail to run: test by running
    if "$c" -c 'import sys, sqlite3, ssl, venv; sys.exit(0 if sys.version_info >= (3, 13) else 1)' >/dev/null 2>&1; then
      printf '%s\n' "$c"
      return 0
    fi
  done
  return 1
}

# The venv is rebuilt when the pins or the interpreter change.
ensure_localstack_venv() {
  local py want
  py="$(find_python)" || { say "no Python >= 3.13 found (LocalStack $LOCALSTACK_VERSION does not run on 3.11 or 3.12); set LOCALSTACK_PYTHON"; return 1; }
  want="$({ cat "$REQUIREMENTS"; "$py" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  say "creating venv $VENV with $py; installing the pinned LocalStack $LOCALSTACK_VERSION"
  rm -rf "$VENV"
  "$py" -m venv "$VENV" || return 1
  if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --prefer-binary \
      -r "$REQUIREMENTS" >>"$LOG_DIR/localstack-install.log" 2>&1; then
    say "pip install failed, see $LOG_DIR/localstack-install.log"
    rm -rf "$VENV"
    return 1
  fi
  echo "$want" > "$VENV/.requirements.sha256"
}

start_localstack() {
  local pid deadline rc
  ensure_localstack_venv || return 1
  say "starting LocalStack $LOCALSTACK_VERSION on $BIND_HOST:$BIND_PORT (log: $LOG_FILE)"
  # Persistence is off: every start is empty. LocalStack keeps its files (CloudWatch's sqlite db) under
  # FILESYSTEM_ROOT. OVERRIDE_IN_DOCKER=0: LocalStack guesses "in Docker" from /.dockerenv (present in
  # some CI sandboxes) and would then write to /tmp/localstack, /var/lib/localstack and /etc/localstack.
  rm -rf "$STATE_DIR/localstack-fs"
  mkdir -p "$STATE_DIR/localstack-fs"
  (
    cd "$STATE_DIR"
    export SERVICES=s3,sqs,cloudwatch,cloudformation,iam,sns,ssm,sts,logs \
      SQS_CLOUDWATCH_METRICS_REPORT_INTERVAL="${SQS_CLOUDWATCH_METRICS_REPORT_INTERVAL:-10}" \
      GATEWAY_LISTEN="$BIND_HOST:$BIND_PORT" LOCALSTACK_HOST="$BIND_HOST:$BIND_PORT" \
      SQS_ENDPOINT_STRATEGY=path S3_SKIP_SIGNATURE_VALIDATION=0 PERSISTENCE=0 EAGER_SERVICE_LOADING=1 \
      DNS_ADDRESS=0 DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 OVERRIDE_IN_DOCKER=0 \
      FILESYSTEM_ROOT="$STATE_DIR/localstack-fs" GATEWAY_SERVER="${GATEWAY_SERVER:-hypercorn}"
    # setsid: its own session, so it outlives this script and the terminal; stop.sh stops the group
    exec setsid "$VENV/bin/python" -m localstack.runtime.main </dev/null >"$LOG_FILE" 2>&1
  ) &
  echo $! > "$PID_FILE"
  disown "$!" 2>/dev/null || true   # no "Killed"/"Terminated" job notices from this shell
  echo localstack > "$KIND_FILE"
  pid="$(cat "$PID_FILE")"
  deadline=$((SECONDS + START_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    rc=0; localstack_health || rc=$?
    case "$rc" in
      0) say "LocalStack is running on $ENDPOINT (pid $pid): $SERVICES healthy"; return 0 ;;
      2) say "LocalStack reports a service in state \"error\"; stopping it. Log: $LOG_FILE"; break ;;
    esac
    kill -0 "$pid" 2>/dev/null || { say "LocalStack exited during start-up; last log lines:"; break; }
    sleep 1
  done
  [ "$SECONDS" -lt "$deadline" ] || say "LocalStack was not healthy within ${START_TIMEOUT}s; stopping it"
  tail -n 20 "$LOG_FILE" >&2
  stop_process "$pid" 15
  rm -f "$PID_FILE" "$KIND_FILE"
  return 1
}

# --- main ---------------------------------------------------------------------------------------

if localstack_health; then
  say "LocalStack is already running and healthy on $ENDPOINT ($SERVICES). Nothing to do."
  exit 0
fi
if moto_healthy; then
  say "moto_server is already running on $ENDPOINT (the fallback; run stop.sh first to try LocalStack). Nothing to do."
  exit 0
fi
if curl -sS --max-time 3 -o /dev/null "$ENDPOINT/" 2>/dev/null; then
  die "something answers on $ENDPOINT but it is neither a healthy LocalStack ($SERVICES) nor moto; not starting another. Check: curl $ENDPOINT/_localstack/health"
fi

mkdir -p "$STATE_DIR" "$LOG_DIR"
# a stale pid file from a crashed run: drop it
if [ -f "$PID_FILE" ]; then
  old_pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if [ -n "$old_pid" ] && kill -0 "$old_pid" 2>/dev/null; then
    die "process $old_pid from $PID_FILE is alive but $ENDPOINT is not healthy; see $LOG_FILE or run $SCRIPT_DIR/stop.sh"
  fi
  rm -f "$PID_FILE" "$KIND_FILE"
fi

if [ "$EMULATOR" = "moto" ]; then
  say "EMULATOR=moto: not trying LocalStack"
  start_moto
elif ! start_localstack; then
  say "LocalStack $LOCALSTACK_VERSION could not be installed or started; falling back to moto"
  start_moto
fi

run_init_hooks
say "emulator: $(cat "$KIND_FILE") on $ENDPOINT (pid $(cat "$PID_FILE")); stop it with $SCRIPT_DIR/stop.sh"
