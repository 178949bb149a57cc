package org.pacs.storage.catalog;

import org.pacs.storage.QueryLevel;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * The query attributes the catalog keeps per instance, one SQL column each, so find() is answered by the
 * database. {@link #fromInstance} columns come from {@link org.pacs.storage.StoredInstance}; the others from
 * the instance's header.
 */
public enum CatalogColumn {
    PATIENT_ID(Tag.PatientID, VR.LO, "patient_id", Kind.STRING, QueryLevel.PATIENT, false),
    PATIENT_NAME(Tag.PatientName, VR.PN, "patient_name", Kind.PERSON_NAME, QueryLevel.PATIENT, false),
    PATIENT_BIRTH_DATE(Tag.PatientBirthDate, VR.DA, "patient_birth_date", Kind.DATE, QueryLevel.PATIENT, false),
    PATIENT_SEX(Tag.PatientSex, VR.CS, "patient_sex", Kind.STRING, QueryLevel.PATIENT, false),
    STUDY_INSTANCE_UID(Tag.StudyInstanceUID, VR.UI, "study_uid", Kind.UID, QueryLevel.STUDY, true),
    STUDY_DATE(Tag.StudyDate, VR.DA, "study_date", Kind.DATE, QueryLevel.STUDY, false),
    STUDY_TIME(Tag.StudyTime, VR.TM, "study_time", Kind.TIME, QueryLevel.STUDY, false),
    ACCESSION_NUMBER(Tag.AccessionNumber, VR.SH, "accession_number", Kind.STRING, QueryLevel.STUDY, false),
    STUDY_ID(Tag.StudyID, VR.SH, "study_id", Kind.STRING, QueryLevel.STUDY, false),
    STUDY_DESCRIPTION(Tag.StudyDescription, VR.LO, "study_description", Kind.STRING, QueryLevel.STUDY, false),
    REFERRING_PHYSICIAN_NAME(Tag.ReferringPhysicianName, VR.PN, "referring_physician", Kind.PERSON_NAME,
            QueryLevel.STUDY, false),
    SERIES_INSTANCE_UID(Tag.SeriesInstanceUID, VR.UI, "series_uid", Kind.UID, QueryLevel.SERIES, true),
    MODALITY(Tag.Modality, VR.CS, "modality", Kind.STRING, QueryLevel.SERIES, false),
    SERIES_NUMBER(Tag.SeriesNumber, VR.IS, "series_number", Kind.STRING, QueryLevel.SERIES, false),
    SERIES_DESCRIPTION(Tag.SeriesDescription, VR.LO, "series_description", Kind.STRING, QueryLevel.SERIES, false),
    SOP_INSTANCE_UID(Tag.SOPInstanceUID, VR.UI, "sop_instance_uid", Kind.UID, QueryLevel.IMAGE, true),
    SOP_CLASS_UID(Tag.SOPClassUID, VR.UI, "sop_class_uid", Kind.UID, QueryLevel.IMAGE, true),
    INSTANCE_NUMBER(Tag.InstanceNumber, VR.IS, "instance_number", Kind.STRING, QueryLevel.IMAGE, false);

    /** How a query value on the column matches (PS3.4 C.2.2.2). */
    public enum Kind { UID, STRING, PERSON_NAME, DATE, TIME }

    private final int tag;
    private final VR vr;
    private final String column;
    private final Kind kind;
    private final QueryLevel level;
    private final boolean fromInstance;

    CatalogColumn(int tag, VR vr, String column, Kind kind, QueryLevel level, boolean fromInstance) {
        this.tag = tag;
        this.vr = vr;
        this.column = column;
        this.kind = kind;
        this.level = level;
        this.fromInstance = fromInstance;
    }

    public int tag() {
        return tag;
    }

    public VR vr() {
        return vr;
    }

    public String column() {
        return column;
    }

    public Kind kind() {
        return kind;
    }

    public QueryLevel level() {
        return level;
    }

    public boolean fromInstance() {
        return fromInstance;
    }

    public static CatalogColumn forTag(int tag) {
        for (CatalogColumn c : values()) {
            if (c.tag == tag) {
                return c;
            }
        }
        return null;
    }

    /** The column whose value identifies one entity at {@code level}. */
    public static CatalogColumn uniqueKey(QueryLevel level) {
        return switch (level) {
            case PATIENT -> PATIENT_ID;
            case STUDY -> STUDY_INSTANCE_UID;
            case SERIES -> SERIES_INSTANCE_UID;
            case IMAGE -> SOP_INSTANCE_UID;
        };
    }
}
