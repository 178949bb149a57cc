package org.pacs.storage;

import java.util.Objects;

/**
 * The one unchecked exception every storage operation raises. Callers branch on {@link #reason()}, never on
 * the message; the message is for a person and always says what to do next.
 */
public class StorageException extends RuntimeException {

    /** Machine-readable cause, stable across releases. */
    public enum Reason {
        /** No instance with that UID is stored. */
        NOT_FOUND,
        /** An instance with that UID is stored already and the duplicate policy refused the new one. */
        ALREADY_EXISTS,
        /** The caller gave something unusable: a bad UID, a non-DICOM file, a bad configuration value. */
        INVALID_INPUT,
        /** Stored bytes no longer match their recorded checksum, or cannot be parsed. */
        CORRUPT,
        /** A server, disk or database could not be reached or refused service; retrying later may work. */
        UNAVAILABLE,
        /** The instance sits in an archive tier and must be restored before it can be read. */
        ARCHIVED,
        /** Credentials were refused or the caller lacks the permission. */
        PERMISSION_DENIED,
        /**
         * A tier has reached its capacity (configured, or its file system is full): nothing was stored; raise the
         * capacity, release hot copies ({@code pacs-storage release}) or add a tier.
         */
        OUT_OF_SPACE,
        /** The operation is not offered by this backend. */
        UNSUPPORTED,
        /** Anything else: a bug or an unexpected local I/O failure. */
        INTERNAL
    }

    private final Reason reason;

    public StorageException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public StorageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    public static StorageException notFound(SopInstanceUid uid) {
        return new StorageException(Reason.NOT_FOUND,
                "No instance with SOP Instance UID " + uid + " is stored; check the UID (e.g. with 'find').");
    }

    public static StorageException invalidInput(String message) {
        return new StorageException(Reason.INVALID_INPUT, message);
    }

    public static StorageException unavailable(String message, Throwable cause) {
        return new StorageException(Reason.UNAVAILABLE, message, cause);
    }

    public static StorageException internal(String message, Throwable cause) {
        return new StorageException(Reason.INTERNAL, message, cause);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + reason + "]: " + getMessage();
    }
}
