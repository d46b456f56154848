package dev.assetpipeline.gateway.assets;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.AssetChanges;

/**
 * Keeps this instance's cache fresh across processes: LISTENs on the channel the worker NOTIFYs in
 * its transactions and drops the changed entry. If the connection is lost, notifications may have
 * been missed, so the whole cache is dropped before listening again.
 */
@Component
class AssetChangeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AssetChangeListener.class);
    private static final int POLL_MILLIS = 500;
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final AssetCache cache;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    AssetChangeListener(DataSource dataSource, AssetCache cache) {
        this.dataSource = dataSource;
        this.cache = cache;
    }

    /** True while a LISTEN connection is open; readiness could use it, tests do. */
    boolean isListening() {
        return listening;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "asset-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Lost the LISTEN connection ({}); dropping the cache and reconnecting", e.toString());
                }
            } finally {
                listening = false;
                cache.invalidateAll();
            }
            sleepBeforeReconnect();
        }
    }

    private void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + AssetChanges.CHANNEL);
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        // anything cached before LISTEN took effect may already be stale
        cache.invalidateAll();
        listening = true;
        while (running) {
            PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
            if (notifications == null) {
                continue;
            }
            for (PGNotification notification : notifications) {
                invalidate(notification.getParameter());
            }
        }
    }

    private void invalidate(String payload) {
        try {
            cache.invalidate(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            cache.invalidateAll();
        }
    }

    private void sleepBeforeReconnect() {
        if (!running) {
            return;
        }
        try {
            Thread.sleep(RECONNECT_DELAY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
