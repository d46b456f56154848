package dev.assetpipeline.worker;

import org.springframework.test.context.DynamicPropertyRegistry;

import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.TestInfrastructure;

/** Points a worker under test at its own database and its own bucket and queues in the emulator. */
public final class WorkerTestSupport {

    private WorkerTestSupport() {
    }

    public static void register(DynamicPropertyRegistry registry, String databaseUrl, PipelineResources resources) {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        TestInfrastructure.Aws aws = TestInfrastructure.aws();
        registry.add("spring.datasource.url", () -> databaseUrl);
        registry.add("spring.datasource.username", postgres::user);
        registry.add("spring.datasource.password", postgres::password);
        registry.add("spring.cloud.aws.endpoint", () -> aws.endpoint().toString());
        registry.add("spring.cloud.aws.region.static", aws::region);
        registry.add("spring.cloud.aws.credentials.access-key", aws::accessKey);
        registry.add("spring.cloud.aws.credentials.secret-key", aws::secretKey);
        registry.add("spring.cloud.aws.s3.path-style-access-enabled", () -> "true");
        registry.add("assets.ingest.queue", resources::queueName);
        registry.add("assets.ingest.untrusted-sequencers", () -> TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER);
        // short polls keep shutdown between test classes quick
        registry.add("spring.cloud.aws.sqs.listener.poll-timeout", () -> "2s");
    }
}
