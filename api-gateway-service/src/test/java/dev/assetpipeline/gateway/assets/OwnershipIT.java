package dev.assetpipeline.gateway.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.assetpipeline.common.asset.AssetIds;
import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.IngestWrites;
import dev.assetpipeline.common.asset.ObjectFacts;
import dev.assetpipeline.common.asset.ObjectObservation;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.TestPipeline;
import dev.assetpipeline.gateway.ApiCalls;
import dev.assetpipeline.gateway.GatewayIT;
import dev.assetpipeline.gateway.TestClients;
import tools.jackson.databind.JsonNode;

/** G6: a client sees, lists and gets URLs for its own assets only; another's id answers as an unknown one. */
@GatewayIT("ownership")
class OwnershipIT {

    @Autowired
    TestPipeline pipeline;
    @Autowired
    PipelineResources resources;

    @LocalServerPort
    int port;
    @Autowired
    AssetReads assets;
    @Autowired
    JdbcClient jdbc;

    private TestClients.Key alice;
    private TestClients.Key bob;
    private TestClients.Key operator;

    @BeforeEach
    void clients() {
        alice = TestClients.create(pipeline.databaseUrl(), "alice", false);
        bob = TestClients.create(pipeline.databaseUrl(), "bob", false);
        operator = TestClients.create(pipeline.databaseUrl(), "operator", true);
    }

    @Test
    void uploadsLiveUnderTheirClientsPrefix() throws Exception {
        JsonNode created = ApiCalls.body(api().createAsset(alice.bearer(), "mine.txt", "text/plain", 4));

        assertThat(created.path("objectKey").asString())
                .isEqualTo("clients/alice/" + created.path("id").asString() + "/mine.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/download-url", "/content"})
    void anotherClientsAssetAnswersExactlyLikeAnUnknownId(String suffix) throws Exception {
        String id = ApiCalls.body(api().createAsset(alice.bearer(), "private.txt", "text/plain", 4))
                .path("id").asString();
        String unknown = AssetIds.next().toString();

        HttpResponse<String> probing = api().get("/api/v1/assets/" + id + suffix, bob.bearer());
        HttpResponse<String> missing = api().get("/api/v1/assets/" + unknown + suffix, bob.bearer());

        assertThat(probing.statusCode()).isEqualTo(404);
        assertThat(ApiCalls.body(probing).path("type")).isEqualTo(ApiCalls.body(missing).path("type"));
        assertThat(ApiCalls.body(probing).path("title")).isEqualTo(ApiCalls.body(missing).path("title"));
        assertThat(ApiCalls.body(probing).path("detail").asString())
                .isEqualTo(ApiCalls.body(missing).path("detail").asString().replace(unknown, id));
        assertThat(api().get("/api/v1/assets/" + id, alice.bearer()).statusCode()).isEqualTo(200);
    }

    @Test
    void listingShowsOnlyTheCallersAssets() throws Exception {
        String alices = ApiCalls.body(api().createAsset(alice.bearer(), "a.txt", "text/plain", 1)).path("id").asString();
        String bobs = ApiCalls.body(api().createAsset(bob.bearer(), "b.txt", "text/plain", 1)).path("id").asString();

        JsonNode seenByBob = ApiCalls.body(api().get("/api/v1/assets?limit=100", bob.bearer()));

        assertThat(seenByBob.path("items").valueStream().map(item -> item.path("id").asString()))
                .contains(bobs).doesNotContain(alices);
    }

    @Test
    void objectsWithoutAnOwnerAreVisibleToAdminsOnly() throws Exception {
        String key = "elsewhere/" + UUID.randomUUID();
        UUID id = new IngestWrites(jdbc).recordCreated(new ObjectObservation(resources.bucket(),
                key, Optional.of(3L), Optional.of("e"), Optional.empty(), Optional.empty(), Instant.now()),
                AssetIds.next(), ObjectFacts.NONE).orElseThrow().id();

        assertThat(api().get("/api/v1/assets/" + id, alice.bearer()).statusCode()).isEqualTo(404);
        assertThat(api().get("/api/v1/assets/" + id, operator.bearer()).statusCode()).isEqualTo(200);
        JsonNode seenByAdmin = ApiCalls.body(api().get("/api/v1/assets?limit=100", operator.bearer()));
        assertThat(seenByAdmin.path("items").valueStream().map(item -> item.path("id").asString()))
                .contains(id.toString());
        JsonNode seenByAlice = ApiCalls.body(api().get("/api/v1/assets?limit=100", alice.bearer()));
        assertThat(seenByAlice.path("items").valueStream().map(item -> item.path("id").asString()))
                .doesNotContain(id.toString());
    }

    private ApiCalls api() {
        return new ApiCalls(port);
    }
}
