# The fallback emulator, moto_server (moto 5.2.1), for when LocalStack cannot be installed or started.
# Sourced by start.sh, which defines ENDPOINT, BIND_HOST, BIND_PORT, STATE_DIR, LOG_DIR, PID_FILE,
# KIND_FILE and EMULATOR.

MOTO_VERSION="5.2.1"
MOTO_VENV="$STATE_DIR/moto-venv"
MOTO_LOG_FILE="$LOG_DIR/moto.log"

# moto_server answers JSON on /moto-api/data.json and has no /_localstack/health
moto_healthy() {
  local body code
  body="$(curl -fsS --max-time 3 "$ENDPOINT/moto-api/data.json" 2>/dev/null)" || return 1
  case "$body" in '{'*) ;; *) return 1 ;; esac
  code="$(curl -s --max-time 3 -o /dev/null -w '%{http_code}' "$ENDPOINT/_localstack/health" 2>/dev/null || true)"
  [ "$code" != "200" ]
}

start_moto() {
  local moto_bin pid deadline
  if command -v moto_server >/dev/null 2>&1 && moto_server --help >/dev/null 2>&1; then
    moto_bin="$(command -v moto_server)"
  else
    if [ ! -x "$MOTO_VENV/bin/moto_server" ]; then
      say "installing moto[server]==$MOTO_VERSION into $MOTO_VENV"
      python3 -m venv "$MOTO_VENV"
      "$MOTO_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" \
        >>"$LOG_DIR/moto-install.log" 2>&1 || die "could not install moto; see $LOG_DIR/moto-install.log"
    fi
    moto_bin="$MOTO_VENV/bin/moto_server"
  fi
  say "starting moto_server on $BIND_HOST:$BIND_PORT (log: $MOTO_LOG_FILE)"
  ( cd "$STATE_DIR"; exec setsid "$moto_bin" -H "$BIND_HOST" -p "$BIND_PORT" </dev/null >"$MOTO_LOG_FILE" 2>&1 ) &
  echo $! > "$PID_FILE"
  disown "$!" 2>/dev/null || true
  echo moto > "$KIND_FILE"
  pid="$(cat "$PID_FILE")"
  deadline=$((SECONDS + 60))
  until moto_healthy; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$MOTO_LOG_FILE" >&2; rm -f "$PID_FILE" "$KIND_FILE"; die "moto_server exited during start-up"; }
    [ "$SECONDS" -lt "$deadline" ] || { stop_process "$pid" 15; rm -f "$PID_FILE" "$KIND_FILE"; die "moto_server did not answer within 60 s; see $MOTO_LOG_FILE"; }
    sleep 1
  done
  cat <<TXT
[start] ================================================================================
[start] $([ "$EMULATOR" = "moto" ] && echo "MOTO (EMULATOR=moto)" || echo "FELL BACK TO MOTO"): moto_server runs on $ENDPOINT (pid $pid), NOT LocalStack.
[start] What it lacks compared with LocalStack 4.14.0: S3 events carry no "sequencer"; presigned
[start] URLs are not signature-checked; event keys encode "/" as %2F; CloudWatch data from AWS SDK
[start] v2 >= 2.40.6 (CBOR) is not understood; a notification to a wrong queue ARN is dropped
[start] silently; no CloudFormation for deploy/. Tests that need these fail under it.
[start] ================================================================================
TXT
}
