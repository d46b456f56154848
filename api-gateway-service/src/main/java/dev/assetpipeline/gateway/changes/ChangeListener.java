package dev.assetpipeline.gateway.changes;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's caches fresh across processes: LISTENs on every subscriber's channel (the
 * worker and the admin command NOTIFY in their transactions) and hands each notification to its
 * subscriber. If the connection is lost, notifications may have been missed, so every subscriber
 * forgets everything before listening again.
 */
@Component
class ChangeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);
    private static final int POLL_MILLIS = 500;
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final Map<String, ChangeSubscriber> subscribers;
    private volatile boolean running;
    private Thread thread;

    ChangeListener(DataSource dataSource, List<ChangeSubscriber> subscribers) {
        this.dataSource = dataSource;
        this.subscribers = subscribers.stream().collect(Collectors.toMap(ChangeSubscriber::channel,
                Function.identity()));
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "change-listener");
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
                    log.warn("Lost the LISTEN connection ({}); dropping caches and reconnecting", e.toString());
                }
            } finally {
                subscribers.values().forEach(ChangeSubscriber::forgetAll);
            }
            sleepBeforeReconnect();
        }
    }

    private void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String channel : subscribers.keySet()) {
                statement.execute("LISTEN " + channel);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        // anything cached before LISTEN took effect may already be stale
        subscribers.values().forEach(ChangeSubscriber::forgetAll);
        while (running) {
            PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
            if (notifications == null) {
                continue;
            }
            for (PGNotification notification : notifications) {
                ChangeSubscriber subscriber = subscribers.get(notification.getName());
                if (subscriber != null) {
                    subscriber.changed(notification.getParameter());
                }
            }
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
