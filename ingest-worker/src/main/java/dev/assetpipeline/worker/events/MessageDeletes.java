package dev.assetpipeline.worker.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Deletes committed messages in batches of up to ten (one DeleteMessageBatch instead of ten calls),
 * with entry ids that are positions in the batch, never message ids: a message that a standard queue
 * redelivered while its first delivery was in flight can sit in one batch twice, with two receipt
 * handles, and SQS refuses a batch whose entry ids repeat. That is the defect of Spring Cloud AWS 4.1.0's
 * own batched acknowledgements (awspring/spring-cloud-aws#1634), which is why the listener acknowledges
 * manually and deletes through this class.
 *
 * <p>A delete waits at most {@link #LINGER} for its batch to fill. Deletes still waiting when the worker
 * stops are sent before the SQS client closes (this bean is destroyed first, after the listener
 * container has stopped and finished its messages), so a graceful stop leaves nothing committed in the
 * queue. A crash loses at most the waiting deletes: those messages come back and are applied again as
 * no-ops (G1, G2).
 */
@Component
class MessageDeletes implements DisposableBean {

    static final Duration LINGER = Duration.ofMillis(50);
    private static final int BATCH = 10;
    private static final Logger log = LoggerFactory.getLogger(MessageDeletes.class);

    private record Delete(String queueUrl, String messageId, String receiptHandle) {
    }

    private final SqsAsyncClient sqs;
    private final Object lock = new Object();
    private final List<Delete> waiting = new ArrayList<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(daemon());

    MessageDeletes(SqsAsyncClient sqs) {
        this.sqs = sqs;
        flusher.scheduleWithFixedDelay(this::sendWaiting, LINGER.toMillis(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Call only after the message's effect is committed. */
    void delete(String queueUrl, String messageId, String receiptHandle) {
        boolean full;
        synchronized (lock) {
            waiting.add(new Delete(queueUrl, messageId, receiptHandle));
            full = waiting.size() >= BATCH;
        }
        if (full) {
            flusher.execute(this::sendWaiting);
        }
    }

    private void sendWaiting() {
        List<Delete> batch;
        while (!(batch = take()).isEmpty()) {
            send(batch);
        }
    }

    private List<Delete> take() {
        synchronized (lock) {
            List<Delete> batch = new ArrayList<>(waiting.subList(0, Math.min(BATCH, waiting.size())));
            waiting.subList(0, batch.size()).clear();
            return batch;
        }
    }

    private void send(List<Delete> batch) {
        // one queue in practice; grouped all the same, as a batch may only name one
        batch.stream().map(Delete::queueUrl).distinct().forEach(queueUrl -> {
            List<Delete> forQueue = batch.stream().filter(d -> d.queueUrl().equals(queueUrl)).toList();
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < forQueue.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(forQueue.get(i).receiptHandle()).build());
            }
            try {
                DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
                        .get(30, TimeUnit.SECONDS);
                response.failed().forEach(failure -> log.warn("Message {} could not be deleted ({}: {}); it will "
                        + "come back and be applied again as a no-op",
                        forQueue.get(Integer.parseInt(failure.id())).messageId(), failure.code(), failure.message()));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("Deleting {} committed messages failed ({}); they will come back and be applied again as "
                        + "no-ops", forQueue.size(), e.toString());
            }
        });
    }

    @Override
    public void destroy() throws InterruptedException {
        flusher.shutdown();
        flusher.awaitTermination(10, TimeUnit.SECONDS);
        sendWaiting();
    }

    private static CustomizableThreadFactory daemon() {
        CustomizableThreadFactory factory = new CustomizableThreadFactory("sqs-deletes-");
        factory.setDaemon(true);
        return factory;
    }
}
