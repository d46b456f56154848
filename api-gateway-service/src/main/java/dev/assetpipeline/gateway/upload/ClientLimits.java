package dev.assetpipeline.gateway.upload;

import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import dev.assetpipeline.common.asset.UploadIntents;
import dev.assetpipeline.gateway.clients.Client;

/** A client's limits as they apply: its own where its row sets them, the configured defaults otherwise. */
@Component
class ClientLimits {

    private final UploadProperties upload;
    private final LimitsProperties limits;

    ClientLimits(UploadProperties upload, LimitsProperties limits) {
        this.upload = upload;
        this.limits = limits;
    }

    record Effective(long maxObjectSize, Set<String> allowedContentTypes, long quotaBytes, long quotaObjects,
            long urlsPerMinute) {
    }

    Effective of(Client client) {
        return new Effective(
                client.maxObjectSize().orElse(upload.maxSize().toBytes()),
                client.allowedContentTypes().orElse(upload.allowedContentTypes()),
                client.quotaBytes().orElse(limits.quotaBytes().toBytes()),
                client.quotaObjects().orElse(limits.quotaObjects()),
                client.urlsPerMinute().orElse(limits.urlsPerMinute()));
    }

    /** The configured limits, which apply where a client's row sets none. */
    UploadIntents.Defaults defaults() {
        return new UploadIntents.Defaults(limits.quotaBytes().toBytes(), limits.quotaObjects(), limits.urlsPerMinute());
    }

    UploadRequestValidator.Limits forValidation(Client client) {
        Effective effective = of(client);
        return new UploadRequestValidator.Limits(DataSize.ofBytes(effective.maxObjectSize()),
                effective.allowedContentTypes());
    }
}
