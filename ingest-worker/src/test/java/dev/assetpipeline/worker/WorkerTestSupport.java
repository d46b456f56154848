package dev.assetpipeline.worker;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** What tests of a worker need besides its pipeline (WorkerIT): the operator's credentials. */
public final class WorkerTestSupport {

    /** HTTP Basic for the operator endpoints of a worker under test (IsolatedPipeline sets the password). */
    public static final String OPERATOR = "Basic " + Base64.getEncoder()
            .encodeToString("operator:test-operator".getBytes(StandardCharsets.UTF_8));

    private WorkerTestSupport() {
    }
}
