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
#   bucket  ${ASSETS_BUCKET:-assets-local}
#   DLQ     ${ASSETS_DLQ:-asset-events-dlq}
#   queue   ${ASSETS_QUEUE:-asset-events}: standard queue, VisibilityTimeout 30,
#           ReceiveMessageWaitTimeSeconds 20, MaximumMessageSize 262144,
#           RedrivePolicy maxReceiveCount ${ASSETS_MAX_RECEIVES:-3} -> DLQ,
#           policy letting s3.amazonaws.com SendMessage from the bucket
#   bucket notification: s3:ObjectCreated:*, s3:ObjectRemoved:*, s3:LifecycleExpiration:* -> queue
set -euo pipefail

REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
BUCKET="${ASSETS_BUCKET:-assets-local}"
QUEUE="${ASSETS_QUEUE:-asset-events}"
DLQ="${ASSETS_DLQ:-asset-events-dlq}"
MAX_RECEIVES="${ASSETS_MAX_RECEIVES:-3}"

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

# Attribute values that are JSON documents are JSON strings inside this JSON object.
cat > "$TMP/queue-attributes.json" <<EOF
{
  "VisibilityTimeout": "30",
  "ReceiveMessageWaitTimeSeconds": "20",
  "MaximumMessageSize": "262144",
  "RedrivePolicy": "{\"deadLetterTargetArn\":\"$DLQ_ARN\",\"maxReceiveCount\":\"$MAX_RECEIVES\"}",
  "Policy": "{\"Version\":\"2012-10-17\",\"Id\":\"s3-to-$QUEUE\",\"Statement\":[{\"Sid\":\"AllowS3SendMessage\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"$QUEUE_ARN\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"$BUCKET_ARN\"}}}]}"
}
EOF
# SetQueueAttributes is idempotent: it always writes the wanted values.
awsx sqs set-queue-attributes --queue-url "$QUEUE_URL" --attributes "file://$TMP/queue-attributes.json"
log "queue $QUEUE attributes set (redrive to $DLQ_ARN after $MAX_RECEIVES receives, S3 send policy)"

# --- bucket notification ------------------------------------------------------------------------
# Put only when it differs, because every put makes S3 send another s3:TestEvent to the queue.
# s3:LifecycleExpiration:* is accepted by LocalStack 4.14.0 and moto 5.2.1 (checked on both), but
# neither emulator ever *produces* a lifecycle expiration event. If an emulator refuses it, the
# configuration is put without it and this script says so.
EVENTS_FULL="s3:LifecycleExpiration:* s3:ObjectCreated:* s3:ObjectRemoved:*"
EVENTS_BASIC="s3:ObjectCreated:* s3:ObjectRemoved:*"

current="$(awsx s3api get-bucket-notification-configuration --bucket "$BUCKET" \
  --query "QueueConfigurations[?QueueArn=='$QUEUE_ARN'].Events[]" --output text 2>/dev/null \
  | tr '\t ' '\n\n' | grep -v '^$' | grep -v '^None$' | sort | tr '\n' ' ' | sed 's/ $//' || true)"

notification_json() {
  local events="" e
  for e in $1; do events="$events${events:+,}\"$e\""; done
  printf '{"QueueConfigurations":[{"Id":"%s-to-%s","QueueArn":"%s","Events":[%s]}]}' \
    "$BUCKET" "$QUEUE" "$QUEUE_ARN" "$events"
}

if [ "$current" = "$EVENTS_FULL" ] || [ "$current" = "$EVENTS_BASIC" ]; then
  log "bucket notification $BUCKET -> $QUEUE already configured ($current)"
else
  notification_json "$EVENTS_FULL" > "$TMP/notification.json"
  if awsx s3api put-bucket-notification-configuration --bucket "$BUCKET" \
      --notification-configuration "file://$TMP/notification.json" 2>"$TMP/err"; then
    log "bucket notification $BUCKET -> $QUEUE set ($EVENTS_FULL)"
  else
    log "emulator refused s3:LifecycleExpiration:* ($(tr '\n' ' ' < "$TMP/err")); configuring without it"
    notification_json "$EVENTS_BASIC" > "$TMP/notification.json"
    awsx s3api put-bucket-notification-configuration --bucket "$BUCKET" \
      --notification-configuration "file://$TMP/notification.json"
    log "bucket notification $BUCKET -> $QUEUE set ($EVENTS_BASIC)"
  fi
fi

log "done: bucket=$BUCKET queue=$QUEUE_URL queueArn=$QUEUE_ARN dlq=$DLQ_URL dlqArn=$DLQ_ARN"
