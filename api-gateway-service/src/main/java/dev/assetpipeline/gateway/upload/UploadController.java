package dev.assetpipeline.gateway.upload;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.assetpipeline.common.asset.AssetIds;
import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.asset.NewUpload;
import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.gateway.auth.Caller;
import dev.assetpipeline.gateway.clients.Client;
import dev.assetpipeline.gateway.clients.KnownClients;
import dev.assetpipeline.gateway.web.InvalidRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

@RestController
@RequestMapping(path = "/api/v1/assets", produces = MediaType.APPLICATION_JSON_VALUE)
class UploadController {

    private final UploadReservations reservations;
    private final KnownClients clients;
    private final RateLimits rateLimits;
    private final PutUrls putUrls;
    private final UploadProperties properties;
    private final MeterRegistry meters;
    private final ClientLimits limits;
    private final MultipartProperties multipart;
    private final MultipartUploads multipartUploads;
    private final UploadIntents intents;

    UploadController(UploadReservations reservations, KnownClients clients, RateLimits rateLimits,
            PutUrls putUrls, UploadProperties properties, MeterRegistry meters, ClientLimits limits,
            MultipartProperties multipart, MultipartUploads multipartUploads, UploadIntents intents) {
        this.multipart = multipart;
        this.multipartUploads = multipartUploads;
        this.intents = intents;
        this.reservations = reservations;
        this.clients = clients;
        this.rateLimits = rateLimits;
        this.putUrls = putUrls;
        this.properties = properties;
        this.meters = meters;
        this.limits = limits;
    }

    @Operation(summary = "Record an upload and get a presigned PUT URL for it, or start an upload in parts",
            description = "The URL is signed for exactly the declared Content-Type, Content-Length and, when "
                    + "given, SHA-256: S3 refuses any other. Send every header in upload.headers. Above the "
                    + "multipart threshold, or with multipart: true, the answer has multipart (part size and "
                    + "count) instead of upload: then ask for part URLs, PUT the parts, and complete.")
    @PostMapping
    ResponseEntity<UploadResponse> create(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @RequestBody UploadRequest request) {
        // the size and type limits from this instance's copy; the quotas and rate from the row (UploadReservations)
        Client client = clients.find(caller.clientId()).orElseThrow();
        Optional<String> checksum = UploadRequestValidator.validate(request, limits.forValidation(client));
        UUID id = AssetIds.next();
        // every client's objects live under its own prefix
        String key = properties.keyPrefix() + client.id() + "/" + id + "/" + request.filename();
        if (Boolean.TRUE.equals(request.multipart()) || request.size() > multipart.threshold().toBytes()) {
            if (request.size() > MultipartProperties.MAX_OBJECT) {
                throw new InvalidRequest("size", "must be at most 5 TiB, S3's largest object");
            }
            if (checksum.isPresent()) {
                throw new InvalidRequest("sha256", "is for single uploads: give each part's SHA-256 when asking "
                        + "for part URLs instead");
            }
            return inParts(client, id, key, request);
        }

        // reserved (and its rate-limit token taken) before signing: a refused request costs no signature.
        // The row expires at most a few milliseconds before the URL does, which the reconciler's grace covers.
        reservations.reserve(new NewUpload(id, client.id(), properties.bucket(), key, request.filename(),
                request.contentType(), request.size(), checksum, Instant.now().plus(properties.urlTtl())), true);
        PutUrls.Signed signed = putUrls.sign(key, request.contentType(), request.size(), checksum,
                properties.urlTtl());
        meters.counter("assets.urls.issued", "kind", "upload").increment();

        UploadResponse body = new UploadResponse(id, AssetStatus.PENDING, key, new UploadResponse.Upload(
                "PUT", signed.url(), signed.headers(), signed.expiresAt()));
        return ResponseEntity.created(URI.create("/api/v1/assets/" + id)).body(body);
    }

    /**
     * Starts an upload in parts: the rate-limit token first (a rate-limited client starts nothing in S3),
     * then S3's multipart upload, then the reservation; aborted and the token given back if it is refused.
     */
    private ResponseEntity<UploadResponse> inParts(Client client, UUID id, String key, UploadRequest request) {
        rateLimits.consume(client.id());
        long partSize = multipart.partSizeFor(request.size());
        Instant expires = Instant.now().plus(multipart.ttl());
        String uploadId = multipartUploads.start(properties.bucket(), key, request.contentType());
        try {
            reservations.reserve(new NewUpload(id, client.id(), properties.bucket(), key, request.filename(),
                    request.contentType(), request.size(), Optional.empty(), expires), false);
        } catch (QuotaExceeded e) {
            multipartUploads.abort(properties.bucket(), key, uploadId);
            rateLimits.refund(client.id());
            throw e;
        }
        intents.attachMultipart(id, uploadId, partSize);
        meters.counter("assets.urls.issued", "kind", "multipart").increment();
        UploadResponse body = new UploadResponse(id, AssetStatus.PENDING, key, null, new UploadResponse.Multipart(
                partSize, MultipartProperties.partCount(request.size(), partSize), expires));
        return ResponseEntity.created(URI.create("/api/v1/assets/" + id)).body(body);
    }
}
