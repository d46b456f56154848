#!/usr/bin/env bash
# Start the AWS emulator for local development on the host (no Docker needed).
#
#   localstack/host/start.sh        # idempotent; prints which emulator runs and exits 0
#   localstack/host/stop.sh         # stops what this script started
#
# 1. If something already answers healthy on $AWS_ENDPOINT it says so and exits 0.
# 2. Otherwise it makes (or reuses) a virtualenv with LocalStack 4.14.0 from the pins in
#    requirements.txt beside this script, starts it in the background and waits until
#    /_localstack/health reports s3, sqs, cloudwatch and cloudformation (deploy/ deploys its CDK
#    stack to the latter).
# 3. If LocalStack cannot be installed or started it falls back to moto_server (moto 5.2.1)
#    and says what moto lacks.
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

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
STATE_DIR="${LOCAL_STATE_DIR:-$REPO_ROOT/.local}"
ENDPOINT="${AWS_ENDPOINT:-http://127.0.0.1:4566}"
START_TIMEOUT="${START_TIMEOUT:-120}"
EMULATOR="${EMULATOR:-localstack}"
RUN_INIT_HOOKS="${RUN_INIT_HOOKS:-1}"

LOCALSTACK_VERSION="4.14.0"
MOTO_VERSION="5.2.1"
REQUIREMENTS="$SCRIPT_DIR/requirements.txt"
VENV="$STATE_DIR/localstack-venv"
MOTO_VENV="$STATE_DIR/moto-venv"
PID_FILE="$STATE_DIR/localstack.pid"
KIND_FILE="$STATE_DIR/emulator"
LOG_DIR="$STATE_DIR/logs"
LOG_FILE="$LOG_DIR/localstack.log"
MOTO_LOG_FILE="$LOG_DIR/moto.log"

# host:port to bind, taken from the endpoint (http://127.0.0.1:4566 -> 127.0.0.1 4566)
hostport="${ENDPOINT#*://}"
hostport="${hostport%%/*}"
BIND_HOST="${hostport%:*}"
BIND_PORT="${hostport##*:}"
if [ "$BIND_HOST" = "$hostport" ]; then BIND_PORT=4566; fi
if [ "$BIND_HOST" = "localhost" ]; then BIND_HOST=127.0.0.1; fi

log() { printf '[start.sh] %s\n' "$*"; }
die() { printf '[start.sh] ERROR: %s\n' "$*" >&2; exit 1; }

# --- health probes ------------------------------------------------------------------------------

# prints the LocalStack version when /_localstack/health reports the services below as
# available/running; exit 1 when not (yet), 2 when one of them reports "error"
localstack_healthy() {
  local body
  body="$(curl -fsS --max-time 3 "$ENDPOINT/_localstack/health" 2>/dev/null)" || return 1
  printf '%s' "$body" | python3 -c '
import json, sys
h = json.load(sys.stdin)
s = h.get("services", {})
wanted = [s.get(n) for n in ("s3", "sqs", "cloudwatch", "cloudformation")]
print(h.get("version", "?"))
sys.exit(0 if all(v in ("available", "running") for v in wanted) else 2 if "error" in wanted else 1)'
}

# moto_server: its /moto-api/data.json answers JSON, and it has no /_localstack/health
moto_healthy() {
  local body code
  body="$(curl -fsS --max-time 3 "$ENDPOINT/moto-api/data.json" 2>/dev/null)" || return 1
  case "$body" in '{'*) ;; *) return 1 ;; esac
  code="$(curl -s --max-time 3 -o /dev/null -w '%{http_code}' "$ENDPOINT/_localstack/health" 2>/dev/null || true)"
  [ "$code" != "200" ]
}

port_answers() {
  curl -sS --max-time 3 -o /dev/null "$ENDPOINT/" 2>/dev/null
}

