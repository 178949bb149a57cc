package org.pacs.storage.dicom;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Keyword and VR of the attributes this project knows by name. Unknown tags read as UN in implicit VR. */
public final class DicomDictionary {

    public record Entry(int tag, String keyword, VR vr) {
    }

    private static final Map<Integer, Entry> BY_TAG = new HashMap<>();
    private static final Map<String, Entry> BY_KEYWORD = new HashMap<>();

    static {
        add(Tag.FileMetaInformationGroupLength, "FileMetaInformationGroupLength", VR.UL);
        add(Tag.FileMetaInformationVersion, "FileMetaInformationVersion", VR.OB);
        add(Tag.MediaStorageSOPClassUID, "MediaStorageSOPClassUID", VR.UI);
        add(Tag.MediaStorageSOPInstanceUID, "MediaStorageSOPInstanceUID", VR.UI);
        add(Tag.TransferSyntaxUID, "TransferSyntaxUID", VR.UI);
        add(Tag.ImplementationClassUID, "ImplementationClassUID", VR.UI);
        add(Tag.ImplementationVersionName, "ImplementationVersionName", VR.SH);
        add(Tag.SpecificCharacterSet, "SpecificCharacterSet", VR.CS);
        add(Tag.SOPClassUID, "SOPClassUID", VR.UI);
        add(Tag.SOPInstanceUID, "SOPInstanceUID", VR.UI);
        add(Tag.StudyDate, "StudyDate", VR.DA);
        add(Tag.StudyTime, "StudyTime", VR.TM);
        add(Tag.AccessionNumber, "AccessionNumber", VR.SH);
        add(Tag.QueryRetrieveLevel, "QueryRetrieveLevel", VR.CS);
        add(Tag.Modality, "Modality", VR.CS);
        add(Tag.ModalitiesInStudy, "ModalitiesInStudy", VR.CS);
        add(Tag.ReferringPhysicianName, "ReferringPhysicianName", VR.PN);
        add(Tag.StudyDescription, "StudyDescription", VR.LO);
        add(Tag.SeriesDescription, "SeriesDescription", VR.LO);
        add(Tag.PatientName, "PatientName", VR.PN);
        add(Tag.PatientID, "PatientID", VR.LO);
        add(Tag.PatientBirthDate, "PatientBirthDate", VR.DA);
        add(Tag.PatientSex, "PatientSex", VR.CS);
        add(Tag.StudyInstanceUID, "StudyInstanceUID", VR.UI);
        add(Tag.SeriesInstanceUID, "SeriesInstanceUID", VR.UI);
        add(Tag.StudyID, "StudyID", VR.SH);
        add(Tag.SeriesNumber, "SeriesNumber", VR.IS);
        add(Tag.InstanceNumber, "InstanceNumber", VR.IS);
        add(Tag.Rows, "Rows", VR.US);
        add(Tag.Columns, "Columns", VR.US);
        add(Tag.BitsAllocated, "BitsAllocated", VR.US);
        add(Tag.PixelData, "PixelData", VR.OW);
    }

    private DicomDictionary() {
    }

    private static void add(int tag, String keyword, VR vr) {
        Entry e = new Entry(tag, keyword, vr);
        BY_TAG.put(tag, e);
        BY_KEYWORD.put(keyword, e);
    }

    public static Optional<Entry> byTag(int tag) {
        return Optional.ofNullable(BY_TAG.get(tag));
    }

    public static Optional<Entry> byKeyword(String keyword) {
        return Optional.ofNullable(BY_KEYWORD.get(keyword));
    }

    /** The dictionary VR; group lengths are UL, private and unknown tags UN. */
    public static VR vrOf(int tag) {
        Entry e = BY_TAG.get(tag);
        if (e != null) {
            return e.vr();
        }
        return Tag.element(tag) == 0 ? VR.UL : VR.UN;
    }

    public static String keywordOf(int tag) {
        Entry e = BY_TAG.get(tag);
        return e != null ? e.keyword() : Tag.toString(tag);
    }
}
