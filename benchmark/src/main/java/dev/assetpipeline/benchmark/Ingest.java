package dev.assetpipeline.benchmark;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Ingest at the queue's pace. Ours: PENDING rows are recorded and their objects PUT to a second bucket of
 * the benchmark, whose S3 notifications fill a holding queue; those messages, S3's own, are then moved to
 * the worker's queue with a delay that makes them all visible at one moment, and the figure is events per
 * second from the worker's first commit to its last. The worker runs all along, as in production, and
 * has ingested a warm-up backlog first, so its figure is a warm process's, not the JIT compiler's. (A
 * worker restarted per round spent more CPU compiling than ingesting; one paused with SIGSTOP strands
 * the messages of the receive it has in flight.) Two workers take turns: one HEADs every new object, as
 * for any writer it does not trust; the other trusts the emulator's one writer, as deploy/ makes the
 * worker trust the API's role for its presigned PUTs, and HEADs nothing. Reference: the same number of messages of the same size
 * drained from a queue of the same emulator by a bare receive-and-batch-delete loop with the SDK client
 * the worker's listener uses (SqsAsyncClient), with as many polls in flight as the worker's listener keeps.
 */
final class Ingest implements AutoCloseable {

    private static final byte[] BODY = "sixteen bytes!!\n".getBytes();
    /** How long moving a backlog to the worker's queue may take before its messages become visible. */
    private static final Duration MOVE_BUDGET = Duration.ofSeconds(15);

    private final Settings settings;
    private final Database database;
    private final S3Client s3;
    private final SqsAsyncClient sqs;
    private final String heldQueueUrl;
    private final String rawQueueUrl;
    private final int pollsInFlight;
    private volatile String sampleBody = "{}";
    private final List<Double> emulatorCpuPerRawMessage = new ArrayList<>();

    /** One of the benchmark's workers, and the costs measured in its rounds (ms per event). */
    record Worker(String queueUrl, long pid, List<Double> cpuPerEvent, List<Double> emulatorCpuPerEvent) {
    }

    final Worker headingAll;
    final Worker trusting;

    Ingest(Settings settings, Database database, int pollsInFlight) {
        this.settings = settings;
        this.database = database;
        this.pollsInFlight = pollsInFlight;
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        this.s3 = S3Client.builder().endpointOverride(URI.create(settings.awsEndpoint())).region(Region.US_EAST_1)
                .credentialsProvider(credentials).forcePathStyle(true).build();
        this.sqs = SqsAsyncClient.builder().endpointOverride(URI.create(settings.awsEndpoint()))
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
        this.headingAll = worker(settings.queue(), settings.workerPid());
        this.trusting = worker(settings.trustingQueue(), settings.trustingWorkerPid());
        this.heldQueueUrl = sqs.getQueueUrl(b -> b.queueName(settings.heldQueue())).join().queueUrl();
        this.rawQueueUrl = sqs.createQueue(b -> b.queueName(settings.queue() + "-raw-drain")).join().queueUrl();
    }

    private Worker worker(String queue, long pid) {
        return new Worker(sqs.getQueueUrl(b -> b.queueName(queue)).join().queueUrl(), pid, new ArrayList<>(),
                new ArrayList<>());
    }

    /** An unmeasured round for each worker, so that the measured ones find its ingest path compiled. */
    void warmUp() throws Exception {
        for (Worker worker : List.of(headingAll, trusting)) {
            ingestBacklog(worker, settings.events());
            worker.cpuPerEvent().clear();
            worker.emulatorCpuPerEvent().clear();
        }
    }

    /** Events per second the worker commits, from its first commit until the last row has left PENDING. */
    double rate(Worker worker) throws Exception {
        return ingestBacklog(worker, settings.events());
    }

