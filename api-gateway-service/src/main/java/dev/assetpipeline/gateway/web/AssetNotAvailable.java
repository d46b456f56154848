package dev.assetpipeline.gateway.web;

import java.util.UUID;

import dev.assetpipeline.common.asset.AssetStatus;

/** The asset exists but has no bytes to download (still uploading, or deleted). */
public class AssetNotAvailable extends RuntimeException {

    private final transient AssetStatus status;

    public AssetNotAvailable(UUID id, AssetStatus status) {
        super("Asset " + id + " is " + status + "; only AVAILABLE assets can be downloaded");
        this.status = status;
    }

    public AssetStatus status() {
        return status;
    }
}
