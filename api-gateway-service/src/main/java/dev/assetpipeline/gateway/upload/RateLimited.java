package dev.assetpipeline.gateway.upload;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.assetpipeline.gateway.web.ApiProblem;

/** The client asked for URLs faster than its allowance; Retry-After says when it may again. */
class RateLimited extends ApiProblem {

    RateLimited(long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                "Too many URL requests; retry in " + retryAfterSeconds + " s");
        getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
    }
}
