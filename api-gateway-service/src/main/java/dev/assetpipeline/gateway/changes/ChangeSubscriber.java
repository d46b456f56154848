package dev.assetpipeline.gateway.changes;

/** Something cached in this instance that another process's committed change can make stale. */
public interface ChangeSubscriber {

    /** The PostgreSQL NOTIFY channel that announces such changes. */
    String channel();

    /** A change was committed; the payload names what changed. */
    void changed(String payload);

    /** Notifications may have been missed (the LISTEN connection was down): forget everything. */
    void forgetAll();
}
