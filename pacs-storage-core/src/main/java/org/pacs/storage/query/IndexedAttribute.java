package org.pacs.storage.query;

import java.util.Objects;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * One attribute every backend index keeps and can match on.
 *
 * @param level   the entity the attribute describes; a result at a lower level never carries it
 * @param derived computed from the other instances of the entity (PS3.4 C.6.1.1.x "Number of ..." and
 *                Modalities in Study), never read from a file
 */
public record IndexedAttribute(int tag, String keyword, VR vr, QueryLevel level, boolean derived) {

    public IndexedAttribute {
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(vr, "vr");
        Objects.requireNonNull(level, "level");
        if (!vr.isString()) {
            // Indexes (the in-memory one and the SQL catalog) keep values as text; binary VRs have no place.
            throw new IllegalArgumentException(Tag.toString(tag) + " " + keyword + ": only string VRs are indexed");
        }
    }

    /** A SQL-safe column name: the keyword is letters only by construction. */
    public String columnName() {
        return keyword;
    }
}
