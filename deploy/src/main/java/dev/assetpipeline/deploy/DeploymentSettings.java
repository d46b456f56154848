package dev.assetpipeline.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import software.constructs.Node;

/**
 * Everything that differs between deployments, read from CDK context ({@code cdk deploy -c key=value} or
 * {@code cdk.json}); each has a default, so {@code cdk deploy} alone gives a working stack. deploy/README.md
 * lists them with their meaning.
 *
 * @param environment             short name that prefixes every resource name (dev, staging, prod)
 * @param account                 AWS account; empty: the CLI's current one
 * @param region                  AWS region
 * @param vpcId                   an existing VPC to deploy into; empty: a new one with two AZs
 * @param browserOrigins          origins allowed to PUT to the bucket from a browser (CORS); empty: none
 * @param quarantineBucket        keep objects that differ from their declaration in a bucket of their own
 * @param maxReceives             receives before a message goes to the dead-letter queue
 * @param multipartAbortAfterDays the bucket aborts incomplete multipart uploads after this many days
 * @param workerShutdownTimeout   the worker's graceful-shutdown budget; the queue's visibility timeout and
 *                                the tasks' stop timeout are derived from it
 * @param apiShutdownTimeout      the API's graceful-shutdown budget; stop timeout and deregistration delay
 *                                are derived from it
 * @param retainData              keep the bucket, queues' messages and database when the stack is deleted
 * @param image                   a built image to run (for example an ECR URI with a tag); empty: build the
 *                                repository's Dockerfile during deploy
 * @param certificateArn          ACM certificate for HTTPS on the load balancer; empty: HTTP only
 * @param operatorPasswordHashSecret name of a Secrets Manager secret holding the bcrypt hash that guards
 *                                the worker's operator endpoints; empty: those endpoints refuse everyone
 * @param alarmEmail              an address the alarm topic mails; empty: subscribe yourself
 */
