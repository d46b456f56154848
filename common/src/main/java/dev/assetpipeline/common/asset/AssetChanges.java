package dev.assetpipeline.common.asset;

/**
 * Cross-process cache invalidation. Whoever commits a change to an asset row sends
 * {@code NOTIFY asset_changed, '<id>'} in the same transaction, so listeners hear of it exactly
 * when (and only if) the change is visible.
 */
public final class AssetChanges {

    public static final String CHANNEL = "asset_changed";

    private AssetChanges() {
    }
}
