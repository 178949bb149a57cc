package org.pacs.storage.catalog;

/** The few places SQLite and PostgreSQL differ for the catalog. */
public enum SqlDialect {
    SQLITE, POSTGRESQL;

    /**
     * Case-sensitive DICOM wildcard match (* and ?). SQLite's LIKE ignores ASCII case, so it uses GLOB, whose
     * wildcards are DICOM's own; PostgreSQL's LIKE is case-sensitive already.
     */
    String wildcardOperator() {
        return this == SQLITE ? " GLOB ?" : " LIKE ? ESCAPE '\\'";
    }

    /** Person names match case-insensitively (PS3.4 C.2.2.2.4 allows it and users expect it). */
    String caseInsensitiveWildcardOperator() {
        return this == SQLITE ? " LIKE ? ESCAPE '\\'" : " ILIKE ? ESCAPE '\\'";
    }

    /** Translates a DICOM wildcard value for {@link #wildcardOperator()}, escaping the database's own specials. */
    String wildcardPattern(String dicom) {
        StringBuilder b = new StringBuilder(dicom.length() + 8);
        for (char c : dicom.toCharArray()) {
            if (this == SQLITE) {
                switch (c) {
                    case '[' -> b.append("[[]");
                    case ']' -> b.append("[]]");
                    default -> b.append(c);
                }
            } else {
                appendLike(b, c);
            }
        }
        return b.toString();
    }

    /** Translates a DICOM wildcard value for a LIKE/ILIKE with ESCAPE '\'. */
    String likePattern(String dicom) {
        StringBuilder b = new StringBuilder(dicom.length() + 8);
        for (char c : dicom.toCharArray()) {
            appendLike(b, c);
        }
        return b.toString();
    }

    private static void appendLike(StringBuilder b, char c) {
        switch (c) {
            case '*' -> b.append('%');
            case '?' -> b.append('_');
            case '%', '_', '\\' -> b.append('\\').append(c);
            default -> b.append(c);
        }
    }

    /** Row locking that lets concurrent claimers pass each other instead of waiting. */
    String skipLockedSuffix() {
        return this == POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    }
}
