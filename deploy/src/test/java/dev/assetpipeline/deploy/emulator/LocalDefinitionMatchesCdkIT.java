package dev.assetpipeline.deploy.emulator;

import static dev.assetpipeline.deploy.Synth.list;
import static dev.assetpipeline.deploy.Synth.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.deploy.Synth;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local run's resources (localstack/init/ready.d/10-create-resources.sh, with its defaults) are what the
 * CDK events stack defines, attribute by attribute: the script creates them in the emulator under the
 * stack's names, they are read back through the S3 and SQS APIs, and compared with the synthesized
 * template. The script is kept rather than deploying the stack for every local start because it takes a
 * few seconds, against half a minute for bootstrap and deploy (and it also runs inside LocalStack's image
 * as an init hook).
 */
class LocalDefinitionMatchesCdkIT {

    /** The settings the local run uses, given to the stack as context. */
    private static final Map<String, Object> LOCAL_SETTINGS = Map.of("maxReceives", "3", "workerShutdownTimeout", "30",
            "multipartAbortAfterDays", "7", "browserOrigins", "http://localhost:8080", "stacks", "events");
    /** What SQS assumes for an attribute nobody sets (its maximum message size is 1 MiB since 2025). */
    private static final Map<String, String> SQS_DEFAULTS = Map.of("DelaySeconds", "0", "MaximumMessageSize", "1048576",
            "MessageRetentionPeriod", "345600", "ReceiveMessageWaitTimeSeconds", "0", "VisibilityTimeout", "30");
    private static final ObjectMapper json = new ObjectMapper();

    private static Map<String, Object> template;
    private static Intrinsics intrinsics;

    @BeforeAll
    static void createTheLocalResourcesUnderTheStacksNames() {
        String environment = EmulatorStack.environment("lm");
        template = Synth.json(software.amazon.awscdk.assertions.Template.fromStack(
                Synth.stacks(EmulatorStack.context(environment, LOCAL_SETTINGS)).events()));
        intrinsics = new Intrinsics(template, EmulatorStack.ACCOUNT, TestInfrastructure.aws().region());
        TestInfrastructure.runInitHook(Path.of("..").toAbsolutePath().normalize(), Map.of(
                "ASSETS_BUCKET", property("AWS::S3::Bucket", "BucketName"),
                "ASSETS_QUEUE", queueName("IngestQueue"),
                "ASSETS_DLQ", queueName("DeadLetterQueue")));
    }