public record DeploymentSettings(
        String environment,
        String account,
        String region,
        String vpcId,
        List<String> browserOrigins,
        boolean quarantineBucket,
        int maxReceives,
        int multipartAbortAfterDays,
        Duration workerShutdownTimeout,
        Duration apiShutdownTimeout,
        boolean retainData,
        String image,
        String certificateArn,
        String operatorPasswordHashSecret,
        String alarmEmail,
        Sizes sizes,
        Thresholds thresholds) {

    /**
     * Task and database sizes and the bounds the services scale between.
     *
     * @param backlogPerWorker visible messages per worker task the scaling policy aims for
     * @param requestsPerApiTask requests per minute per API task the scaling policy aims for
     */
    public record Sizes(int apiCpu, int apiMemoryMiB, int apiMinTasks, int apiMaxTasks,
            int workerCpu, int workerMemoryMiB, int workerMinTasks, int workerMaxTasks,
            int backlogPerWorker, int requestsPerApiTask,
            String databaseInstanceType, int databaseStorageGiB, boolean databaseMultiAz) {
    }

    /**
     * Where each alarm fires.
     *
     * @param deadLetterMessages   messages in the dead-letter queue
     * @param oldestMessageAge     age of the oldest message in the ingest queue
     * @param ingestFailures       failed ingest attempts in five minutes
     * @param ingestLagP99         99th percentile of S3 event to committed row
     * @param api5xxPercent        share of API answers that are 5xx, in percent, over five minutes
     */
    public record Thresholds(int deadLetterMessages, Duration oldestMessageAge, int ingestFailures,
            Duration ingestLagP99, double api5xxPercent) {
    }

    public DeploymentSettings {
        if (!environment.matches("[a-z][a-z0-9-]{0,11}")) {
            throw new IllegalArgumentException("environment must be 1-12 lower-case letters, digits or dashes, "
                    + "starting with a letter (it prefixes bucket names): " + environment);
        }
        if (maxReceives < 1 || maxReceives > 1000) {
            throw new IllegalArgumentException("maxReceives must be 1-1000: " + maxReceives);
        }
        if (workerShutdownTimeout.multipliedBy(6).compareTo(Duration.ofHours(12)) > 0
                || workerShutdownTimeout.isNegative() || workerShutdownTimeout.isZero()) {
            throw new IllegalArgumentException("workerShutdownTimeout must be positive and at most 2 h: "
                    + workerShutdownTimeout);
        }
        if (stopTimeout(workerShutdownTimeout).toSeconds() > 120 || stopTimeout(apiShutdownTimeout).toSeconds() > 120) {
            throw new IllegalArgumentException("ECS stops a task at most 120 s after SIGTERM: shutdown timeouts "
                    + "must be at most " + (120 - STOP_MARGIN.toSeconds()) + " s");
        }
        if (sizes.workerMinTasks() < 1 || sizes.apiMinTasks() < 1) {
            throw new IllegalArgumentException("at least one task of each service: backlog per task divides by "
                    + "running tasks, and the API needs a target");
        }
        browserOrigins = List.copyOf(browserOrigins);
    }

    /** What SIGTERM to SIGKILL may take beyond the service's own budget (JVM exit, log flush). */
    static final Duration STOP_MARGIN = Duration.ofSeconds(15);

    /**
     * Six times the longest the worker holds a message it has begun, as AWS advises for consumers: a
     * message in progress never becomes visible to a second worker.
     */
    public Duration visibilityTimeout() {
        return workerShutdownTimeout.multipliedBy(6);
    }

    public static Duration stopTimeout(Duration shutdownTimeout) {
        return shutdownTimeout.plus(STOP_MARGIN);
    }

    /** The CloudWatch namespace both services publish to and every alarm and widget reads. */
    public String metricsNamespace() {
        return "AssetPipeline/" + environment;
    }

    /** Prefix of every physical name: bucket, queues, cluster, alarms, dashboard. */
    public String prefix() {
        return "assets-" + environment;
    }

    public static DeploymentSettings fromContext(Node node) {
        CdkContext context = new CdkContext(node);
        return new DeploymentSettings(
                context.string("environment", "dev"),
                context.string("account", Objects.toString(System.getenv("CDK_DEFAULT_ACCOUNT"), "")),
                context.string("region", Objects.toString(System.getenv("CDK_DEFAULT_REGION"), "us-east-1")),
                context.string("vpcId", ""),
                context.list("browserOrigins"),
                context.bool("quarantineBucket", false),
                context.integer("maxReceives", 5),
                context.integer("multipartAbortAfterDays", 7),
                context.duration("workerShutdownTimeout", Duration.ofSeconds(30)),
                context.duration("apiShutdownTimeout", Duration.ofSeconds(30)),
                context.bool("retainData", true),
                context.string("image", ""),
                context.string("certificateArn", ""),
                context.string("operatorPasswordHashSecret", ""),
                context.string("alarmEmail", ""),
                new Sizes(
                        context.integer("apiCpu", 512), context.integer("apiMemoryMiB", 1024),
                        context.integer("apiMinTasks", 2), context.integer("apiMaxTasks", 6),
                        context.integer("workerCpu", 512), context.integer("workerMemoryMiB", 1024),
                        context.integer("workerMinTasks", 1), context.integer("workerMaxTasks", 10),
                        context.integer("backlogPerWorker", 200), context.integer("requestsPerApiTask", 3000),
                        context.string("databaseInstanceType", "t4g.micro"),
                        context.integer("databaseStorageGiB", 20),
                        context.bool("databaseMultiAz", false)),
                new Thresholds(
                        context.integer("alarmDeadLetterMessages", 1),
                        context.duration("alarmOldestMessageAge", Duration.ofMinutes(5)),
                        context.integer("alarmIngestFailures", 10),
                        context.duration("alarmIngestLagP99", Duration.ofSeconds(30)),
                        context.decimal("alarmApi5xxPercent", 1.0)));
    }
}
