package dev.assetpipeline.gateway.webhooks;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.assetpipeline.common.webhook.WebhookSignature;
import dev.assetpipeline.common.webhook.WebhookTargets;
import dev.assetpipeline.gateway.auth.Caller;
import dev.assetpipeline.gateway.web.InvalidRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;

/**
 * A client's webhooks: it registers where its assets' status changes are POSTed, sees how deliveries
 * went, and deletes them. The worker delivers (see the worker's webhooks package and the README).
 */
@RestController
@RequestMapping(path = "/api/v1/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
class WebhookController {

    /** The statuses an asset can change to; PENDING is where every asset starts, never a change. */
    static final List<String> STATUSES = List.of("AVAILABLE", "REJECTED", "DELETED", "EXPIRED");
    private static final int DELIVERIES_SHOWN = 100;

    private final Webhooks webhooks;
    private final WebhookTargets targets;
    private final WebhookLimits limits;

    WebhookController(Webhooks webhooks, WebhookTargets targets, WebhookLimits limits) {
        this.webhooks = webhooks;
        this.targets = targets;
        this.limits = limits;
    }

    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record WebhookRequest(
            @Schema(description = "Where to POST events: https, a public host", requiredMode = Schema.RequiredMode.REQUIRED,
                    maxLength = WebhookTargets.MAX_URL_LENGTH, example = "https://example.com/hooks/assets")
            String url,
            @ArraySchema(arraySchema = @Schema(description = "Which new statuses to be told of; AVAILABLE and REJECTED "
                    + "when left out", nullable = true), minItems = 1, maxItems = 4, uniqueItems = true,
                    schema = @Schema(allowableValues = {"AVAILABLE", "REJECTED", "DELETED", "EXPIRED"}))
            List<String> statuses) {
    }

    /** As registered: the only time the secret is shown. */
    record Registered(UUID id, String url, List<String> statuses, String secret, Instant createdAt) {
    }

    record WebhookList(List<Webhooks.Webhook> items) {
    }

    record DeliveryList(List<Webhooks.Delivery> items) {
    }

    @Operation(summary = "Register a webhook",
            description = "The answer carries the signing secret, shown this once. Each delivery is signed in the "
                    + "Webhook-Signature header: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">.")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Registered> register(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @RequestBody WebhookRequest request) {
        List<InvalidRequest.Violation> violations = new ArrayList<>();
        if (request.url() == null || request.url().isBlank()) {
            violations.add(new InvalidRequest.Violation("url", "is required"));
        } else {
            try {
                targets.check(request.url());
            } catch (WebhookTargets.Refused refused) {
                violations.add(new InvalidRequest.Violation("url", refused.getMessage()));
            }
        }
        List<String> statuses = request.statuses() == null ? List.of("AVAILABLE", "REJECTED") : request.statuses();
        Set<String> distinct = new LinkedHashSet<>(statuses);
        // List.of(...).contains(null) throws: nulls are ruled out first (the fuzz run sent [null])
        if (statuses.isEmpty() || distinct.size() != statuses.size()
                || distinct.stream().anyMatch(status -> status == null || !STATUSES.contains(status))) {
            violations.add(new InvalidRequest.Violation("statuses",
                    "must list distinct statuses among " + String.join(", ", STATUSES)));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
        UUID id = UUID.randomUUID();
        String secret = WebhookSignature.newSecret();
        if (!webhooks.register(caller.clientId(), id, request.url(), statuses, secret, limits.maxPerClient())) {
            throw new TooManyWebhooks(limits.maxPerClient());
        }
        Webhooks.Webhook created = webhooks.find(caller.clientId(), id).orElseThrow();
        return ResponseEntity.created(URI.create("/api/v1/webhooks/" + id)).body(
                new Registered(id, created.url(), created.statuses(), secret, created.createdAt()));
    }

    @Operation(summary = "Your webhooks", description = "With how many events each has still to deliver and gave up on.")
    @GetMapping
    WebhookList list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return new WebhookList(webhooks.list(caller.clientId()));
    }

    @Operation(summary = "One of your webhooks")
    @GetMapping("/{id}")
    Webhooks.Webhook get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return webhooks.find(caller.clientId(), id).orElseThrow(() -> new WebhookNotFound(id));
    }

    @Operation(summary = "Delete one of your webhooks", description = "Events not delivered yet are dropped with it.")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        if (!webhooks.delete(caller.clientId(), id)) {
            throw new WebhookNotFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "A webhook's newest deliveries (at most 100)",
            description = "Each event with its attempts, the receiver's last status code or the error, and when it "
                    + "was delivered or given up (state FAILED).")
    @GetMapping("/{id}/deliveries")
    DeliveryList deliveries(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @RequestParam Optional<Webhooks.DeliveryState> state, @Parameter(hidden = true) HttpServletRequest request) {
        // Spring reads "?state=" as no filter at all; a client that sent one meant something (found by the fuzz run)
        if ("".equals(request.getParameter("state"))) {
            throw new InvalidRequest("state", "must not be empty; leave it out instead");
        }
        Webhooks.Webhook webhook = webhooks.find(caller.clientId(), id).orElseThrow(() -> new WebhookNotFound(id));
        return new DeliveryList(webhooks.deliveries(webhook.id(), state, DELIVERIES_SHOWN));
    }
}
