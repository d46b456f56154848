#!/usr/bin/env bash
# The admin command for API clients and keys. It runs the API's jar without a web server against
# the same database (the local profile by default; set SPRING_PROFILES_ACTIVE= and SPRING_DATASOURCE_*
# for another one):
#   scripts/clients.sh key <client-id> [--admin]   issue a key, creating the client if needed
#   scripts/clients.sh list                        clients and key ids (never secrets)
#   scripts/clients.sh revoke <key-id>             every API instance refuses it within a second
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

jar=$(ls api-gateway-service/target/api-gateway-service-*-exec.jar 2>/dev/null | head -n1 || true)
if [ -z "$jar" ]; then
  ensure_build_tools
  mvn -B -q -ntp -DskipTests package
  jar=$(ls api-gateway-service/target/api-gateway-service-*-exec.jar | head -n1)
fi
exec java -jar "$jar" --logging.level.root=WARN --spring.profiles.active="${SPRING_PROFILES_ACTIVE-local}" \
  --assets.admin=true "$@"
