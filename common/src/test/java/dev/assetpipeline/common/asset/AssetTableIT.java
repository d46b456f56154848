package dev.assetpipeline.common.asset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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

/** The upserts against a real PostgreSQL with the real changelog: who wins, and what a no-op is. */
@SpringBootTest(classes = AssetTableIT.App.class)
class AssetTableIT {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Assets assets(JdbcClient jdbc) {
            return new Assets(new AssetReads(jdbc), new IngestWrites(jdbc), new UploadIntents(jdbc));
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestInfrastructure.postgres().registerNewDatabase(registry, "repository");
    }

    @Autowired
    Assets assets;
    @Autowired
    JdbcClient jdbc;

    @Test
    void createdEventCompletesThePendingRowKeepingItsId() {
        int rowsBefore = rowCount();
        UUID id = pending("photo.png");

        Optional<UUID> changed = assets.recordCreated(created(keyOf(id), "0A", 10), AssetIds.next(),
                new ObjectFacts(Optional.of("text/plain"), Optional.empty()));

        assertThat(changed).contains(id);
        Asset asset = assets.findById(id).orElseThrow();
        assertThat(asset.status()).isEqualTo(AssetStatus.AVAILABLE);
        assertThat(asset.size()).isEqualTo(10L);
        assertThat(asset.etag()).isEqualTo("etag-0A");
        assertThat(asset.contentType()).isEqualTo("text/plain");
        assertThat(asset.rejectionReason()).isNull();
        assertThat(asset.sequencer()).isEqualTo(Sequencer.parse("0A").value());
        assertThat(asset.filename()).isEqualTo("photo.png");
        assertThat(rowCount()).as("the pending row was completed, not joined by another").isEqualTo(rowsBefore + 1);
    }

    @Test
    void sameEventTwiceLeavesOneRowAsOnce() {
        String key = "twice/" + UUID.randomUUID();
        Event event = created(key, "0B", 5);

        Optional<UUID> first = assets.recordCreated(event, AssetIds.next(), ObjectFacts.NONE);
        Asset afterOnce = byKey(key);
        Optional<UUID> second = assets.recordCreated(event, AssetIds.next(), ObjectFacts.NONE);

        assertThat(first).isPresent();
        assertThat(second).isEmpty();
        assertThat(byKey(key)).isEqualTo(afterOnce);
        assertThat(countByKey(key)).isEqualTo(1);
    }

    @Test
    void olderEventDoesNotOverwriteNewer() {
        String key = "order/" + UUID.randomUUID();
        assets.recordCreated(created(key, "0C", 200), AssetIds.next(), ObjectFacts.NONE);

        Optional<UUID> late = assets.recordCreated(created(key, "0B", 100), AssetIds.next(), ObjectFacts.NONE);

        assertThat(late).isEmpty();
        assertThat(byKey(key).size()).isEqualTo(200L);
    }

    @Test
    void lateCreatedAfterRemovalDoesNotBringTheObjectBack() {
        String key = "tombstone/" + UUID.randomUUID();
        assets.recordCreated(created(key, "10", 1), AssetIds.next(), ObjectFacts.NONE);
        assets.recordRemoved(removed(key, "12"), AssetIds.next());

        Optional<UUID> late = assets.recordCreated(created(key, "11", 1), AssetIds.next(), ObjectFacts.NONE);

        assertThat(late).isEmpty();
        assertThat(byKey(key).status()).isEqualTo(AssetStatus.DELETED);
    }

    @Test
    void newerCreatedAfterRemovalRestoresTheObject() {
        String key = "recreate/" + UUID.randomUUID();
        assets.recordRemoved(removed(key, "12"), AssetIds.next());

        Optional<UUID> recreated = assets.recordCreated(created(key, "13", 7), AssetIds.next(), ObjectFacts.NONE);

        assertThat(recreated).isPresent();
        assertThat(byKey(key).status()).isEqualTo(AssetStatus.AVAILABLE);
    }

