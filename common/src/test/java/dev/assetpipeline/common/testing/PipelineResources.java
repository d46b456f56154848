package dev.assetpipeline.common.testing;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A bucket wired to its own queue and dead-letter queue, as localstack/init creates them for a
 * local run, but with unique names so every test class is alone. The short visibility timeout lets
 * poison reach the DLQ within seconds instead of minutes.
 */
public record PipelineResources(String bucket, String queueName, String queueUrl, String dlqName, String dlqUrl,
        int maxReceives) {

    public static PipelineResources create(TestInfrastructure.Aws aws, String purpose, int maxReceives,
            Duration visibilityTimeout) {
        String base = (purpose + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        try (S3Client s3 = AwsClients.s3(aws); SqsClient sqs = AwsClients.sqs(aws)) {
            String dlqUrl = sqs.createQueue(b -> b.queueName(base + "-dlq")).queueUrl();
            String dlqArn = arn(sqs, dlqUrl);
            String queueUrl = sqs.createQueue(b -> b.queueName(base + "-events").attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilityTimeout.toSeconds()),
                    QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceives + "\"}")))
                    .queueUrl();
            String queueArn = arn(sqs, queueUrl);
            sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.POLICY, """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"Service":"s3.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"%s"}]}
                    """.formatted(queueArn))));
            s3.createBucket(b -> b.bucket(base));
            s3.putBucketNotificationConfiguration(b -> b.bucket(base).notificationConfiguration(
                    NotificationConfiguration.builder().queueConfigurations(QueueConfiguration.builder()
                            .queueArn(queueArn)
                            .events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED)
                            .build()).build()));
            return new PipelineResources(base, base + "-events", queueUrl, base + "-dlq", dlqUrl, maxReceives);
        }
    }

    private static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
