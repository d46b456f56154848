package dev.assetpipeline.deploy.services;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sqs.IQueue;

/**
 * Exactly what each service calls AWS for (deploy/README.md lists the same), on exactly the resources it
 * calls them on. The one {@code *} resource is PutMetricData's, which has no resource type in IAM; a
 * condition holds it to the pipeline's namespace instead.
 */
final class TaskPermissions {

    private TaskPermissions() {
    }

    /**
     * The API presigns PUTs and GETs (the URLs carry the task role's rights, so it needs both) and removes
     * the objects clients delete.
     */
    static List<PolicyStatement> api(IBucket uploads, String namespace) {
        return List.of(
                statement("PresignUploadsAndDownloads", List.of("s3:PutObject", "s3:GetObject"),
                        List.of(uploads.arnForObjects("*"))),
                statement("DeleteWhatClientsDelete", List.of("s3:DeleteObject"), List.of(uploads.arnForObjects("*"))),
                metrics(namespace));
    }

    /**
     * The worker consumes the queue, checks and removes objects, keeps the bucket and the table in step
     * (listing, aborting stale multipart uploads), moves rejected objects to quarantine, and looks at and
     * redrives the dead-letter queue (StartMessageMoveTask needs receive, delete and attributes on the
     * source and send on the destination).
     */
    static List<PolicyStatement> worker(IQueue queue, IQueue deadLetters, IBucket uploads,
            Optional<IBucket> quarantine, String namespace) {
        List<PolicyStatement> statements = new ArrayList<>(List.of(
                statement("ConsumeIngestQueue", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"),
                        List.of(queue.getQueueArn())),
                statement("RedriveDeadLettersInto", List.of("sqs:SendMessage"), List.of(queue.getQueueArn())),
                statement("InspectAndRedriveDeadLetters", List.of("sqs:GetQueueUrl", "sqs:GetQueueAttributes",
                        "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:StartMessageMoveTask"),
                        List.of(deadLetters.getQueueArn())),
                statement("CheckAndRemoveObjects", List.of("s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
                        List.of(uploads.arnForObjects("*"))),
                statement("ReconcileBucket", List.of("s3:ListBucket", "s3:ListBucketMultipartUploads"),
                        List.of(uploads.getBucketArn())),
                metrics(namespace)));
        quarantine.ifPresent(bucket -> statements.add(statement("QuarantineRejectedObjects",
                List.of("s3:PutObject"), List.of(bucket.arnForObjects("*")))));
        return statements;
    }

    static void grant(IRole role, List<PolicyStatement> statements) {
        statements.forEach(role::addToPrincipalPolicy);
    }

    private static PolicyStatement metrics(String namespace) {
        return PolicyStatement.Builder.create().sid("PublishMetrics")
                .actions(List.of("cloudwatch:PutMetricData")).resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", namespace)))
                .build();
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().sid(sid).actions(actions).resources(resources).build();
    }
}
