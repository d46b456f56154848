package dev.assetpipeline.gateway.upload;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Per-client limits where the client's own row sets none.
 *
 * @param quotaBytes    bytes a client may hold, counting PENDING reservations at their declared size
 * @param quotaObjects  objects a client may hold, PENDING ones included
 * @param urlsPerMinute upload and download URLs a client may be issued per minute, across all API instances
 */
@Validated
@ConfigurationProperties("assets.limits")
public record LimitsProperties(
        @NotNull @DefaultValue("10GB") DataSize quotaBytes,
        @Min(0) @DefaultValue("10000") long quotaObjects,
        @Min(1) @DefaultValue("120") long urlsPerMinute) {
}
