package dev.assetpipeline.gateway.auth;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Browsers on other origins than the API's own.
 *
 * @param allowedOrigins origins whose pages may call the API (CORS), e.g. {@code https://app.example.com};
 *                       empty: none (the example page at /example/ is the API's own origin and needs none).
 *                       The bucket's own CORS rule, for the PUTs to S3, is set where the bucket is made:
 *                       {@code ASSETS_BROWSER_ORIGINS} locally, {@code browserOrigins} in deploy/.
 */
@ConfigurationProperties("assets.browser")
public record BrowserProperties(@DefaultValue({}) List<String> allowedOrigins) {
}
