package dev.assetpipeline.worker.events;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * @param queue                the SQS queue S3 sends the bucket's events to (name or URL)
 * @param untrustedSequencers  sequencer values that carry no order and are treated as absent, so event
 *                             time decides instead. Empty in AWS. LocalStack 4.14.0 sends the AWS
 *                             documentation's example value {@code 0055AED6DCD90281E5} on every event,
 *                             which would make a delete look like a duplicate of the put before it.
 * @param quarantineBucket     where objects that differ from their declaration are moved; unset: they are
 *                             deleted. It must send no notifications to the ingest queue.
 * @param trustedWriters       IAM unique ids of the roles or users whose only writes to the bucket are PUTs
 *                             through URLs the API presigned: the API's task role. Their new objects need no
 *                             HEAD ({@link TrustedWriters}). Empty (every object HEADed) unless set; never
 *                             the emulator's, which names one principal for every writer.
 */
@Validated
@ConfigurationProperties("assets.ingest")
public record IngestProperties(
        @NotBlank String queue,
        @NotNull @DefaultValue({}) Set<String> untrustedSequencers,
        String quarantineBucket,
        @NotNull @DefaultValue({}) Set<String> trustedWriters) {
}
