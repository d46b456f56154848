package dev.assetpipeline.worker.events;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;

/** Readiness includes this: a worker that cannot reach its queue does no work. */
@Component("sqs")
class SqsHealthIndicator extends AbstractHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final SqsAsyncClient sqs;
    private final IngestProperties properties;

    SqsHealthIndicator(SqsAsyncClient sqs, IngestProperties properties) {
        this.sqs = sqs;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        String queue = properties.queue();
        String url = queue.startsWith("http")
                ? queue
                : sqs.getQueueUrl(GetQueueUrlRequest.builder().queueName(queue).build())
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).queueUrl();
        builder.up().withDetail("queue", url);
    }
}
