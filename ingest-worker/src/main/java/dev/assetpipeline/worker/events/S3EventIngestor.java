package dev.assetpipeline.worker.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.AssetIds;
import dev.assetpipeline.common.asset.IngestWrites;
import dev.assetpipeline.common.asset.ObjectFacts;
import dev.assetpipeline.common.asset.Recorded;
import dev.assetpipeline.common.asset.Sequencer;
import dev.assetpipeline.worker.support.CommittedWrites;
import dev.assetpipeline.worker.support.ObjectHeads;

/**
 * Turns the messages of one receive into committed rows. The HEADs of their created objects (all but
 * those a trusted writer PUT through a presigned URL, {@link TrustedWriters}) run at once, before any
 * transaction; then every record is one upsert, and all of them go in one transaction
 * with one commit and one NOTIFY statement. The upsert's WHERE clause makes duplicates and late
 * arrivals no-ops, so redelivery is always safe.
 *
 * <p>When that transaction fails (a database error, a deadlock, a row locked longer than
 * {@link #LOCK_TIMEOUT}), each message is tried again alone, all at once and without the lock timeout,
 * so one message's trouble never holds up or fails another: what succeeds alone is done, what fails
 * alone stays in the queue. A message that cannot be read or whose HEAD fails is left out from the
 * start. Failures are logged with the message id and counted; this class never deletes anything.
 */
@Component
class S3EventIngestor implements DisposableBean {

    /** Longest wait of the batch's transaction for a row another transaction holds. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(S3EventIngestor.class);

    /** A message as received. */
    record Received(String messageId, String body) {
    }

    /** A message's records with what a HEAD told about each created object; none for S3's test event. */
    private record Prepared(Received message, List<Observed> events) {
    }

    private record Observed(S3ObjectEvent event, ObjectFacts facts) {
    }

    private final IngestWrites assets;
    private final ObjectHeads heads;
    private final CommittedWrites writes;
    private final IngestMetrics metrics;
    private final RejectedObjects rejected;
    private final Set<Sequencer> untrustedSequencers;
    private final TrustedWriters trustedWriters;
    /**
     * Runs a poll's HEADs at once, and its messages alone when their shared transaction failed: never more
     * tasks than messages in flight (spring.cloud.aws.sqs.listener.max-concurrent-messages).
     */
    private final ExecutorService each = Executors.newCachedThreadPool(new CustomizableThreadFactory("ingest-each-"));

    S3EventIngestor(IngestWrites assets, ObjectHeads heads, CommittedWrites writes,
            IngestMetrics metrics, RejectedObjects rejected, IngestProperties properties) {
        this.assets = assets;
        this.heads = heads;
        this.rejected = rejected;
        this.writes = writes;
        this.metrics = metrics;
        this.untrustedSequencers = properties.untrustedSequencers().stream().map(Sequencer::parse)
                .collect(Collectors.toUnmodifiableSet());
        this.trustedWriters = new TrustedWriters(properties.trustedWriters());
    }

    /** @return the messages whose effect is committed (or that were deliberately skipped): those may go */
    List<Received> ingest(List<Received> messages) {
        // the HEADs of all messages at once: each is a round trip to S3, and they are independent
        List<Prepared> prepared = messages.stream()
                .map(message -> CompletableFuture.supplyAsync(() -> prepare(message), each)).toList().stream()
                .map(CompletableFuture::join).flatMap(Optional::stream).toList();
        if (prepared.size() > 1) {
            try {
                Map<Observed, Optional<Recorded>> rows = commitTogether(prepared, LOCK_TIMEOUT);
                return prepared.stream().flatMap(message -> settled(message, rows).stream()).toList();
            } catch (RuntimeException e) {
                log.info("The transaction of {} messages failed ({}); each is tried again alone", prepared.size(),
                        e.toString());
                return prepared.stream().map(message -> CompletableFuture.supplyAsync(() -> alone(message), each))
                        .toList().stream().map(CompletableFuture::join).flatMap(Optional::stream).toList();
            }
        }
        return prepared.stream().flatMap(message -> alone(message).stream()).toList();
    }

