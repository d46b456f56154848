package dev.assetpipeline.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.assetpipeline.common.asset.AssetRepository;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        var context = SpringApplication.run(GatewayApplication.class, args);
        if (context.getEnvironment().getProperty("assets.admin", Boolean.class, false)) {
            // the admin command has run: leave instead of waiting for requests
            System.exit(SpringApplication.exit(context));
        }
    }

    @Bean
    AssetRepository assetRepository(JdbcClient jdbc) {
        return new AssetRepository(jdbc);
    }
}
