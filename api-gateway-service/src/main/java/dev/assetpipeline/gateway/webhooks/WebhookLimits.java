package dev.assetpipeline.gateway.webhooks;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;

/**
 * @param maxPerClient how many webhooks one client may register: each asset change is one delivery per
 *                     matching webhook, so this bounds what one change can cost
 */
@Validated
@ConfigurationProperties("assets.webhooks")
record WebhookLimits(@Min(1) @DefaultValue("10") int maxPerClient) {
}
