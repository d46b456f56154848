package dev.assetpipeline.deploy;

import static dev.assetpipeline.deploy.Synth.list;
import static dev.assetpipeline.deploy.Synth.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The events stack as synthesized: bucket, notification, queues, policy, alarm topic and alarms. */
class EventsStackTest {

    private static final Template defaults = Synth.events(Map.of());

    @Test
    void uploadBucketBlocksPublicAccessIsEncryptedAndRefusesPlainHttp() {
        defaults.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketName", Map.of("Fn::Join", List.of("-", List.of("assets-dev-uploads",
                        Map.of("Ref", "AWS::AccountId"), Map.of("Ref", "AWS::Region")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))));
        defaults.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny", "Action", "s3:*",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void uploadBucketAbortsIncompleteMultipartUploadsAfterTheConfiguredDays() {
        Synth.events(Map.of("multipartAbortAfterDays", "3")).hasResourceProperties("AWS::S3::Bucket", Map.of(
                "LifecycleConfiguration", Map.of("Rules", List.of(Map.of("Id", "abort-incomplete-multipart-uploads",
                        "Status", "Enabled", "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 3))))));
    }

    @Test
    void corsAllowsOnlyTheConfiguredOriginsAndExposesETag() {
        Synth.events(Map.of("browserOrigins", "https://app.example.com,https://admin.example.com"))
                .hasResourceProperties("AWS::S3::Bucket", Map.of("CorsConfiguration", Map.of("CorsRules", List.of(
                        Map.of("Id", "browser-uploads",
                                "AllowedOrigins", List.of("https://app.example.com", "https://admin.example.com"),
                                "AllowedMethods", List.of("PUT", "GET", "HEAD"),
                                "AllowedHeaders", List.of("*"),
                                "ExposedHeaders", List.of("ETag"),
                                "MaxAge", 3000)))));
        defaults.hasResourceProperties("AWS::S3::Bucket", Map.of("CorsConfiguration", Match.absent()));
    }

    @Test
    void bucketNotifiesTheIngestQueueOfCreatedRemovedAndExpiredObjectsOnceItsPolicyAllowsIt() {
        Map<String, Object> queueArn = Map.of("Fn::GetAtt", List.of(logicalId(defaults, "AWS::SQS::Queue", "IngestQueue"), "Arn"));
        defaults.hasResourceProperties("AWS::S3::Bucket", Map.of("NotificationConfiguration", Map.of(
                "QueueConfigurations", List.of(
                        Map.of("Event", "s3:ObjectCreated:*", "Queue", queueArn),
                        Map.of("Event", "s3:ObjectRemoved:*", "Queue", queueArn),
                        Map.of("Event", "s3:LifecycleExpiration:*", "Queue", queueArn)))));
        defaults.hasResource("AWS::S3::Bucket", Map.of("DependsOn",
                List.of(logicalId(defaults, "AWS::SQS::QueuePolicy", "IngestQueue"))));
        // no function deployed to wire it (addEventNotification's custom resource)
        defaults.resourceCountIs("AWS::Lambda::Function", 0);
    }

    @Test
    void ingestQueueLongPollsHoldsMessagesSixWorkerShutdownsAndRedrivesAfterTheConfiguredReceives() {
        Template template = Synth.events(Map.of("workerShutdownTimeout", "45", "maxReceives", "4"));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "QueueName", "assets-dev-events",
                "ReceiveMessageWaitTimeSeconds", 20,
                "VisibilityTimeout", 270,
                "MaximumMessageSize", 262144,
                "MessageRetentionPeriod", 345600,
                "SqsManagedSseEnabled", true,
                "RedrivePolicy", Map.of("maxReceiveCount", 4, "deadLetterTargetArn",
                        Map.of("Fn::GetAtt", List.of(logicalId(template, "AWS::SQS::Queue", "DeadLetterQueue"), "Arn")))));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "QueueName", "assets-dev-events-dlq",
                "MaximumMessageSize", 262144,
                "MessageRetentionPeriod", 14 * 24 * 3600,
                "SqsManagedSseEnabled", true));
        assertThat(Synth.json(template).toString()).doesNotContain("FifoQueue");
    }

    @Test
    void queuePolicyLetsOnlyThisBucketInThisAccountSend() {
        String queue = logicalId(defaults, "AWS::SQS::Queue", "IngestQueue");
        Object bucketName = Map.of("Fn::Join", List.of("-", List.of("assets-dev-uploads",
                Map.of("Ref", "AWS::AccountId"), Map.of("Ref", "AWS::Region"))));
        Object bucketArn = Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":s3:::", bucketName)));
        Map<String, Object> statement = Map.of(
                "Sid", "OnlyTheUploadBucketSendsEvents",
                "Effect", "Allow",
                "Principal", Map.of("Service", "s3.amazonaws.com"),
                "Action", "sqs:SendMessage",
                "Resource", Map.of("Fn::GetAtt", List.of(queue, "Arn")),
                "Condition", Map.of(
                        "ArnLike", Map.of("aws:SourceArn", bucketArn),
                        "StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId"))));
        defaults.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of(
                "Queues", List.of(Map.of("Ref", queue)),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(statement)))));
    }

    @Test
    void quarantineBucketIsOptionalAndSendsNoNotifications() {
        defaults.resourceCountIs("AWS::S3::Bucket", 1);
        Template template = Synth.events(Map.of("quarantineBucket", "true"));
        template.resourceCountIs("AWS::S3::Bucket", 2);
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketName", Map.of("Fn::Join", List.of("-", List.of("assets-dev-quarantine",
                        Map.of("Ref", "AWS::AccountId"), Map.of("Ref", "AWS::Region")))),
                "NotificationConfiguration", Match.absent(),
                "PublicAccessBlockConfiguration", Match.objectLike(Map.of("BlockPublicAcls", true))));
        template.hasOutput("QuarantineBucketName", Match.anyValue());
    }

    @Test
    void dataIsRetainedUnlessTheDeploymentSaysOtherwise() {
        defaults.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain"));
        defaults.hasResource("AWS::SQS::Queue", Map.of("DeletionPolicy", "Retain"));
        Template disposable = Synth.events(Map.of("retainData", "false"));
        disposable.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Delete"));
        disposable.hasResource("AWS::SQS::Queue", Map.of("DeletionPolicy", "Delete"));
    }

    @Test
    void deadLetterAlarmFiresOnVisibleMessagesAndNotifiesTheTopic() {
        Template template = Synth.events(Map.of("alarmDeadLetterMessages", "3"));
        String topic = logicalId(template, "AWS::SNS::Topic", "Topic");
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "AlarmName", "assets-dev-dead-letters",
                "Namespace", "AWS/SQS",
                "MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value",
                        Map.of("Fn::GetAtt", List.of(logicalId(template, "AWS::SQS::Queue", "DeadLetterQueue"), "QueueName")))),
                "Statistic", "Maximum",
                "Period", 60,
                "Threshold", 3,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "AlarmName", "assets-dev-dead-letters",
                "EvaluationPeriods", 1,
                "TreatMissingData", "notBreaching",
                "AlarmActions", List.of(Map.of("Ref", topic)),
                "OKActions", List.of(Map.of("Ref", topic))));
    }

    @Test
    void oldestMessageAlarmWatchesTheIngestQueueAge() {
        Synth.events(Map.of("alarmOldestMessageAge", "PT10M")).hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "AlarmName", "assets-dev-oldest-message",
                "Namespace", "AWS/SQS",
                "MetricName", "ApproximateAgeOfOldestMessage",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt",
                        List.of(logicalId(defaults, "AWS::SQS::Queue", "IngestQueue"), "QueueName")))),
                "Statistic", "Maximum",
                "Threshold", 600,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "EvaluationPeriods", 3));
    }

    @Test
    void ingestFailureAlarmAddsUpEveryFailureReasonOfTheWorker() {
        Map<String, Object> alarm = alarm(Synth.events(Map.of("alarmIngestFailures", "25")), "assets-dev-ingest-failures");
        assertThat(alarm).containsEntry("Threshold", 25).containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
        List<Map<String, Object>> metrics = list(alarm.get("Metrics"));
        assertThat(metrics).filteredOn(m -> m.containsKey("Expression")).singleElement()
                .satisfies(m -> assertThat(m.get("Expression")).isEqualTo("FILL(f0, 0) + FILL(f1, 0)"));
        assertThat(metrics).filteredOn(m -> m.containsKey("MetricStat"))
                .extracting(m -> map(map(m.get("MetricStat")).get("Metric")))
                .allSatisfy(metric -> {
                    assertThat(metric).containsEntry("Namespace", "AssetPipeline/dev")
                            .containsEntry("MetricName", "assets.ingest.events.count");
                })
                .extracting(metric -> Synth.text(metric.get("Dimensions")))
                .containsExactlyInAnyOrder(
                        "[{\"Name\":\"outcome\",\"Value\":\"failed\"},{\"Name\":\"reason\",\"Value\":\"error\"}]",
                        "[{\"Name\":\"outcome\",\"Value\":\"failed\"},{\"Name\":\"reason\",\"Value\":\"malformed\"}]");
        assertThat(metrics).filteredOn(m -> m.containsKey("MetricStat"))
                .allSatisfy(m -> assertThat(map(m.get("MetricStat"))).containsEntry("Stat", "Sum").containsEntry("Period", 300));
    }

    @Test
    void ingestLagAlarmReadsTheWorstTasksP99InMilliseconds() {
        Synth.events(Map.of("alarmIngestLagP99", "PT45S")).hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "AlarmName", "assets-dev-ingest-lag-p99",
                "Namespace", "AssetPipeline/dev",
                "MetricName", "assets.ingest.lag.percentile.value",
                "Dimensions", List.of(Map.of("Name", "phi", "Value", "0.99")),
                "Statistic", "Maximum",
                "Period", 300,
                "Threshold", 45000,
                "ComparisonOperator", "GreaterThanThreshold"));
    }

    @Test
    void alarmTopicMailsTheConfiguredAddress() {
        defaults.resourceCountIs("AWS::SNS::Subscription", 0);
        Synth.events(Map.of("alarmEmail", "oncall@example.com")).hasResourceProperties("AWS::SNS::Subscription",
                Map.of("Protocol", "email", "Endpoint", "oncall@example.com"));
    }

    @Test
    void environmentNamePrefixesEveryNameAndIsChecked() {
        Template staging = Synth.events(Map.of("environment", "staging"));
        staging.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "assets-staging-events"));
        staging.hasResourceProperties("AWS::SNS::Topic", Map.of("TopicName", "assets-staging-alarms"));
        staging.hasOutput("MetricsNamespace", Map.of("Value", "AssetPipeline/staging"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Synth.events(Map.of("environment", "Prod_1")))
                .hasMessageContaining("environment must be");
    }

    static String logicalId(Template template, String type, String pathPart) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        return found.keySet().stream().filter(id -> id.contains(pathPart)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " with " + pathPart + " in " + found.keySet()));
    }

    static Map<String, Object> alarm(Template template, String name) {
        return template.findResources("AWS::CloudWatch::Alarm").values().stream()
                .map(resource -> map(resource.get("Properties")))
                .filter(properties -> name.equals(properties.get("AlarmName")))
                .findFirst().orElseThrow(() -> new AssertionError("no alarm " + name));
    }
}
