package dev.assetpipeline.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

class WrkTest {

    /** What wrk 4.1.0 printed with upload-urls.lua against a server answering 409 to every fourth POST. */
    private static final String OUTPUT = """
            Running 1s test @ http://127.0.0.1:18999/api/v1/assets
              2 threads and 4 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    42.46ms    8.34ms  48.34ms   96.00%
                Req/Sec    45.45      8.58    60.00     77.27%
              Latency Distribution
                 50%   43.94ms
                 75%   44.03ms
                 90%   44.45ms
                 99%   48.34ms
              100 requests in 1.10s, 12.00KB read
              Non-2xx or 3xx responses: 25
            Requests/sec:     90.98
            Transfer/sec:     10.92KB
            duration_us 1099091
            p50_us 43940
            p99_us 48343
            errors 0
            status 201 75
            status 409 25
            """;

    @Test
    void countsEveryStatusSoThatRefusalsDoNotFlatterTheRate() {
        Load.Result result = Wrk.parse(OUTPUT);

        assertThat(result.statuses()).isEqualTo(Map.of(201, 75L, 409, 25L));
        assertThat(result.count()).isEqualTo(100);
        assertThat(result.perSecond()).isCloseTo(100 / 1.099091, within(0.001));
        assertThat(result.p50Millis()).isEqualTo(43.94);
        assertThat(result.p99Millis()).isEqualTo(48.343);
    }

    @Test
    void socketErrorsAreCountedAsAnswersThatAreNotTheExpectedOne() {
        Load.Result result = Wrk.parse(OUTPUT.replace("errors 0", "errors 3"));

        assertThat(result.count(Wrk.SOCKET_ERROR)).isEqualTo(3);
        assertThat(result.count()).isEqualTo(103);
    }

    @Test
    void outputWithoutTheScriptsSummaryIsAnError() {
        assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:8090 Connection refused"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Connection refused");
    }
}
