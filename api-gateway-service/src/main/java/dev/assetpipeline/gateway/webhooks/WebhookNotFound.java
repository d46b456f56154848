package dev.assetpipeline.gateway.webhooks;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import dev.assetpipeline.gateway.web.ApiProblem;

/** No webhook with this id that the caller owns: another client's id answers exactly like an unknown one. */
class WebhookNotFound extends ApiProblem {

    WebhookNotFound(UUID id) {
        super(HttpStatus.NOT_FOUND, "webhook-not-found", "Webhook not found", "No webhook with id " + id);
    }
}
