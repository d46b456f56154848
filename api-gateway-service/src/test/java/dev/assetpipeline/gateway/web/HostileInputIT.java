package dev.assetpipeline.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.assetpipeline.common.testing.RawHttp;
import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.gateway.GatewayIT;
import dev.assetpipeline.gateway.TestClients;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests an attacker or a careless client sends, byte for byte, whichever layer refuses them (Tomcat,
 * the servlet filters, Spring MVC, the features): every answer is problem+json with a documented type,
 * a message for people with nothing of Java in it, and nothing is written.
 */
@GatewayIT("hostile")
class HostileInputIT {

    /** The README's list. */
    private static final Set<String> DOCUMENTED_TYPES = Set.of("invalid-request", "asset-not-found",
            "asset-not-available", "malformed-body", "malformed-request", "unauthorized", "forbidden",
            "quota-exceeded", "rate-limited", "internal-error", "not-found", "method-not-allowed",
            "unsupported-media-type", "not-acceptable", "body-too-large", "not-a-multipart-upload", "parts-incomplete");
    private static final String VALID = "{\"filename\":\"a.txt\",\"contentType\":\"text/plain\",\"size\":1}";

    private static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    TestPipeline pipeline;

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    private TestClients.Key key;

    @BeforeEach
    void client() {
        key = TestClients.create(pipeline.databaseUrl(), "hostile-" + System.nanoTime() % 1_000_000, false);
    }

