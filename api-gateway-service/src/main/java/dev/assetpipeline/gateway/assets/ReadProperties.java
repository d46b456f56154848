package dev.assetpipeline.gateway.assets;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * @param cacheMaxEntries assets kept in each instance's cache
 * @param cacheTtl        a backstop only: freshness comes from the worker's NOTIFY, not from expiry
 * @param downloadUrlTtl  how long a presigned download URL stays valid
 * @param maxPageSize     largest page a list request may ask for
 */
@Validated
@ConfigurationProperties("assets.read")
public record ReadProperties(
        @Min(0) @DefaultValue("10000") long cacheMaxEntries,
        @NotNull @DefaultValue("5m") Duration cacheTtl,
        @NotNull @DefaultValue("15m") Duration downloadUrlTtl,
        @Min(1) @Max(1000) @DefaultValue("100") int maxPageSize) {
}
