package dev.assetpipeline.common.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Reads {@link IsolatedPipeline} (also through WorkerIT or GatewayIT) and makes the test class's context
 * with its own database and resources. Registered in META-INF/spring.factories.
 */
class PipelineContextCustomizerFactory implements ContextCustomizerFactory {

    /** The operator password of a worker under test ({@code operator:test-operator}). */
    static final String OPERATOR_PASSWORD_HASH = "{noop}test-operator";

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> attributes) {
        IsolatedPipeline pipeline = TestContextAnnotationUtils.findMergedAnnotation(testClass, IsolatedPipeline.class);
        return pipeline == null ? null : new Customizer(testClass, pipeline);
    }

    /** One per test class, so every class keeps a context, a database and queues of its own. */
    private record Customizer(Class<?> testClass, IsolatedPipeline settings) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            String purpose = settings.value();
            TestPipeline pipeline = new TestPipeline(TestInfrastructure.postgres().createDatabase(purpose),
                    // bucket names take no underscore
                    PipelineResources.create(TestInfrastructure.aws(), purpose.replace('_', '-'), settings.maxReceives(),
                            Duration.ofSeconds(settings.visibilityTimeoutSeconds())));
            Map<String, String> properties = switch (settings.service()) {
                case WORKER -> {
                    Map<String, String> worker = ServiceProperties.forWorker(pipeline.databaseUrl(),
                            pipeline.resources().queueName());
                    worker.put("assets.ingest.untrusted-sequencers", TestInfrastructure.EMULATOR_PLACEHOLDER_SEQUENCER);
                    worker.put("assets.operator.password-hash", OPERATOR_PASSWORD_HASH);
                    yield worker;
                }
                case GATEWAY -> ServiceProperties.forGateway(pipeline.databaseUrl(), pipeline.resources().bucket());
            };
            // above the application's own configuration, as @DynamicPropertySource is
            context.getEnvironment().getPropertySources().addFirst(
                    new MapPropertySource("isolated pipeline of " + testClass.getSimpleName(), Map.copyOf(properties)));
            context.getBeanFactory().registerSingleton("testPipeline", pipeline);
            context.getBeanFactory().registerSingleton("pipelineResources", pipeline.resources());
        }
    }
}
