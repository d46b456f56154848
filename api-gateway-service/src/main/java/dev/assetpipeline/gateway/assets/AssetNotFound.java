package dev.assetpipeline.gateway.assets;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import dev.assetpipeline.gateway.web.ApiProblem;

/** No asset with this id that the caller may see: another client's id answers exactly like an unknown one. */
class AssetNotFound extends ApiProblem {

    AssetNotFound(UUID id) {
        super(HttpStatus.NOT_FOUND, "asset-not-found", "Asset not found", "No asset with id " + id);
    }
}
