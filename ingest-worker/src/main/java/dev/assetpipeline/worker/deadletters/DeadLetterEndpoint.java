package dev.assetpipeline.worker.deadletters;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

import dev.assetpipeline.worker.events.IngestProperties;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operators' view of the dead-letter queue, on the worker's management port:
 * {@code GET /actuator/deadletters} shows its depth and up to ten messages without consuming them;
 * {@code POST /actuator/deadletters} moves every message back to the ingest queue with SQS's own
 * redrive (StartMessageMoveTask), once whatever made them fail is fixed. The DLQ is found through
 * the ingest queue's redrive policy, so there is nothing more to configure.
 */
@Component
@Endpoint(id = "deadletters")
class DeadLetterEndpoint {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterEndpoint.class);
    private static final int BODY_PREVIEW = 4096;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SqsAsyncClient sqs;
    private final String queue;

    DeadLetterEndpoint(SqsAsyncClient sqs, IngestProperties ingest) {
        this.sqs = sqs;
        this.queue = ingest.queue();
    }

    record DeadLetters(String queueArn, String deadLetterQueueArn, long depth, List<DeadLetter> messages) {
    }

    record DeadLetter(String messageId, int receiveCount, String sentAt, String body) {
    }

    record Redrive(String taskHandle, String from, String to) {
    }

    @ReadOperation
    DeadLetters inspect() {
        Queues queues = queues();
        long depth = Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queues.dlqUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).join()
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        // a zero visibility timeout leaves every message where it was for the next look or the redrive
        List<DeadLetter> messages = sqs.receiveMessage(b -> b.queueUrl(queues.dlqUrl()).maxNumberOfMessages(10)
                .visibilityTimeout(0).messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                        MessageSystemAttributeName.SENT_TIMESTAMP)).join().messages().stream()
                .map(m -> new DeadLetter(m.messageId(),
                        Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0")),
                        m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP),
                        m.body().length() > BODY_PREVIEW ? m.body().substring(0, BODY_PREVIEW) + "…" : m.body()))
                .toList();
        return new DeadLetters(queues.queueArn(), queues.dlqArn(), depth, messages);
    }

    @WriteOperation
    Redrive redrive() {
        Queues queues = queues();
        String handle = sqs.startMessageMoveTask(b -> b.sourceArn(queues.dlqArn()).destinationArn(queues.queueArn()))
                .join().taskHandle();
        log.warn("Moving dead letters from {} back to {} (task {})", queues.dlqArn(), queues.queueArn(), handle);
        return new Redrive(handle, queues.dlqArn(), queues.queueArn());
    }

    private record Queues(String queueArn, String dlqArn, String dlqUrl) {
    }

    private Queues queues() {
        String queueUrl = queue.startsWith("http") ? queue : sqs.getQueueUrl(b -> b.queueName(queue)).join().queueUrl();
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN, QueueAttributeName.REDRIVE_POLICY)).join().attributes();
        String policy = attributes.get(QueueAttributeName.REDRIVE_POLICY);
        if (policy == null) {
            throw new IllegalStateException("queue " + queue + " has no redrive policy, so no dead-letter queue");
        }
        String dlqArn = JSON.readTree(policy).path("deadLetterTargetArn").asString();
        String dlqName = dlqArn.substring(dlqArn.lastIndexOf(':') + 1);
        String dlqUrl = sqs.getQueueUrl(b -> b.queueName(dlqName)).join().queueUrl();
        return new Queues(attributes.get(QueueAttributeName.QUEUE_ARN), dlqArn, dlqUrl);
    }
}
