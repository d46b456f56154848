package dev.assetpipeline.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The services' REST API as a client sees it, over one shared HTTP/1.1 client (a connection per thread). */
final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    int get(String url, String credentials) throws Exception {
        return http.send(request(url, credentials).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    HttpResponse<String> getResponse(String url, String credentials) throws Exception {
        return http.send(request(url, credentials).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String url, String credentials) throws Exception {
        HttpResponse<String> response = http.send(request(url, credentials).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    }

    /** An answer and the moment it had fully arrived ({@link System#nanoTime()}). */
    record Arrived(HttpResponse<String> response, long at) {
    }

    /** A GET on one of the client's threads: for a long poll ({@code ?wait=}) that is timed from outside. */
    CompletableFuture<Arrived> getAsync(String url, String credentials) {
        return http.sendAsync(request(url, credentials).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Arrived(response, System.nanoTime()));
    }

    HttpResponse<String> post(String url, String credentials, String json) throws Exception {
        return http.send(request(url, credentials).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asks for an upload URL; the status code only. */
    int requestUpload(String api, String credentials, long size) throws Exception {
        return post(api + "/api/v1/assets", credentials, uploadRequest(size)).statusCode();
    }

    static String uploadRequest(long size) {
        return "{\"filename\":\"photo.jpg\",\"contentType\":\"image/jpeg\",\"size\":" + size + "}";
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    /** Sends the bytes exactly as the upload answer says: its method, URL and every header it lists. */
    int upload(JsonNode answer, byte[] body) throws Exception {
        JsonNode upload = answer.get("upload");
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.get("url").asString()))
                .method(upload.get("method").asString(), HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, JsonNode> header : upload.get("headers").properties()) {
            if (!header.getKey().equalsIgnoreCase("Content-Length") && !header.getKey().equalsIgnoreCase("Host")) {
                put.header(header.getKey(), header.getValue().asString());
            }
        }
        return http.send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpRequest.Builder request(String url, String credentials) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
}
