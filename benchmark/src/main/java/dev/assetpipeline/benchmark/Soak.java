package dev.assetpipeline.benchmark;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

/**
 * The soak of scripts/soak.sh: mixed traffic against the running worker and API for SOAK_SECONDS, then
 * a check of every row and a report. Uploads go through presigned URLs to the emulator, so S3's own
 * events reach the worker; beside them it injects duplicates and late arrivals of those events and a
 * few poison messages. Resources are sampled before the traffic, halfway and after the queue drained.
 */
public final class Soak {

    private static final int UPLOADERS = 2;
    private static final int READERS = 2;

    private final Api api = new Api();
    private final String apiUrl = env("SOAK_API");
    private final Duration duration = Duration.ofSeconds(Long.parseLong(env("SOAK_SECONDS")));
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> injected = new ConcurrentHashMap<>();
    private final List<Uploaded> uploaded = new CopyOnWriteArrayList<>();
    private final List<String> credentials = new ArrayList<>();
    private final SqsClient sqs;
    private final String queueUrl;
    private final String dlqUrl;
    private volatile boolean running = true;

    private record Uploaded(String owner, UUID id, String key, long size, String md5, Instant at) {
    }

    private record Sample(String when, double apiRss, double workerRss, int apiThreads, int workerThreads,
            Map<String, Integer> connections) {
    }

    private Soak() {
        var aws = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        sqs = SqsClient.builder().endpointOverride(URI.create(env("SOAK_AWS_ENDPOINT"))).region(Region.US_EAST_1)
                .credentialsProvider(aws).build();
        queueUrl = sqs.getQueueUrl(b -> b.queueName(env("SOAK_QUEUE"))).queueUrl();
        dlqUrl = sqs.getQueueUrl(b -> b.queueName(env("SOAK_QUEUE") + "-dlq")).queueUrl();
    }

    public static void main(String[] args) throws Exception {
        new Soak().run();
    }

    private void run() throws Exception {
        // the emulator keeps the queues between runs: start from empty ones, so the DLQ holds this run's poison only
        sqs.purgeQueue(b -> b.queueUrl(queueUrl));
        sqs.purgeQueue(b -> b.queueUrl(dlqUrl));
        try (Connection c = connect()) {
            for (int i = 0; i < UPLOADERS + READERS; i++) {
                credentials.add(Database.client(c, "soak-" + i));
            }
        }
        List<Sample> samples = new ArrayList<>();
        samples.add(sample("start"));
        progress("traffic for " + duration.toSeconds() + " s: " + UPLOADERS + " uploaders, " + READERS
                + " readers, one event injector");
        ExecutorService pool = Executors.newFixedThreadPool(UPLOADERS + READERS + 1);
        List<Future<?>> load = new ArrayList<>();
        for (int i = 0; i < UPLOADERS; i++) {
            String key = credentials.get(i);
            load.add(pool.submit(() -> loop(() -> upload(key))));
        }
        for (int i = 0; i < READERS; i++) {
            String key = credentials.get(i % UPLOADERS); // lists pages of an uploader
            load.add(pool.submit(() -> loop(() -> read(key))));
        }
        load.add(pool.submit(() -> loop(this::inject)));
        Instant start = Instant.now();
        Thread.sleep(duration.toMillis() / 2);
        samples.add(sample("middle"));
        Thread.sleep(Math.max(0, duration.toMillis() - Duration.between(start, Instant.now()).toMillis()));
        running = false;
        for (Future<?> task : load) {
            task.get();
        }
        pool.shutdown();
        progress("traffic stopped; waiting for the queue to drain and the poison to reach the dead-letter queue");
        drain();
        samples.add(sample("end"));
        report(samples);
    }

    private interface Step {
        void run() throws Exception;
    }

    private void loop(Step step) {
        while (running) {
            try {
                step.run();
            } catch (Exception e) {
                count(requests, "client error " + e.getClass().getSimpleName());
            }
        }
    }

