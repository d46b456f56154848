package dev.assetpipeline.common.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** The Spring properties that point a service under test at its database and at the emulator. */
public final class ServiceProperties {

    private ServiceProperties() {
    }

    public static Map<String, String> forDatabase(String databaseUrl) {
        TestInfrastructure.Postgres postgres = TestInfrastructure.postgres();
        TestInfrastructure.Aws aws = TestInfrastructure.aws();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", databaseUrl);
        properties.put("spring.datasource.username", postgres.user());
        properties.put("spring.datasource.password", postgres.password());
        // many services and cached test contexts share one server: keep each one's share of its
        // connection slots (100 by default) small
        properties.put("spring.datasource.hikari.maximum-pool-size", "4");
        properties.put("spring.cloud.aws.endpoint", aws.endpoint().toString());
        properties.put("spring.cloud.aws.region.static", aws.region());
        properties.put("spring.cloud.aws.credentials.access-key", aws.accessKey());
        properties.put("spring.cloud.aws.credentials.secret-key", aws.secretKey());
        properties.put("spring.cloud.aws.s3.path-style-access-enabled", "true");
        return properties;
    }

    /**
     * A worker under test: its database, the queue it reads, and short polls so that stopping it between
     * test classes is quick. The one place a worker's configuration is assembled.
     */
    public static Map<String, String> forWorker(String databaseUrl, String queue) {
        Map<String, String> properties = forDatabase(databaseUrl);
        properties.put("assets.ingest.queue", queue);
        properties.put("spring.cloud.aws.sqs.listener.poll-timeout", "2s");
        return properties;
    }

    /** An API under test: its database and the bucket its upload URLs point at. */
    public static Map<String, String> forGateway(String databaseUrl, String bucket) {
        Map<String, String> properties = forDatabase(databaseUrl);
        properties.put("assets.upload.bucket", bucket);
        return properties;
    }
}
