package dev.assetpipeline.common.asset;

public enum AssetStatus {
    /** An upload URL was issued; S3 has not reported the object yet. */
    PENDING,
    /** S3 reported the object; it can be downloaded. */
    AVAILABLE,
    /** S3 reported the object removed. The row stays as a tombstone so a late, older event cannot revive it. */
    DELETED,
    /** The upload URL expired and no object arrived; found by the reconciler. */
    EXPIRED,
    /** The object that arrived differs from the declared size, type or checksum; it was removed. */
    REJECTED
}
