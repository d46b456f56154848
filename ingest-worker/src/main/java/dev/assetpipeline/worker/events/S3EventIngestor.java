package dev.assetpipeline.worker.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.AssetIds;
import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.asset.IngestWrites;
import dev.assetpipeline.common.asset.ObjectFacts;
import dev.assetpipeline.common.asset.Recorded;
import dev.assetpipeline.common.asset.Sequencer;
import dev.assetpipeline.worker.support.CommittedWrites;
import dev.assetpipeline.worker.support.ObjectHeads;

/**
 * Turns one SQS message into committed rows. Each record is one upsert plus a NOTIFY in one
 * transaction; the upsert's WHERE clause makes duplicates and late arrivals no-ops, so redelivery
 * is always safe. Failures propagate: this class catches only what it deliberately skips.
 */
@Component
class S3EventIngestor {

    private static final Logger log = LoggerFactory.getLogger(S3EventIngestor.class);

    private final IngestWrites assets;
    private final ObjectHeads heads;
    private final CommittedWrites writes;
    private final IngestMetrics metrics;
    private final RejectedObjects rejected;
    private final Set<Sequencer> untrustedSequencers;

    S3EventIngestor(IngestWrites assets, ObjectHeads heads, CommittedWrites writes,
            IngestMetrics metrics, RejectedObjects rejected, IngestProperties properties) {
        this.assets = assets;
        this.heads = heads;
        this.rejected = rejected;
        this.writes = writes;
        this.metrics = metrics;
        this.untrustedSequencers = properties.untrustedSequencers().stream().map(Sequencer::parse)
                .collect(Collectors.toUnmodifiableSet());
    }

    void ingest(String messageId, String body) {
        S3Notification notification;
        try {
            notification = S3EventParser.parse(body);
        } catch (MalformedS3Event e) {
            metrics.failed(IngestMetrics.MALFORMED);
            log.error("Message {} is not a readable S3 event ({}); leaving it to the dead-letter queue",
                    messageId, e.getMessage());
            throw e;
        }
        if (notification instanceof S3Notification.Records records) {
            records.events().forEach(event -> apply(messageId, trusted(event)));
        } else if (notification instanceof S3Notification.TestEvent test) {
            metrics.outcome(IngestOutcome.SKIPPED);
            log.info("Message {} is S3's test event for bucket {}; skipped", messageId, test.bucket());
        }
    }

    private S3ObjectEvent trusted(S3ObjectEvent event) {
        return event.sequencer().filter(untrustedSequencers::contains).isPresent() ? event.withoutSequencer() : event;
    }

    private void apply(String messageId, S3ObjectEvent event) {
        try {
            IngestOutcome outcome = switch (event.type()) {
                case CREATED -> created(event);
                case REMOVED -> outcome(writes.commit(() -> assets.recordRemoved(event.observation(), AssetIds.next())));
                case IGNORED -> IngestOutcome.SKIPPED;
            };
            metrics.outcome(outcome);
            if (outcome == IngestOutcome.APPLIED) {
                metrics.lag(Duration.between(event.eventTime(), Instant.now()));
            }
            log.debug("Message {}: {} s3://{}/{} -> {}", messageId, event.eventName(), event.bucket(),
                    event.key(), outcome);
        } catch (RuntimeException e) {
            metrics.failed(IngestMetrics.ERROR);
            log.warn("Message {}: {} s3://{}/{} failed; it will be redelivered: {}", messageId,
                    event.eventName(), event.bucket(), event.key(), e.toString());
            throw e;
        }
    }

    private IngestOutcome created(S3ObjectEvent event) {
        ObjectFacts facts = heads.facts(event.observation()); // before the transaction: no connection held over HTTP
        Optional<Recorded> row = writes.commit(() -> assets.recordCreated(event.observation(), AssetIds.next(), facts));
        // Also on a redelivery (unchanged): removing the refused object may be what failed last time.
        row.filter(recorded -> recorded.status() == AssetStatus.REJECTED)
                .filter(recorded -> event.eTag().isEmpty() || event.eTag().equals(recorded.etag()))
                .ifPresent(recorded -> rejected.remove(recorded.id(), event.bucket(), event.key()));
        // An object created for a DELETED row: the upload was cancelled while PENDING, and its URL still
        // delivered (a tombstone of a removed object never changes on a created event, nor takes its eTag).
        row.filter(recorded -> recorded.status() == AssetStatus.DELETED)
                .filter(recorded -> recorded.changed() || (event.eTag().isPresent() && event.eTag().equals(recorded.etag())))
                .ifPresent(recorded -> rejected.removeCancelled(recorded.id(), event.bucket(), event.key()));
        return outcome(row);
    }

    private static IngestOutcome outcome(Optional<Recorded> row) {
        return row.filter(Recorded::changed).isPresent() ? IngestOutcome.APPLIED : IngestOutcome.STALE;
    }
}
