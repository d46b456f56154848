package dev.assetpipeline.common.asset;

import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/** Asset ids are UUIDv7: unguessable enough to hand out, and ordered by creation for keyset paging. */
public final class AssetIds {

    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private AssetIds() {
    }

    public static UUID next() {
        return GENERATOR.generate();
    }
}
