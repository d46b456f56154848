#!/usr/bin/env bash
# Creates the asset pipeline's AWS resources in the emulator. Idempotent: running it again
# changes nothing that is already right.
#
# Runs as a LocalStack init hook (the Docker image runs everything in
# /etc/localstack/init/ready.d once the services are ready; `awslocal` exists there), and on the
# host, where localstack/host/start.sh calls it with AWS_ENDPOINT set and `aws` is used:
#   AWS_ENDPOINT=http://127.0.0.1:4566 bash localstack/init/ready.d/10-create-resources.sh
# It works against LocalStack and against the moto_server fallback.
#
# It creates what deploy/'s CDK events stack (StorageAndEvents) defines, given the same settings;
# deploy's LocalDefinitionMatchesCdkIT deploys both to the emulator and compares them attribute by
# attribute. Change one, change the other.
#
#   bucket  ${ASSETS_BUCKET:-assets-local}: public access blocked, SSE-S3, TLS-only policy (not on moto,
#           which enforces it and serves plain HTTP only), incomplete multipart uploads aborted after
#           ${ASSETS_MULTIPART_ABORT_DAYS:-7} days, CORS for ${ASSETS_BROWSER_ORIGINS:-http://localhost:8080}
#           (comma-separated; empty: none) exposing ETag
#   DLQ     ${ASSETS_DLQ:-asset-events-dlq}: retention 14 days, MaximumMessageSize 262144, SSE-SQS,
#           TLS-only policy
#   queue   ${ASSETS_QUEUE:-asset-events}: standard queue, VisibilityTimeout 6 x the worker's shutdown
#           budget (${ASSETS_WORKER_SHUTDOWN_SECONDS:-30} s), ReceiveMessageWaitTimeSeconds 20,
#           MaximumMessageSize 262144, retention 4 days, SSE-SQS, RedrivePolicy maxReceiveCount
#           ${ASSETS_MAX_RECEIVES:-3} -> DLQ, policy: TLS only, and s3.amazonaws.com may SendMessage
#           from this bucket in this account only
#   bucket notification: s3:ObjectCreated:*, s3:ObjectRemoved:*, s3:LifecycleExpiration:* -> queue
set -euo pipefail

REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
BUCKET="${ASSETS_BUCKET:-assets-local}"
QUEUE="${ASSETS_QUEUE:-asset-events}"
DLQ="${ASSETS_DLQ:-asset-events-dlq}"
MAX_RECEIVES="${ASSETS_MAX_RECEIVES:-3}"
VISIBILITY_TIMEOUT=$((6 * ${ASSETS_WORKER_SHUTDOWN_SECONDS:-30}))
ABORT_DAYS="${ASSETS_MULTIPART_ABORT_DAYS:-7}"
ORIGINS="${ASSETS_BROWSER_ORIGINS-http://localhost:8080}"

# Emulator-only credentials: default to test/test inside this script; nothing is exported to the
# caller (this script runs in its own process).
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="$REGION"
export AWS_PAGER=""

if [ -z "${AWS_ENDPOINT:-}" ] && command -v awslocal >/dev/null 2>&1; then
  # inside the LocalStack container
  AWS_CMD=(awslocal --region "$REGION")
  WHERE="awslocal"
else
  ENDPOINT="${AWS_ENDPOINT:-http://127.0.0.1:4566}"
  command -v aws >/dev/null 2>&1 || { echo "[init] ERROR: neither awslocal nor aws is on PATH" >&2; exit 1; }
  AWS_CMD=(aws --endpoint-url "$ENDPOINT" --region "$REGION")
  WHERE="aws --endpoint-url $ENDPOINT"
