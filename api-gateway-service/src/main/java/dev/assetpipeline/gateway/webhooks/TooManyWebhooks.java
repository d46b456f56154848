package dev.assetpipeline.gateway.webhooks;

import org.springframework.http.HttpStatus;

import dev.assetpipeline.gateway.web.ApiProblem;

/** The client holds as many webhooks as it may; it deletes one to register another. */
class TooManyWebhooks extends ApiProblem {

    TooManyWebhooks(int max) {
        super(HttpStatus.CONFLICT, "too-many-webhooks", "Too many webhooks",
                "A client may register at most " + max + " webhooks; delete one first.");
    }
}