    private void upload(String key) throws Exception {
        long size = ThreadLocalRandom.current().nextLong(1, 64 * 1024);
        byte[] bytes = new byte[(int) size];
        ThreadLocalRandom.current().nextBytes(bytes);
        HttpResponse<String> created = api.post(apiUrl + "/api/v1/assets", key, Api.uploadRequest(size));
        count(requests, "POST /api/v1/assets " + created.statusCode());
        if (created.statusCode() != 201) {
            return;
        }
        JsonNode answer = Api.json(created.body());
        int put = api.upload(answer, bytes);
        count(requests, "PUT presigned URL " + put);
        if (put == 200) {
            uploaded.add(new Uploaded(key, UUID.fromString(answer.get("id").asString()), answer.get("objectKey").asString(),
                    size, HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)), Instant.now()));
        }
    }

    private void read(String key) throws Exception {
        if (!uploaded.isEmpty() && ThreadLocalRandom.current().nextBoolean()) {
            Uploaded one = uploaded.get(ThreadLocalRandom.current().nextInt(uploaded.size()));
            // one read in ten with another client's key: isolation must answer 404
            boolean other = ThreadLocalRandom.current().nextInt(10) == 0;
            String reader = other ? credentials.get(UPLOADERS) : one.owner();
            count(requests, "GET /api/v1/assets/{id} " + (other ? "(another client's) " : "")
                    + api.get(apiUrl + "/api/v1/assets/" + one.id(), reader));
            return;
        }
        String cursor = null;
        for (int page = 0; page < 3; page++) {
            HttpResponse<String> list = api.getResponse(apiUrl + "/api/v1/assets?limit=20"
                    + (cursor == null ? "" : "&cursor=" + cursor), key);
            count(requests, "GET /api/v1/assets " + list.statusCode());
            if (list.statusCode() != 200) {
                return;
            }
            JsonNode next = Api.json(list.body()).get("nextCursor");
            if (next == null || next.isNull()) {
                return;
            }
            cursor = next.asString();
        }
    }

    /** Every 100 ms one injected message: mostly late or duplicate events of real uploads, now and then poison. */
    private void inject() throws Exception {
        Thread.sleep(100);
        List<Uploaded> settled = uploaded.stream()
                .filter(u -> u.at().isBefore(Instant.now().minusSeconds(5))).toList();
        int dice = ThreadLocalRandom.current().nextInt(100);
        if (dice < 2) {
            send("poison", "{\"Records\":[{\"not\":\"an S3 event\"");
        } else if (!settled.isEmpty()) {
            Uploaded one = settled.get(ThreadLocalRandom.current().nextInt(settled.size()));
            Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
            if (dice < 40) {
                send("late ObjectRemoved", event("ObjectRemoved:Delete", one, anHourAgo));
            } else if (dice < 80) {
                send("late duplicate ObjectCreated", event("ObjectCreated:Put", one, anHourAgo));
            } else {
                send("duplicate ObjectCreated", event("ObjectCreated:Put", one, Instant.now()));
            }
        }
    }

    private void send(String kind, String body) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        count(injected, kind);
    }

    private static String event(String name, Uploaded object, Instant time) {
        String size = name.startsWith("ObjectCreated") ? ",\"size\":" + object.size() + ",\"eTag\":\"" + object.md5() + "\""
                : "";
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"" + time + "\",\"eventName\":\"" + name + "\",\"s3\":{\"bucket\":{\"name\":\""
                + env("SOAK_BUCKET") + "\"},\"object\":{\"key\":\""
                + URLEncoder.encode(object.key(), StandardCharsets.UTF_8) + "\"" + size + "}}}]}";
    }

    private void drain() throws Exception {
        long poison = injected.getOrDefault("poison", new LongAdder()).sum();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline) && (depth(queueUrl) > 0 || depth(dlqUrl) < poison)) {
            Thread.sleep(1000);
        }
    }

    private int depth(String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private void report(List<Sample> samples) throws Exception {
        int lost = 0;
        int wrong = 0;
        try (Connection c = connect(); PreparedStatement row = c.prepareStatement(
                "SELECT status, size_bytes FROM asset WHERE id = ?")) {
            for (Uploaded one : uploaded) {
                row.setObject(1, one.id());
                try (ResultSet rs = row.executeQuery()) {
                    if (!rs.next()) {
                        lost++;
                    } else if (!"AVAILABLE".equals(rs.getString(1)) || rs.getLong(2) != one.size()) {
                        wrong++;
                    }
                }
            }
        }
        long serverErrors = requests.entrySet().stream().filter(e -> e.getKey().matches(".* 5\\d\\d"))
                .mapToLong(e -> e.getValue().sum()).sum();
        System.out.println();
        System.out.println("soak: " + duration.toSeconds() + " s of traffic");
        System.out.println("requests by status:");
        new TreeMap<>(requests).forEach((k, v) -> System.out.printf("  %-45s %8d%n", k, v.sum()));
        System.out.println("injected messages:");
        new TreeMap<>(injected).forEach((k, v) -> System.out.printf("  %-45s %8d%n", k, v.sum()));
        System.out.println("events by outcome (the worker's assets.ingest.events):");
        for (String outcome : List.of("applied", "stale", "skipped", "failed", "handed_back")) {
            System.out.printf("  %-45s %8.0f%n", outcome, workerCount(outcome));
        }
        System.out.printf("dead-letter queue: %d (poison sent %d)%n", depth(dlqUrl),
                injected.getOrDefault("poison", new LongAdder()).sum());
        System.out.printf("rows checked %d, lost %d, wrong %d; 5xx %d%n", uploaded.size(), lost, wrong, serverErrors);
        System.out.println("resources (RSS MB, threads, database connections):");
        System.out.printf("  %-8s %10s %10s %11s %11s  %s%n", "when", "api RSS", "worker RSS", "api thr.",
                "worker thr.", "connections by service");
        for (Sample s : samples) {
            System.out.printf("  %-8s %10.0f %10.0f %11d %11d  %s%n", s.when(), s.apiRss(), s.workerRss(),
                    s.apiThreads(), s.workerThreads(), s.connections());
        }
        // "start" is idle, before any pool or cache filled; flat means the second half added nothing
        Sample middle = samples.get(1);
        Sample end = samples.get(2);
        boolean flat = end.apiRss() <= middle.apiRss() * 1.1 && end.workerRss() <= middle.workerRss() * 1.1
                && end.apiThreads() <= middle.apiThreads() + 2 && end.workerThreads() <= middle.workerThreads() + 2
                && end.connections().equals(middle.connections());
        System.out.printf("verdict: lost %d, wrong %d, 5xx %d; memory, threads and connections from middle to end: %s%n",
                lost, wrong, serverErrors, flat ? "flat" : "GREW");
    }

    private double workerCount(String outcome) {
        try {
            HttpResponse<String> metric = api.getResponse(env("SOAK_WORKER")
                    + "/actuator/metrics/assets.ingest.events?tag=outcome:" + outcome, env("SOAK_OPERATOR"));
            return metric.statusCode() == 200
                    ? Api.json(metric.body()).get("measurements").get(0).get("value").asDouble() : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private Sample sample(String when) throws Exception {
        long apiPid = Long.parseLong(env("SOAK_API_PID"));
        long workerPid = Long.parseLong(env("SOAK_WORKER_PID"));
        Map<String, Integer> connections = new TreeMap<>();
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("""
                SELECT application_name, count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name IN ('api-gateway-service', 'ingest-worker')
                GROUP BY 1""");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                connections.put(rs.getString(1), rs.getInt(2));
            }
        }
        Sample sample = new Sample(when, Processes.rssMegabytes(apiPid), Processes.rssMegabytes(workerPid),
                threads(apiPid), threads(workerPid), connections);
        progress(when + ": " + sample);
        return sample;
    }

    private static int threads(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith("Threads:")).mapToInt(line -> Integer.parseInt(line.replaceAll("\\D", "")))
                .findFirst().orElse(-1);
    }

    private static void count(Map<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(env("SOAK_PG_URL"), env("SOAK_PG_USER"), env("SOAK_PG_PASSWORD"));
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set; run scripts/soak.sh");
        }
        return value;
    }

    private static void progress(String message) {
        System.out.println("[soak] " + message);
    }
}
