package dev.assetpipeline.common.asset;

import java.util.Optional;

/**
 * What a HEAD of the object tells beyond the S3 event: its content type and, when it was uploaded
 * with one, its SHA-256 (base64, as S3 reports it). Empty when the object is already gone again.
 */
public record ObjectFacts(Optional<String> contentType, Optional<String> sha256) {

    public static final ObjectFacts NONE = new ObjectFacts(Optional.empty(), Optional.empty());
}
