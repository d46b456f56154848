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
 * Ingest at the queue's pace. Ours: with the worker stopped, PENDING rows are recorded and their objects PUT
 * to S3, so S3's own notifications fill the queue; then the worker starts and the figure is events per second
 * from its first commit to its last. (Pausing it with SIGSTOP instead strands the messages of the receive it
 * has in flight until their visibility timeout, which would measure the timeout.) Reference: the same number of messages of the same size
 * drained from a queue of the same emulator by a bare receive-and-batch-delete loop with the SDK client the
 * worker's listener uses (SqsAsyncClient), with as many polls in flight as the worker's listener keeps.
 */
final class Ingest implements AutoCloseable {

    private static final byte[] BODY = "sixteen bytes!!\n".getBytes();

    private final Settings settings;
    private final Database database;
    private final S3Client s3;
    private final SqsAsyncClient sqs;
    private final String queueUrl;
    private final String rawQueueUrl;
    private final int pollsInFlight;
    private String sampleBody = "{}";
    private Process worker;
    private final List<Double> cpuPerEvent = new ArrayList<>();
    private final List<Double> emulatorCpuPerEvent = new ArrayList<>();
    private final List<Double> emulatorCpuPerRawMessage = new ArrayList<>();

    Ingest(Settings settings, Database database, int pollsInFlight) {
        this.settings = settings;
        this.database = database;
        this.pollsInFlight = pollsInFlight;
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        this.s3 = S3Client.builder().endpointOverride(URI.create(settings.awsEndpoint())).region(Region.US_EAST_1)
                .credentialsProvider(credentials).forcePathStyle(true).build();
        this.sqs = SqsAsyncClient.builder().endpointOverride(URI.create(settings.awsEndpoint()))
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
        this.queueUrl = sqs.getQueueUrl(b -> b.queueName(settings.queue())).join().queueUrl();
        this.rawQueueUrl = sqs.createQueue(b -> b.queueName(settings.queue() + "-raw-drain")).join().queueUrl();
    }

    /** Events per second one worker commits, from resuming it until the last row has left PENDING. */
    double worker(int round) throws Exception {
        int n = settings.events();
        List<UUID> ids = new ArrayList<>(n);
        stopWorker();
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
                insert.setString(2, settings.bucket());
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
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(settings.bucket()).key(key)
                        .contentType("text/plain"), RequestBody.fromBytes(BODY))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
        awaitQueued(queueUrl, n);
        if (round == 0) {
            Message one = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1)
                    .visibilityTimeout(0)).join().messages().stream().findFirst().orElse(null);
            if (one != null) {
                sampleBody = one.body();
            }
        }
        startWorker();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
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
                    // the second half only: the first pays for a fresh process's start and JIT compilation
                    if (committed >= n / 2 && doneFrom == 0) {
                        cpuFrom = Processes.cpuSeconds(worker.pid());
                        emulatorFrom = emulatorCpu();
                        doneFrom = committed;
                    }
                    if (committed == n) {
                        if (n > doneFrom) {
                            cpuPerEvent.add((Processes.cpuSeconds(worker.pid()) - cpuFrom) * 1000 / (n - doneFrom));
                            emulatorCpuPerEvent.add((emulatorCpu() - emulatorFrom) * 1000 / (n - doneFrom));
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

    /** Emulator CPU per event in the worker's rounds and per message in the bare loop's, in ms; empty when unknown. */
    List<double[]> emulatorCpuPerEvent() {
        return settings.emulatorPid() > 0 ? List.of(
                emulatorCpuPerEvent.stream().mapToDouble(Double::doubleValue).toArray(),
                emulatorCpuPerRawMessage.stream().mapToDouble(Double::doubleValue).toArray()) : List.of();
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

    /** The worker the script started first, then the ones this class starts, each stopped with SIGTERM. */
    private void stopWorker() throws Exception {
        ProcessHandle running = worker != null ? worker.toHandle()
                : ProcessHandle.of(settings.workerPid()).orElse(null);
        if (running != null && running.isAlive()) {
            running.destroy();
            running.onExit().get(60, TimeUnit.SECONDS);
        }
    }

    private void startWorker() throws Exception {
        worker = new ProcessBuilder(settings.workerCommand())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(settings.workerLog()))
                .start();
    }

    /** The worker's CPU time per event in each round, in ms. */
    List<Double> cpuPerEvent() {
        return cpuPerEvent;
    }

    /** For its RSS after the rounds. */
    long workerPid() {
        return worker.pid();
    }

    @Override
    public void close() throws Exception {
        stopWorker();
        sqs.deleteQueue(b -> b.queueUrl(rawQueueUrl)).join();
        s3.close();
        sqs.close();
    }
}
