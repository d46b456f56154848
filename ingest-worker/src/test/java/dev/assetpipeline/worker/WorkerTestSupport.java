package dev.assetpipeline.worker;

import java.util.Map;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.context.DynamicPropertyRegistry;

import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.ServiceProperties;
import dev.assetpipeline.common.testing.TestInfrastructure;

/** Points a worker under test at its own database and its own bucket and queues in the emulator. */
public final class WorkerTestSupport {

    /** HTTP Basic for the operator endpoints of a worker under test. */
    public static final String OPERATOR = "Basic " + java.util.Base64.getEncoder()
            .encodeToString("operator:test-operator".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private WorkerTestSupport() {
    }

    public static void register(DynamicPropertyRegistry registry, String databaseUrl, PipelineResources resources) {
        Map<String, String> properties = ServiceProperties.forWorker(databaseUrl, resources.queueName());
        properties.put("assets.ingest.untrusted-sequencers", TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER);
        properties.put("assets.operator.password-hash",
                PasswordEncoderFactories.createDelegatingPasswordEncoder().encode("test-operator"));
        ServiceProperties.register(registry, properties);
    }
}
