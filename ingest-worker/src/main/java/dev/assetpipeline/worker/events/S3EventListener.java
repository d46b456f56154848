package dev.assetpipeline.worker.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.Visibility;
import io.awspring.cloud.sqs.listener.SqsHeaders;

/**
 * Receives S3 event messages and has each one deleted, only after {@link S3EventIngestor} has
 * committed its effect: acknowledgement is manual, and {@link MessageDeletes} sends the deletes in
 * batches that stay safe when a message is in one twice. A thrown exception leaves the message to come back after
 * its visibility timeout; SQS's redrive policy moves it to the dead-letter queue after the configured
 * receives.
 *
 * <p>Once shutdown has begun (SIGTERM), a message that still arrives, from a long poll that completes
 * after it, is handed back to the queue at once (visibility 0) instead of being processed: the worker
 * finishes what it holds and takes nothing new.
 */
@Component
class S3EventListener implements ApplicationListener<ContextClosedEvent> {

    private static final Logger log = LoggerFactory.getLogger(S3EventListener.class);

    private final S3EventIngestor ingestor;
    private final IngestMetrics metrics;
    private final MessageDeletes deletes;
    private volatile boolean shuttingDown;

    S3EventListener(S3EventIngestor ingestor, IngestMetrics metrics, MessageDeletes deletes) {
        this.deletes = deletes;
        this.ingestor = ingestor;
        this.metrics = metrics;
    }

    @SqsListener(value = "${assets.ingest.queue}", acknowledgementMode = "MANUAL")
    void onMessage(Message<String> message, Visibility visibility,
            @Header(SqsHeaders.SQS_QUEUE_URL_HEADER) String queueUrl,
            @Header(SqsHeaders.SQS_RECEIPT_HANDLE_HEADER) String receiptHandle) {
        // Spring Cloud AWS maps the SQS message id onto the message's id header
        String messageId = String.valueOf(message.getHeaders().getId());
        if (shuttingDown) {
            visibility.changeTo(0);
            metrics.outcome(IngestOutcome.HANDED_BACK);
            log.info("Message {} arrived after shutdown began: handed back to the queue unprocessed", messageId);
            return;
        }
        ingestor.ingest(messageId, message.getPayload());
        deletes.delete(queueUrl, messageId, receiptHandle); // committed: the message may go
    }

    /** Published as the context starts to close, before the listener container stops polling. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        shuttingDown = true;
        log.info("Shutting down: messages received from now on go back to the queue unprocessed");
    }
}
