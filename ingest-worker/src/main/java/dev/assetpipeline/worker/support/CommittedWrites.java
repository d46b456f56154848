package dev.assetpipeline.worker.support;

import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.assetpipeline.common.asset.IngestWrites;
import dev.assetpipeline.common.asset.Recorded;

/**
 * Runs one write to the asset table in its own transaction, with the NOTIFY that tells every API
 * instance to drop its cached copy; returns only after the commit.
 */
@Component
public class CommittedWrites {

    private final IngestWrites assets;
    private final TransactionTemplate transaction;

    public CommittedWrites(IngestWrites assets, TransactionTemplate transaction) {
        this.assets = assets;
        this.transaction = transaction;
    }

    /** @return the row as the write left it; the NOTIFY goes out only when the write changed it */
    public Optional<Recorded> commit(Supplier<Optional<Recorded>> write) {
        Optional<Recorded> row = transaction.execute(status -> {
            Optional<Recorded> written = write.get();
            written.flatMap(Recorded::changedId).ifPresent(assets::notifyChanged);
            return written;
        });
        return row == null ? Optional.empty() : row;
    }
}
