package dev.assetpipeline.gateway.web;

/** The upload would take the client past its quota of bytes or objects (PENDING ones included). */
public class QuotaExceeded extends RuntimeException {

    public QuotaExceeded(String message) {
        super(message);
    }
}
