package dev.assetpipeline.gateway.upload;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.gateway.auth.Caller;
import dev.assetpipeline.gateway.clients.ClientRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

/**
 * Who the caller is, what it may upload and how much of its quota it holds: what a client checks before a
 * large upload, answered from two rows however many assets the client has.
 */
@RestController
class MeController {

    private final ClientRepository clients;
    private final ClientLimits limits;
    private final UploadIntents intents;

    MeController(ClientRepository clients, ClientLimits limits, UploadIntents intents) {
        this.clients = clients;
        this.limits = limits;
        this.intents = intents;
    }

    record Me(String clientId, boolean admin, Limits limits, Usage usage) {
    }

    record Limits(long maxObjectSize, Set<String> allowedContentTypes, long quotaBytes, long quotaObjects,
            long urlsPerMinute) {
    }

    /** PENDING uploads at their declared size and AVAILABLE assets: what counts against the quota. */
    record Usage(long bytes, long objects) {
    }

    @Operation(summary = "Your client id, your limits and how much of your quota you hold")
    @GetMapping("/api/v1/me")
    Me me(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        ClientLimits.Effective effective = limits.of(clients.find(caller.clientId()).orElseThrow());
        UploadIntents.Usage usage = intents.usage(caller.clientId());
        return new Me(caller.clientId(), caller.admin(),
                new Limits(effective.maxObjectSize(), new TreeSet<>(effective.allowedContentTypes()),
                        effective.quotaBytes(), effective.quotaObjects(), effective.urlsPerMinute()),
                new Usage(usage.bytes(), usage.objects()));
    }
}
