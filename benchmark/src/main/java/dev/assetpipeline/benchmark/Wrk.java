package dev.assetpipeline.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upload-URL requests from wrk, the C load generator from the distribution, with the same closed loop
 * as {@link Load}: the Java client spent about 0.6 of the two cores on load while the API it measured
 * got 0.75 (sampled from /proc in one run), so the figure said more about the client than the API.
 * The requests are those of {@link Api#requestUpload}, body included; {@code wrk/upload-urls.lua} counts every
 * status.
 */
final class Wrk {

    /** Socket errors (connect, read, write, timeout) are counted under this status. */
    static final int SOCKET_ERROR = -1;

    private Wrk() {
    }

    /**
     * @param credentials "client:secret" pairs, sent in turn over the connections
     * @return the rate of all answers, their statuses and latency percentiles
     */
    static Load.Result uploads(String api, List<String> credentials, int connections, Duration duration)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("upload-urls", ".lua");
        try (InputStream lua = Wrk.class.getResourceAsStream("/wrk/upload-urls.lua")) {
            Files.write(script, lua.readAllBytes());
            List<String> command = new ArrayList<>(List.of("wrk", "--latency",
                    "-t", String.valueOf(Math.min(2, connections)), "-c", String.valueOf(connections),
                    "-d", Math.max(1, duration.toSeconds()) + "s", "--timeout", "10s", "-s", script.toString(),
                    api + "/api/v1/assets", "--", Api.uploadRequest(1024)));
            for (String pair : credentials) {
                command.add("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (wrk.waitFor() != 0) {
                throw new IllegalStateException("wrk failed: " + output);
            }
            return parse(output);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Reads the "key value" lines the script's done() prints. */
    static Load.Result parse(String output) {
        Map<Integer, Long> statuses = new TreeMap<>();
        double seconds = Double.NaN;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (String line : output.split("\n")) {
            String[] words = line.trim().split("\\s+");
            switch (words[0]) {
                case "duration_us" -> seconds = Long.parseLong(words[1]) / 1e6;
                case "p50_us" -> p50 = Long.parseLong(words[1]) / 1e3;
                case "p99_us" -> p99 = Long.parseLong(words[1]) / 1e3;
                case "errors" -> {
                    if (Long.parseLong(words[1]) > 0) {
                        statuses.put(SOCKET_ERROR, Long.parseLong(words[1]));
                    }
                }
                case "status" -> statuses.merge(Integer.parseInt(words[1]), Long.parseLong(words[2]), Long::sum);
                default -> { } // wrk's own report
            }
        }
        if (Double.isNaN(seconds)) {
            throw new IllegalStateException("no summary from wrk: " + output);
        }
        long count = statuses.values().stream().mapToLong(Long::longValue).sum();
        return new Load.Result(count / seconds, count, statuses, p50, p99);
    }
}
