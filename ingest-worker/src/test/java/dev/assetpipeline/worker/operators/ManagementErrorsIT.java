package dev.assetpipeline.worker.operators;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.assetpipeline.common.testing.RawHttp;
import dev.assetpipeline.worker.WorkerIT;

/** The worker's management port answers every refusal as problem+json too, whichever layer refuses. */
@WorkerIT(value = "mgmt-errors", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ManagementErrorsIT {

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', value = {
            "GET  | /actuator/%00           | 400 | malformed-request",
            "GET  | /actuator/a%2Fb         | 400 | malformed-request",
            "GET  | /actuator//health       | 400 | malformed-request",
            "GET  | /actuator/metrics       | 401 | unauthorized",
            "GET  | /nope                   | 401 | unauthorized",
            "POST | /actuator/deadletters   | 401 | unauthorized",
    })
    void refusalsAreProblems(String method, String target, int status, String type) throws Exception {
        RawHttp.Reply reply = RawHttp.send(port, method + " " + target + " HTTP/1.1\r\nContent-Length: 0", new byte[0]);
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).as(reply.body()).startsWith("application/problem+json");
        assertThat(reply.body()).contains("\"type\":\"https://assetpipeline.dev/problems/" + type + "\"")
                .doesNotContain("<html").doesNotContainIgnoringCase("java").doesNotContain("Exception");
    }
}
