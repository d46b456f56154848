package dev.assetpipeline.worker.support;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.assetpipeline.common.asset.AssetRepository;

/**
 * Runs one write to the asset table in its own transaction, with the NOTIFY that tells every API
 * instance to drop its cached copy; returns only after the commit.
 */
@Component
public class CommittedWrites {

    private final AssetRepository assets;
    private final TransactionTemplate transaction;

    public CommittedWrites(AssetRepository assets, TransactionTemplate transaction) {
        this.assets = assets;
        this.transaction = transaction;
    }

    /** @return the changed row's id, or empty when the write changed nothing */
    public Optional<UUID> commit(Supplier<Optional<UUID>> write) {
        Optional<UUID> changed = transaction.execute(status -> {
            Optional<UUID> id = write.get();
            id.ifPresent(assets::notifyChanged);
            return id;
        });
        return changed == null ? Optional.empty() : changed;
    }
}
