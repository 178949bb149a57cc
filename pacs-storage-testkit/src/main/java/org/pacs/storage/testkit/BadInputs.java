package org.pacs.storage.testkit;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.UidGenerator;

/** Byte inputs every backend must refuse with INVALID_INPUT, each named for the failure message. */
public final class BadInputs {

    private BadInputs() {
    }

    public static Map<String, byte[]> all() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        byte[] good = SyntheticInstances.bytes(SyntheticInstances.header(), 8192, 7);
        m.put("not DICOM", "Hello, this is a text file and certainly not DICOM.\n".repeat(20).getBytes());
        m.put("empty", new byte[0]);
        m.put("truncated in Pixel Data", Arrays.copyOf(good, good.length - 1000));
        m.put("truncated in header", Arrays.copyOf(good, 300));
        m.put("no SOP Instance UID", withUids(null, UidGenerator.newUid(), UidGenerator.newUid()));
        m.put("path traversal SOP UID", withUids("../../etc/passwd", UidGenerator.newUid(), UidGenerator.newUid()));
        m.put("path traversal study UID", withUids(UidGenerator.newUid(), "../../../tmp/x", UidGenerator.newUid()));
        m.put("absolute path series UID", withUids(UidGenerator.newUid(), UidGenerator.newUid(), "/etc/passwd"));
        m.put("SQL injection SOP UID", withUids("1.2'; DROP TABLE instance; --", UidGenerator.newUid(),
                UidGenerator.newUid()));
        m.put("huge SOP UID", withUids("1." + "2".repeat(60_000), UidGenerator.newUid(), UidGenerator.newUid()));
        m.put("value length past end", RawDicom.explicitLittleEndian()
                .string(Tag.SOPClassUID, "UI", SyntheticInstances.SECONDARY_CAPTURE)
                .lyingLength(Tag.PatientName, "UT", 0xFFFFFFF0L, 16).bytes());
        return m;
    }

    /** A hand-made instance with these UIDs (null leaves the element out of dataset and meta). */
    public static byte[] withUids(String sop, String study, String series) {
        RawDicom r = RawDicom.explicitLittleEndian().string(Tag.SOPClassUID, "UI", SyntheticInstances.SECONDARY_CAPTURE);
        if (sop != null) {
            r.string(Tag.SOPInstanceUID, "UI", sop);
        }
        r.string(Tag.Modality, "CS", "OT").string(Tag.PatientName, "PN", "Bad^Input").string(Tag.PatientID, "LO", "BAD");
        r.string(Tag.StudyInstanceUID, "UI", study).string(Tag.SeriesInstanceUID, "UI", series);
        return r.bytes();
    }

    /** A dataset built in memory with an unusable SOP Instance UID (null: absent). */
    public static DicomDataset datasetWithSopUid(String sop) {
        DicomDataset d = SyntheticInstances.dataset(SyntheticInstances.header(), 16, 1);
        if (sop == null) {
            d.remove(Tag.SOPInstanceUID);
        } else {
            d.setString(Tag.SOPInstanceUID, sop);
        }
        return d;
    }
}
