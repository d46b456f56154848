package dev.assetpipeline.benchmark;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import tools.jackson.databind.JsonNode;

/**
 * Runs every comparison of scripts/bench.sh against the running services, each with its reference in the
 * same run and interleaved round by round (A, B, A, B, ...), and prints one table. Not a pass/fail test:
 * the "met" column reads the medians against the targets, the ranges show how noisy the machine was.
 */
public final class Benchmark {

    /** The share of the machine's cores idle over a second that {@link #settle} waits for. */
    private static final double QUIET = 0.8;

    private final Settings settings;
    private final Database database;
    private final Api api = new Api();
    private final Table table = new Table();
    private double lastCpuMillisPerRequest = Double.NaN;

    private Benchmark(Settings settings) {
        this.settings = settings;
        this.database = new Database(settings);
    }

    public static void main(String[] args) throws Exception {
        new Benchmark(Settings.fromEnvironment()).run();
    }

    private void run() throws Exception {
        int rounds = settings.rounds();
        progress("fixtures: clients, " + settings.smallTable() + " rows of history");
        String reader = database.client("bench-reader");
        database.history("bench-reader", settings.smallTable());
        String smallHistory = database.client("bench-small-history");
        database.history("bench-small-history", settings.smallHistory());
        String solo = database.client("bench-solo");
        List<String> spread = new ArrayList<>();
        for (int i = 0; i < settings.connections(); i++) {
            spread.add(database.client("bench-spread-" + i));
        }
        database.client("bench-ingest");
        for (int i = 0; i < 20; i++) { // a few uploads still PENDING, the rarest status in a list filter
            api.requestUpload(settings.apiA(), reader, 1024);
        }

        if (runs("reads") || runs("uploads") || runs("cached")) {
            warmUp(reader, solo);
        }
        if (runs("reads")) {
            settle("the reads at " + database.tableRows() + " rows");
        }
        double[][] small = runs("reads") ? reads(reader, rounds) : null;
        int more = (int) (settings.largeTable() - database.tableRows());
        if (runs("reads") || runs("uploads")) {
            progress("adding " + more + " rows of history to one client");
            database.history("bench-reader", Math.max(0, more));
        }
        long large = database.tableRows();
        if (runs("reads")) {
            settle("the reads at " + large + " rows");
            double[][] big = reads(reader, rounds);
            String[] readFigures = {"uncached GET /api/v1/assets/{id}", "list, newest page (limit 50)",
                    "list, PENDING page (rarest status)"};
            for (int f = 0; f < readFigures.length; f++) {
                table.compare(readFigures[f] + " at " + large + " rows", "req/s", big[f],
                        "same at " + settings.smallTable() + " rows", small[f], 0.5);
            }
        }
        if (runs("uploads")) {
            settle("the upload URLs");
            uploadUrls(rounds, spread, solo, reader, smallHistory, large);
        }
        if (runs("cached")) {
            settle("the cached reads");
            cachedReads(rounds, reader);
        }
        double[] rssApi = {Processes.rssMegabytes(settings.apiPid())};
        double[] rssWorker = {Processes.rssMegabytes(settings.workerPid())};
        if (runs("latency")) {
            settle("the latency figures");
            progress("PUT done -> AVAILABLE seen on the other API instance");
            availability(reader);
        }
        double[] rssWorkerAfter = rssWorker;
        if (runs("ingest")) {
            settle("the ingest figures");
            rssWorkerAfter = new double[] {ingest(rounds)};
        }

        var script = settings.measuredByScript();
        table.atMost("API start-up to readiness", "s", script.get("api start-up"), "", null, 5);
        table.atMost("worker start-up to readiness", "s", script.get("worker start-up"), "", null, 5);
        table.atMost("API idle RSS", "MB", script.get("api idle RSS"), "", null, 256);
        table.atMost("worker idle RSS", "MB", script.get("worker idle RSS"), "", null, 256);
        table.atMost("API RSS after the read benchmark", "MB", rssApi, "", null, 384);
        table.atMost("worker RSS after the ingest benchmark", "MB",
                rssWorkerAfter, "worker before ingest "
                        + Table.format(rssWorker[0]), null, 384);
        table.print(System.out);
    }

