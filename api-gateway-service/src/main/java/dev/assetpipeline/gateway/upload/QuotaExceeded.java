package dev.assetpipeline.gateway.upload;

import org.springframework.http.HttpStatus;

import dev.assetpipeline.gateway.web.ApiProblem;

/** The upload would take the client past its quota of bytes or objects (PENDING ones included). */
class QuotaExceeded extends ApiProblem {

    QuotaExceeded(String detail) {
        super(HttpStatus.CONFLICT, "quota-exceeded", "Quota exceeded", detail);
    }
}
