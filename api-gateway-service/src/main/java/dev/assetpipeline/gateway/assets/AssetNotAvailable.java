package dev.assetpipeline.gateway.assets;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import dev.assetpipeline.common.asset.AssetStatus;
import dev.assetpipeline.gateway.web.ApiProblem;

/** The asset exists but has no bytes to download (still uploading, or deleted); assetStatus says which. */
class AssetNotAvailable extends ApiProblem {

    AssetNotAvailable(UUID id, AssetStatus status) {
        super(HttpStatus.CONFLICT, "asset-not-available", "Asset not available",
                "Asset " + id + " is " + status + "; only AVAILABLE assets can be downloaded");
        getBody().setProperty("assetStatus", status.name());
    }
}
