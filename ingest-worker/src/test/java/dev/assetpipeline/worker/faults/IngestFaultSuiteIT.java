package dev.assetpipeline.worker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.DatabaseServer;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.S3Events;
import dev.assetpipeline.common.testing.ServiceProcess;
import dev.assetpipeline.common.testing.TestInfrastructure;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The fault-injection suite (G1-G4, G8): a thousand events over two hundred keys, duplicated and
 * shuffled, with poison among them, consumed by two worker processes of which one is killed with
 * SIGKILL mid-run and replaced, while PostgreSQL is restarted. Every key must end exactly as one
 * in-order pass of its events would leave it. It prints its figures.
 */
class IngestFaultSuiteIT {

    private static final int KEYS = 200;
    private static final int EVENTS = 1_000;
    private static final int POISON = 5;
    private static final SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws());

    private record Event(String key, long order, String sequencer, boolean created, long size) {
    }

    @AfterAll
    static void close() {
        sqs.close();
    }

    @Test
    void nothingIsLostOrWrongUnderDuplicatesReorderingCrashesAndADatabaseRestart() throws Exception {
        long started = System.nanoTime();
        Random random = new Random(42);
        // visibility 5 s brings a killed worker's messages back quickly; 5 receives outlast the restart
        PipelineResources resources = PipelineResources.create(TestInfrastructure.aws(), "faults", 5,
                Duration.ofSeconds(5));
        String database = TestInfrastructure.postgres().createDatabase("faults");
        String prefix = "suite-" + UUID.randomUUID() + "/";

        List<Event> unique = generate(prefix, random);
        List<Event> sent = new ArrayList<>(unique);
        int duplicates = EVENTS - unique.size();
        for (int i = 0; i < duplicates; i++) {
            sent.add(unique.get(random.nextInt(unique.size())));
        }
        Collections.shuffle(sent, random);
        Map<String, String> expected = expectedFinalState(unique);
        int lateArrivals = lateArrivals(sent);
        List<String> poison = new ArrayList<>();
        for (int i = 0; i < POISON; i++) {
            poison.add("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"poison\":" + i + "}]}");
        }

        ServiceProcess first = WorkerHarness.start("suite-worker-1", database, resources, Map.of());
        ServiceProcess second = WorkerHarness.start("suite-worker-2", database, resources, Map.of());
        ServiceProcess replacement = null;
        try {
            List<String> bodies = new ArrayList<>();
            for (Event event : sent) {
                bodies.add(S3Events.record(event.created() ? "ObjectCreated:Put" : "ObjectRemoved:Delete",
                        resources.bucket(), event.key(), event.sequencer(), event.created() ? event.size() : -1,
                        Instant.now()));
            }
            bodies.addAll(bodies.size() / 2, poison); // poison in the middle of the stream
            send(resources.queueUrl(), bodies);

            await("30% of keys committed").atMost(Duration.ofSeconds(120))
                    .until(() -> WorkerHarness.rows(database).size() >= KEYS * 3 / 10);
            first.kill(); // SIGKILL mid-run: whatever it held comes back after the visibility timeout
            replacement = WorkerHarness.start("suite-worker-3", database, resources, Map.of());

            await("60% of keys committed").atMost(Duration.ofSeconds(120))
                    .until(() -> WorkerHarness.rows(database).size() >= KEYS * 6 / 10);
            DatabaseServer.stop();
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            DatabaseServer.start();

            await("every key in its final state").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> WorkerHarness.rows(database).equals(expected));
            await("poison in the dead-letter queue").atMost(Duration.ofSeconds(120)).until(() ->
                    WorkerHarness.depth(sqs, resources.dlqUrl()) >= POISON);
            await("main queue drained").atMost(Duration.ofSeconds(60)).until(() ->
                    WorkerHarness.depth(sqs, resources.queueUrl()) == 0);
        } finally {
            second.close();
            if (replacement != null) {
                replacement.close();
            }
        }

        Map<String, String> rows = WorkerHarness.rows(database);
        long lost = expected.keySet().stream().filter(key -> !rows.containsKey(key)).count();
        long wrong = expected.entrySet().stream()
                .filter(e -> rows.containsKey(e.getKey()) && !rows.get(e.getKey()).equals(e.getValue())).count();
        Set<String> dead = deadLetterBodies(resources.dlqUrl());
        long poisonInDlq = poison.stream().filter(dead::contains).count();
        System.out.printf(Locale.ROOT, "%nfault suite: events sent %d (unique %d, duplicates %d), keys %d, "
                        + "late arrivals %d, poison %d, workers killed 1, postgres restarts 1, rows checked %d, "
                        + "lost %d, wrong %d, poison in DLQ %d, elapsed %.1f s%n%n",
                sent.size(), unique.size(), duplicates, KEYS, lateArrivals, POISON, rows.size(), lost, wrong,
                poisonInDlq, (System.nanoTime() - started) / 1e9);
        assertThat(lost).isZero();
        assertThat(wrong).isZero();
        assertThat(rows).hasSize(KEYS);
        assertThat(poisonInDlq).isEqualTo(POISON);
    }

    /**
     * Between 2 and 6 events per key, in strictly increasing sequencer order. Sequencers have different
     * lengths (some carry two more digits), which only the right-padding comparison orders correctly.
     */
    private static List<Event> generate(String prefix, Random random) {
        List<Event> events = new ArrayList<>();
        long order = 0;
        int budget = EVENTS - 170;
        for (int k = 0; k < KEYS; k++) {
            String key = prefix + "key " + k + (k % 7 == 0 ? "/näme+1.txt" : ".bin");
            int count = k == KEYS - 1 ? Math.max(1, budget - events.size()) : 2 + random.nextInt(5);
            count = Math.min(count, Math.max(1, budget - events.size() - (KEYS - k - 1)));
            for (int i = 0; i < count; i++) {
                order++;
                String sequencer = String.format("%014X", 0x0100000000000L + order * 16)
                        + (random.nextBoolean() ? String.format("%02X", random.nextInt(256)) : "");
                boolean created = i == 0 || random.nextInt(4) != 0;
                events.add(new Event(key, order, sequencer, created, 1 + random.nextInt(1_000_000)));
            }
        }
        return events;
    }

    private static Map<String, String> expectedFinalState(List<Event> events) {
        Map<String, Event> last = new HashMap<>();
        for (Event event : events) {
            last.merge(event.key(), event, (a, b) -> a.order() > b.order() ? a : b);
        }
        Map<String, String> expected = new HashMap<>();
        last.forEach((key, event) -> expected.put(key, event.created() ? "AVAILABLE " + event.size() : "DELETED"));
        return expected;
    }

    /** Events sent after a newer event of the same key: each one must lose. */
    private static int lateArrivals(List<Event> sent) {
        Map<String, Long> newestSeen = new HashMap<>();
        int late = 0;
        for (Event event : sent) {
            Long newest = newestSeen.get(event.key());
            if (newest != null && newest > event.order()) {
                late++;
            }
            newestSeen.merge(event.key(), event.order(), Math::max);
        }
        return late;
    }

    private static void send(String queueUrl, List<String> bodies) {
        for (int i = 0; i < bodies.size(); i += 10) {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
            for (int j = i; j < Math.min(i + 10, bodies.size()); j++) {
                batch.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(bodies.get(j)).build());
            }
            assertThat(sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch)).failed()).isEmpty();
        }
    }

    private static Set<String> deadLetterBodies(String dlqUrl) {
        Set<String> bodies = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10).visibilityTimeout(0).waitTimeSeconds(1))
                    .messages().stream().map(Message::body).forEach(bodies::add);
        }
        return bodies;
    }
}
