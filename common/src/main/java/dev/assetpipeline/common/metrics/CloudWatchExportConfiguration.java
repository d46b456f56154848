package dev.assetpipeline.common.metrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;

import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

/** Both services publish to CloudWatch only the meters someone reads there (CloudWatchExportProperties). */
@AutoConfiguration
@ConditionalOnClass(CloudWatchMeterRegistry.class)
@EnableConfigurationProperties(CloudWatchExportProperties.class)
public class CloudWatchExportConfiguration {

    @Bean
    MeterRegistryCustomizer<CloudWatchMeterRegistry> onlyWhatIsRead(CloudWatchExportProperties properties) {
        return registry -> registry.config().meterFilter(MeterFilter.denyUnless(
                id -> properties.include().stream().anyMatch(prefix -> id.getName().startsWith(prefix))));
    }
}