    @Test
    void sequencersOfDifferentLengthCompareRightPadded() {
        String key = "padding/" + UUID.randomUUID();
        assets.recordCreated(created(key, "0055AED6DCD90281E5", 1), AssetIds.next(), ObjectFacts.NONE);

        Optional<UUID> longerAndNewer = assets.recordCreated(created(key, "0055AED6DCD90281E501", 2),
                AssetIds.next(), ObjectFacts.NONE);
        Optional<UUID> longerButOlder = assets.recordCreated(created(key, "0055AED6DCD90281E4FFFF", 3),
                AssetIds.next(), ObjectFacts.NONE);

        assertThat(longerAndNewer).isPresent();
        assertThat(longerButOlder).isEmpty();
        assertThat(byKey(key).size()).isEqualTo(2L);
    }

    @Test
    void aWriteThatChangesNothingStillAnswersWithTheRowAsItStands() {
        UUID id = pending("declared-ten.txt");
        ObjectObservation object = created(keyOf(id), "0A", 11).observation();
        IngestWrites writes = assets.writes();

        Optional<Recorded> first = writes.recordCreated(object, AssetIds.next(), ObjectFacts.NONE);
        Optional<Recorded> again = writes.recordCreated(object, AssetIds.next(), ObjectFacts.NONE);

        assertThat(first).contains(new Recorded(id, AssetStatus.REJECTED, Optional.of("etag-0A"), true));
        assertThat(again).contains(new Recorded(id, AssetStatus.REJECTED, Optional.of("etag-0A"), false));
        assertThat(writes.expire(id)).contains(new Recorded(id, AssetStatus.REJECTED, Optional.of("etag-0A"), false));
    }

    @Test
    void usageFollowsEveryChangeOfAClientsAssetsAsTheFullCountWould() {
        jdbc.sql("INSERT INTO client (id) VALUES ('counted')").update();
        UUID kept = owned("counted", "kept.txt", 10);
        UUID replaced = owned("counted", "replaced.txt", 10);
        UUID refused = owned("counted", "refused.txt", 10);
        UUID expired = owned("counted", "expired.txt", 10);
        assertThat(assets.intents().usage("counted")).isEqualTo(new UploadIntents.Usage(40, 4)).isEqualTo(counted("counted"));

        assets.recordCreated(created(keyOf(kept), "01", 10), AssetIds.next(), ObjectFacts.NONE);
        assets.recordCreated(created(keyOf(replaced), "01", 10), AssetIds.next(), ObjectFacts.NONE);
        assets.recordRemoved(removed(keyOf(replaced), "02"), AssetIds.next());
        assets.recordCreated(created(keyOf(refused), "01", 11), AssetIds.next(), ObjectFacts.NONE);
        assets.expire(expired);
        assets.recordCreated(created("no-owner/" + UUID.randomUUID(), "01", 5), AssetIds.next(), ObjectFacts.NONE);

        assertThat(assets.intents().usage("counted")).isEqualTo(new UploadIntents.Usage(10, 1)).isEqualTo(counted("counted"));
        assertThat(assets.intents().usage("unknown-client")).isEqualTo(new UploadIntents.Usage(0, 0));
    }

    @Test
    void withoutSequencersEventTimeDecides() {
        String key = "moto/" + UUID.randomUUID();
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        assets.recordCreated(event(Kind.CREATED, key, null, t.plusSeconds(2), 2L), AssetIds.next(), ObjectFacts.NONE);

        Optional<UUID> older = assets.recordRemoved(event(Kind.REMOVED, key, null, t, null), AssetIds.next());
        Optional<UUID> duplicate = assets.recordCreated(event(Kind.CREATED, key, null, t.plusSeconds(2), 2L),
                AssetIds.next(), ObjectFacts.NONE);

        assertThat(older).isEmpty();
        assertThat(duplicate).isEmpty();
        assertThat(byKey(key).status()).isEqualTo(AssetStatus.AVAILABLE);
    }

