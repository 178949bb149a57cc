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

    /**
     * An ASCII-case-insensitive wildcard match of {@code column} against a {@link #likePattern}, in the form the
     * schema indexes: SQLite's LIKE (which ignores ASCII case) over a NOCASE index, PostgreSQL's LIKE over
     * lower() with a text_pattern_ops index (ILIKE could use no index).
     */
    String caseInsensitiveLike(String column) {
        return this == SQLITE ? column + " LIKE ? ESCAPE '\\'" : "lower(" + column + ") LIKE lower(?) ESCAPE '\\'";
    }

    /**
     * {@code expr} compared and ordered byte by byte, as Java orders ASCII strings: PostgreSQL's default
     * collation may ignore punctuation ("1.23" after "1.2.4"), SQLite's BINARY already is.
     */
    String binary(String expr) {
        return this == SQLITE ? expr : expr + " COLLATE \"C\"";
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