    private double ingestBacklog(Worker worker, int n) throws Exception {
        List<UUID> ids = holdBacklog(n);
        release(worker.queueUrl(), n);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long workerPid = worker.pid();
        try (Connection c = database.connect(); PreparedStatement done = c.prepareStatement(
                "SELECT count(*) FILTER (WHERE status <> 'PENDING'), min(updated_at), max(updated_at) "
                        + "FROM asset WHERE id = ANY(?)")) {
            done.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            double cpuFrom = 0;
            double emulatorFrom = 0;
            int doneFrom = 0;
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = done.executeQuery()) {
                    rs.next();
                    int committed = rs.getInt(1);
                    // the second half only: the first overlaps the messages becoming visible over about a second
                    if (committed >= n / 2 && doneFrom == 0) {
                        cpuFrom = Processes.cpuSeconds(workerPid);
                        emulatorFrom = emulatorCpu();
                        doneFrom = committed;
                    }
                    if (committed == n) {
                        if (n > doneFrom) {
                            worker.cpuPerEvent().add((Processes.cpuSeconds(workerPid) - cpuFrom) * 1000 / (n - doneFrom));
                            worker.emulatorCpuPerEvent().add((emulatorCpu() - emulatorFrom) * 1000 / (n - doneFrom));
                        }
                        Instant first = rs.getTimestamp(2).toInstant();
                        Instant last = rs.getTimestamp(3).toInstant();
                        return (n - 1) / (Duration.between(first, last).toNanos() / 1e9);
                    }
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the worker did not ingest " + n + " events within 10 minutes");
    }

    /** PENDING rows and their objects in the holding bucket; S3's notifications wait in the holding queue. */
    private List<UUID> holdBacklog(int n) throws Exception {
        List<UUID> ids = new ArrayList<>(n);
        String prefix = "bench/ingest/" + UUID.randomUUID() + "/";
        try (Connection c = database.connect(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO asset (id, client_id, bucket, object_key, status, filename, declared_content_type,
                                   declared_size, upload_expires_at)
                VALUES (?, 'bench-ingest', ?, ?, 'PENDING', 'f.txt', 'text/plain', ?, ?)
                """)) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                insert.setObject(1, id);
                insert.setString(2, settings.heldBucket());
                insert.setString(3, prefix + i);
                insert.setLong(4, BODY.length);
                insert.setTimestamp(5, Timestamp.from(Instant.now().plusSeconds(3600)));
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = prefix + i;
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(settings.heldBucket()).key(key)
                        .contentType("text/plain"), RequestBody.fromBytes(BODY))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
        awaitQueued(heldQueueUrl, n);
        return ids;
    }

    /**
     * Moves the held messages to a worker's queue, each delayed to one moment after the move (SQS delays
     * are whole seconds, so they become visible within about a second of each other).
     */
    private void release(String queueUrl, int n) throws Exception {
        Instant visibleAt = Instant.now().plus(MOVE_BUDGET);
        AtomicInteger moved = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> movers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                movers.add(pool.submit(() -> {
                    while (moved.get() < n) {
                        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(heldQueueUrl)
                                .maxNumberOfMessages(10).waitTimeSeconds(1)).join().messages();
                        if (messages.isEmpty()) {
                            continue;
                        }
                        sampleBody = messages.get(0).body();
                        int delay = (int) Math.max(0, Math.ceil(
                                Duration.between(Instant.now(), visibleAt).toMillis() / 1000.0));
                        List<SendMessageBatchRequestEntry> sends = new ArrayList<>();
                        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
                        for (int i = 0; i < messages.size(); i++) {
                            sends.add(SendMessageBatchRequestEntry.builder().id("m" + i)
                                    .messageBody(messages.get(i).body()).delaySeconds(delay).build());
                            deletes.add(DeleteMessageBatchRequestEntry.builder().id("m" + i)
                                    .receiptHandle(messages.get(i).receiptHandle()).build());
                        }
                        var sent = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(sends)).join();
                        if (!sent.failed().isEmpty()) {
                            throw new IllegalStateException("moving the backlog failed: " + sent.failed());
                        }
                        sqs.deleteMessageBatch(b -> b.queueUrl(heldQueueUrl).entries(deletes)).join();
                        moved.addAndGet(messages.size());
                    }
                    return null;
                }));
            }
            for (Future<?> mover : movers) {
                mover.get();
            }
        } finally {
            pool.shutdownNow();
        }
        if (Instant.now().isAfter(visibleAt)) {
            throw new IllegalStateException("moving " + n + " messages took longer than " + MOVE_BUDGET
                    + ": the worker's figure would be the move's pace; lower BENCH_EVENTS");
        }
    }

    /** Messages per second a bare receive-and-delete loop drains, with the same number of polls in flight. */
    double rawDrain() throws Exception {
        int n = settings.events();
        sqs.purgeQueue(b -> b.queueUrl(rawQueueUrl)).join();
        for (int sent = 0; sent < n; sent += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = sent; i < Math.min(n, sent + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(sampleBody).build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(rawQueueUrl).entries(entries)).join();
        }
        awaitQueued(rawQueueUrl, n);
        AtomicInteger drained = new AtomicInteger();
        double emulatorFrom = emulatorCpu();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(pollsInFlight);
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (int t = 0; t < pollsInFlight; t++) {
                loops.add(pool.submit(() -> {
                    while (drained.get() < n) {
                        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(rawQueueUrl)
                                .maxNumberOfMessages(10).waitTimeSeconds(1)).join().messages();
                        if (messages.isEmpty()) {
                            continue;
                        }
                        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                        for (int i = 0; i < messages.size(); i++) {
                            entries.add(DeleteMessageBatchRequestEntry.builder().id("d" + i)
                                    .receiptHandle(messages.get(i).receiptHandle()).build());
                        }
                        sqs.deleteMessageBatch(b -> b.queueUrl(rawQueueUrl).entries(entries)).join();
                        drained.addAndGet(messages.size());
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) {
                loop.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        emulatorCpuPerRawMessage.add((emulatorCpu() - emulatorFrom) * 1000 / n);
        return n / seconds;
    }

    /** CPU seconds the emulator's process has used; 0 when it does not run on this host. */
    private double emulatorCpu() throws java.io.IOException {
        return settings.emulatorPid() > 0 ? Processes.cpuSeconds(settings.emulatorPid()) : 0;
    }

    /** Emulator CPU per message in the bare loop's rounds, in ms; empty when unknown. */
    List<Double> emulatorCpuPerRawMessage() {
        return settings.emulatorPid() > 0 ? emulatorCpuPerRawMessage : List.of();
    }

    private void awaitQueued(String url, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).join().attributes();
            int queued = Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
            if (queued >= n) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("fewer than " + n + " messages reached " + url + " within 2 minutes");
    }

    @Override
    public void close() throws Exception {
        sqs.deleteQueue(b -> b.queueUrl(rawQueueUrl)).join();
        s3.close();
        sqs.close();
    }
}