    @Test
    void concurrentEventsForOneKeyEndWithTheNewest() throws Exception {
        String key = "race/" + UUID.randomUUID();
        List<Event> events = List.of(created(key, "01", 1), removed(key, "02"), created(key, "03", 3),
                removed(key, "04"), created(key, "05", 5), created(key, "05", 5), created(key, "03", 3));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Optional<UUID>>> writes = events.stream().<Callable<Optional<UUID>>>map(e -> () ->
                    e.type() == Kind.CREATED
                            ? assets.recordCreated(e, AssetIds.next(), ObjectFacts.NONE)
                            : assets.recordRemoved(e, AssetIds.next())).toList();
            for (Future<Optional<UUID>> f : pool.invokeAll(writes)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        Asset asset = byKey(key);
        assertThat(asset.status()).isEqualTo(AssetStatus.AVAILABLE);
        assertThat(asset.size()).isEqualTo(5L);
        assertThat(countByKey(key)).isEqualTo(1);
    }

    @Test
    void listsNewestFirstByKeysetAndFiltersByStatus() {
        UUID first = pending("1.txt");
        UUID second = pending("2.txt");
        UUID third = pending("3.txt");
        assets.recordCreated(created(keyOf(second), "01", 1), AssetIds.next(), ObjectFacts.NONE);

        List<Asset> page = assets.list(Optional.empty(), Optional.of(AssetStatus.PENDING), Optional.empty(), 100);
        List<Asset> afterThird = assets.list(Optional.empty(), Optional.empty(), Optional.of(third), 100);

        assertThat(page).extracting(Asset::id).containsSubsequence(third, first).doesNotContain(second);
        assertThat(afterThird).extracting(Asset::id).containsSubsequence(second, first).doesNotContain(third);
    }

    @Test
    void objectOfAnotherSizeThanDeclaredIsRejectedWithTheReason() {
        UUID id = pending("declared-ten.txt");

        Optional<UUID> changed = assets.recordCreated(created(keyOf(id), "0A", 11), AssetIds.next(), ObjectFacts.NONE);

        assertThat(changed).contains(id);
        Asset asset = assets.findById(id).orElseThrow();
        assertThat(asset.status()).isEqualTo(AssetStatus.REJECTED);
        assertThat(asset.rejectionReason()).isEqualTo("size is 11 bytes, declared 10");
    }

    @Test
    void objectOfAnotherTypeOrChecksumThanDeclaredIsRejected() {
        UUID typed = pending("typed.txt");
        UUID summed = AssetIds.next();
        assets.insertPending(new NewUpload(summed, null, "bucket", "uploads/" + summed + "/s.txt", "s.txt", "text/plain",
                10, Optional.of("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="), Instant.now().plusSeconds(900)));

        assets.recordCreated(created(keyOf(typed), "0A", 10), AssetIds.next(),
                new ObjectFacts(Optional.of("image/png"), Optional.empty()));
        assets.recordCreated(created(keyOf(summed), "0A", 10), AssetIds.next(),
                new ObjectFacts(Optional.of("text/plain"), Optional.of("AAAAj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")));

        assertThat(assets.findById(typed).orElseThrow().rejectionReason())
                .isEqualTo("content type is image/png, declared text/plain");
        assertThat(assets.findById(summed).orElseThrow().status()).isEqualTo(AssetStatus.REJECTED);
        assertThat(assets.findById(summed).orElseThrow().rejectionReason()).startsWith("SHA-256 is AAAA");
    }

    @Test
    void removalOfARejectedObjectKeepsTheRejection() {
        UUID id = pending("refused.txt");
        assets.recordCreated(created(keyOf(id), "0A", 99), AssetIds.next(), ObjectFacts.NONE);

        assets.recordRemoved(removed(keyOf(id), "0B"), AssetIds.next());

        Asset asset = assets.findById(id).orElseThrow();
        assertThat(asset.status()).isEqualTo(AssetStatus.REJECTED);
        assertThat(asset.sequencer()).isEqualTo(Sequencer.parse("0B").value());
    }

    @Test
    void expiresOnlyRowsThatAreStillPending() {
        UUID stillPending = pending("never.txt");
        UUID arrived = pending("arrived.txt");
        assets.recordCreated(created(keyOf(arrived), "01", 10), AssetIds.next(), ObjectFacts.NONE);

        assertThat(assets.expire(stillPending)).contains(stillPending);
        assertThat(assets.expire(arrived)).isEmpty();
        assertThat(assets.findById(stillPending).orElseThrow().status()).isEqualTo(AssetStatus.EXPIRED);
        assertThat(assets.findById(arrived).orElseThrow().status()).isEqualTo(AssetStatus.AVAILABLE);
    }

    @Test
    void keyRangesFollowS3sByteWiseOrder() {
        String prefix = "range-" + UUID.randomUUID() + "/";
        for (String key : new String[] {"B", "a", "Z", "é", "_"}) {
            assets.recordCreated(created(prefix + key, "01", 1), AssetIds.next(), ObjectFacts.NONE);
        }

        List<String> all = assets.findKeyRange("bucket", prefix, null, null).stream().map(Asset::objectKey).toList();
        List<String> middle = assets.findKeyRange("bucket", prefix, prefix + "Z", prefix + "a").stream()
                .map(Asset::objectKey).toList();

        assertThat(all).containsExactly(prefix + "B", prefix + "Z", prefix + "_", prefix + "a", prefix + "é");
        assertThat(middle).containsExactly(prefix + "_", prefix + "a");
    }

    private UUID pending(String filename) {
        UUID id = AssetIds.next();
        assets.insertPending(new NewUpload(id, null, "bucket", "uploads/" + id + "/" + filename, filename, "text/plain",
                10, Optional.empty(), Instant.now().plusSeconds(900)));
        return id;
    }

    private UUID owned(String client, String filename, long size) {
        UUID id = AssetIds.next();
        assets.insertPending(new NewUpload(id, client, "bucket", "clients/" + client + "/" + id + "/" + filename, filename,
                "text/plain", size, Optional.empty(), Instant.now().plusSeconds(900)));
        return id;
    }

    /** The usage counted from the rows themselves, as the quota check did before the counter. */
    private UploadIntents.Usage counted(String client) {
        return jdbc.sql("""
                SELECT COALESCE(SUM(COALESCE(size_bytes, declared_size)), 0) AS bytes, COUNT(*) AS objects
                FROM asset WHERE client_id = :client AND status IN ('PENDING', 'AVAILABLE')
                """).param("client", client)
                .query((rs, n) -> new UploadIntents.Usage(rs.getLong("bytes"), rs.getLong("objects"))).single();
    }

    private String keyOf(UUID id) {
        return assets.findById(id).orElseThrow().objectKey();
    }

    private Asset byKey(String key) {
        UUID id = jdbc.sql("SELECT id FROM asset WHERE object_key = :key").param("key", key).query(UUID.class).single();
        return assets.findById(id).orElseThrow();
    }

    private int countByKey(String key) {
        return jdbc.sql("SELECT count(*) FROM asset WHERE object_key = :key").param("key", key)
                .query(Integer.class).single();
    }

    private int rowCount() {
        return jdbc.sql("SELECT count(*) FROM asset").query(Integer.class).single();
    }

    private static Event created(String key, String sequencer, long size) {
        return event(Kind.CREATED, key, sequencer, Instant.now(), size);
    }

    private static Event removed(String key, String sequencer) {
        return event(Kind.REMOVED, key, sequencer, Instant.now(), null);
    }

    private static Event event(Kind type, String key, String sequencer, Instant time, Long size) {
        return new Event(type, new ObjectObservation("bucket", key, Optional.ofNullable(size),
                Optional.ofNullable(sequencer).map(s -> "etag-" + s), Optional.empty(),
                Optional.ofNullable(sequencer).map(Sequencer::parse), time));
    }

    enum Kind { CREATED, REMOVED }

    /** An observation and whether it says the object is there or gone. */
    record Event(Kind type, ObjectObservation observation) {
    }

    /** The table's three sides together, answering what each write changed, as these tests ask. */
    record Assets(AssetReads reads, IngestWrites writes, UploadIntents intents) {

        Optional<UUID> recordCreated(Event event, UUID newId, ObjectFacts facts) {
            return writes.recordCreated(event.observation(), newId, facts).flatMap(Recorded::changedId);
        }

        Optional<UUID> recordRemoved(Event event, UUID newId) {
            return writes.recordRemoved(event.observation(), newId).flatMap(Recorded::changedId);
        }

        Optional<UUID> expire(UUID id) {
            return writes.expire(id).flatMap(Recorded::changedId);
        }

        Optional<Asset> findById(UUID id) {
            return reads.findById(id);
        }

        List<Asset> list(Optional<String> owner, Optional<AssetStatus> status, Optional<UUID> before, int limit) {
            return reads.list(owner, status, before, limit);
        }

        List<Asset> findKeyRange(String bucket, String prefix, String afterKey, String upToKey) {
            return reads.findKeyRange(bucket, prefix, afterKey, upToKey);
        }

        void insertPending(NewUpload upload) {
            intents.insertPending(upload);
        }
    }

}
