package dev.assetpipeline.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import tools.jackson.databind.JsonNode;

/** Uses the upload URLs an API under test issues. */
public final class GatewayTestSupport {

    private static final HttpClient http = HttpClient.newHttpClient();

    private GatewayTestSupport() {
    }

    /**
     * PUTs to an issued upload URL with every header the API said to send, except that Content-Type
     * and the body (hence Content-Length) are the caller's: how a test breaks the signature on purpose.
     */
    public static HttpResponse<String> put(JsonNode upload, String contentType, byte[] bytes) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upload.path("url").asString()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        upload.path("headers").properties().forEach(header -> {
            String name = header.getKey();
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Content-Type")) {
                request.header(name, header.getValue().asString());
            }
        });
        request.header("Content-Type", contentType);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
