package dev.assetpipeline.gateway;

import java.util.Arrays;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.UploadIntents;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(GatewayApplication.class);
        boolean adminCommand = Arrays.asList(args).contains("--assets.admin=true");
        if (adminCommand) {
            // the admin command (scripts/clients.sh) needs the database only: no web server, and no AWS
            // client is even created, so it runs wherever the database is reachable
            application.setWebApplicationType(WebApplicationType.NONE);
            application.setLazyInitialization(true);
            application.setBannerMode(Banner.Mode.OFF);
        }
        ConfigurableApplicationContext context = application.run(args);
        if (adminCommand) {
            System.exit(SpringApplication.exit(context));
        }
    }

    @Bean
    AssetReads assetReads(JdbcClient jdbc) {
        return new AssetReads(jdbc);
    }

    @Bean
    UploadIntents uploadIntents(JdbcClient jdbc) {
        return new UploadIntents(jdbc);
    }
}
