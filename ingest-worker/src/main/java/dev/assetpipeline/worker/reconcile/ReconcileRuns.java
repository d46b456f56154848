package dev.assetpipeline.worker.reconcile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Runs the reconciler on a schedule and on demand ({@code POST /actuator/reconcile} on the worker's
 * management port). A PostgreSQL advisory lock lets one run at a time across all workers; a run that
 * finds the lock taken reports itself skipped.
 */
@Component
@Endpoint(id = "reconcile")
class ReconcileRuns implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ReconcileRuns.class);
    /** Any constant unique to this application; "assetrec" in ASCII. */
    private static final long ADVISORY_LOCK = 0x6173736574726563L;

    private final Reconciler reconciler;
    private final DataSource dataSource;
    private final ReconcileProperties properties;

    ReconcileRuns(Reconciler reconciler, DataSource dataSource, ReconcileProperties properties) {
        this.reconciler = reconciler;
        this.dataSource = dataSource;
        this.properties = properties;
    }

    /** Every {@code interval} after the previous run ended, the first one {@code interval} after start-up. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(this::scheduled, properties.interval(), properties.interval()));
    }

    void scheduled() {
        if (!properties.enabled()) {
            return;
        }
        try {
            runExclusively();
        } catch (RuntimeException | SQLException e) {
            log.warn("Scheduled reconciliation failed; the next run will try again: {}", e.toString());
        }
    }

    @WriteOperation
    ReconcileReport runNow() throws SQLException {
        return runExclusively();
    }

    ReconcileReport runExclusively() throws SQLException {
        try (Connection lockHolder = dataSource.getConnection()) {
            if (!advisory(lockHolder, "SELECT pg_try_advisory_lock(?)")) {
                return ReconcileReport.skippedBecauseAnotherRunHoldsTheLock();
            }
            try {
                return reconciler.run();
            } finally {
                advisory(lockHolder, "SELECT pg_advisory_unlock(?)");
            }
        }
    }

    private static boolean advisory(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, ADVISORY_LOCK);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
