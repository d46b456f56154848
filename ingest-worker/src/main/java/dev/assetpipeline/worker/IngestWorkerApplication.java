package dev.assetpipeline.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.IngestWrites;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class IngestWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(IngestWorkerApplication.class, args);
    }

    @Bean
    AssetReads assetReads(JdbcClient jdbc) {
        return new AssetReads(jdbc);
    }

    @Bean
    IngestWrites ingestWrites(JdbcClient jdbc) {
        return new IngestWrites(jdbc);
    }
}