run_init_hooks() {
  [ "$RUN_INIT_HOOKS" = "1" ] || { log "RUN_INIT_HOOKS=$RUN_INIT_HOOKS: not creating resources"; return 0; }
  local hook extra_path=""
  # The hooks use `aws` from PATH; the LocalStack venv brings one for machines without it.
  if [ -x "$VENV/bin/aws" ]; then extra_path=":$VENV/bin"; fi
  for hook in "$SCRIPT_DIR"/../init/ready.d/*.sh; do
    [ -e "$hook" ] || continue
    log "running init hook $(basename "$hook")"
    AWS_ENDPOINT="$ENDPOINT" PATH="$PATH$extra_path" bash "$hook"
  done
}

# SIGTERM the process group, then SIGKILL after 15 s (LocalStack can ignore SIGTERM while it is
# still starting up)
terminate() {
  local pid="$1" i
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 15); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 1
  done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

# --- 1. already running? ------------------------------------------------------------------------

if version="$(localstack_healthy)"; then
  log "LocalStack $version is already running and healthy on $ENDPOINT (s3, sqs, cloudwatch, cloudformation). Nothing to do."
  exit 0
fi
if moto_healthy; then
  log "moto_server is already running on $ENDPOINT (fallback emulator: no S3 sequencer, no presigned"
  log "signature checks, no CBOR CloudWatch). Nothing to do. Run stop.sh first to try LocalStack again."
  exit 0
fi
if port_answers; then
  die "something answers on $ENDPOINT but it is neither a healthy LocalStack nor moto; not starting another emulator. Check: curl $ENDPOINT/_localstack/health"
fi

mkdir -p "$STATE_DIR" "$LOG_DIR"

# A stale pid file from a crashed run: drop it (stop.sh would find nothing to stop).
if [ -f "$PID_FILE" ]; then
  old_pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if [ -n "$old_pid" ] && kill -0 "$old_pid" 2>/dev/null; then
    die "process $old_pid from $PID_FILE is alive but $ENDPOINT is not healthy; see $LOG_FILE or run $SCRIPT_DIR/stop.sh"
  fi
  rm -f "$PID_FILE" "$KIND_FILE"
fi

# --- 2. LocalStack ------------------------------------------------------------------------------

# An interpreter that can run LocalStack 4.14.0: Python >= 3.13. (Its metadata says >=3.10, but
# it uses PEP 695 generics (SyntaxError on 3.11) and warnings.deprecated (ImportError on 3.12).)
find_python() {
  local c root
  local candidates=()
  [ -n "${LOCALSTACK_PYTHON:-}" ] && candidates+=("$LOCALSTACK_PYTHON")
  candidates+=(python3.14 python3.13)
  root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
  for c in "$root"/versions/3.13*/bin/python3 "$root"/versions/3.14*/bin/python3; do
    [ -x "$c" ] && candidates+=("$c")
  done
  candidates+=(python3)
  for c in "${candidates[@]}"; do
    # pyenv shims exist for versions that are not selected and then fail to run: test by running
    if "$c" -c 'import sys, sqlite3, ssl, venv; sys.exit(0 if sys.version_info >= (3, 13) else 1)' >/dev/null 2>&1; then
      command -v "$c" 2>/dev/null || printf '%s\n' "$c"
      return 0
    fi
  done
  return 1
}

