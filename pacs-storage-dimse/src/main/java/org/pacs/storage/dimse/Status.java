package org.pacs.storage.dimse;

import org.pacs.storage.StorageException;

/** DIMSE status codes (PS3.7 Annex C, PS3.4 B.2.3, C.4) and the mapping from the archive's failure reasons. */
final class Status {

    static final int SUCCESS = 0x0000;
    static final int PENDING = 0xFF00;
    static final int CANCEL = 0xFE00;
    static final int SUB_OPERATIONS_FAILED = 0xB000;
    static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    static final int PROCESSING_FAILURE = 0x0110;
    static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    static final int NOT_AUTHORIZED = 0x0124;
    static final int UNRECOGNIZED_OPERATION = 0x0211;
    static final int OUT_OF_RESOURCES = 0xA700;
    /** C-MOVE: the sub-operation count could not be calculated / destination unknown (PS3.4 C.4.2.1.4). */
    static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
    static final int RETRIEVE_OUT_OF_RESOURCES = 0xA702;
    static final int DATASET_DOES_NOT_MATCH = 0xA900;
    static final int CANNOT_UNDERSTAND = 0xC000;
    static final int UNABLE_TO_PROCESS = 0xC001;

    private Status() {
    }

    /** A failed store's status; ALREADY_EXISTS means the duplicate policy refused different bytes. */
    static int forStore(StorageException e) {
        return switch (e.reason()) {
            case UNAVAILABLE, OUT_OF_SPACE -> OUT_OF_RESOURCES;
            case INVALID_INPUT, CORRUPT -> CANNOT_UNDERSTAND;
            case ALREADY_EXISTS -> DUPLICATE_SOP_INSTANCE;
            case PERMISSION_DENIED -> NOT_AUTHORIZED;
            case UNSUPPORTED -> SOP_CLASS_NOT_SUPPORTED;
            default -> PROCESSING_FAILURE;
        };
    }

    /** Error Comment (0000,0902) is LO: 64 characters of the default repertoire. */
    static String comment(String message) {
        String m = message == null ? "" : message.replaceAll("[^\\x20-\\x7E]", "?").replace('\\', '/');
        return m.length() <= 64 ? m : m.substring(0, 61) + "...";
    }
}
