package org.pacs.storage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * Two patients, three studies, four series, six instances with known dates, names and modalities, and the
 * PS3.4 C.2.2.2 queries every backend must answer the same way over them.
 */
public final class FindFixture {

    public static final int PATIENTS = 2;
    public static final int STUDIES = 3;
    public static final int SERIES = 4;
    public static final int INSTANCES = 6;

    private static final String R = "2.25.4711.";

    private FindFixture() {
    }

    public static List<StoredInstance> storeInto(StorageBackend b) {
        List<StoredInstance> out = new ArrayList<>();
        out.add(store(b, "P1", "Doe^John", "1", "20200115", "1.1", "CT", "1.1.1"));
        out.add(store(b, "P1", "Doe^John", "1", "20200115", "1.1", "CT", "1.1.2"));
        out.add(store(b, "P1", "Doe^John", "1", "20200115", "1.2", "SR", "1.2.1"));
        out.add(store(b, "P1", "Doe^John", "2", "20211231", "2.1", "MR", "2.1.1"));
        out.add(store(b, "P2", "Roe^Jane", "3", "20190601", "3.1", "MR", "3.1.1"));
        out.add(store(b, "P2", "Roe^Jane", "3", "20190601", "3.1", "MR", "3.1.2"));
        return out;
    }

    private static StoredInstance store(StorageBackend b, String pid, String name, String study, String date,
                                        String series, String modality, String sop) {
        DicomDataset h = SyntheticInstances.header(pid, name, R + study, R + series, R + sop, modality, date);
        return b.store(SyntheticInstances.dataset(h, 32, sop.hashCode()));
    }

    public static void assertFindSemantics(StorageBackend b) {
        // One result per entity at each level.
        assertThat(ids(b.find(level("PATIENT")), Tag.PatientID)).containsExactlyInAnyOrder("P1", "P2");
        assertThat(ids(b.find(level("STUDY")), Tag.StudyInstanceUID)).hasSize(STUDIES);
        assertThat(ids(b.find(level("SERIES")), Tag.SeriesInstanceUID)).hasSize(SERIES);
        assertThat(ids(b.find(new DicomDataset()), Tag.SOPInstanceUID)).hasSize(INSTANCES);

        // Single value, with return keys filled in and the level echoed.
        List<DicomDataset> r = b.find(level("STUDY").set(Tag.PatientID, VR.LO, "P2").set(Tag.StudyDate, VR.DA)
                .set(Tag.PatientName, VR.PN));
        assertThat(r).hasSize(1);
        assertThat(r.get(0).getString(Tag.StudyInstanceUID, "")).isEqualTo(R + "3");
        assertThat(r.get(0).getString(Tag.StudyDate, "")).isEqualTo("20190601");
        assertThat(r.get(0).getString(Tag.PatientName, "")).isEqualTo("Roe^Jane");
        assertThat(r.get(0).getString(Tag.QueryRetrieveLevel, "")).isEqualTo("STUDY");

        // Wildcards; PN is case-sensitive by default.
        assertThat(ids(b.find(level("PATIENT").set(Tag.PatientName, VR.PN, "Doe*")), Tag.PatientID))
                .containsExactly("P1");
        assertThat(ids(b.find(level("PATIENT").set(Tag.PatientName, VR.PN, "?oe^Jan?")), Tag.PatientID))
                .containsExactly("P2");
        assertThat(b.find(level("PATIENT").set(Tag.PatientName, VR.PN, "doe*"))).isEmpty();

        // UID list.
        assertThat(ids(b.find(level("STUDY").set(Tag.StudyInstanceUID, VR.UI, R + "2", R + "3", R + "9")),
                Tag.StudyInstanceUID)).containsExactlyInAnyOrder(R + "2", R + "3");

        // Date ranges, closed and open on either side.
        assertThat(ids(b.find(level("STUDY").set(Tag.StudyDate, VR.DA, "20200101-20201231")), Tag.StudyInstanceUID))
                .containsExactly(R + "1");
        assertThat(ids(b.find(level("STUDY").set(Tag.StudyDate, VR.DA, "20200101-")), Tag.StudyInstanceUID))
                .containsExactlyInAnyOrder(R + "1", R + "2");
        assertThat(ids(b.find(level("STUDY").set(Tag.StudyDate, VR.DA, "-20200115")), Tag.StudyInstanceUID))
                .containsExactlyInAnyOrder(R + "1", R + "3");

        // A series key on a study query: the study matches through any of its series.
        assertThat(ids(b.find(level("STUDY").set(Tag.Modality, VR.CS, "SR")), Tag.StudyInstanceUID))
                .containsExactly(R + "1");
        // Series of one study.
        assertThat(ids(b.find(level("SERIES").set(Tag.StudyInstanceUID, VR.UI, R + "1")), Tag.SeriesInstanceUID))
                .containsExactlyInAnyOrder(R + "1.1", R + "1.2");
        // Instances of one series.
        assertThat(ids(b.find(level("IMAGE").set(Tag.SeriesInstanceUID, VR.UI, R + "3.1")), Tag.SOPInstanceUID))
                .containsExactlyInAnyOrder(R + "3.1.1", R + "3.1.2");
        // No match.
        assertThat(b.find(level("STUDY").set(Tag.AccessionNumber, VR.SH, "NOPE"))).isEmpty();
    }

    private static DicomDataset level(String level) {
        return new DicomDataset().set(Tag.QueryRetrieveLevel, VR.CS, level);
    }

    private static List<String> ids(List<DicomDataset> results, int tag) {
        return results.stream().map(d -> d.getString(tag, "")).toList();
    }
}
