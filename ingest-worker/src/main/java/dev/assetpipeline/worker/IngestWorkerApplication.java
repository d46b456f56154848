package dev.assetpipeline.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.assetpipeline.common.asset.AssetRepository;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class IngestWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(IngestWorkerApplication.class, args);
    }

    @Bean
    AssetRepository assetRepository(JdbcClient jdbc) {
        return new AssetRepository(jdbc);
    }
}
