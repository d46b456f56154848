package dev.assetpipeline.gateway.web;

import java.util.UUID;

public class AssetNotFound extends RuntimeException {

    public AssetNotFound(UUID id) {
        super("No asset with id " + id);
    }
}