fi
awsx() { "${AWS_CMD[@]}" "$@"; }
log() { printf '[init] %s\n' "$*"; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

log "creating resources with $WHERE in $REGION"

# --- bucket -------------------------------------------------------------------------------------
if awsx s3api head-bucket --bucket "$BUCKET" >/dev/null 2>&1; then
  log "bucket $BUCKET exists"
else
  if [ "$REGION" = "us-east-1" ]; then
    awsx s3api create-bucket --bucket "$BUCKET" >/dev/null
  else
    awsx s3api create-bucket --bucket "$BUCKET" \
      --create-bucket-configuration "LocationConstraint=$REGION" >/dev/null
  fi
  log "bucket $BUCKET created"
fi

# --- queues -------------------------------------------------------------------------------------
# get-queue-url first: CreateQueue on an existing queue fails when attributes differ.
queue_url() {
  local url
  if url="$(awsx sqs get-queue-url --queue-name "$1" --query QueueUrl --output text 2>/dev/null)"; then
    log "queue $1 exists" >&2
  else
    url="$(awsx sqs create-queue --queue-name "$1" --query QueueUrl --output text)"
    log "queue $1 created" >&2
  fi
  printf '%s\n' "$url"
}
queue_arn() {
  awsx sqs get-queue-attributes --queue-url "$1" --attribute-names QueueArn \
    --query Attributes.QueueArn --output text
}

DLQ_URL="$(queue_url "$DLQ")"
DLQ_ARN="$(queue_arn "$DLQ_URL")"
QUEUE_URL="$(queue_url "$QUEUE")"
QUEUE_ARN="$(queue_arn "$QUEUE_URL")"
PARTITION="$(printf '%s' "$QUEUE_ARN" | cut -d: -f2)"   # aws, or aws-cn / aws-us-gov regions
BUCKET_ARN="arn:$PARTITION:s3:::$BUCKET"

ACCOUNT="$(printf '%s' "$QUEUE_ARN" | cut -d: -f5)"
tls_only() { # the statement CDK's enforceSsl adds: nothing over plain HTTP
  printf '{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"%s","Resource":%s,"Condition":{"Bool":{"aws:SecureTransport":"false"}}}' "$1" "$2"
}
# Attribute values that are JSON documents are JSON strings inside this JSON object (python3 quotes them).
queue_attributes() { # file, then name=value pairs
  local file="$1"; shift
  python3 -c 'import json, sys; print(json.dumps(dict(a.split("=", 1) for a in sys.argv[1:])))' "$@" > "$file"
}
queue_attributes "$TMP/dlq-attributes.json" \
  MessageRetentionPeriod=1209600 MaximumMessageSize=262144 SqsManagedSseEnabled=true \
  "Policy={\"Version\":\"2012-10-17\",\"Statement\":[$(tls_only 'sqs:*' "\"$DLQ_ARN\"")]}"
awsx sqs set-queue-attributes --queue-url "$DLQ_URL" --attributes "file://$TMP/dlq-attributes.json"
queue_attributes "$TMP/queue-attributes.json" \
  VisibilityTimeout="$VISIBILITY_TIMEOUT" ReceiveMessageWaitTimeSeconds=20 MaximumMessageSize=262144 \
  MessageRetentionPeriod=345600 SqsManagedSseEnabled=true \
  "RedrivePolicy={\"deadLetterTargetArn\":\"$DLQ_ARN\",\"maxReceiveCount\":$MAX_RECEIVES}" \
  "Policy={\"Version\":\"2012-10-17\",\"Statement\":[$(tls_only 'sqs:*' "\"$QUEUE_ARN\""),{\"Sid\":\"OnlyTheUploadBucketSendsEvents\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"$QUEUE_ARN\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"$BUCKET_ARN\"},\"StringEquals\":{\"aws:SourceAccount\":\"$ACCOUNT\"}}}]}"
# SetQueueAttributes is idempotent: it always writes the wanted values.
awsx sqs set-queue-attributes --queue-url "$QUEUE_URL" --attributes "file://$TMP/queue-attributes.json"
log "queues $QUEUE and $DLQ attributes set (visibility ${VISIBILITY_TIMEOUT}s, redrive after $MAX_RECEIVES receives, S3 send policy)"

# --- bucket settings ----------------------------------------------------------------------------
awsx s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
awsx s3api put-bucket-encryption --bucket "$BUCKET" --server-side-encryption-configuration \
  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'
# moto (the fallback) enforces bucket policies and serves plain HTTP only: under the TLS-only policy it
# refuses every write, presigned PUTs included, with 403. There the bucket goes without it; LocalStack
# stores the policy without enforcing it, and on AWS deploy/ sets and S3 enforces it.
if [ -n "${ENDPOINT:-}" ] && curl -fsS --max-time 3 "$ENDPOINT/moto-api/data.json" >/dev/null 2>&1; then
  awsx s3api delete-bucket-policy --bucket "$BUCKET"
  TRANSPORT="plain HTTP (moto: no TLS-only policy)"
else
  awsx s3api put-bucket-policy --bucket "$BUCKET" --policy \
    "{\"Version\":\"2012-10-17\",\"Statement\":[$(tls_only 's3:*' "[\"$BUCKET_ARN\",\"$BUCKET_ARN/*\"]")]}"
  TRANSPORT="TLS only"
