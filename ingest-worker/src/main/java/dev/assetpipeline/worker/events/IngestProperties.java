package dev.assetpipeline.worker.events;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;

/**
 * @param queue the SQS queue S3 sends the bucket's events to (name or URL)
 */
@Validated
@ConfigurationProperties("assets.ingest")
record IngestProperties(@NotBlank String queue) {
}
