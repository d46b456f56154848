#!/usr/bin/env bash
# One upload through the real path: ask the API for a URL, PUT the bytes straight to S3, wait for
# the worker to record them, download them back and compare.
# Usage: ASSETS_API_KEY=client-id:secret scripts/demo.sh [API base URL]
set -euo pipefail
API=${1:-http://localhost:8080}
: "${ASSETS_API_KEY:?set ASSETS_API_KEY=client-id:secret (scripts/clients.sh key demo issues one)}"
auth=(-u "$ASSETS_API_KEY")
say() { printf '[demo] %s\n' "$*"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }

file=$(mktemp); trap 'rm -f "$file" "$file.out"' EXIT
printf 'Hello from the asset pipeline demo, %s\n' "$(date -u +%FT%TZ)" >"$file"
size=$(wc -c <"$file")

say "POST /api/v1/assets for demo hello.txt ($size bytes)"
response=$(curl -fsS "${auth[@]}" -X POST "$API/api/v1/assets" -H 'Content-Type: application/json' \
  -d "{\"filename\":\"demo hello.txt\",\"contentType\":\"text/plain\",\"size\":$size}")
id=$(echo "$response" | json "d['id']")
url=$(echo "$response" | json "d['upload']['url']")
headers=()
while IFS= read -r h; do headers+=(-H "$h"); done < <(echo "$response" | \
  json "'\n'.join(k+': '+v for k,v in d['upload']['headers'].items() if k.lower()!='content-length')")
say "asset $id is PENDING; PUT the bytes to the presigned URL"
curl -fsS -X PUT --data-binary @"$file" "${headers[@]}" "$url" -o /dev/null

for _ in $(seq 1 60); do
  status=$(curl -fsS "${auth[@]}" "$API/api/v1/assets/$id" | json "d['status']")
  [ "$status" = AVAILABLE ] && break
  sleep 0.5
done
say "asset $id is $status"
[ "$status" = AVAILABLE ] || { say "the worker did not record the upload in 30 s"; exit 1; }

# -L follows the redirect to the presigned GET; curl does not send the credentials to that other host
curl -fsSL "${auth[@]}" "$API/api/v1/assets/$id/content" -o "$file.out"
if cmp -s "$file" "$file.out"; then say "downloaded through the presigned GET: bytes match"; else say "downloaded bytes differ"; exit 1; fi
