package dev.assetpipeline.worker.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.assetpipeline.common.asset.IngestWrites;
import dev.assetpipeline.common.asset.Recorded;

/**
 * Runs writes to the asset table in one transaction, with the NOTIFY that tells every API instance to
 * drop its cached copies; returns only after the commit.
 */
@Component
public class CommittedWrites {

    private final IngestWrites assets;
    private final TransactionTemplate transaction;
    private final JdbcClient jdbc;

    public CommittedWrites(IngestWrites assets, TransactionTemplate transaction, JdbcClient jdbc) {
        this.assets = assets;
        this.transaction = transaction;
        this.jdbc = jdbc;
    }

    /** @return the row as the write left it; the NOTIFY goes out only when the write changed it */
    public Optional<Recorded> commit(Supplier<Optional<Recorded>> write) {
        return commitAll(() -> List.of(write.get()), null).get(0);
    }

    /**
     * Several writes in one transaction and one commit, their NOTIFYs in one statement. With a lock
     * timeout, a write that would wait longer than that for another transaction's row lock fails the
     * whole transaction instead of holding the others up.
     *
     * @return the rows as the writes left them, in the writes' order
     */
    public List<Optional<Recorded>> commitAll(Supplier<List<Optional<Recorded>>> writes, Duration lockTimeout) {
        List<Optional<Recorded>> rows = transaction.execute(status -> {
            if (lockTimeout != null) {
                jdbc.sql("SELECT set_config('lock_timeout', :timeout, true)")
                        .param("timeout", lockTimeout.toMillis() + "ms").query((rs, n) -> 1).single();
            }
            List<Optional<Recorded>> written = writes.get();
            assets.notifyChanged(written.stream().flatMap(Optional::stream)
                    .flatMap(recorded -> recorded.changedId().stream()).toList());
            return written;
        });
        return rows == null ? List.of() : rows;
    }
}
