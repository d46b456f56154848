package dev.assetpipeline.gateway.upload;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

/**
 * Uploads in parts (S3 multipart): resumable, and the only way past a single PUT's 5 GiB.
 *
 * @param threshold declared sizes above this are uploaded in parts (a client may also ask for parts)
 * @param partSize  the part size clients are told; raised for large files so no upload needs more than
 *                  10,000 parts. S3 takes parts of 5 MiB to 5 GiB (the last may be smaller)
 * @param ttl       how long a multipart upload may take before the reconciler aborts it and frees its
 *                  reservation; each part URL still lives {@code assets.upload.url-ttl}
 */
@Validated
@ConfigurationProperties("assets.upload.multipart")
public record MultipartProperties(
        @NotNull @DefaultValue("64MB") DataSize threshold,
        @NotNull @DefaultValue("16MB") DataSize partSize,
        @NotNull @DefaultValue("24h") Duration ttl) {

    static final long MIN_PART = 5L * 1024 * 1024;
    static final long MAX_PART = 5L * 1024 * 1024 * 1024;
    static final int MAX_PARTS = 10_000;

    /** S3's largest object, and so the largest upload in parts. */
    static final long MAX_OBJECT = 5L * 1024 * 1024 * 1024 * 1024;

    @AssertTrue(message = "must be at most 5GB: a single PUT stops there, larger files must go in parts")
    boolean isThresholdWithinASinglePut() {
        return threshold == null || threshold.toBytes() <= MAX_PART;
    }

    @AssertTrue(message = "must be between 5MB and 5GB, S3's limits for a part")
    boolean isPartSizeWithinS3Limits() {
        return partSize == null || (partSize.toBytes() >= MIN_PART && partSize.toBytes() <= MAX_PART);
    }

    /** The part size for a file of this size: the configured one, or larger so 10,000 parts suffice. */
    long partSizeFor(long size) {
        long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
        long mebibyte = 1024 * 1024;
        return Math.max(partSize.toBytes(), (needed + mebibyte - 1) / mebibyte * mebibyte);
    }

    static int partCount(long size, long partSize) {
        return (int) ((size + partSize - 1) / partSize);
    }
}
