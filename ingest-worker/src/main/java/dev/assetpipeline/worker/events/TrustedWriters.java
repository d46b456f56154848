package dev.assetpipeline.worker.events;

import java.util.Set;

/**
 * Which new objects need a HEAD before their row is written. An object PUT through a URL the API presigned
 * was checked by S3 itself: the URL signs its Content-Type, Content-Length and, when the client declared
 * one, its SHA-256, and S3 refuses a PUT that differs. A HEAD of such an object can only confirm its
 * declaration, so it is skipped: the row takes the declared content type. S3 names the writer in the event
 * ({@code userIdentity.principalId}: an IAM unique id, {@code AIDA…} for a user or {@code AROA…:<session>}
 * for a role's session, with or without an {@code AWS:} prefix). Only the configured ids are trusted, and
 * only for a plain PUT: any other writer, a completed multipart upload, a copy or a POST is HEADed and
 * checked as before.
 */
final class TrustedWriters {

    private static final String PRESIGNED_PUT = "ObjectCreated:Put";

    private final Set<String> uniqueIds;

    TrustedWriters(Set<String> uniqueIds) {
        this.uniqueIds = Set.copyOf(uniqueIds);
    }

    /** True when the event's object came through a presigned PUT of a trusted writer: no HEAD can change its outcome. */
    boolean wrotePresigned(S3ObjectEvent event) {
        return PRESIGNED_PUT.equals(event.eventName()) && event.writer().filter(this::trusted).isPresent();
    }

    private boolean trusted(String principalId) {
        String principal = principalId.startsWith("AWS:") ? principalId.substring("AWS:".length()) : principalId;
        int session = principal.indexOf(':');
        return uniqueIds.contains(session < 0 ? principal : principal.substring(0, session));
    }
}
