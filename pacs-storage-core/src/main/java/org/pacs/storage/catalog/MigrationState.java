package org.pacs.storage.catalog;

/**
 * Where an instance stands in a tier move, persisted so a restart can finish or undo it. The committed tier
 * is always the catalog's {@code tier} column; the states say which other copy may exist.
 */
public enum MigrationState {
    /** Exactly one copy, in {@code tier}. */
    NONE,
    /** Bytes are being written to the target; the target copy may be partial. Recovery: delete it. */
    COPYING,
    /** The target holds a complete copy, not yet verified or committed. Recovery: verify and commit, or delete. */
    COPIED,
    /** {@code tier} already names the target; the source copy may still exist. Recovery: delete the source. */
    COMMITTED,
    /** The provider class is being changed in place. Recovery: read the class back and commit or revert. */
    CHANGING_CLASS,
    /** The instance is being removed; the row goes once the bytes are gone. Recovery: finish the removal. */
    REMOVING,
    /**
     * A cache copy is being written to hot (recall on read); {@code tier} is unchanged and hot_copy still false.
     * Recovery: delete the hot copy, back to NONE.
     */
    RECALLING,
    /**
     * The hot cache copy is being released; the home tier's copy was confirmed first. Reads go to the home tier.
     * Recovery: delete the hot copy (again), hot_copy false, back to NONE.
     */
    RELEASING
}
