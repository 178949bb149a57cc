package org.pacs.storage;

import java.util.Locale;

/** PS3.4 C.6 query/retrieve levels: a find returns one result per entity at the level asked. */
public enum QueryLevel {
    PATIENT, STUDY, SERIES, IMAGE;

    /** Parses the Query/Retrieve Level value (0008,0052); "INSTANCE" is accepted as IMAGE. */
    public static QueryLevel parse(String value) {
        if (value == null || value.isBlank()) {
            return IMAGE;
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.equals("INSTANCE")) {
            return IMAGE;
        }
        try {
            return valueOf(v);
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidInput("Unknown query level '" + value
                    + "'; use PATIENT, STUDY, SERIES or IMAGE.");
        }
    }
}
