package dev.assetpipeline.benchmark;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the benchmark runs against and how long, from the environment scripts/bench.sh sets. The short mode
 * (BENCH_SHORT=1) keeps every comparison and its interleaving, with small sizes and durations.
 */
record Settings(
        String apiA, String apiB, String apiUncached, String apiTrusting,
        String worker, String workerOperator,
        String pgUrl, String pgUser, String pgPassword,
        String awsEndpoint, String bucket, String queue,
        long apiPid, long workerPid, long trustingWorkerPid,
        int rounds, Duration measure, Duration uploadWarmUp, int connections,
        int smallTable, int largeTable, int smallHistory, int events, int latencySamples,
        Map<String, double[]> measuredByScript, List<String> sections, long emulatorPid) {

    /** The benchmark's second bucket: its notifications go to {@link #heldQueue()}, which no worker reads. */
    String heldBucket() {
        return bucket + "-held";
    }

    String heldQueue() {
        return queue + "-held";
    }

    /** The queue of the second worker, which trusts the emulator's one writer and so HEADs nothing. */
    String trustingQueue() {
        return queue + "-trusting";
    }

    static Settings fromEnvironment() {
        boolean brief = "1".equals(System.getenv("BENCH_SHORT"));
        return new Settings(
                required("BENCH_API_A"), required("BENCH_API_B"), required("BENCH_API_UNCACHED"),
                required("BENCH_API_TRUSTING"),
                // the worker that HEADs every object, and its operator's user:password for its HEAD timer
                required("BENCH_WORKER"), required("BENCH_WORKER_OPERATOR"),
                required("BENCH_PG_URL"), required("BENCH_PG_USER"), required("BENCH_PG_PASSWORD"),
                required("BENCH_AWS_ENDPOINT"), required("BENCH_BUCKET"), required("BENCH_QUEUE"),
                Long.parseLong(required("BENCH_API_A_PID")), Long.parseLong(required("BENCH_WORKER_PID")),
                Long.parseLong(required("BENCH_TRUSTING_WORKER_PID")),
                integer("BENCH_ROUNDS", 3),
                Duration.ofSeconds(integer("BENCH_SECONDS", brief ? 2 : 8)),
                Duration.ofSeconds(integer("BENCH_UPLOAD_WARMUP_SECONDS", brief ? 2 : 90)),
                integer("BENCH_CONNECTIONS", 16),
                integer("BENCH_SMALL_TABLE", brief ? 2_000 : 10_000),
                integer("BENCH_LARGE_TABLE", brief ? 50_000 : 1_000_000),
                integer("BENCH_SMALL_HISTORY", 1_000),
                integer("BENCH_EVENTS", brief ? 200 : 2_000),
                integer("BENCH_LATENCY_SAMPLES", brief ? 30 : 200),
                Map.of("api start-up", figures("BENCH_STARTUP_API"), "worker start-up", figures("BENCH_STARTUP_WORKER"),
                        "api idle RSS", figures("BENCH_IDLE_RSS_API"), "worker idle RSS", figures("BENCH_IDLE_RSS_WORKER")),
                System.getenv().getOrDefault("BENCH_ONLY", "").isBlank() ? List.of()
                        : List.of(System.getenv("BENCH_ONLY").split(",")),
                // the emulator's process on this host, when it runs here: its CPU per event is printed
                integer("BENCH_EMULATOR_PID", 0));
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the benchmark with scripts/bench.sh");
        }
        return value;
    }

    /** Figures the script measured (start-up seconds, RSS in MB), space-separated. */
    private static double[] figures(String name) {
        return Arrays.stream(required(name).trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }

    private static int integer(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
    }
}
