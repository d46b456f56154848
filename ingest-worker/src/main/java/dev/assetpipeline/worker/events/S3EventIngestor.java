package dev.assetpipeline.worker.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.assetpipeline.common.asset.AssetIds;
import dev.assetpipeline.common.asset.AssetRepository;
import dev.assetpipeline.common.s3event.MalformedS3Event;
import dev.assetpipeline.common.s3event.S3EventParser;
import dev.assetpipeline.common.s3event.S3Notification;
import dev.assetpipeline.common.s3event.S3ObjectEvent;
import dev.assetpipeline.common.s3event.Sequencer;

/**
 * Turns one SQS message into committed rows. Each record is one upsert plus a NOTIFY in one
 * transaction; the upsert's WHERE clause makes duplicates and late arrivals no-ops, so redelivery
 * is always safe. Failures propagate: this class catches only what it deliberately skips.
 */
@Component
class S3EventIngestor {

    private static final Logger log = LoggerFactory.getLogger(S3EventIngestor.class);

    private final AssetRepository assets;
    private final ObjectHeads heads;
    private final TransactionTemplate transaction;
    private final IngestMetrics metrics;
    private final Set<Sequencer> untrustedSequencers;

    S3EventIngestor(AssetRepository assets, ObjectHeads heads, TransactionTemplate transaction,
            IngestMetrics metrics, IngestProperties properties) {
        this.assets = assets;
        this.heads = heads;
        this.transaction = transaction;
        this.metrics = metrics;
        this.untrustedSequencers = properties.untrustedSequencers().stream().map(Sequencer::parse)
                .collect(Collectors.toUnmodifiableSet());
    }

    void ingest(String messageId, String body) {
        S3Notification notification;
        try {
            notification = S3EventParser.parse(body);
        } catch (MalformedS3Event e) {
            metrics.failed("malformed");
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
                case CREATED -> commit(() -> assets.recordCreated(event, AssetIds.next(), heads.contentType(event)));
                case REMOVED -> commit(() -> assets.recordRemoved(event, AssetIds.next()));
                case IGNORED -> IngestOutcome.SKIPPED;
            };
            metrics.outcome(outcome);
            if (outcome == IngestOutcome.APPLIED) {
                metrics.lag(Duration.between(event.eventTime(), Instant.now()));
            }
            log.debug("Message {}: {} s3://{}/{} -> {}", messageId, event.eventName(), event.bucket(),
                    event.key(), outcome);
        } catch (RuntimeException e) {
            metrics.failed("error");
            log.warn("Message {}: {} s3://{}/{} failed; it will be redelivered: {}", messageId,
                    event.eventName(), event.bucket(), event.key(), e.toString());
            throw e;
        }
    }

    private IngestOutcome commit(Supplier<Optional<UUID>> write) {
        Optional<UUID> changed = transaction.execute(status -> {
            Optional<UUID> id = write.get();
            id.ifPresent(assets::notifyChanged);
            return id;
        });
        return changed != null && changed.isPresent() ? IngestOutcome.APPLIED : IngestOutcome.STALE;
    }
}
