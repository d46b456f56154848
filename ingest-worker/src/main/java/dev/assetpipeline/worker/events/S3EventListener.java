package dev.assetpipeline.worker.events;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.BatchVisibility;
import io.awspring.cloud.sqs.listener.SqsHeaders;

/**
 * Receives the S3 event messages of each poll (up to ten) as one batch and has each one deleted only
 * after {@link S3EventIngestor} has committed its effect: acknowledgement is manual, and
 * {@link MessageDeletes} sends the deletes in batches that stay safe when a message is in one twice. A
 * message that failed is not deleted: it comes back after its visibility timeout, and SQS's redrive
 * policy moves it to the dead-letter queue after the configured receives.
 *
 * <p>Once shutdown has begun (SIGTERM), messages that still arrive, from a long poll that completes
 * after it, are handed back to the queue at once (visibility 0) instead of being processed: the worker
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
    void onMessages(List<Message<String>> messages, BatchVisibility visibility) {
        if (shuttingDown) {
            visibility.changeTo(0);
            messages.forEach(message -> metrics.outcome(IngestOutcome.HANDED_BACK));
            log.info("{} messages arrived after shutdown began: handed back to the queue unprocessed", messages.size());
            return;
        }
        List<S3EventIngestor.Received> received = messages.stream()
                .map(message -> new S3EventIngestor.Received(messageId(message), message.getPayload())).toList();
        Set<String> done = ingestor.ingest(received).stream().map(S3EventIngestor.Received::messageId)
                .collect(Collectors.toSet());
        // committed: those messages may go (one received twice in this batch goes under both its handles)
        messages.stream().filter(message -> done.contains(messageId(message))).forEach(message -> deletes.delete(
                message.getHeaders().get(SqsHeaders.SQS_QUEUE_URL_HEADER, String.class), messageId(message),
                message.getHeaders().get(SqsHeaders.SQS_RECEIPT_HANDLE_HEADER, String.class)));
    }

    private static String messageId(Message<?> message) {
        // Spring Cloud AWS maps the SQS message id onto the message's id header
        return String.valueOf(message.getHeaders().getId());
    }

    /** Published as the context starts to close, before the listener container stops polling. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        shuttingDown = true;
        log.info("Shutting down: messages received from now on go back to the queue unprocessed");
    }
}