    private boolean runs(String section) {
        return settings.sections().isEmpty() || settings.sections().contains(section);
    }

    private void uploadUrls(int rounds, List<String> spread, String solo, String reader, String smallHistory,
            long large) throws Exception {
        progress("upload URLs");
        // unmeasured: the figure is a running service's rate, not its compilers'. Under this load alone
        // the API's CPU per URL fell from 2.4 to 0.37 ms over its first 80 s (C2 compiling the upload
        // path while wrk and PostgreSQL held both cores), then stayed there
        Wrk.uploads(settings.apiA(), spread, settings.connections(), settings.uploadWarmUp());
        List<String> spreadIds = spread.stream().map(Benchmark::clientId).toList();
        List<String> soloIds = Collections.nCopies(settings.connections(), clientId(solo));
        double[] spreadRate = new double[rounds];
        double[] urlCpu = new double[rounds];
        double[] insertOnly = new double[rounds];
        double[] reserveOnly = new double[rounds];
        double[] soloRate = new double[rounds];
        double[] soloReserveOnly = new double[rounds];
        double[] insertOnlyAgain = new double[rounds];
        double[] bigHistory = new double[rounds];
        double[] smallHistoryRate = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            spreadRate[r] = uploads(spread);
            urlCpu[r] = lastCpuMillisPerRequest;
            insertOnly[r] = database.insertOnly(settings.connections(), settings.measure()).perSecond();
            reserveOnly[r] = database.reserveOnly(spreadIds, settings.measure()).perSecond();
            soloRate[r] = uploads(List.of(solo));
            insertOnlyAgain[r] = database.insertOnly(settings.connections(), settings.measure()).perSecond();
            soloReserveOnly[r] = database.reserveOnly(soloIds, settings.measure()).perSecond();
            // the pair takes turns at going first: the side that runs right after the INSERT-only loop pays
            // for what PostgreSQL still writes after it, and with a fixed order that was always one side
            if (r % 2 == 0) {
                bigHistory[r] = uploads(List.of(reader));
                smallHistoryRate[r] = uploads(List.of(smallHistory));
            } else {
                smallHistoryRate[r] = uploads(List.of(smallHistory));
                bigHistory[r] = uploads(List.of(reader));
            }
        }
        int c = settings.connections();
        table.compare("POST /api/v1/assets, " + c + " connections, " + c + " clients", "URLs/s", spreadRate,
                "INSERT-only loop, " + c + " connections", insertOnly, 0.25);
        table.explain("  its database part: reserve_upload alone over JDBC, " + c + " clients", "calls/s",
                reserveOnly, "INSERT-only loop, " + c + " connections", insertOnly);
        table.compare("POST /api/v1/assets, " + c + " connections, one client", "URLs/s", soloRate,
                "INSERT-only loop, " + c + " connections", insertOnlyAgain, 0.1);
        table.explain("  its database part: reserve_upload alone over JDBC, one client", "calls/s",
                soloReserveOnly, "INSERT-only loop, " + c + " connections", insertOnlyAgain);
        table.compare("POST /api/v1/assets, client with " + (large / 1000) + "k rows", "URLs/s", bigHistory,
                "client with " + settings.smallHistory() + " rows", smallHistoryRate, 0.9);
        table.note("cost: API CPU per upload URL " + Table.format(Table.median(urlCpu)) + " ms (median of rounds, "
                + c + " clients)");
    }

    /** The client id of Basic credentials "id:secret". */
    private static String clientId(String credentials) {
        return credentials.split(":", 2)[0];
    }

    private void cachedReads(int rounds, String reader) throws Exception {
        progress("cached reads");
        List<UUID> hot = database.availableIds("bench-reader", 100);
        double[] cached = new double[rounds];
        double[] cachedCpu = new double[rounds];
        double[] me = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            cached[r] = get(thread -> settings.apiA() + "/api/v1/assets/" + hot.get(
                    ThreadLocalRandom.current().nextInt(hot.size())), reader, settings.apiA());
            cachedCpu[r] = lastCpuMillisPerRequest;
            me[r] = get(thread -> settings.apiA() + "/api/v1/me", reader, settings.apiA());
        }
        table.compare("cached GET /api/v1/assets/{id}", "req/s", cached, "GET /api/v1/me", me, 0.8);
        table.note("cost: API CPU per cached GET " + Table.format(Table.median(cachedCpu)) + " ms");
    }

    /** @return the worker's RSS after the last round, in MB */
    private double ingest(int rounds) throws Exception {
        progress("ingest: " + settings.events() + " events a round");
        double[] headingAll = new double[rounds];
        double[] trusting = new double[rounds];
        double[] raw = new double[rounds];
        double rss;
        try (Ingest ingest = new Ingest(settings, database, 2)) {
            ingest.warmUp();
            for (int r = 0; r < rounds; r++) {
                headingAll[r] = ingest.rate(ingest.headingAll);
                trusting[r] = ingest.rate(ingest.trusting);
                raw[r] = ingest.rawDrain();
            }
            rss = Processes.rssMegabytes(settings.workerPid());
            costs("all HEADed", ingest.headingAll, ingest.emulatorCpuPerRawMessage());
            costs("trusted, no HEAD", ingest.trusting, ingest.emulatorCpuPerRawMessage());
        }
        String events = "ingest, one worker, " + settings.events() + " events, ";
        table.compare(events + "all HEADed", "events/s", headingAll, "bare receive + batch delete", raw, 0.8);
        table.compare(events + "trusted, no HEAD", "events/s", trusting, "bare receive + batch delete", raw,
                0.8);
        return rss;
    }

    private void costs(String worker, Ingest.Worker measured, List<Double> emulatorPerRawMessage) {
        table.note("cost: worker CPU per event (second half of each round), " + worker + ": "
                + Table.format(median(measured.cpuPerEvent())) + " ms");
        if (!emulatorPerRawMessage.isEmpty()) {
            // the emulator is one process on the same cores: what each side asks of it bounds the ratio
            table.note("cost: emulator CPU per event (second half of each round), " + worker + ": "
                    + Table.format(median(measured.emulatorCpuPerEvent())) + " ms, bare loop "
                    + Table.format(median(emulatorPerRawMessage)) + " ms");
            // the emulator, one Python process, runs on about one core whoever asks: when it is what
            // saturates, events/s is at most that core's time divided by what one event asks of it
            table.note("derived: ratio ceiling while the emulator saturates (bare loop / ours, emulator CPU per "
                    + "event), " + worker + ": " + Table.format(median(emulatorPerRawMessage)
                            / median(measured.emulatorCpuPerEvent())));
        }
    }

    private static double median(List<Double> figures) {
        return Table.median(figures.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Every kind of request for a while first, so that no figure pays for the JIT compiler's first work. */
    private void warmUp(String reader, String solo) throws Exception {
        progress("warming up");
        List<UUID> ids = database.availableIds("bench-reader", 1_000);
        Load.run(settings.connections(), settings.measure().multipliedBy(2), (thread, sequence) -> switch (thread % 4) {
            case 0 -> api.get(settings.apiUncached() + "/api/v1/assets/" + ids.get((int) (sequence % ids.size())), reader);
            case 1 -> api.get(settings.apiA() + "/api/v1/assets?limit=50", reader);
            case 2 -> api.get(settings.apiA() + "/api/v1/me", reader);
            default -> api.requestUpload(settings.apiA(), solo, 1024);
        });
    }

    /** Per figure, one rate per round: uncached single reads, the newest page, a page of the rarest status. */
    private double[][] reads(String reader, int rounds) throws Exception {
        List<UUID> ids = database.availableIds("bench-reader", 5_000);
        String list = settings.apiA() + "/api/v1/assets?limit=50";
        progress("reads at " + database.tableRows() + " rows");
        double[][] rates = new double[3][rounds];
        for (int r = 0; r < rounds; r++) {
            rates[0][r] = get(thread -> settings.apiUncached() + "/api/v1/assets/" + ids.get(
                    ThreadLocalRandom.current().nextInt(ids.size())), reader, settings.apiUncached());
            rates[1][r] = get(thread -> list, reader, settings.apiA());
            rates[2][r] = get(thread -> list + "&status=PENDING", reader, settings.apiA());
        }
        return rates;
    }

    private double get(Function<Integer, String> url, String credentials, String base) throws Exception {
        api.get(base + "/api/v1/me", credentials); // warm: connection and authentication cached
        return measured(base, () -> Load.run(settings.connections(), settings.measure(),
                (thread, sequence) -> api.get(url.apply(thread), credentials)), 200);
    }

    /** Upload URLs from wrk (see {@link Wrk} for why not this JVM), the credentials taken in turn. */
    private double uploads(List<String> credentials) throws Exception {
        return measured(settings.apiA(), () -> Wrk.uploads(settings.apiA(), credentials, settings.connections(),
                settings.measure()), 201);
    }

    @FunctionalInterface
    private interface Measurement {
        Load.Result run() throws Exception;
    }

    /**
     * The rate of expected answers, and the CPU time the API instance at {@code base} spent on each one (the
     * cost the capacity figures of the README are derived from), kept by base and status.
     */
    private double measured(String base, Measurement measurement, int expected) throws Exception {
        Long pid = base.equals(settings.apiA()) ? settings.apiPid() : null;
        double cpuBefore = pid == null ? 0 : Processes.cpuSeconds(pid);
        Load.Result result = measurement.run();
        if (pid != null && result.count(expected) > 0) {
            lastCpuMillisPerRequest = (Processes.cpuSeconds(pid) - cpuBefore) * 1000 / result.count();
        }
        return successes(result, expected);
    }

    /** The rate of answers with the expected status; anything else is printed, as it would flatter the figure. */
    private double successes(Load.Result result, int expected) {
        if (result.count(expected) != result.count()) {
            table.note("! " + (result.count() - result.count(expected)) + " of " + result.count()
                    + " answers were not " + expected + ": " + result.statuses());
        }
        return result.perSecond() * result.count(expected) / Math.max(1, result.count());
    }

    /**
     * Latency from the end of the PUT to the asset seen AVAILABLE through the other API instance (B; the
     * upload URL came from {@code issuing}), as a client sees it without polling: right after the PUT it
     * asks B with {@code ?wait=}, and the answer's arrival is the figure. The reference is the worker's
     * commit itself, heard as the NOTIFY that its transaction sends, which the first number cannot beat.
     * Nothing polls: a poll every few milliseconds would be load on the two cores that the emulator, the
     * worker and PostgreSQL share, and would show in the figure it measures.
     * A's bucket notifies the worker that HEADs every object, the trusting API's bucket the worker that
     * trusts the writer. For the first, the worker's own timer of its HEADs (assets.s3.head, percentiles
     * over its last two minutes) shows how much of the time the emulator's answer to it took.
     */
    /**
     * Lets what the part before left behind finish before the next begins: VACUUM of what it wrote, which
     * autovacuum would otherwise start in the middle of the next figure (the history's million rows, the
     * upload URLs' inserts), then up to a minute for the machine to go quiet.
     */
    private void settle(String before) throws Exception {
        long start = System.nanoTime();
        int autovacuums = database.vacuum(Duration.ofMinutes(2));
        int cores = Runtime.getRuntime().availableProcessors();
        double idle = Processes.idleCores(1000);
        while (idle < QUIET * cores && System.nanoTime() - start < Duration.ofMinutes(1).toNanos()) {
            idle = Processes.idleCores(1000);
        }
        progress(String.format("settled before %s in %.0f s: VACUUM (ANALYZE), %d autovacuum workers waited for;"
                + " then %.1f of %d cores idle", before, (System.nanoTime() - start) / 1e9, autovacuums, idle, cores));
    }

    /**
     * PUT done to AVAILABLE seen on API B, through the worker that HEADs every object and the one that
     * trusts presigned PUTs, one upload each in turn, so both meet the same moments of the machine.
     */
    private void availability(String reader) throws Exception {
        int n = settings.latencySamples();
        long[][] seen = new long[2][n];
        long[][] committed = new long[2][n];
        String[] issuing = {settings.apiA(), settings.apiTrusting()};
        try (Connection listening = database.connect(); Statement listen = listening.createStatement();
                PreparedStatement status = listening.prepareStatement("SELECT status FROM asset WHERE id = ?")) {
            listen.execute("LISTEN asset_changed");
            PGConnection notifications = listening.unwrap(PGConnection.class);
            for (int i = 0; i < n; i++) {
                for (int path = 0; path < 2; path++) {
                    long[] sample = availableAfterPut(reader, issuing[path], notifications, status);
                    seen[path][i] = sample[0];
                    committed[path][i] = sample[1];
                }
            }
        }
        String headed = "; the worker's HEAD p50 " + headMillis("0.5") + ", p99 " + headMillis("0.99");
        latencyRow("all HEADed", seen[0], committed[0], headed);
        latencyRow("trusted, no HEAD", seen[1], committed[1], "");
    }

    /** One upload: nanoseconds from PUT done to B's answer AVAILABLE, and to the commit heard as its NOTIFY. */
    private long[] availableAfterPut(String reader, String issuing, PGConnection notifications,
            PreparedStatement status) throws Exception {
        byte[] body = "a few bytes".getBytes();
        HttpResponse<String> answer = api.post(issuing + "/api/v1/assets", reader,
                "{\"filename\":\"l.txt\",\"contentType\":\"text/plain\",\"size\":" + body.length + "}");
        JsonNode upload = Api.json(answer.body());
        String id = upload.get("id").asString();
        String url = settings.apiB() + "/api/v1/assets/" + id;
        api.getJson(url, reader); // B has read (and may have cached) the PENDING row
        if (api.upload(upload, body) != 200) {
            throw new IllegalStateException("the PUT to the presigned URL failed");
        }
        long putDone = System.nanoTime();
        CompletableFuture<Api.Arrived> seenByB = api.getAsync(url + "?wait=10s", reader);
        long rowAt = 0;
        while (rowAt == 0 && System.nanoTime() - putDone < 10_000_000_000L) {
            PGNotification[] heard = notifications.getNotifications(1_000);
            long heardAt = System.nanoTime();
            // any change to this row is heard; the one that made it AVAILABLE counts
            for (PGNotification change : heard) {
                if (rowAt == 0 && change.getParameter().equals(id) && isAvailable(status, id)) {
                    rowAt = heardAt;
                }
            }
        }
        Api.Arrived arrived = seenByB.get(15, TimeUnit.SECONDS);
        if (rowAt == 0 || arrived.response().statusCode() != 200
                || !Api.json(arrived.response().body()).get("status").asString().equals("AVAILABLE")) {
            throw new IllegalStateException("asset " + id + " did not become AVAILABLE within 10 s");
        }
        return new long[] {arrived.at() - putDone, rowAt - putDone};
    }

    private void latencyRow(String worker, long[] seen, long[] committed, String more) {
        Arrays.sort(seen);
        Arrays.sort(committed);
        table.atMost("PUT done -> AVAILABLE on another API instance, " + worker + ", p99", "ms",
                new double[] {Load.percentile(seen, 0.99)}, "row committed p99 " + Table.format(
                        Load.percentile(committed, 0.99)) + ", p50 " + Table.format(Load.percentile(committed, 0.5))
                        + "; ours p50 " + Table.format(Load.percentile(seen, 0.5)) + " (" + seen.length + " uploads)"
                        + more,
                null, 100);
    }

    private static boolean isAvailable(PreparedStatement status, String id) throws Exception {
        status.setObject(1, UUID.fromString(id));
        try (ResultSet rs = status.executeQuery()) {
            return rs.next() && rs.getString(1).equals("AVAILABLE");
        }
    }

    /** A percentile of the HEADing worker's assets.s3.head timer, from its metrics endpoint, in ms. */
    private String headMillis(String phi) throws Exception {
        JsonNode metric = api.getJson(settings.worker() + "/actuator/metrics/assets.s3.head.percentile?tag=phi:" + phi,
                settings.workerOperator());
        if (metric == null) {
            throw new IllegalStateException("the worker's metrics endpoint did not answer with assets.s3.head");
        }
        return Table.format(metric.get("measurements").get(0).get("value").asDouble() * 1000);
    }

    private static void progress(String step) {
        System.out.println("[bench] " + step);
    }
}