fi
awsx s3api put-bucket-lifecycle-configuration --bucket "$BUCKET" --lifecycle-configuration \
  "{\"Rules\":[{\"ID\":\"abort-incomplete-multipart-uploads\",\"Status\":\"Enabled\",\"Filter\":{\"Prefix\":\"\"},\"AbortIncompleteMultipartUpload\":{\"DaysAfterInitiation\":$ABORT_DAYS}}]}" >/dev/null
if [ -n "$ORIGINS" ]; then
  origins_json="$(python3 -c 'import json, sys; print(json.dumps([o.strip() for o in sys.argv[1].split(",") if o.strip()]))' "$ORIGINS")"
  awsx s3api put-bucket-cors --bucket "$BUCKET" --cors-configuration \
    "{\"CORSRules\":[{\"ID\":\"browser-uploads\",\"AllowedOrigins\":$origins_json,\"AllowedMethods\":[\"PUT\",\"GET\",\"HEAD\"],\"AllowedHeaders\":[\"*\"],\"ExposeHeaders\":[\"ETag\"],\"MaxAgeSeconds\":3000}]}"
else
  awsx s3api delete-bucket-cors --bucket "$BUCKET"
fi
log "bucket $BUCKET: public access blocked, SSE-S3, $TRANSPORT, multipart abort after $ABORT_DAYS days, CORS for '${ORIGINS}'"

# --- bucket notification ------------------------------------------------------------------------
# One configuration per event type, as the CDK stack writes it. Put only when it differs, because
# every put makes S3 send another s3:TestEvent to the queue. s3:LifecycleExpiration:* is accepted by
# LocalStack 4.14.0 and moto 5.2.1, but neither ever *produces* a lifecycle expiration event.
EVENTS="s3:LifecycleExpiration:* s3:ObjectCreated:* s3:ObjectRemoved:*"
current="$(awsx s3api get-bucket-notification-configuration --bucket "$BUCKET" \
  --query "QueueConfigurations[?QueueArn=='$QUEUE_ARN'].Events[]" --output text 2>/dev/null \
  | tr '\t ' '\n\n' | grep -v '^$' | grep -v '^None$' | sort | tr '\n' ' ' | sed 's/ $//' || true)"
configurations="$(awsx s3api get-bucket-notification-configuration --bucket "$BUCKET" \
  --query 'length(QueueConfigurations || `[]`)' --output text 2>/dev/null || echo 0)"
if [ "$current" = "$EVENTS" ] && [ "$configurations" = "3" ]; then
  log "bucket notification $BUCKET -> $QUEUE already configured ($current)"
else
  python3 -c 'import json, sys; print(json.dumps({"QueueConfigurations": [
      {"Id": e.split(":")[1].lower(), "QueueArn": sys.argv[1], "Events": [e]} for e in sys.argv[2:]]}))' \
    "$QUEUE_ARN" "s3:ObjectCreated:*" "s3:ObjectRemoved:*" "s3:LifecycleExpiration:*" > "$TMP/notification.json"
  awsx s3api put-bucket-notification-configuration --bucket "$BUCKET" \
    --notification-configuration "file://$TMP/notification.json"
  log "bucket notification $BUCKET -> $QUEUE set ($EVENTS)"
fi

log "done: bucket=$BUCKET queue=$QUEUE_URL queueArn=$QUEUE_ARN dlq=$DLQ_URL dlqArn=$DLQ_ARN"
