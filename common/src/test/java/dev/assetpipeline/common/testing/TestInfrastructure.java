package dev.assetpipeline.common.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.MountableFile;

/**
 * Where the integration tests find PostgreSQL and the AWS emulator; the one place that decides.
 * <ul>
 * <li>Without Docker, the README's test command starts both on this host and exports
 * {@code ASSETS_TEST_PG_URL} (a JDBC URL of a database the user may create databases from),
 * {@code ASSETS_TEST_PG_USER}, {@code ASSETS_TEST_PG_PASSWORD} and {@code ASSETS_TEST_AWS_ENDPOINT}.</li>
 * <li>Otherwise Testcontainers starts PostgreSQL 15 and LocalStack 4.14.0 once per JVM.</li>
 * </ul>
 * Each test class then gets its own database and its own bucket and queues, so classes never see
 * each other's rows or messages.
 */
public final class TestInfrastructure {

    public static final String LOCALSTACK_IMAGE = "localstack/localstack:4.14.0";
    public static final String POSTGRES_IMAGE = "postgres:15-alpine";
    public static final String REGION = "us-east-1";
    /** LocalStack 4.14.0 sends this (the AWS documentation's example) as the sequencer of every event. */
    public static final String EMULATOR_PLACEHOLDER_SEQUENCER = "0055AED6DCD90281E5";

    private static Postgres postgres;
    private static PostgreSQLContainer postgresContainer;
    private static Aws aws;
    private static LocalStackContainer localStackContainer;

    private TestInfrastructure() {
    }

    /** An admin connection to the server, able to create databases. */
    public record Postgres(String jdbcUrl, String user, String password) {

        /** A new, empty database for a Spring test context that needs nothing but PostgreSQL. */
        public void registerNewDatabase(DynamicPropertyRegistry registry, String purpose) {
            String url = createDatabase(purpose);
            registry.add("spring.datasource.url", () -> url);
            registry.add("spring.datasource.username", this::user);
            registry.add("spring.datasource.password", this::password);
        }

        /** A new, empty database on the same server; returns its JDBC URL. */
        public String createDatabase(String purpose) {
            String name = ("test_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                    .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create test database " + name, e);
            }
            int slash = jdbcUrl.lastIndexOf('/');
            int query = jdbcUrl.indexOf('?', slash);
            return jdbcUrl.substring(0, slash + 1) + name + (query < 0 ? "" : jdbcUrl.substring(query));
        }
    }

    /** The emulator's single endpoint for S3, SQS and CloudWatch. */
    public record Aws(URI endpoint, String region, String accessKey, String secretKey) {
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            String url = System.getenv("ASSETS_TEST_PG_URL");
            if (url != null && !url.isBlank()) {
                postgres = new Postgres(url, env("ASSETS_TEST_PG_USER", "assets"),
                        env("ASSETS_TEST_PG_PASSWORD", "assets"));
            } else {
                PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
                // a fixed host port survives a stop and start of the container (DatabaseServer)
                container.setPortBindings(List.of(freePort() + ":5432"));
                container.start();
                postgresContainer = container;
                postgres = new Postgres(container.getJdbcUrl(), container.getUsername(), container.getPassword());
            }
        }
        return postgres;
    }

    public static synchronized Aws aws() {
        if (aws == null) {
            String endpoint = System.getenv("ASSETS_TEST_AWS_ENDPOINT");
            if (endpoint != null && !endpoint.isBlank()) {
                aws = new Aws(URI.create(endpoint), REGION, "test", "test");
            } else {
                // CloudFormation and what it needs, for deploy/'s tests that deploy the CDK stack
                LocalStackContainer container = new LocalStackContainer(LOCALSTACK_IMAGE)
                        .withServices("s3", "sqs", "cloudwatch", "cloudformation", "iam", "sns", "ssm", "sts", "logs")
                        .withEnv("S3_SKIP_SIGNATURE_VALIDATION", "0")
                        .withEnv("SQS_CLOUDWATCH_METRICS_REPORT_INTERVAL", "10");
                container.start();
                localStackContainer = container;
                aws = new Aws(container.getEndpoint(), container.getRegion(), container.getAccessKey(),
                        container.getSecretKey());
            }
        }
        return aws;
    }


    /**
     * Runs localstack/init/ready.d/10-create-resources.sh against the emulator with the given settings
     * (ASSETS_BUCKET, ASSETS_QUEUE, ...), as the local run does: inside LocalStack's container when
     * Testcontainers started it, else on this host with the aws CLI (the host emulator's venv has one).
     */
    public static synchronized void runInitHook(Path repositoryRoot, Map<String, String> settings) {
        Path hook = repositoryRoot.resolve("localstack/init/ready.d/10-create-resources.sh");
        try {
            aws();
            if (localStackContainer != null) {
                localStackContainer.copyFileToContainer(MountableFile.forHostPath(hook),
                        "/tmp/create-resources.sh");
                StringBuilder command = new StringBuilder();
                settings.forEach((key, value) -> command.append(key).append("='").append(value).append("' "));
                var result = localStackContainer.execInContainer("bash", "-c", command + "bash /tmp/create-resources.sh");
                if (result.getExitCode() != 0) {
                    throw new IllegalStateException("init hook failed: " + result.getStdout() + result.getStderr());
                }
                return;
            }
            ProcessBuilder process = new ProcessBuilder("bash", hook.toString()).redirectErrorStream(true);
            process.environment().putAll(settings);
            process.environment().put("AWS_ENDPOINT", aws.endpoint().toString());
            Path venv = repositoryRoot.resolve(".local/localstack-venv/bin");
            process.environment().merge("PATH", venv.toString(), (path, extra) -> path + File.pathSeparator + extra);
            Process run = process.start();
            String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (run.waitFor() != 0) {
                throw new IllegalStateException("init hook failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The PostgreSQL container Testcontainers started, if it did (empty when the host's server is used). */
    static synchronized java.util.Optional<PostgreSQLContainer> postgresContainer() {
        postgres();
        return java.util.Optional.ofNullable(postgresContainer);
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
