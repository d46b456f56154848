#!/usr/bin/env bash
# Deploys the events stack (bucket, notification, queues, policy, alarm topic and alarms) to the local
# emulator with cdklocal, exactly as `cdk deploy` does to AWS, and prints its outputs. The emulator's
# CloudFormation cannot create the services stack (RDS, ECS, load balancer, auto scaling); the offline
# tests in src/test prove that one.
#
#   deploy/emulator-deploy.sh                 # environment "local", defaults otherwise
#   deploy/emulator-deploy.sh -c maxReceives=3 -c environment=demo   # any context, as with cdk
#
# Starts PostgreSQL and LocalStack on the host first when no Docker engine runs (as local-up.sh does).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$REPO_ROOT/deploy"

ensure_build_tools
if ! docker_engine; then
  start_host_services
fi
npm ci --no-audit --no-fund --loglevel=error

export AWS_ENDPOINT_URL="${AWS_ENDPOINT:-http://127.0.0.1:4566}" AWS_ENDPOINT_URL_S3="${AWS_ENDPOINT:-http://127.0.0.1:4566}"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="$AWS_REGION" CDK_DISABLE_CLI_TELEMETRY=true JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
environment=local
for argument in "$@"; do
  case "$argument" in environment=*) environment="${argument#environment=}" ;; esac
done

say "bootstrapping the emulator's account 000000000000 in $AWS_REGION"
npx cdklocal bootstrap --no-notices "aws://000000000000/$AWS_REGION" -c environment="$environment" "$@" >/dev/null
say "deploying AssetPipeline-$environment-events"
npx cdklocal deploy --no-notices --require-approval never -c stacks=events -c environment="$environment" \
  -c account=000000000000 -c region="$AWS_REGION" "$@" \
  --outputs-file "$STATE_DIR/stack-$environment.json" "AssetPipeline-$environment-events"
say "outputs: $STATE_DIR/stack-$environment.json"
