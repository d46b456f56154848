package dev.assetpipeline.gateway.assets;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.assetpipeline.common.asset.Asset;
import dev.assetpipeline.common.asset.AssetReads;
import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.gateway.auth.Caller;
import dev.assetpipeline.gateway.upload.RateLimits;
import dev.assetpipeline.gateway.web.AssetNotFound;
import dev.assetpipeline.gateway.web.InvalidRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;

@RestController
@RequestMapping(path = "/api/v1/assets", produces = MediaType.APPLICATION_JSON_VALUE)
class AssetController {

    private final AssetCache cache;
    private final AssetReads assets;
    private final DownloadUrls downloads;
    private final ReadProperties properties;
    private final RateLimits rateLimits;
    private final Cursors cursors;
    private final AssetDeletions deletions;
    private final AssetWaits waits;
    private final WaitProperties waitProperties;

    AssetController(AssetCache cache, AssetReads assets, DownloadUrls downloads, ReadProperties properties,
            RateLimits rateLimits, Cursors cursors, AssetDeletions deletions, AssetWaits waits,
            WaitProperties waitProperties) {
        this.waits = waits;
        this.waitProperties = waitProperties;
        this.cursors = cursors;
        this.deletions = deletions;
        this.cache = cache;
        this.assets = assets;
        this.downloads = downloads;
        this.properties = properties;
        this.rateLimits = rateLimits;
    }

    @Operation(summary = "One of your assets' metadata; with wait, as soon as it leaves PENDING",
            description = "wait (for example 20s, 500ms or PT20S, at most the configured maximum, 30s by default): "
                    + "if the asset is PENDING, the answer comes as soon as it turns AVAILABLE, REJECTED or any "
                    + "other status, or with its current state when the wait ends. Without wait, at once.")
    @ApiResponse(responseCode = "200", description = "The asset",
            content = @Content(schema = @Schema(implementation = AssetView.class)))
    @GetMapping("/{id}")
    Object get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Parameter(description = "How long to wait for the asset to leave PENDING",
                    schema = @Schema(type = "string", pattern = WAIT_PATTERN, example = "20s"))
            @RequestParam Optional<String> wait) {
        Asset asset = find(caller, id);
        Optional<Duration> waitFor = wait.map(AssetController::waitDuration);
        if (waitFor.isEmpty() || asset.status() != AssetStatus.PENDING || waitFor.get().isZero()) {
            return AssetView.of(asset);
        }
        Duration capped = waitFor.get().compareTo(waitProperties.max()) > 0 ? waitProperties.max() : waitFor.get();
        return waits.await(id, capped);
    }

    static final String WAIT_PATTERN = "^([0-9]{1,6}(ms|s)?|PT[0-9]{1,6}(\\.[0-9]{1,3})?S)$";

    private static Duration waitDuration(String value) {
        if (!value.matches(WAIT_PATTERN)) {
            throw new InvalidRequest("wait", "must be a duration such as 20s, 500ms or PT20S");
        }
        if (value.startsWith("PT")) {
            return Duration.parse(value);
        }
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        return Duration.ofSeconds(Long.parseLong(value.endsWith("s") ? value.substring(0, value.length() - 1) : value));
    }

    @Operation(summary = "Your assets, newest first, a page at a time",
            description = "Pass the previous page's nextCursor as cursor to get the next page.")
    @GetMapping
    AssetPage list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @RequestParam Optional<AssetStatus> status,
            @Parameter(description = "nextCursor of the previous page, exactly as given",
                    schema = @Schema(type = "string", pattern = Cursors.PATTERN)) @RequestParam Optional<String> cursor,
            @RequestParam(defaultValue = "20") int limit, @Parameter(hidden = true) HttpServletRequest request) {
        // Spring reads "?cursor=" as no cursor at all; a client that sent one meant something
        for (String name : List.of("status", "cursor", "limit")) {
            if ("".equals(request.getParameter(name))) {
                throw new InvalidRequest(name, "must not be empty; leave it out instead");
            }
        }
        if (limit < 1 || limit > properties.maxPageSize()) {
            throw new InvalidRequest("limit", "must be between 1 and " + properties.maxPageSize());
        }
        // one row more than asked tells whether another page exists
        Optional<String> owner = caller.admin() ? Optional.empty() : Optional.of(caller.clientId());
        Optional<UUID> after = cursor.map(value -> cursors.read(caller.clientId(), status, value));
        List<Asset> rows = assets.list(owner, status, after, limit + 1);
        List<AssetView> page = rows.stream().limit(limit).map(AssetView::of).toList();
        String next = rows.size() > limit
                ? cursors.issue(caller.clientId(), status, page.get(page.size() - 1).id()) : null;
        return new AssetPage(page, next);
    }

    @Operation(summary = "A presigned GET URL for an AVAILABLE asset (409 otherwise)")
    @GetMapping("/{id}/download-url")
    DownloadUrl downloadUrl(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id) {
        return downloads.sign(available(caller, id));
    }

    @Operation(summary = "Redirects to the asset's bytes, so `curl -L` downloads it")
    @GetMapping("/{id}/content")
    ResponseEntity<Void> content(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id) {
        DownloadUrl url = downloads.sign(available(caller, id));
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(url.url())).build();
    }

    private Asset available(Caller caller, UUID id) {
        Asset asset = find(caller, id);
        if (asset.status() != AssetStatus.AVAILABLE) {
            throw new AssetNotAvailable(id, asset.status());
        }
        rateLimits.consume(caller.clientId());
        return asset;
    }

    @Operation(summary = "Delete one of your assets",
            description = "AVAILABLE: the object is removed from S3 (202); the asset turns DELETED, and the quota "
                    + "is freed, once S3's removal event is ingested. PENDING: the upload is cancelled (204): the "
                    + "asset is DELETED at once and whatever its URL still delivers is removed. DELETED, EXPIRED, "
                    + "REJECTED: nothing to do (204). Safe to repeat.")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id) {
        // the table, not the cache: the decision depends on the status as it is now
        Asset asset = assets.findById(id).filter(row -> caller.admin() || caller.clientId().equals(row.clientId()))
                .orElseThrow(() -> new AssetNotFound(id));
        return switch (deletions.delete(asset)) {
            case REMOVING -> ResponseEntity.accepted().build();
            case CANCELLED, GONE -> ResponseEntity.noContent().build();
        };
    }

    /** Another client's asset answers exactly as an unknown id does: its existence is not revealed. */
    private Asset find(Caller caller, UUID id) {
        return cache.find(id)
                .filter(asset -> caller.admin() || caller.clientId().equals(asset.clientId()))
                .orElseThrow(() -> new AssetNotFound(id));
    }
}
