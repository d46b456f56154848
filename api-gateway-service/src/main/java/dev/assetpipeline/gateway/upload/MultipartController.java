package dev.assetpipeline.gateway.upload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.common.asset.UploadIntents.MultipartIntent;
import dev.assetpipeline.gateway.auth.Caller;
import dev.assetpipeline.gateway.web.AssetNotFound;
import dev.assetpipeline.gateway.web.InvalidRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

/** The steps of an upload in parts after POST /api/v1/assets started it (see {@link MultipartUploads}). */
@RestController
@RequestMapping(path = "/api/v1/assets/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
class MultipartController {

    private final AssetReads assets;
    private final UploadIntents intents;
    private final MultipartUploads uploads;
    private final RateLimits rateLimits;

    MultipartController(AssetReads assets, UploadIntents intents, MultipartUploads uploads, RateLimits rateLimits) {
        this.assets = assets;
        this.intents = intents;
        this.uploads = uploads;
        this.rateLimits = rateLimits;
    }

    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record PartUrlsRequest(
            @Schema(description = "The parts to sign, at most 100", requiredMode = Schema.RequiredMode.REQUIRED)
            List<PartRequest> parts) {
    }

    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record PartRequest(
            @Schema(description = "1 to partCount", requiredMode = Schema.RequiredMode.REQUIRED, type = "integer",
                    format = "int64", minimum = "1", maximum = "10000")
            @JsonDeserialize(using = WholeNumber.class) Long number,
            @Schema(description = "Optional SHA-256 of the part, base64 (44 characters): S3 then refuses other bytes",
                    nullable = true, pattern = "^[A-Za-z0-9+/]{43}=$") String sha256) {
    }

    record PartUrls(List<MultipartUploads.PartUrl> parts) {
    }

    record HeldPart(int number, long size, String etag) {
    }

    record Parts(long partSize, int partCount, List<HeldPart> held) {
    }

    @Operation(summary = "Presigned URLs for parts of an upload in parts",
            description = "PUT each part's bytes to its URL with every header listed; keep each answer's ETag.")
    @PostMapping(path = "/part-urls", consumes = MediaType.APPLICATION_JSON_VALUE)
    PartUrls partUrls(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @RequestBody PartUrlsRequest request) {
        MultipartIntent intent = pending(caller, id);
        if (request.parts() == null || request.parts().isEmpty() || request.parts().size() > MultipartUploads.MAX_URLS_PER_REQUEST) {
            throw new InvalidRequest("parts", "must list 1 to " + MultipartUploads.MAX_URLS_PER_REQUEST + " parts");
        }
        Map<Integer, Optional<String>> parts = new LinkedHashMap<>();
        for (PartRequest part : request.parts()) {
            if (part == null || part.number() == null || part.number() < 1 || part.number() > intent.partCount()) {
                throw new InvalidRequest("parts", "each number must be between 1 and " + intent.partCount());
            }
            int number = part.number().intValue();
            if (part.sha256() != null && !part.sha256().matches("[A-Za-z0-9+/]{43}=")) {
                throw new InvalidRequest("parts", "sha256 must be 44 base64 characters");
            }
            if (parts.put(number, Optional.ofNullable(part.sha256())) != null) {
                throw new InvalidRequest("parts", "part " + number + " is listed twice");
            }
        }
        rateLimits.consume(caller.clientId()); // one request, however many parts: the URLs are of one upload
        return new PartUrls(uploads.sign(intent, parts));
    }

    @Operation(summary = "The parts S3 already holds of an upload in parts",
            description = "To resume after a crash: ask for URLs for the parts not listed.")
    @GetMapping("/parts")
    Parts parts(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        MultipartIntent intent = pending(caller, id);
        return new Parts(intent.partSize(), intent.partCount(), uploads.held(intent).stream()
                .map(p -> new HeldPart(p.partNumber(), p.size(), p.eTag())).toList());
    }

    @Operation(summary = "Complete an upload in parts",
            description = "The API lists the parts S3 holds and completes the upload only if they make exactly the "
                    + "declared size (409 parts-incomplete otherwise, nothing changed). The asset turns AVAILABLE when "
                    + "S3's event is ingested, as for a single PUT.")
    @PostMapping("/complete")
    ResponseEntity<Void> complete(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id) {
        uploads.complete(pending(caller, id));
        return ResponseEntity.accepted().build();
    }

    /** Another client's id answers 404 exactly as an unknown one does; one's own single upload, 409. */
    private MultipartIntent pending(Caller caller, UUID id) {
        Asset asset = assets.findById(id).filter(row -> caller.admin() || caller.clientId().equals(row.clientId()))
                .orElseThrow(() -> new AssetNotFound(id));
        MultipartIntent intent = intents.multipart(id)
                .orElseThrow(() -> new MultipartUploads.NotAMultipartUpload(id, asset.status()));
        if (intent.status() != AssetStatus.PENDING) {
            throw new MultipartUploads.NotAMultipartUpload(id, intent.status());
        }
        return intent;
    }
}