    @Test
    void queuesHaveTheStacksAttributesRedriveAndPolicies() throws IOException {
        try (SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws())) {
            for (String queue : List.of("IngestQueue", "DeadLetterQueue")) {
                Map<String, Object> defined = map(intrinsics.resolve(resource("AWS::SQS::Queue", queue).get("Properties"), template));
                Map<String, String> created = sqs.getQueueAttributes(b -> b.queueUrl(sqs.getQueueUrl(
                        u -> u.queueName(queueName(queue))).queueUrl()).attributeNames(QueueAttributeName.ALL))
                        .attributesAsStrings();

                Map<String, String> expected = new TreeMap<>(SQS_DEFAULTS);
                SQS_DEFAULTS.keySet().forEach(name -> {
                    if (defined.containsKey(name)) {
                        expected.put(name, String.valueOf(defined.get(name)));
                    }
                });
                expected.put("SqsManagedSseEnabled", String.valueOf(defined.get("SqsManagedSseEnabled")));
                Map<String, String> actual = new TreeMap<>();
                expected.keySet().forEach(name -> actual.put(name, created.get(name)));
                assertThat(actual).as(queue).isEqualTo(expected);

                assertThat(redrive(created.get("RedrivePolicy"))).as(queue + " redrive")
                        .isEqualTo(redrive(defined.get("RedrivePolicy")));
                assertThat(statements(created.get("Policy"))).as(queue + " policy")
                        .isEqualTo(statements(queuePolicy(queue)));
            }
        }
    }

    @Test
    void bucketBlocksPublicAccessEncryptsAndHasTheStacksPolicyLifecycleAndCors() throws IOException {
        Map<String, Object> defined = map(intrinsics.resolve(resource("AWS::S3::Bucket", "Uploads").get("Properties"), template));
        String bucket = (String) defined.get("BucketName");
        try (S3Client s3 = AwsClients.s3(TestInfrastructure.aws())) {
            var block = s3.getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration();
            assertThat(Map.of("BlockPublicAcls", block.blockPublicAcls(), "BlockPublicPolicy", block.blockPublicPolicy(),
                    "IgnorePublicAcls", block.ignorePublicAcls(), "RestrictPublicBuckets", block.restrictPublicBuckets()))
                    .isEqualTo(defined.get("PublicAccessBlockConfiguration"));

            assertThat(s3.getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration().rules().stream()
                    .map(rule -> rule.applyServerSideEncryptionByDefault().sseAlgorithmAsString()).toList())
                    .isEqualTo(list(map(defined.get("BucketEncryption")).get("ServerSideEncryptionConfiguration")).stream()
                            .map(rule -> map(rule.get("ServerSideEncryptionByDefault")).get("SSEAlgorithm")).toList());

            assertThat(statements(s3.getBucketPolicy(b -> b.bucket(bucket)).policy()))
                    .isEqualTo(statements(map(resource("AWS::S3::BucketPolicy", "Uploads").get("Properties")).get("PolicyDocument")));

            assertThat(s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules().stream()
                    .map(rule -> List.of(rule.id(), rule.statusAsString(), rule.abortIncompleteMultipartUpload().daysAfterInitiation()))
                    .toList())
                    .isEqualTo(list(map(defined.get("LifecycleConfiguration")).get("Rules")).stream()
                            .map(rule -> List.of(rule.get("Id"), rule.get("Status"),
                                    map(rule.get("AbortIncompleteMultipartUpload")).get("DaysAfterInitiation")))
                            .toList());

            assertThat(s3.getBucketCors(b -> b.bucket(bucket)).corsRules().stream()
                    .map(rule -> List.of(rule.id(), rule.allowedOrigins(), rule.allowedMethods(), rule.allowedHeaders(),
                            rule.exposeHeaders(), rule.maxAgeSeconds()))
                    .toList())
                    .isEqualTo(list(map(defined.get("CorsConfiguration")).get("CorsRules")).stream()
                            .map(rule -> List.of(rule.get("Id"), rule.get("AllowedOrigins"), rule.get("AllowedMethods"),
                                    rule.get("AllowedHeaders"), rule.get("ExposedHeaders"), rule.get("MaxAge")))
                            .toList());
        }
    }

    @Test
    void bucketNotifiesTheQueueOfTheStacksEventTypes() {
        Map<String, Object> defined = map(intrinsics.resolve(resource("AWS::S3::Bucket", "Uploads").get("Properties"), template));
        try (S3Client s3 = AwsClients.s3(TestInfrastructure.aws())) {
            Set<String> created = s3.getBucketNotificationConfiguration(b -> b.bucket((String) defined.get("BucketName")))
                    .queueConfigurations().stream()
                    .flatMap(c -> c.eventsAsStrings().stream().map(event -> event + " -> " + c.queueArn()))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> expected = list(map(defined.get("NotificationConfiguration")).get("QueueConfigurations")).stream()
                    .map(c -> c.get("Event") + " -> " + c.get("Queue"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(expected).hasSize(3);
            assertThat(created).isEqualTo(expected);
        }
    }

    private static Map<String, Object> redrive(Object policy) throws IOException {
        if (policy == null) {
            return Map.of();
        }
        Map<String, Object> parsed = policy instanceof String text ? map(json.readValue(text, Map.class)) : map(policy);
        Map<String, Object> normal = new TreeMap<>();
        normal.put("deadLetterTargetArn", parsed.get("deadLetterTargetArn"));
        normal.put("maxReceiveCount", Integer.valueOf(String.valueOf(parsed.get("maxReceiveCount"))));
        return normal;
    }

    /** A policy's statements, each with single values as lists, in no particular order. */
    private static Set<String> statements(Object policy) throws IOException {
        Map<String, Object> parsed = policy instanceof String text ? map(json.readValue(text, Map.class))
                : map(intrinsics.resolve(policy, template));
        Set<String> statements = new TreeSet<>();
        for (Map<String, Object> statement : list(parsed.get("Statement"))) {
            Map<String, Object> normal = new TreeMap<>(statement);
            for (String key : List.of("Action", "Resource")) {
                Object value = normal.get(key);
                normal.put(key, value instanceof Collection<?> many ? new TreeSet<>(many.stream().map(String::valueOf).toList())
                        : new TreeSet<>(List.of(String.valueOf(value))));
            }
            statements.add(json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(normal));
        }
        return statements;
    }

    private static Object queuePolicy(String queue) {
        String id = logicalId("AWS::SQS::Queue", queue);
        return map(template.get("Resources")).values().stream().map(r -> map(r))
                .filter(r -> "AWS::SQS::QueuePolicy".equals(r.get("Type"))
                        && Synth.text(map(r.get("Properties")).get("Queues")).contains(id))
                .map(r -> map(r.get("Properties")).get("PolicyDocument"))
                .findFirst().orElseThrow();
    }

    private static String queueName(String queue) {
        return (String) map(resource("AWS::SQS::Queue", queue).get("Properties")).get("QueueName");
    }

    private static String property(String type, String name) {
        return intrinsics.text(map(resource(type, "").get("Properties")).get(name), template);
    }

    private static Map<String, Object> resource(String type, String idPart) {
        return map(map(template.get("Resources")).get(logicalId(type, idPart)));
    }

    private static String logicalId(String type, String idPart) {
        Map<String, Object> found = new LinkedHashMap<>();
        map(template.get("Resources")).forEach((id, r) -> {
            if (type.equals(map(r).get("Type")) && id.contains(idPart)) {
                found.put(id, r);
            }
        });
        assertThat(found).as(type + " " + idPart).hasSize(1);
        return found.keySet().iterator().next();
    }
}
