package dev.assetpipeline.gateway.assets;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * @param max the longest {@code GET /api/v1/assets/{id}?wait=} may wait; a longer wait asked for is
 *            cut to this. Keep it under the load balancer's idle timeout.
 */
@Validated
@ConfigurationProperties("assets.wait")
public record WaitProperties(@NotNull @DefaultValue("30s") Duration max) {
}
