package dev.assetpipeline.worker.reconcile;

import java.time.Duration;

/**
 * What one reconciliation changed.
 *
 * @param pendingCompleted    expired PENDING rows whose object was there after all
 * @param pendingExpired      expired PENDING rows with no object: now EXPIRED
 * @param rowsRepaired        objects in the bucket the table did not know (or knew as gone): recorded
 * @param rowsMarkedDeleted   AVAILABLE rows whose object is not in the bucket: now DELETED
 * @param objectsListed       objects compared
 * @param multipartAborted    incomplete multipart uploads aborted
 */
record ReconcileReport(int pendingCompleted, int pendingExpired, int rowsRepaired, int rowsMarkedDeleted,
        long objectsListed, int multipartAborted, Duration took, boolean skipped) {

    static ReconcileReport skippedBecauseAnotherRunHoldsTheLock() {
        return new ReconcileReport(0, 0, 0, 0, 0, 0, Duration.ZERO, true);
    }
}
