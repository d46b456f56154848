package dev.assetpipeline.common.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;

import liquibase.integration.spring.SpringLiquibase;

/**
 * Serialises Liquibase across every process that starts on the same database. Liquibase 4.33 creates
 * its tracking table before it takes its own lock (liquibase/liquibase#5254), so two services starting
 * at once on an empty database can both try to create it and one exits. A session-level PostgreSQL
 * advisory lock, held on a connection of its own from just before Liquibase runs until just after, makes
 * the others wait; they then find the schema applied and change nothing. PostgreSQL drops the lock with
 * the session, so a process killed mid-migration never leaves it behind.
 */
class SchemaMigrationLock implements BeanPostProcessor, DisposableBean {

    /** Any fixed 64-bit key; all services of one database must agree on it. */
    static final long KEY = 0x61737365747300L; // "assets\0"

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrationLock.class);

    private Connection held;

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof SpringLiquibase liquibase && held == null) {
            held = connection(liquibase.getDataSource());
            long started = System.nanoTime();
            execute("SELECT pg_advisory_lock(" + KEY + ")");
            log.info("Holding the schema migration lock (waited {} ms)", (System.nanoTime() - started) / 1_000_000);
        }
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof SpringLiquibase) {
            release();
        }
        return bean;
    }

    /** A failed migration never reaches postProcessAfterInitialization; the context's close does. */
    @Override
    public void destroy() {
        release();
    }

    private void release() {
        if (held == null) {
            return;
        }
        try (Connection connection = held) {
            execute("SELECT pg_advisory_unlock(" + KEY + ")");
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not release the schema migration lock cleanly; closing its connection drops it: {}",
                    e.toString());
        } finally {
            held = null;
        }
    }

    private void execute(String sql) {
        try (Statement statement = held.createStatement()) {
            statement.execute(sql);
            if (!held.getAutoCommit()) {
                held.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Schema migration lock: " + e.getMessage(), e);
        }
    }

    private static Connection connection(DataSource dataSource) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("Schema migration lock: no connection: " + e.getMessage(), e);
        }
    }
}
