# Shared by the scripts in this folder. Source it; it changes nothing by itself.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${LOCAL_STATE_DIR:-$REPO_ROOT/.local}"

say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }

# True when a Docker engine (not just the client) answers, unless the user asked for the host path.
docker_engine() {
  [ "${ASSETS_NO_DOCKER:-0}" != "1" ] && command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

# Java 17+ and Maven, installed with apt when missing.
ensure_build_tools() {
  if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    say "installing a JDK and Maven with apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
  fi
}

# The browser test's tools: Debian's Chromium (apt, if missing; CHROMIUM may name another) and
# playwright-core from browser/package-lock.json, which downloads no browser.
ensure_browser_tools() {
  if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium with apt (the browser test drives it)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  fi
  if ! command -v node >/dev/null 2>&1; then
    say "installing Node.js with apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  fi
  if [ ! -d "$REPO_ROOT/browser/node_modules/playwright-core" ]; then
    (cd "$REPO_ROOT/browser" && npm ci --no-audit --no-fund --ignore-scripts --silent)
  fi
}

# The emulator and PostgreSQL on this host, for machines without a Docker engine.
start_host_services() {
  bash "$REPO_ROOT/scripts/postgres-up.sh"
  bash "$REPO_ROOT/localstack/host/start.sh"
}

emulator_kind() {
  cat "$STATE_DIR/emulator" 2>/dev/null || echo localstack
}

die() { say "ERROR: $*" >&2; exit 1; }

# "<version> <name>" of this host's PostgreSQL cluster on port $1, empty when there is none.
pg_cluster_on_port() {
  pg_lsclusters --no-header 2>/dev/null | awk -v port="$1" '$3 == port {print $1" "$2; exit}'
}

# Stops process $1 (and its process group: the scripts start services under setsid) with SIGTERM,
# then SIGKILL after $2 seconds (default 30). Returns at once when it is not running.
stop_process() {
  local pid="$1" grace="${2:-30}"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 "$grace"); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 1
  done
  say "pid $pid did not stop within ${grace}s: SIGKILL"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

# Starts a service in the background in its own process group and waits for its readiness probe:
# start_until_ready log port command... (the command gets --server.port=port). Sets STARTED_PID and
# STARTUP_SECONDS; dies with a pointer to the log if the process exits first.
start_until_ready() {
  local log=$1 port=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  setsid "$@" --server.port="$port" </dev/null >"$log" 2>&1 &
  STARTED_PID=$!
  until curl -fsS -o /dev/null "http://localhost:$port/actuator/health/readiness" 2>/dev/null; do
    kill -0 "$STARTED_PID" 2>/dev/null || die "$(basename "$log" .log) exited; see $log"
    sleep 0.05
  done
  t1=$(date +%s.%N)
  STARTUP_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
}

# The java that runs the services: $ASSETS_JAVA, else a JDK 25+ on PATH or where Debian's and
# Adoptium's packages install it, else java on PATH (17 works, without the start-up cache).
service_java() {
  if [ -n "${ASSETS_JAVA:-}" ]; then echo "$ASSETS_JAVA"; return; fi
  local candidate
  for candidate in java /usr/lib/jvm/*-25-*/bin/java /usr/lib/jvm/*-2[6-9]-*/bin/java; do
    if [ "$(java_feature_version "$candidate")" -ge 25 ] 2>/dev/null; then echo "$candidate"; return; fi
  done
  echo java
}

java_feature_version() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

# The JVM settings the services run with here and in the image (Dockerfile): the serial collector
# (two cores) with a heap of at most 128 MB (what scripts/bench.sh's read load needs), small thread
# stacks and, on JDK 25, compact object headers and a periodic malloc_trim (without it the API kept
# ~430 MB after the upload and read load, with it ~310 MB). An AOT cache only loads with the collector
# and header settings it was trained with.
service_jvm_flags() { # java
  local flags="-XX:+UseSerialGC -Xss512k -Xms16m -Xmx${ASSETS_MAX_HEAP:-128m}"
  if [ "$(java_feature_version "$1")" -ge 25 ] 2>/dev/null; then
    flags="$flags -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=10000"
  fi
  echo "$flags"
}

# Sets SERVICE_CMD to the command that runs service jar $2 (name $1) fast and lean: the jar extracted
# with Spring Boot's tools jar mode into $STATE_DIR/run/$1 and, on JDK 25+, an AOT cache (JEP 483/515)
# trained once per build by starting its context with the remaining arguments and exiting after the
# refresh. Training connects to PostgreSQL and the emulator like a normal start, so start those first.
prepare_service() { # name jar [training args...]
  local name="$1" jar="$2"; shift 2
  local java dir app flags
  java=$(service_java)
  flags=$(service_jvm_flags "$java")
  dir="$STATE_DIR/run/$name"
  app="$dir/$(basename "$jar")"
  if [ ! -f "$app" ] || [ "$jar" -nt "$app" ]; then
    rm -rf "$dir"
    "$java" -Djarmode=tools -jar "$jar" extract --destination "$dir" >/dev/null
  fi
  # glibc's malloc keeps an arena per thread that allocates; two are enough for these services and keep
  # the native memory that Tomcat's and the SDK's threads leave behind from growing RSS
  # shellcheck disable=SC2206 # the flags are words
  SERVICE_CMD=(env MALLOC_ARENA_MAX=2 "$java" $flags)
  if [ "$(java_feature_version "$java")" -ge 25 ] 2>/dev/null; then
    if [ ! -f "$dir/app.aot" ] || [ "$app" -nt "$dir/app.aot" ]; then
      say "training $name's start-up cache (once per build)"
      "${SERVICE_CMD[@]}" -XX:AOTCacheOutput="$dir/app.aot" -Dspring.context.exit=onRefresh -jar "$app" "$@" \
        >"$dir/aot-training.log" 2>&1 || say "training $name's cache failed (see $dir/aot-training.log); starting without it"
    fi
    [ -f "$dir/app.aot" ] && SERVICE_CMD+=(-XX:AOTCache="$dir/app.aot")
  fi
  SERVICE_CMD+=(-jar "$app")
}
