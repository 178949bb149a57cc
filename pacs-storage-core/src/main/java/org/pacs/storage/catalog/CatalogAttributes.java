package org.pacs.storage.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.query.IndexedAttribute;
import org.pacs.storage.query.IndexedAttributes;

/**
 * The catalog's columns for {@link IndexedAttributes#stored()}: the four identifying UIDs have their own
 * columns (from {@link StoredInstance}); every other stored attribute is one text column named by its keyword,
 * multiple values joined with '\' as DICOM encodes them. The column set is frozen per schema version: an
 * attribute added to the shared list needs a new {@link CatalogSchema} step, and a test checks that.
 */
public final class CatalogAttributes {

    /** Columns of schema version 1, in table order. */
    static final List<String> V1_COLUMNS = List.of("PatientName", "PatientID", "IssuerOfPatientID",
            "PatientBirthDate", "PatientSex", "StudyDate", "StudyTime", "AccessionNumber", "StudyID",
            "StudyDescription", "ReferringPhysicianName", "PatientAge", "Modality", "SeriesNumber",
            "SeriesDescription", "SeriesDate", "SeriesTime", "BodyPartExamined", "InstanceNumber", "ContentDate",
            "ContentTime", "NumberOfFrames");

    static final Map<Integer, String> UID_COLUMNS = Map.of(Tag.SOPInstanceUID, "sop_instance_uid",
            Tag.StudyInstanceUID, "study_uid", Tag.SeriesInstanceUID, "series_uid", Tag.SOPClassUID, "sop_class_uid");

    /** Tag → column for every attribute kept in its own column (UIDs excluded), in table order. */
    static final Map<Integer, String> COLUMNS;

    static {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (String column : V1_COLUMNS) {
            IndexedAttribute a = IndexedAttributes.all().stream().filter(x -> x.columnName().equals(column))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no indexed attribute " + column));
            m.put(a.tag(), column);
        }
        COLUMNS = java.util.Collections.unmodifiableMap(m);
    }

    private CatalogAttributes() {
    }

    /** The column a query key on {@code tag} is matched against, or null when the catalog has none. */
    static String column(int tag) {
        String uid = UID_COLUMNS.get(tag);
        return uid != null ? uid : COLUMNS.get(tag);
    }

    /** Stored attributes the catalog has no column for (should be none; see the schema test). */
    static List<IndexedAttribute> missingColumns() {
        List<IndexedAttribute> out = new ArrayList<>();
        for (IndexedAttribute a : IndexedAttributes.stored()) {
            if (column(a.tag()) == null) {
                out.add(a);
            }
        }
        return out;
    }

    /** The non-UID indexed attributes of a header, as the catalog keeps them. */
    public static Map<Integer, String> of(DicomDataset header) {
        DicomDataset extracted = IndexedAttributes.extract(header);
        Map<Integer, String> m = new TreeMap<>();
        for (DicomElement e : extracted.elements()) {
            if (COLUMNS.containsKey(e.tag())) {
                String joined = String.join("\\", extracted.getStrings(e.tag()));
                if (!joined.isEmpty()) {
                    m.put(e.tag(), joined);
                }
            }
        }
        return m;
    }

    /** The indexed attributes of one instance, as {@link org.pacs.storage.query.QueryMatcher} reads them. */
    public static DicomDataset dataset(StoredInstance instance, Map<Integer, String> attributes) {
        DicomDataset d = new DicomDataset();
        attributes.forEach((tag, value) -> {
            IndexedAttribute a = IndexedAttributes.byTag(tag).orElseThrow();
            d.put(DicomElement.ofStrings(tag, a.vr(), List.of(value.split("\\\\", -1))));
        });
        d.setString(Tag.SOPInstanceUID, instance.sopInstanceUid().value());
        d.setString(Tag.StudyInstanceUID, instance.studyInstanceUid());
        d.setString(Tag.SeriesInstanceUID, instance.seriesInstanceUid());
        if (!instance.sopClassUid().isEmpty()) {
            d.setString(Tag.SOPClassUID, instance.sopClassUid());
        }
        return d;
    }
}
