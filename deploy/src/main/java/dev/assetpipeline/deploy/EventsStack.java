package dev.assetpipeline.deploy;

import dev.assetpipeline.deploy.events.StorageAndEvents;
import dev.assetpipeline.deploy.observability.Alerting;
import dev.assetpipeline.deploy.observability.IngestAlarms;
import dev.assetpipeline.deploy.observability.ServiceMetrics;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * What holds uploads and carries their events, and the alarms on it: bucket, notification, queues, policy,
 * alarm topic. Its own stack because it is stateful and long-lived, and because the emulator can create
 * all of it, so CI deploys exactly this stack and runs the services against it.
 */
public final class EventsStack extends Stack {

    private final StorageAndEvents storage;
    private final Alerting alerting;
    private final IngestAlarms ingestAlarms;

    public EventsStack(Construct scope, String id, StackProps props, DeploymentSettings settings) {
        super(scope, id, props);
        storage = new StorageAndEvents(this, "StorageAndEvents", settings);
        alerting = new Alerting(this, "Alerting", settings);
        ingestAlarms = new IngestAlarms(this, "IngestAlarms", settings, storage, alerting, new ServiceMetrics(settings.metricsNamespace()));

        output("UploadBucketName", storage.uploads().getBucketName());
        output("IngestQueueName", storage.queue().getQueueName());
        output("IngestQueueUrl", storage.queue().getQueueUrl());
        output("DeadLetterQueueName", storage.deadLetters().getQueueName());
        output("DeadLetterQueueUrl", storage.deadLetters().getQueueUrl());
        output("AlarmTopicArn", alerting.topic().getTopicArn());
        output("MetricsNamespace", settings.metricsNamespace());
        storage.quarantine().ifPresent(bucket -> output("QuarantineBucketName", bucket.getBucketName()));
    }

    private void output(String name, String value) {
        CfnOutput.Builder.create(this, name).value(value).build();
    }

    public StorageAndEvents storage() {
        return storage;
    }

    public IngestAlarms ingestAlarms() {
        return ingestAlarms;
    }

    public Alerting alerting() {
        return alerting;
    }
}
