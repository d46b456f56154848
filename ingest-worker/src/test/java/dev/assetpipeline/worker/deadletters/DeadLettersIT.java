package dev.assetpipeline.worker.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.testing.AwsClients;
import dev.assetpipeline.common.testing.PipelineResources;
import dev.assetpipeline.common.testing.S3Events;
import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.worker.WorkerIT;
import dev.assetpipeline.worker.WorkerTestSupport;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What an operator does with the dead-letter queue: look at it, then send its messages back. */
@WorkerIT(value = "deadletters", maxReceives = 2, visibilityTimeoutSeconds = 2, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeadLettersIT {

    @Autowired
    PipelineResources resources;

    private static final SqsClient sqs = AwsClients.sqs(TestInfrastructure.aws());
    private static final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void close() {
        sqs.close();
    }

    @Autowired
    AssetReads assets;
    @LocalServerPort
    int port;

    @Test
    void operatorSeesADeadLetterAndRedrivesItOnceTheCauseIsFixed() throws Exception {
        // a good event that failed while, say, the database was misconfigured, and ran out of receives
        String key = "redriven/" + UUID.randomUUID() + ".txt";
        sqs.sendMessage(b -> b.queueUrl(resources.dlqUrl())
                .messageBody(S3Events.created(resources.bucket(), key, "0D00000000000001", 8)));

        JsonNode seen = JsonMapper.builder().build().readTree(send("GET").body());
        assertThat(seen.path("depth").asLong()).isEqualTo(1);
        assertThat(seen.path("messages").get(0).path("body").asString()).contains(key.replace("/", "%2F"));
        assertThat(seen.path("deadLetterQueueArn").asString()).endsWith(resources.dlqName());

        HttpResponse<String> redrive = send("POST");

        assertThat(redrive.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(assets.findByKey(resources.bucket(), key)).hasValueSatisfying(asset ->
                        assertThat(asset.status()).isEqualTo(AssetStatus.AVAILABLE)));
        assertThat(depth(resources.dlqUrl())).isZero();
    }

    @Test
    void deadLettersAreForTheOperatorOnly() throws Exception {
        URI endpoint = URI.create("http://localhost:" + port + "/actuator/deadletters");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(endpoint).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongPassword = http.send(HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("operator:guess".getBytes()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/deadletters"))
                .header("Authorization", WorkerTestSupport.OPERATOR)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int depth(String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
