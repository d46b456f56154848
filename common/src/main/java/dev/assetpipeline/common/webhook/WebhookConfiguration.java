package dev.assetpipeline.common.webhook;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/** The one address policy for webhooks, the same in the API that registers them and the worker that calls them. */
@AutoConfiguration
@ConditionalOnClass(IpAddressMatcher.class)
@EnableConfigurationProperties(WebhookTargetProperties.class)
public class WebhookConfiguration {

    @Bean
    WebhookTargets webhookTargets(WebhookTargetProperties properties) {
        return new WebhookTargets(properties);
    }
}
