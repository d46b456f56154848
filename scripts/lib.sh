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