    @ParameterizedTest(name = "GET {0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            // refused by Tomcat before any servlet runs
            "/api/v1/assets/%00                                  | 400 | malformed-request",
            "/api/v1/assets/a%2Fb                                | 400 | malformed-request",
            "/api/v1/assets/a%5Cb                                | 400 | malformed-request",
            "/api/v1/assets/%zz                                  | 400 | malformed-request",
            "/api/v1/assets/%C0%AE%C0%AE                         | 400 | malformed-request",
            // refused by Spring Security's firewall
            "/api/v1/assets;x=1                                  | 400 | malformed-request",
            "/api//v1/assets                                     | 400 | malformed-request",
            "/api/v1/../v1/assets                                | 400 | malformed-request",
            // refused by Spring MVC
            "/api/v1/nope                                        | 404 | not-found",
            "/api/v1/assets/1-2-3-4-5                            | 400 | invalid-request",
            "/api/v1/assets/0192f5b2-7c1e-7cc0-8a5e-3f1c2b4d5e6  | 400 | invalid-request",
            "/api/v1/assets/0192f5b27c1e7cc08a5e3f1c2b4d5e6f     | 400 | invalid-request",
            "/api/v1/assets?status=LOST                          | 400 | invalid-request",
            "/api/v1/assets?limit=1&limit=2                      | 400 | invalid-request",
            "/api/v1/assets?cursor=abc                           | 400 | invalid-request",
            "/api/v1/assets?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | 400 | invalid-request",
    })
    void malformedRequestsAreDocumentedProblems(String target, int status, String type) throws Exception {
        assertProblem(RawHttp.get(port, target, "Authorization: Bearer " + key.secret()), status, type);
    }

    @Test
    void oversizedHeadersAndQueriesAreProblemsToo() throws Exception {
        String big = "a".repeat(20_000);
        assertProblem(RawHttp.get(port, "/api/v1/assets", "Authorization: Bearer " + key.secret(), "X-Big: " + big),
                400, "malformed-request");
        assertProblem(RawHttp.get(port, "/api/v1/assets?x=" + big, "Authorization: Bearer " + key.secret()),
                400, "malformed-request");
    }

    @Test
    void otherMethodsAndMediaTypesAreDocumentedProblems() throws Exception {
        String auth = "\r\nAuthorization: Bearer " + key.secret();
        assertProblem(RawHttp.send(port, "DELETE /api/v1/me HTTP/1.1" + auth, new byte[0]), 405, "method-not-allowed");
        assertProblem(RawHttp.send(port, "TRACE /api/v1/assets HTTP/1.1" + auth, new byte[0]), 405,
                "method-not-allowed");
        assertProblem(post("text/plain", VALID.getBytes(StandardCharsets.UTF_8)), 415, "unsupported-media-type");
        assertProblem(RawHttp.get(port, "/api/v1/me", auth.trim(), "Accept: text/html"), 406, "not-acceptable");
        assertThat(rows()).isZero();
    }

    @Test
    void unknownFieldsAreRefusedByName() throws Exception {
        RawHttp.Reply reply = post("application/json",
                "{\"filename\":\"a.txt\",\"contentType\":\"text/plain\",\"size\":1,\"sha265\":\"x\"}"
                        .getBytes(StandardCharsets.UTF_8));
        JsonNode problem = assertProblem(reply, 400, "invalid-request");
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("sha265");
        assertThat(rows()).isZero();
    }

    @Test
    void bodiesOverTheLimitAre413WhetherTheirLengthIsDeclaredOrNot() throws Exception {
        byte[] large = (" ".repeat(RequestLimits.MAX_BODY_BYTES) + VALID).getBytes(StandardCharsets.UTF_8);
        assertProblem(post("application/json", large), 413, "body-too-large");

        String chunk = Integer.toHexString(large.length) + "\r\n" + new String(large, StandardCharsets.UTF_8)
                + "\r\n0\r\n\r\n";
        assertProblem(RawHttp.send(port, "POST /api/v1/assets HTTP/1.1\r\nAuthorization: Bearer " + key.secret()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
                chunk.getBytes(StandardCharsets.UTF_8)), 413, "body-too-large");
        assertThat(rows()).isZero();

        byte[] justUnder = (" ".repeat(RequestLimits.MAX_BODY_BYTES - VALID.length()) + VALID)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(post("application/json", justUnder).status()).as("at the limit").isEqualTo(201);
    }

    @Test
    void bodiesThatAreNotTheObjectAreMalformed() throws Exception {
        for (String body : new String[] {"[]", "{\"filename\":", "null", "\"a.txt\"", "{\"size\":1e400}"}) {
            assertProblem(post("application/json", body.getBytes(StandardCharsets.UTF_8)), 400, null);
        }
        assertThat(rows()).isZero();
    }

    @Test
    void cursorsAreBoundToTheirListAndCaller() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(post("application/json", VALID.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
        }
        String auth = "Authorization: Bearer " + key.secret();
        String cursor = json.readTree(RawHttp.get(port, "/api/v1/assets?limit=1", auth).body())
                .path("nextCursor").asString();
        assertThat(RawHttp.get(port, "/api/v1/assets?limit=1&cursor=" + cursor, auth).status()).isEqualTo(200);

        assertProblem(RawHttp.get(port, "/api/v1/assets?limit=1&cursor=" + cursor.substring(0, 42), auth),
                400, "invalid-request");
        // a character in the middle: every one of its bits is data (the last character of 43 carries two
        // padding bits, and changing only those leaves the same bytes: that flake failed CI once)
        char middle = cursor.charAt(20);
        String flipped = cursor.substring(0, 20) + (middle == 'A' ? 'g' : 'A') + cursor.substring(21);
        assertProblem(RawHttp.get(port, "/api/v1/assets?limit=1&cursor=" + flipped, auth), 400, "invalid-request");
        assertProblem(RawHttp.get(port, "/api/v1/assets?limit=1&status=PENDING&cursor=" + cursor, auth),
                400, "invalid-request");
        TestClients.Key other = TestClients.create(pipeline.databaseUrl(), "hostile-other-" + System.nanoTime() % 1_000_000,
                false);
        assertProblem(RawHttp.get(port, "/api/v1/assets?limit=1&cursor=" + cursor, "Authorization: Bearer "
                + other.secret()), 400, "invalid-request");
    }

    private RawHttp.Reply post(String contentType, byte[] body) throws Exception {
        return RawHttp.send(port, "POST /api/v1/assets HTTP/1.1\r\nAuthorization: Bearer " + key.secret()
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length, body);
    }

    private long rows() {
        return jdbc.sql("SELECT count(*) FROM asset WHERE client_id = :client").param("client", key.clientId())
                .query(Long.class).single();
    }

    private static JsonNode assertProblem(RawHttp.Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).as(reply.body()).startsWith("application/problem+json");
        JsonNode problem = json.readTree(reply.body());
        String typeUri = problem.path("type").asString();
        assertThat(typeUri).startsWith("https://assetpipeline.dev/problems/");
        String name = typeUri.substring("https://assetpipeline.dev/problems/".length());
        assertThat(DOCUMENTED_TYPES).as("type %s is documented", name).contains(name);
        if (type != null) {
            assertThat(name).isEqualTo(type);
        }
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asString()).isNotBlank();
        assertThat(reply.body()).doesNotContainIgnoringCase("java").doesNotContain("Exception")
                .doesNotContain("Optional").doesNotContain("org.").doesNotContain("<html");
        return problem;
    }
}
