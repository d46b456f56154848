package dev.assetpipeline.gateway;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;

import dev.assetpipeline.common.testing.IsolatedPipeline;

/**
 * An API integration test in one line: the API on a random port in a Spring context of its own, with its
 * own database and bucket ({@code @Autowired TestPipeline}, {@code PipelineResources}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@IsolatedPipeline(value = "", service = IsolatedPipeline.Service.GATEWAY)
public @interface GatewayIT {

    @AliasFor(annotation = IsolatedPipeline.class, attribute = "value")
    String value();
}
