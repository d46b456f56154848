package dev.assetpipeline.common.metrics;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which meters go to CloudWatch, where every metric (each name and dimension set) is billed by the month.
 * The default is what deploy/'s dashboard and alarms read; everything else stays on /actuator/metrics.
 *
 * @param include name prefixes of the meters to publish ({@code ASSETS_METRICS_CLOUDWATCH_INCLUDE})
 */
@ConfigurationProperties("assets.metrics.cloudwatch")
public record CloudWatchExportProperties(@DefaultValue({"assets.", "cache.gets"}) List<String> include) {
}
