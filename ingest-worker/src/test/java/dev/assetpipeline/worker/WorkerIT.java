package dev.assetpipeline.worker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;

import dev.assetpipeline.common.testing.IsolatedPipeline;

/**
 * A worker integration test in one line: the worker in a Spring context of its own, reading its own queue
 * of its own bucket and writing its own database ({@code @Autowired TestPipeline}, {@code PipelineResources}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest
@IsolatedPipeline(value = "", service = IsolatedPipeline.Service.WORKER)
public @interface WorkerIT {

    @AliasFor(annotation = IsolatedPipeline.class, attribute = "value")
    String value();

    @AliasFor(annotation = IsolatedPipeline.class, attribute = "maxReceives")
    int maxReceives() default 3;

    @AliasFor(annotation = IsolatedPipeline.class, attribute = "visibilityTimeoutSeconds")
    int visibilityTimeoutSeconds() default 30;

    @AliasFor(annotation = SpringBootTest.class, attribute = "webEnvironment")
    SpringBootTest.WebEnvironment webEnvironment() default SpringBootTest.WebEnvironment.NONE;
}
