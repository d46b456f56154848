package dev.assetpipeline.common.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a Spring test class its own database and its own bucket, queue and dead-letter queue in the
 * emulator, and points the service under test at them (PipelineContextCustomizerFactory). The test reads
 * them as beans: {@code @Autowired TestPipeline pipeline}, {@code @Autowired PipelineResources resources}.
 * Each module has a meta-annotation for it (WorkerIT, GatewayIT), so a test sets itself up in one line.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface IsolatedPipeline {

    /** What the test is about: names its database and queues, for whoever reads the logs. */
    String value();

    Service service();

    /** Receives before a message goes to the dead-letter queue. */
    int maxReceives() default 3;

    /** The queue's visibility timeout in seconds: short lets poison reach the dead-letter queue quickly. */
    int visibilityTimeoutSeconds() default 30;

    enum Service { WORKER, GATEWAY }
}
