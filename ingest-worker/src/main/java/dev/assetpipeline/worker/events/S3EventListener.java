package dev.assetpipeline.worker.events;

import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

import io.awspring.cloud.sqs.annotation.SqsListener;

/**
 * Receives S3 event messages. Spring Cloud AWS deletes a message only when this method returns
 * normally (acknowledgement mode ON_SUCCESS), and {@link S3EventIngestor} returns only after its
 * transaction committed; a thrown exception leaves the message to come back after its visibility
 * timeout, and SQS's redrive policy moves it to the dead-letter queue after the configured receives.
 */
@Component
class S3EventListener {

    private final S3EventIngestor ingestor;

    S3EventListener(S3EventIngestor ingestor) {
        this.ingestor = ingestor;
    }

    @SqsListener("${assets.ingest.queue}")
    void onMessage(Message<String> message) {
        // Spring Cloud AWS maps the SQS message id onto the message's id header
        ingestor.ingest(String.valueOf(message.getHeaders().getId()), message.getPayload());
    }
}