    /** Reads the message and HEADs the created objects that need it, outside any transaction: no connection is held over HTTP. */
    private Optional<Prepared> prepare(Received message) {
        S3Notification notification;
        try {
            notification = S3EventParser.parse(message.body());
        } catch (MalformedS3Event e) {
            metrics.failed(IngestMetrics.MALFORMED);
            log.error("Message {} is not a readable S3 event ({}); leaving it to the dead-letter queue",
                    message.messageId(), e.getMessage());
            return Optional.empty();
        }
        if (notification instanceof S3Notification.TestEvent test) {
            log.info("Message {} is S3's test event for bucket {}; skipped", message.messageId(), test.bucket());
            return Optional.of(new Prepared(message, List.of()));
        }
        List<Observed> events = new ArrayList<>();
        for (S3ObjectEvent event : ((S3Notification.Records) notification).events()) {
            S3ObjectEvent trusted = trusted(event);
            try {
                boolean headed = trusted.type() == S3EventType.CREATED && !trustedWriters.wrotePresigned(trusted);
                events.add(new Observed(trusted, headed ? heads.facts(trusted.observation()) : ObjectFacts.NONE));
            } catch (RuntimeException e) {
                failed(message, trusted, e);
                return Optional.empty();
            }
        }
        return Optional.of(new Prepared(message, events));
    }

    /**
     * One transaction for all the messages' records, written in the order of their keys (a record's
     * order among others of its key is kept), so two workers' transactions take row locks in one order.
     *
     * @return each record's row as its write left it
     */
    private Map<Observed, Optional<Recorded>> commitTogether(List<Prepared> messages, Duration lockTimeout) {
        List<Observed> inKeyOrder = messages.stream().flatMap(message -> message.events().stream())
                .sorted(Comparator.comparing(observed -> observed.event().key())).toList();
        Map<Observed, Optional<Recorded>> rows = new IdentityHashMap<>();
        if (inKeyOrder.isEmpty()) {
            return rows;
        }
        List<Optional<Recorded>> written = writes.commitAll(
                () -> inKeyOrder.stream().map(this::write).toList(), lockTimeout);
        for (int i = 0; i < inKeyOrder.size(); i++) {
            rows.put(inKeyOrder.get(i), written.get(i));
        }
        return rows;
    }

    private Optional<Recorded> write(Observed observed) {
        S3ObjectEvent event = observed.event();
        return switch (event.type()) {
            case CREATED -> assets.recordCreated(event.observation(), AssetIds.next(), observed.facts());
            case REMOVED -> assets.recordRemoved(event.observation(), AssetIds.next());
            case IGNORED -> Optional.empty();
        };
    }

    /** The message in a transaction of its own, waiting for row locks as long as they are held. */
    private Optional<Received> alone(Prepared message) {
        Map<Observed, Optional<Recorded>> rows;
        try {
            rows = commitTogether(List.of(message), null);
        } catch (RuntimeException e) {
            metrics.failed(IngestMetrics.ERROR);
            log.warn("Message {} failed; it will be redelivered: {}", message.message().messageId(), e.toString());
            return Optional.empty();
        }
        return settled(message, rows);
    }

    /**
     * After the commit: takes refused or cancelled objects out of the bucket and counts the outcomes.
     * Empty when that failed: the message stays and comes back.
     */
    private Optional<Received> settled(Prepared message, Map<Observed, Optional<Recorded>> rows) {
        Received received = message.message();
        if (message.events().isEmpty()) {
            metrics.outcome(IngestOutcome.SKIPPED);
        }
        for (Observed observed : message.events()) {
            S3ObjectEvent event = observed.event();
            try {
                IngestOutcome outcome = event.type() == S3EventType.IGNORED ? IngestOutcome.SKIPPED
                        : settle(event, rows.get(observed));
                metrics.outcome(outcome);
                if (outcome == IngestOutcome.APPLIED) {
                    metrics.lag(Duration.between(event.eventTime(), Instant.now()));
                }
                log.debug("Message {}: {} s3://{}/{} -> {}", received.messageId(), event.eventName(), event.bucket(),
                        event.key(), outcome);
            } catch (RuntimeException e) {
                failed(received, event, e);
                return Optional.empty();
            }
        }
        return Optional.of(received);
    }

    private IngestOutcome settle(S3ObjectEvent event, Optional<Recorded> row) {
        if (event.type() == S3EventType.CREATED) {
            rejected.removeIfRefusedOrCancelled(event, row);
        }
        return row.filter(Recorded::changed).isPresent() ? IngestOutcome.APPLIED : IngestOutcome.STALE;
    }

    private S3ObjectEvent trusted(S3ObjectEvent event) {
        return event.sequencer().filter(untrustedSequencers::contains).isPresent() ? event.withoutSequencer() : event;
    }

    private void failed(Received message, S3ObjectEvent event, RuntimeException e) {
        metrics.failed(IngestMetrics.ERROR);
        log.warn("Message {}: {} s3://{}/{} failed; it will be redelivered: {}", message.messageId(),
                event.eventName(), event.bucket(), event.key(), e.toString());
    }

    @Override
    public void destroy() {
        each.shutdown();
    }
}
