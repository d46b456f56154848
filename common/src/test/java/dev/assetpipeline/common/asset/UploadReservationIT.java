package dev.assetpipeline.common.asset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.assetpipeline.common.testing.TestInfrastructure;

/**
 * {@code reserve_upload} against a real PostgreSQL with the real changelog: the reservation counts itself
 * in the client's usage, once, and a refusal leaves the client holding what it held.
 */
@SpringBootTest(classes = UploadReservationIT.App.class)
class UploadReservationIT {

    private static final UploadIntents.Defaults UNLIMITED = new UploadIntents.Defaults(1_000_000, 1_000, 1_000_000);

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        UploadIntents intents(JdbcClient jdbc) {
            return new UploadIntents(jdbc);
        }

        @Bean
        IngestWrites writes(JdbcClient jdbc) {
            return new IngestWrites(jdbc);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestInfrastructure.postgres().registerNewDatabase(registry, "reservations");
    }

    @Autowired
    UploadIntents intents;
    @Autowired
    IngestWrites writes;
    @Autowired
    JdbcClient jdbc;

    @Test
    void reservationsCountOnceAsTheFullCountWould() {
        client("counting");

        UUID first = AssetIds.next();
        assertThat(intents.reserve(upload(first, "counting", 10), UNLIMITED, true)).isZero();
        assertThat(intents.reserve(upload(AssetIds.next(), "counting", 10), UNLIMITED, true)).isZero();
        intents.insertPending(upload(AssetIds.next(), "counting", 5)); // written without a reservation
        assertThat(intents.usage("counting")).isEqualTo(new UploadIntents.Usage(25, 3)).isEqualTo(counted("counting"));

        String key = jdbc.sql("SELECT object_key FROM asset WHERE id = :id").param("id", first).query(String.class)
                .single();
        writes.recordCreated(new ObjectObservation("bucket", key, Optional.of(12L), Optional.of("etag"),
                Optional.empty(), Optional.empty(), Instant.now()), AssetIds.next(), ObjectFacts.NONE);

        assertThat(intents.usage("counting")).as("an object of another size than declared is refused and no longer held")
                .isEqualTo(new UploadIntents.Usage(15, 2)).isEqualTo(counted("counting"));
    }

    @Test
    void aReservationPastTheQuotaWritesNothing() {
        client("two-objects");
        UploadIntents.Defaults twoObjects = new UploadIntents.Defaults(1_000_000, 2, 1_000_000);
        UploadIntents.Defaults hundredBytes = new UploadIntents.Defaults(100, 1_000, 1_000_000);
        intents.reserve(upload(AssetIds.next(), "two-objects", 10), twoObjects, true);
        intents.reserve(upload(AssetIds.next(), "two-objects", 10), twoObjects, true);

        double thirdObject = intents.reserve(upload(AssetIds.next(), "two-objects", 10), twoObjects, true);
        double tooManyBytes = intents.reserve(upload(AssetIds.next(), "two-objects", 81), hundredBytes, true);

        assertThat(thirdObject).isNegative();
        assertThat(tooManyBytes).isNegative();
        assertThat(rows("two-objects")).isEqualTo(2);
        assertThat(intents.usage("two-objects")).isEqualTo(new UploadIntents.Usage(20, 2)).isEqualTo(counted("two-objects"));
    }

    @Test
    void aFirstUploadPastTheQuotaWritesNothing() {
        client("newcomer");

        double outcome = intents.reserve(upload(AssetIds.next(), "newcomer", 101),
                new UploadIntents.Defaults(100, 1_000, 1_000_000), true);

        assertThat(outcome).isNegative();
        assertThat(rows("newcomer")).isZero();
        assertThat(intents.usage("newcomer")).isEqualTo(new UploadIntents.Usage(0, 0));
    }

    @Test
    void aRateLimitedReservationGivesItsCountBack() {
        client("one-a-minute");
        UploadIntents.Defaults oneAMinute = new UploadIntents.Defaults(1_000_000, 1_000, 1);
        assertThat(intents.reserve(upload(AssetIds.next(), "one-a-minute", 10), oneAMinute, true)).isZero();

        double wait = intents.reserve(upload(AssetIds.next(), "one-a-minute", 10), oneAMinute, true);

        assertThat(wait).isPositive();
        assertThat(rows("one-a-minute")).isEqualTo(1);
        assertThat(intents.usage("one-a-minute")).isEqualTo(new UploadIntents.Usage(10, 1))
                .isEqualTo(counted("one-a-minute"));
    }

    /** Its first reservations, when the client has no usage row yet, included. */
    @Test
    void aConcurrentBurstOfANewClientStopsAtItsQuota() throws Exception {
        client("bursting");
        UploadIntents.Defaults fiveObjects = new UploadIntents.Defaults(1_000_000, 5, 1_000_000);
        List<Callable<Double>> reservations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            reservations.add(() -> intents.reserve(upload(AssetIds.next(), "bursting", 3), fiveObjects, true));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Double> outcomes = new ArrayList<>();
        try {
            for (Future<Double> outcome : pool.invokeAll(reservations)) {
                outcomes.add(outcome.get());
            }
        } finally {
            pool.shutdown();
        }

        assertThat(outcomes).filteredOn(outcome -> outcome == 0).hasSize(5);
        assertThat(outcomes).filteredOn(outcome -> outcome < 0).hasSize(15);
        assertThat(rows("bursting")).isEqualTo(5);
        assertThat(intents.usage("bursting")).isEqualTo(new UploadIntents.Usage(15, 5)).isEqualTo(counted("bursting"));
    }

    private void client(String id) {
        jdbc.sql("INSERT INTO client (id) VALUES (:id)").param("id", id).update();
    }

    private static NewUpload upload(UUID id, String client, long size) {
        return new NewUpload(id, client, "bucket", "clients/" + client + "/" + id + "/f.txt", "f.txt", "text/plain",
                size, Optional.empty(), Instant.now().plusSeconds(900));
    }

    private int rows(String client) {
        return jdbc.sql("SELECT count(*) FROM asset WHERE client_id = :client").param("client", client)
                .query(Integer.class).single();
    }

    /** The usage counted from the rows themselves. */
    private UploadIntents.Usage counted(String client) {
        return jdbc.sql("""
                SELECT COALESCE(SUM(COALESCE(size_bytes, declared_size)), 0) AS bytes, COUNT(*) AS objects
                FROM asset WHERE client_id = :client AND status IN ('PENDING', 'AVAILABLE')
                """).param("client", client)
                .query((rs, n) -> new UploadIntents.Usage(rs.getLong("bytes"), rs.getLong("objects"))).single();
    }
}
