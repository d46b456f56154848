package dev.assetpipeline.gateway.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.assetpipeline.common.web.Problems;

/**
 * A fact a feature reports to the client, as Spring's {@link org.springframework.web.ErrorResponse}: Spring
 * MVC writes its status, headers and problem body itself, so each feature owns its errors and no handler
 * has to know them.
 */
public abstract class ApiProblem extends ErrorResponseException {

    protected ApiProblem(HttpStatus status, String type, String title, String detail) {
        super(status, Problems.of(status, type, title, detail), null);
    }
}
