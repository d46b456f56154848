package dev.assetpipeline.gateway.upload;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * @param bucket              where uploads go
 * @param keyPrefix           object keys are {@code <keyPrefix><client id>/<asset id>/<filename>}
 * @param maxSize             largest object a client may declare (a single presigned PUT takes up to 5 GiB)
 * @param allowedContentTypes exact media types a client may declare
 * @param urlTtl              how long presigned upload URLs stay valid: minutes, at most an hour
 */
@Validated
@ConfigurationProperties("assets.upload")
public record UploadProperties(
        @NotBlank String bucket,
        @DefaultValue("clients/") String keyPrefix,
        @NotNull @DefaultValue("100MB") DataSize maxSize,
        @NotEmpty @DefaultValue({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf",
                "text/plain", "application/octet-stream"}) Set<String> allowedContentTypes,
        @NotNull @DefaultValue("15m") Duration urlTtl) {

    @AssertTrue(message = "must be at most 1h: a leaked upload URL should not stay useful for long")
    boolean isUrlTtlShort() {
        return urlTtl == null || urlTtl.compareTo(Duration.ofHours(1)) <= 0;
    }
}
