package org.pacs.storage.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * The one list of attributes every index keeps per instance (in-memory index, FileStorage's SQLite file, the
 * HSM catalog): the PS3.4 C.6.1 patient/study/series/instance keys a PACS queries. Defined once so a query
 * behaves the same on every backend.
 */
public final class IndexedAttributes {

    private static final Map<Integer, IndexedAttribute> BY_TAG = new LinkedHashMap<>();

    static {
        QueryLevel p = QueryLevel.PATIENT;
        add(Tag.PatientName, "PatientName", VR.PN, p);
        add(Tag.PatientID, "PatientID", VR.LO, p);
        add(Tag.IssuerOfPatientID, "IssuerOfPatientID", VR.LO, p);
        add(Tag.PatientBirthDate, "PatientBirthDate", VR.DA, p);
        add(Tag.PatientSex, "PatientSex", VR.CS, p);
        QueryLevel st = QueryLevel.STUDY;
        add(Tag.StudyInstanceUID, "StudyInstanceUID", VR.UI, st);
        add(Tag.StudyDate, "StudyDate", VR.DA, st);
        add(Tag.StudyTime, "StudyTime", VR.TM, st);
        add(Tag.AccessionNumber, "AccessionNumber", VR.SH, st);
        add(Tag.StudyID, "StudyID", VR.SH, st);
        add(Tag.StudyDescription, "StudyDescription", VR.LO, st);
        add(Tag.ReferringPhysicianName, "ReferringPhysicianName", VR.PN, st);
        add(Tag.PatientAge, "PatientAge", VR.AS, st);
        derived(Tag.ModalitiesInStudy, "ModalitiesInStudy", VR.CS, st);
        derived(Tag.NumberOfStudyRelatedSeries, "NumberOfStudyRelatedSeries", VR.IS, st);
        derived(Tag.NumberOfStudyRelatedInstances, "NumberOfStudyRelatedInstances", VR.IS, st);
        QueryLevel se = QueryLevel.SERIES;
        add(Tag.SeriesInstanceUID, "SeriesInstanceUID", VR.UI, se);
        add(Tag.Modality, "Modality", VR.CS, se);
        add(Tag.SeriesNumber, "SeriesNumber", VR.IS, se);
        add(Tag.SeriesDescription, "SeriesDescription", VR.LO, se);
        add(Tag.SeriesDate, "SeriesDate", VR.DA, se);
        add(Tag.SeriesTime, "SeriesTime", VR.TM, se);
        add(Tag.BodyPartExamined, "BodyPartExamined", VR.CS, se);
        derived(Tag.NumberOfSeriesRelatedInstances, "NumberOfSeriesRelatedInstances", VR.IS, se);
        QueryLevel im = QueryLevel.IMAGE;
        add(Tag.SOPInstanceUID, "SOPInstanceUID", VR.UI, im);
        add(Tag.SOPClassUID, "SOPClassUID", VR.UI, im);
        add(Tag.InstanceNumber, "InstanceNumber", VR.IS, im);
        add(Tag.ContentDate, "ContentDate", VR.DA, im);
        add(Tag.ContentTime, "ContentTime", VR.TM, im);
        add(Tag.NumberOfFrames, "NumberOfFrames", VR.IS, im);
    }

    private IndexedAttributes() {
    }

    private static void add(int tag, String keyword, VR vr, QueryLevel level) {
        BY_TAG.put(tag, new IndexedAttribute(tag, keyword, vr, level, false));
    }

    private static void derived(int tag, String keyword, VR vr, QueryLevel level) {
        BY_TAG.put(tag, new IndexedAttribute(tag, keyword, vr, level, true));
    }

    /** Every indexed attribute, patient level first; derived ones included. */
    public static List<IndexedAttribute> all() {
        return List.copyOf(BY_TAG.values());
    }

    /** The attributes read from an instance's header (what an index row stores). */
    public static List<IndexedAttribute> stored() {
        List<IndexedAttribute> out = new ArrayList<>();
        for (IndexedAttribute a : BY_TAG.values()) {
            if (!a.derived()) {
                out.add(a);
            }
        }
        return Collections.unmodifiableList(out);
    }

    public static Optional<IndexedAttribute> byTag(int tag) {
        return Optional.ofNullable(BY_TAG.get(tag));
    }

    public static boolean isIndexed(int tag) {
        return BY_TAG.containsKey(tag);
    }

    /** The attribute that identifies one entity at {@code level} (PatientID for PATIENT). */
    public static int uniqueKey(QueryLevel level) {
        return switch (level) {
            case PATIENT -> Tag.PatientID;
            case STUDY -> Tag.StudyInstanceUID;
            case SERIES -> Tag.SeriesInstanceUID;
            case IMAGE -> Tag.SOPInstanceUID;
        };
    }

    /**
     * The stored attributes of one instance's header, as string elements with the index's VR. Values that a
     * reader left as UN bytes (implicit VR files with tags its dictionary lacks) are decoded as ASCII text,
     * since every indexed attribute is a string.
     */
    public static DicomDataset extract(DicomDataset header) {
        DicomDataset out = new DicomDataset();
        for (IndexedAttribute a : stored()) {
            Optional<DicomElement> e = header.get(a.tag());
            if (e.isEmpty()) {
                continue;
            }
            List<String> values = e.get().vr().isString() ? header.getStrings(a.tag()) : decodeUn(e.get());
            List<String> clean = new ArrayList<>(values.size());
            for (String v : values) {
                clean.add(trimPadding(v));
            }
            if (!clean.isEmpty() && !clean.stream().allMatch(String::isEmpty)) {
                out.put(DicomElement.ofStrings(a.tag(), a.vr(), clean));
            }
        }
        return out;
    }

    private static List<String> decodeUn(DicomElement e) {
        if (e.vr() != VR.UN || e.isEncapsulated()) {
            return List.of();
        }
        String s = new String(e.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        return List.of(s.split("\\\\", -1));
    }

    /** DICOM pads with spaces (and UIDs with NUL); neither is part of the value when matching. */
    static String trimPadding(String v) {
        int end = v.length();
        while (end > 0 && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        while (start < end && v.charAt(start) == ' ') {
            start++;
        }
        return v.substring(start, end);
    }
}
