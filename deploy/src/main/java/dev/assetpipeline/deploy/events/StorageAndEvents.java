package dev.assetpipeline.deploy.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.assetpipeline.deploy.DeploymentSettings;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.QueuePolicy;
import software.constructs.Construct;

/**
 * The upload bucket, its S3 event notification to the ingest queue, the queue's dead-letter queue, and
 * the optional quarantine bucket: the part of the pipeline that holds state and events. The local run
 * (localstack/init/ready.d/10-create-resources.sh) creates the same; LocalDefinitionMatchesCdkIT compares
 * the two attribute by attribute.
 *
 * <p>The notification is written on the bucket's CloudFormation resource rather than with
 * {@code addEventNotification}: that helper deploys a Lambda function to break the cycle between bucket
 * and queue policy. Here the bucket's name is known in advance, so the queue policy names the bucket's ARN,
 * the bucket waits for the policy, and there is no cycle and no function to run.
 */
public final class StorageAndEvents extends Construct {

    /** What S3 sends; lifecycle expirations send no ObjectRemoved, so they are asked for on their own. */
    public static final List<String> EVENT_TYPES = List.of(
            "s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:LifecycleExpiration:*");
    /** S3's default and the lower bound the worker needs (an S3 event is a few KiB). */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    static final Duration QUEUE_RETENTION = Duration.days(4);
    static final Duration DEAD_LETTER_RETENTION = Duration.days(14);

    private final Bucket uploads;
    private final Bucket quarantine;
    private final Queue queue;
    private final Queue deadLetters;

    public StorageAndEvents(Construct scope, String id, DeploymentSettings settings) {
        super(scope, id);
        RemovalPolicy removal = settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        deadLetters = Queue.Builder.create(this, "DeadLetterQueue")
                .queueName(settings.prefix() + "-events-dlq")
                .maxMessageSizeBytes(MAX_MESSAGE_BYTES)
                .retentionPeriod(DEAD_LETTER_RETENTION)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .removalPolicy(removal)
                .build();
        queue = Queue.Builder.create(this, "IngestQueue")
                .queueName(settings.prefix() + "-events")
                .visibilityTimeout(Duration.seconds(settings.visibilityTimeout().toSeconds()))
                .receiveMessageWaitTime(Duration.seconds(20))
                .maxMessageSizeBytes(MAX_MESSAGE_BYTES)
                .retentionPeriod(QUEUE_RETENTION)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(settings.maxReceives()).build())
                .removalPolicy(removal)
                .build();

        String uploadsName = Fn.join("-", List.of(settings.prefix(), "uploads", Aws.ACCOUNT_ID, Aws.REGION));
        uploads = bucket("Uploads", uploadsName, removal)
                .cors(cors(settings.browserOrigins()))
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("abort-incomplete-multipart-uploads")
                        .abortIncompleteMultipartUploadAfter(Duration.days(settings.multipartAbortAfterDays()))
                        .build()))
                .build();
        quarantine = settings.quarantineBucket()
                ? bucket("Quarantine", Fn.join("-", List.of(settings.prefix(), "quarantine", Aws.ACCOUNT_ID, Aws.REGION)),
                        removal).build()
                : null;

        // the bucket's ARN from its name, not from the bucket: the bucket must wait for this policy
        String uploadsArn = Fn.join("", List.of("arn:", Aws.PARTITION, ":s3:::", uploadsName));
        queue.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("OnlyTheUploadBucketSendsEvents")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("s3.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(queue.getQueueArn()))
                .conditions(Map.of(
                        "ArnLike", Map.of("aws:SourceArn", uploadsArn),
                        "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build());
        // the queue's one policy, which addToResourcePolicy made (with enforceSsl's statement in it)
        QueuePolicy onlyThisBucketSends = (QueuePolicy) queue.getNode().findChild("Policy");

        CfnBucket uploadsResource = (CfnBucket) uploads.getNode().getDefaultChild();
        uploadsResource.setNotificationConfiguration(CfnBucket.NotificationConfigurationProperty.builder()
                .queueConfigurations(EVENT_TYPES.stream().map(event -> CfnBucket.QueueConfigurationProperty.builder()
                        .event(event).queue(queue.getQueueArn()).build()).toList())
                .build());
        // S3 checks that it may send when the notification is created
        uploadsResource.getNode().addDependency(onlyThisBucketSends);
    }

    private Bucket.Builder bucket(String id, String name, RemovalPolicy removal) {
        return Bucket.Builder.create(this, id)
                .bucketName(name)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .removalPolicy(removal);
    }

    /** Browsers PUT (single uploads and multipart parts) and GET; multipart clients must read each part's ETag. */
    private static List<CorsRule> cors(List<String> origins) {
        if (origins.isEmpty()) {
            return null;
        }
        List<CorsRule> rules = new ArrayList<>();
        rules.add(CorsRule.builder()
                .id("browser-uploads")
                .allowedOrigins(origins)
                .allowedMethods(List.of(HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD))
                .allowedHeaders(List.of("*"))
                .exposedHeaders(List.of("ETag"))
                .maxAge(3000)
                .build());
        return rules;
    }

    public Bucket uploads() {
        return uploads;
    }

    /** Empty when the deployment deletes rejected objects instead of keeping them. */
    public Optional<Bucket> quarantine() {
        return java.util.Optional.ofNullable(quarantine);
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetters() {
        return deadLetters;
    }
}
