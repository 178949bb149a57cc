package org.pacs.storage.spool;

import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;

/**
 * What a backend does with an incoming instance, given its {@link DuplicatePolicy} and what it holds under
 * the same SOP Instance UID. Every backend asks here so a duplicate behaves identically everywhere.
 */
public enum DuplicateAction {
    /** Nothing stored under the UID: store. */
    STORE,
    /** Overwrite the stored instance. */
    REPLACE,
    /** Keep the stored instance and return it; the incoming bytes are dropped. */
    KEEP_EXISTING;

    /**
     * @param existing the stored instance with the same UID, or null when there is none
     * @throws StorageException ALREADY_EXISTS when the policy refuses the duplicate
     */
    public static DuplicateAction decide(DuplicatePolicy policy, StoredInstance existing, String incomingSha256) {
        if (existing == null) {
            return STORE;
        }
        boolean identical = existing.sha256().equals(incomingSha256);
        return switch (policy) {
            case REPLACE -> identical ? KEEP_EXISTING : REPLACE;
            case IGNORE -> KEEP_EXISTING;
            case REJECT -> throw alreadyExists(existing, identical, "REJECT");
            case IGNORE_IDENTICAL_REJECT_DIFFERENT -> {
                if (identical) {
                    yield KEEP_EXISTING;
                }
                throw alreadyExists(existing, false, "IGNORE_IDENTICAL_REJECT_DIFFERENT");
            }
        };
    }

    private static StorageException alreadyExists(StoredInstance existing, boolean identical, String policy) {
        return new StorageException(StorageException.Reason.ALREADY_EXISTS, "SOP Instance UID "
                + existing.sopInstanceUid() + " is stored already"
                + (identical ? " with the same bytes" : " with different bytes (stored SHA-256 " + existing.sha256() + ")")
                + " and the duplicate policy is " + policy + "; remove the stored instance first, give the new one"
                + " a new UID, or configure duplicate-policy REPLACE.");
    }
}
