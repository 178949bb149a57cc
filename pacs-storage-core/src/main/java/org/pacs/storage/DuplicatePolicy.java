package org.pacs.storage;

/** What {@code store} does when the SOP Instance UID is stored already. */
public enum DuplicatePolicy {
    /** Refuse every duplicate with ALREADY_EXISTS. */
    REJECT,
    /** Replace the stored instance with the new bytes. */
    REPLACE,
    /** Keep the stored instance and report success. */
    IGNORE,
    /**
     * The default: identical bytes (same SHA-256) are a harmless resend and are ignored; different bytes
     * under the same UID are an error upstream and are rejected with ALREADY_EXISTS.
     */
    IGNORE_IDENTICAL_REJECT_DIFFERENT
}
