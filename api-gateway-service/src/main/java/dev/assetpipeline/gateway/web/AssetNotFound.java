package dev.assetpipeline.gateway.web;

import java.util.UUID;

import org.springframework.http.HttpStatus;


/** No asset with this id that the caller may see: another client's id answers exactly like an unknown one. */
public class AssetNotFound extends ApiProblem {

    public AssetNotFound(UUID id) {
        super(HttpStatus.NOT_FOUND, "asset-not-found", "Asset not found", "No asset with id " + id);
    }
}
