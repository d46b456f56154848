package dev.assetpipeline.common.webhook;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where webhooks may point. Both the API (at registration) and the worker (at every delivery) apply it.
 *
 * @param allowHttp       plain http as well as https: the local profile only
 * @param allowedNetworks CIDR ranges exempt from the refusal of private, loopback and link-local
 *                        addresses (for example {@code 127.0.0.1/32} for a receiver on the same machine);
 *                        none by default; a range that does not parse stops the service at start
 */
@ConfigurationProperties("assets.webhooks")
public record WebhookTargetProperties(
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue List<String> allowedNetworks) {
}
