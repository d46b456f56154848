#!/usr/bin/env bash
# Fuzzes the API with schemathesis against the OpenAPI document the API itself serves, authenticated
# as a client, and prints its figures. Fails on any server error, schema violation or other failed
# check. Needs PostgreSQL and the emulator: on the host (started here if need be), or with a Docker
# engine the ones from localstack/docker-compose.yml.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

EXAMPLES=${FUZZ_MAX_EXAMPLES:-50}
VENV="$STATE_DIR/fuzz-venv"
mkdir -p "$STATE_DIR/logs"

if [ ! -x "$VENV/bin/st" ] || ! cmp -s scripts/fuzz-requirements.txt "$VENV/.requirements"; then
  say "installing schemathesis into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r scripts/fuzz-requirements.txt
  cp scripts/fuzz-requirements.txt "$VENV/.requirements"
fi

if docker_engine; then
  (cd localstack && docker compose up -d --wait localstack postgres)
  PG_PORT=5433
else
  start_host_services
  PG_PORT=${ASSETS_PG_PORT:-5432}
fi
PG_HOST=${ASSETS_PG_HOST:-localhost}
PG_USER=${ASSETS_PG_USER:-assets}
export PGPASSWORD=${ASSETS_PG_PASSWORD:-assets}
DB="fuzz_$(date +%s)_$$"
psql -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "${ASSETS_PG_DB:-assets}" -c "CREATE DATABASE $DB"
DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB"

jar=$(ls api-gateway-service/target/api-gateway-service-*-exec.jar 2>/dev/null | head -n1 || true)
if [ -z "$jar" ]; then
  ensure_build_tools
  mvn -B -q -ntp -DskipTests package
  jar=$(ls api-gateway-service/target/api-gateway-service-*-exec.jar | head -n1)
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
common=(--spring.profiles.active=local --spring.datasource.url="$DB_URL" --spring.datasource.username="$PG_USER"
        --spring.datasource.password="$PGPASSWORD")

api_pid=""
cleanup() {
  if [ -n "$api_pid" ] && kill -0 "$api_pid" 2>/dev/null; then kill -TERM "$api_pid"; wait "$api_pid" 2>/dev/null || true; fi
  psql -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "${ASSETS_PG_DB:-assets}" -c "DROP DATABASE IF EXISTS $DB" || true
}
trap cleanup EXIT

say "starting the API on 127.0.0.1:$PORT (log: .local/logs/fuzz-api.log)"
# limits high enough that the fuzzer tests the API, not the quota and rate limit; waits (?wait=) cut
# to 2 s, well inside schemathesis's 10 s read timeout (a PENDING asset otherwise holds a request 30 s)
java -jar "$jar" "${common[@]}" --server.port="$PORT" --assets.limits.urls-per-minute=1000000 --assets.wait.max=2s \
  --assets.limits.quota-bytes=1000000GB --assets.limits.quota-objects=1000000000 \
  >"$STATE_DIR/logs/fuzz-api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/actuator/health/readiness" && break
  kill -0 "$api_pid" 2>/dev/null || { say "the API exited; see .local/logs/fuzz-api.log"; exit 1; }
  sleep 1
done

secret=$(java -jar "$jar" "${common[@]}" --logging.level.root=WARN --assets.admin=true key fuzz-client \
  | awk '/^secret:/ {print $2}')
[ -n "$secret" ] || { say "could not issue an API key"; exit 1; }

say "fuzzing http://127.0.0.1:$PORT/v3/api-docs, all checks, up to $EXAMPLES examples per operation"
set +e
"$VENV/bin/st" --config-file "$REPO_ROOT/scripts/schemathesis.toml" run "http://127.0.0.1:$PORT/v3/api-docs" -H "Authorization: Bearer $secret" \
  --checks all --exclude-checks use_after_free --max-examples "$EXAMPLES" --no-color >"$STATE_DIR/logs/fuzz.out" 2>&1
status=$?
set -e
sed -n '/SUMMARY/,$p' "$STATE_DIR/logs/fuzz.out"

python3 - "$STATE_DIR/logs/fuzz.out" "$status" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
operations = re.search(r"Tested:\s*(\d+)", text)
cases = re.search(r"(\d+) generated", text)
failures = {code: int(n) for code, n in re.findall(r"(ST\d+)[^\n:]*:\s*(\d+)", text.split("Failures:")[-1].split("Test cases:")[0])} if "Failures:" in text else {}
names = dict(re.findall(r"(ST\d+) ([^:\n]+):", text))
server = sum(n for c, n in failures.items() if "server error" in names.get(c, "").lower())
schema = sum(n for c, n in failures.items() if any(w in names.get(c, "").lower() for w in ("schema", "undocumented", "conformance")) and "request" not in names.get(c, "").lower())
other = sum(failures.values()) - server - schema
print(f"fuzz: operations {operations.group(1) if operations else '?'}, cases {cases.group(1) if cases else '?'}, "
      f"server errors {server}, schema violations {schema}, other check failures {other}")
sys.exit(0 if int(sys.argv[2]) == 0 and not failures else 1)
PY
