#!/usr/bin/env bash
# Where the database's part of an upload URL goes: pgbench (PostgreSQL's own tool) runs the statements
# in benchmark/src/main/resources/pgbench/ on the database that scripts/bench.sh leaves behind, each
# beside the INSERT-only reference, interleaved round by round, 16 connections, and prints rows per
# second as median (min-max) and the ratio to the reference. Not a pass/fail test; not part of CI.
# Run scripts/bench.sh first (any part, e.g. BENCH_SHORT=1 BENCH_ONLY=uploads): it creates the schema,
# the benchmark's clients and the reference table.
#
#   scripts/bench-db.sh
#   DB_BENCH_ROUNDS=5 DB_BENCH_SECONDS=10 scripts/bench-db.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

PG_HOST=${ASSETS_PG_HOST:-localhost} PG_PORT=${ASSETS_PG_PORT:-5432}
PG_USER=${ASSETS_PG_USER:-assets} PG_PASSWORD=${ASSETS_PG_PASSWORD:-assets}
BENCH_DB=${BENCH_DB:-assets_bench}
ROUNDS=${DB_BENCH_ROUNDS:-3} SECONDS_EACH=${DB_BENCH_SECONDS:-8} CONNECTIONS=16
SCRIPTS=benchmark/src/main/resources/pgbench
export PGPASSWORD="$PG_PASSWORD"
db() { psql -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$BENCH_DB" "$@"; }

command -v pgbench >/dev/null || die "pgbench is missing (Debian: apt-get install postgresql-client)"
db -c "SELECT 1 FROM bench_insert_only LIMIT 0" >/dev/null 2>&1 \
  || die "no benchmark database $BENCH_DB with its reference table: run scripts/bench.sh first"
# the usage trigger is switched off for one figure only: make sure it is on again whatever happens
trap 'db -c "ALTER TABLE asset ENABLE TRIGGER asset_usage_insert" >/dev/null 2>&1 || true' EXIT

# figure name, script, and what is done around it
FIGURES=(insert-only asset-insert asset-insert-without-usage-trigger reserve-16-clients reserve-one-client
  reserve-8-per-transaction)
script_of() { case $1 in asset-insert-without-usage-trigger) echo asset-insert ;; *) echo "$1" ;; esac; }

# rows per second of one pgbench run of figure $1
rate() {
  local figure=$1 script rows tps
  script="$SCRIPTS/$(script_of "$figure").sql"
  rows=$(sed -n 's/^-- rows per transaction: \([0-9]*\)$/\1/p' "$script")
  if [ "$figure" = asset-insert-without-usage-trigger ]; then db -c "ALTER TABLE asset DISABLE TRIGGER asset_usage_insert"; fi
  tps=$(pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -M prepared -c "$CONNECTIONS" -j 2 \
    -T "$SECONDS_EACH" -f "$script" "$BENCH_DB" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  if [ "$figure" = asset-insert-without-usage-trigger ]; then db -c "ALTER TABLE asset ENABLE TRIGGER asset_usage_insert"; fi
  [ -n "$tps" ] || die "pgbench failed on $script"
  awk -v t="$tps" -v r="${rows:-1}" 'BEGIN {printf "%.0f", t * r}'
}

declare -A RATES=()
for round in $(seq 1 "$ROUNDS"); do
  for figure in "${FIGURES[@]}"; do
    RATES[$figure]="${RATES[$figure]:-} $(rate "$figure")"
  done
  say "round $round of $ROUNDS done"
done

# median (min-max) of whitespace-separated numbers on stdin, each printed with printf format $1
summary() {
  tr ' ' '\n' | grep . | sort -n | awk -v f="$1" '{v[NR] = $1}
    END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf f " (" f "-" f ")", m, v[1], v[NR]}'
}
printf '\n%-40s | %-22s | %s\n' "statement, $CONNECTIONS connections (rows/s)" "median (min-max)" "ratio to insert-only: median (range)"
printf '%s\n' "$(printf -- '-%.0s' $(seq 1 104))"
read -ra reference <<<"${RATES[insert-only]}"
for figure in "${FIGURES[@]}"; do
  read -ra ours <<<"${RATES[$figure]}"
  ratios=""
  for i in "${!ours[@]}"; do ratios="$ratios $(awk -v a="${ours[$i]}" -v b="${reference[$i]}" 'BEGIN {printf "%.4f", a / b}')"; done
  printf '%-40s | %-22s | %s\n' "$figure" "$(echo "${RATES[$figure]}" | summary %.0f)" "$(echo "$ratios" | summary %.2f)"
done