requirements_hash() {
  # the venv is rebuilt when the pins or the interpreter change
  { cat "$REQUIREMENTS"; "$1" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1
}

ensure_localstack_venv() {
  local py want have=""
  py="$(find_python)" || { log "no Python >= 3.13 found (LocalStack $LOCALSTACK_VERSION does not run on 3.11 or 3.12); set LOCALSTACK_PYTHON"; return 1; }
  want="$(requirements_hash "$py")"
  [ -f "$VENV/.requirements.sha256" ] && have="$(cat "$VENV/.requirements.sha256")"
  if [ "$want" = "$have" ] && [ -x "$VENV/bin/python" ]; then
    log "reusing venv $VENV ($("$VENV/bin/python" -V))"
    return 0
  fi
  log "creating venv $VENV with $py ($("$py" -V 2>&1)); installing pinned LocalStack $LOCALSTACK_VERSION"
  rm -rf "$VENV"
  "$py" -m venv "$VENV" || return 1
  if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --prefer-binary \
      -r "$REQUIREMENTS" >>"$LOG_DIR/localstack-install.log" 2>&1; then
    log "pip install failed, see $LOG_DIR/localstack-install.log"
    rm -rf "$VENV"
    return 1
  fi
  echo "$want" > "$VENV/.requirements.sha256"
}

start_localstack() {
  ensure_localstack_venv || return 1
  log "starting LocalStack $LOCALSTACK_VERSION on $BIND_HOST:$BIND_PORT (log: $LOG_FILE)"
  : > "$LOG_FILE"
  # Persistence is off: start from empty state. LocalStack keeps its files (e.g. CloudWatch's
  # sqlite db) under FILESYSTEM_ROOT inside the state dir. (S3 object bodies larger than the
  # in-memory spool go to the hard-coded /tmp/localstack-s3-storage, emptied on shutdown.)
  rm -rf "$STATE_DIR/localstack-fs"
  mkdir -p "$STATE_DIR/localstack-fs"
  # setsid: own session, so it outlives this script and the terminal; stop.sh kills the group.
  (
    cd "$STATE_DIR"
    # the pipeline's services, and CloudFormation with what it needs for deploy/'s CDK stack
    export SERVICES=s3,sqs,cloudwatch,cloudformation,iam,sns,ssm,sts,logs \
      SQS_CLOUDWATCH_METRICS_REPORT_INTERVAL="${SQS_CLOUDWATCH_METRICS_REPORT_INTERVAL:-10}" \
      GATEWAY_LISTEN="$BIND_HOST:$BIND_PORT" \
      LOCALSTACK_HOST="$BIND_HOST:$BIND_PORT" \
      SQS_ENDPOINT_STRATEGY=path \
      S3_SKIP_SIGNATURE_VALIDATION=0 \
      PERSISTENCE=0 \
      EAGER_SERVICE_LOADING=1 \
      DNS_ADDRESS=0 \
      DISABLE_EVENTS=1 \
      SKIP_SSL_CERT_DOWNLOAD=1 \
      FILESYSTEM_ROOT="$STATE_DIR/localstack-fs" \
      OVERRIDE_IN_DOCKER=0 \
      GATEWAY_SERVER="${GATEWAY_SERVER:-hypercorn}"
    # OVERRIDE_IN_DOCKER=0: LocalStack guesses "in Docker" from /.dockerenv (present in some CI
    # sandboxes) and would then write to /tmp/localstack, /var/lib/localstack and /etc/localstack.
    # GATEWAY_SERVER=hypercorn: LocalStack's default server (twisted, used in the Docker image)
    # ignores the host part of GATEWAY_LISTEN and listens on 0.0.0.0; hypercorn binds only
    # $BIND_HOST. All checks in ../README.md gave the same results with both.
    exec setsid "$VENV/bin/python" -m localstack.runtime.main </dev/null >>"$LOG_FILE" 2>&1
  ) &
  echo $! > "$PID_FILE"
  disown "$!" 2>/dev/null || true   # no "Killed"/"Terminated" job notices from this shell
  echo localstack > "$KIND_FILE"

  local pid deadline version
  pid="$(cat "$PID_FILE")"
  deadline=$((SECONDS + START_TIMEOUT))
  local rc
  while [ "$SECONDS" -lt "$deadline" ]; do
    rc=0; version="$(localstack_healthy)" || rc=$?
    if [ "$rc" = 0 ]; then
      log "LocalStack $version is running on $ENDPOINT (pid $pid): s3, sqs, cloudwatch, cloudformation healthy"
      return 0
    fi
    if [ "$rc" = 2 ]; then
      log "LocalStack reports a service in state \"error\"; stopping it. Log: $LOG_FILE"
      grep -m 5 -A 3 'could not load service plugin\|Error' "$LOG_FILE" >&2 || true
      terminate "$pid"; rm -f "$PID_FILE" "$KIND_FILE"
      return 1
    fi
    kill -0 "$pid" 2>/dev/null || { log "LocalStack exited during start-up; last log lines:"; tail -n 20 "$LOG_FILE" >&2; rm -f "$PID_FILE" "$KIND_FILE"; return 1; }
    sleep 1
  done
  log "LocalStack was not healthy within ${START_TIMEOUT}s; stopping it. Last log lines:"
  tail -n 20 "$LOG_FILE" >&2
  terminate "$pid"
  rm -f "$PID_FILE" "$KIND_FILE"
  return 1
}

# --- 3. moto fallback ---------------------------------------------------------------------------

start_moto() {
  local moto_bin
  if command -v moto_server >/dev/null 2>&1 && moto_server --help >/dev/null 2>&1; then
    moto_bin="$(command -v moto_server)"
  else
    if [ ! -x "$MOTO_VENV/bin/moto_server" ]; then
      log "moto_server not on PATH: installing moto[server]==$MOTO_VERSION into $MOTO_VENV"
      python3 -m venv "$MOTO_VENV"
      "$MOTO_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" \
        >>"$LOG_DIR/moto-install.log" 2>&1 || die "could not install moto; see $LOG_DIR/moto-install.log"
    fi
    moto_bin="$MOTO_VENV/bin/moto_server"
  fi
  log "starting moto_server ($moto_bin) on $BIND_HOST:$BIND_PORT (log: $MOTO_LOG_FILE)"
  : > "$MOTO_LOG_FILE"
  ( cd "$STATE_DIR"; exec setsid "$moto_bin" -H "$BIND_HOST" -p "$BIND_PORT" </dev/null >>"$MOTO_LOG_FILE" 2>&1 ) &
  echo $! > "$PID_FILE"
  disown "$!" 2>/dev/null || true
  echo moto > "$KIND_FILE"
  local pid deadline
  pid="$(cat "$PID_FILE")"
  deadline=$((SECONDS + 60))
  until moto_healthy; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$MOTO_LOG_FILE" >&2; rm -f "$PID_FILE" "$KIND_FILE"; die "moto_server exited during start-up"; }
    [ "$SECONDS" -lt "$deadline" ] || { terminate "$pid"; rm -f "$PID_FILE" "$KIND_FILE"; die "moto_server did not answer within 60 s; see $MOTO_LOG_FILE"; }
    sleep 1
  done
  local headline="FELL BACK TO MOTO"
  [ "$EMULATOR" = "moto" ] && headline="MOTO (EMULATOR=moto)"
  cat <<EOF
[start.sh] ================================================================================
[start.sh] $headline: moto_server is running on $ENDPOINT (pid $pid), NOT LocalStack.
[start.sh] What moto lacks compared with LocalStack $LOCALSTACK_VERSION:
[start.sh]   - S3 event records carry no "sequencer";
[start.sh]   - presigned URLs are not signature-checked (a PUT with another Content-Type or
[start.sh]     Content-Length than the signed one is accepted);
[start.sh]   - event keys encode "/" as %2F;
[start.sh]   - CloudWatch PutMetricData from AWS SDK v2 >= 2.40.6 (CBOR protocol) is not understood;
[start.sh]   - a notification to a wrong queue ARN is dropped silently; no /_localstack/health.
[start.sh] Tests that need these must inject the exact S3 event JSON into SQS instead.
[start.sh] ================================================================================
EOF
}

# --- main ---------------------------------------------------------------------------------------

if [ "$EMULATOR" = "moto" ]; then
  log "EMULATOR=moto: not trying LocalStack"
  start_moto
elif start_localstack; then
  :
else
  log "LocalStack $LOCALSTACK_VERSION could not be installed or started; falling back to moto"
  start_moto
fi

run_init_hooks
log "emulator: $(cat "$KIND_FILE") on $ENDPOINT (pid $(cat "$PID_FILE")); stop it with $SCRIPT_DIR/stop.sh"
