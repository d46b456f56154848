package dev.assetpipeline.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A closed loop: each of n threads sends its next request when the previous one is answered. */
final class Load {

    /** One request; returns the HTTP status (or 0 for a database statement). */
    @FunctionalInterface
    interface Request {
        int send(int thread, long sequence) throws Exception;
    }

    record Result(double perSecond, long count, Map<Integer, Long> statuses, double p50Millis, double p99Millis) {

        long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }
    }

    private Load() {
    }

    static Result run(int threads, Duration duration, Request request) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> futures = new ArrayList<>();
        List<Map<Integer, Long>> statuses = new ArrayList<>();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Map<Integer, Long> counts = new TreeMap<>();
                statuses.add(counts);
                futures.add(pool.submit(() -> {
                    long[] latencies = new long[1 << 16];
                    int n = 0;
                    for (long sequence = 0; System.nanoTime() < end; sequence++) {
                        long before = System.nanoTime();
                        int status = request.send(thread, sequence);
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = System.nanoTime() - before;
                        counts.merge(status, 1L, Long::sum);
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            long[] all = new long[0];
            for (Future<long[]> future : futures) {
                long[] some = future.get();
                long[] merged = Arrays.copyOf(all, all.length + some.length);
                System.arraycopy(some, 0, merged, all.length, some.length);
                all = merged;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(all);
            Map<Integer, Long> byStatus = new TreeMap<>();
            statuses.forEach(counts -> counts.forEach((status, count) -> byStatus.merge(status, count, Long::sum)));
            return new Result(all.length / seconds, all.length, byStatus, percentile(all, 0.50), percentile(all, 0.99));
        } finally {
            pool.shutdownNow();
        }
    }

    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }
}
