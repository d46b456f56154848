package dev.assetpipeline.worker.events;

import java.time.Duration;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.awspring.cloud.sqs.config.SqsMessageListenerContainerFactory;

/**
 * Deletes each message as soon as it is acknowledged, instead of collecting deletes into batches.
 * Spring Cloud AWS 4.1.0 batches acknowledgements by default (up to 10, or every second), and two of
 * its defects, fixed only after that release, make batches unsafe here:
 * <ul>
 * <li>awspring/spring-cloud-aws#1634: a message a standard queue redelivers while the first delivery is
 * still in flight lands twice in one batch under the same entry id; SQS refuses the whole batch
 * (BatchEntryIdsNotDistinct), nothing is deleted, and with a low receive count a healthy message ends
 * in the dead-letter queue. {@code AcknowledgementIT} reproduces it against the unconfigured default.</li>
 * <li>awspring/spring-cloud-aws#925: acknowledgements still waiting in a batch at shutdown can be lost,
 * and their committed messages come back.</li>
 * </ul>
 * The cost is one DeleteMessage call per message instead of one per ten.
 */
@Configuration(proxyBeanMethods = false)
class ImmediateAcknowledgement {

    /** static: a BeanPostProcessor must exist before the bean it processes. */
    @Bean
    static BeanPostProcessor immediateAcknowledgements() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof SqsMessageListenerContainerFactory<?> factory) {
                    factory.configure(options -> options.acknowledgementInterval(Duration.ZERO)
                            .acknowledgementThreshold(0));
                }
                return bean;
            }
        };
    }
}
