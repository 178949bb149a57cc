package org.pacs.storage.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

class QueryMatcherTest {

    private final List<DicomDataset> instances = new ArrayList<>();

    QueryMatcherTest() {
        // Two patients, three studies, four series, six instances.
        add("P1", "Doe^John", "1.1", "20200115", "101500", "1.1.1", "CT", "1.1.1.1", "ACC1");
        add("P1", "Doe^John", "1.1", "20200115", "101500", "1.1.1", "CT", "1.1.1.2", "ACC1");
        add("P1", "Doe^John", "1.1", "20200115", "101500", "1.1.2", "SR", "1.1.2.1", "ACC1");
        add("P1", "Doe^John", "1.2", "20211231", "235959", "1.2.1", "MR", "1.2.1.1", "ACC2");
        add("P2", "Roe^Jane", "2.1", "20190601", "080000", "2.1.1", "MR", "2.1.1.1", "ACC3");
        add("P2", "Roe^Jane", "2.1", "20190601", "080000", "2.1.1", "MR", "2.1.1.2", "ACC3");
    }

    private void add(String pid, String name, String study, String date, String time, String series, String modality,
                     String sop, String acc) {
        DicomDataset d = new DicomDataset();
        d.set(Tag.PatientID, VR.LO, pid).set(Tag.PatientName, VR.PN, name).set(Tag.StudyInstanceUID, VR.UI, study)
                .set(Tag.StudyDate, VR.DA, date).set(Tag.StudyTime, VR.TM, time)
                .set(Tag.SeriesInstanceUID, VR.UI, series).set(Tag.Modality, VR.CS, modality)
                .set(Tag.SOPInstanceUID, VR.UI, sop).set(Tag.AccessionNumber, VR.SH, acc);
        instances.add(d);
    }

    private static DicomDataset query(String level) {
        DicomDataset q = new DicomDataset();
        if (level != null) {
            q.set(Tag.QueryRetrieveLevel, VR.CS, level);
        }
        return q;
    }

    private List<String> find(DicomDataset q, int tag) {
        return QueryMatcher.DEFAULT.find(q, instances).stream().map(r -> r.getString(tag, "")).toList();
    }

    @Test
    void oneResultPerEntityAtEachLevel() {
        assertThat(find(query("PATIENT"), Tag.PatientID)).containsExactly("P1", "P2");
        assertThat(find(query("STUDY"), Tag.StudyInstanceUID)).containsExactly("1.1", "1.2", "2.1");
        assertThat(find(query("SERIES"), Tag.SeriesInstanceUID)).containsExactly("1.1.1", "1.1.2", "1.2.1", "2.1.1");
        assertThat(find(query(null), Tag.SOPInstanceUID)).hasSize(6);
    }

    @Test
    void singleValueAndUniversalMatching() {
        DicomDataset q = query("STUDY").set(Tag.PatientID, VR.LO, "P2").set(Tag.StudyDate, VR.DA);
        List<DicomDataset> r = QueryMatcher.DEFAULT.find(q, instances);
        assertThat(r).hasSize(1);
        assertThat(r.get(0).getString(Tag.StudyDate, "")).isEqualTo("20190601");
        assertThat(r.get(0).getString(Tag.QueryRetrieveLevel, "")).isEqualTo("STUDY");
        assertThat(find(query("STUDY").set(Tag.PatientID, VR.LO, "P"), Tag.StudyInstanceUID)).isEmpty();
    }

    @Test
    void wildcards() {
        assertThat(find(query("PATIENT").set(Tag.PatientName, VR.PN, "Doe*"), Tag.PatientID)).containsExactly("P1");
        assertThat(find(query("PATIENT").set(Tag.PatientName, VR.PN, "?oe^Jan?"), Tag.PatientID)).containsExactly("P2");
        assertThat(find(query("PATIENT").set(Tag.PatientName, VR.PN, "*"), Tag.PatientID)).containsExactly("P1", "P2");
        // Regex metacharacters are literal.
        assertThat(find(query("PATIENT").set(Tag.PatientName, VR.PN, "Doe.John"), Tag.PatientID)).isEmpty();
    }

    @Test
    void personNamesAreCaseSensitiveUnlessAsked() {
        DicomDataset q = query("PATIENT").set(Tag.PatientName, VR.PN, "doe^j*");
        assertThat(find(q, Tag.PatientID)).isEmpty();
        assertThat(new QueryMatcher(true).find(q, instances)).extracting(r -> r.getString(Tag.PatientID, ""))
                .containsExactly("P1");
        // The option is for PN only.
        DicomDataset acc = query("STUDY").set(Tag.AccessionNumber, VR.SH, "acc1");
        assertThat(new QueryMatcher(true).find(acc, instances)).isEmpty();
    }

    @Test
    void uidListMatching() {
        DicomDataset q = query("STUDY").set(Tag.StudyInstanceUID, VR.UI, "1.2", "2.1", "9.9");
        assertThat(find(q, Tag.StudyInstanceUID)).containsExactly("1.2", "2.1");
    }

    @Test
    void dateRanges() {
        assertThat(find(query("STUDY").set(Tag.StudyDate, VR.DA, "20200101-20201231"), Tag.StudyInstanceUID))
                .containsExactly("1.1");
        assertThat(find(query("STUDY").set(Tag.StudyDate, VR.DA, "20200101-"), Tag.StudyInstanceUID))
                .containsExactly("1.1", "1.2");
        assertThat(find(query("STUDY").set(Tag.StudyDate, VR.DA, "-20200115"), Tag.StudyInstanceUID))
                .containsExactly("1.1", "2.1");
        assertThat(find(query("STUDY").set(Tag.StudyDate, VR.DA, "20211231"), Tag.StudyInstanceUID))
                .containsExactly("1.2");
    }

    @Test
    void timeRangesAndPartialTimes() {
        assertThat(find(query("STUDY").set(Tag.StudyTime, VR.TM, "1000-1100"), Tag.StudyInstanceUID))
                .containsExactly("1.1");
        assertThat(find(query("STUDY").set(Tag.StudyTime, VR.TM, "2359"), Tag.StudyInstanceUID))
                .containsExactly("1.2");
        assertThat(find(query("STUDY").set(Tag.StudyTime, VR.TM, "-0800"), Tag.StudyInstanceUID))
                .containsExactly("2.1");
    }

    @Test
    void dateTimeRanges() {
        KeyMatcher m = KeyMatcher.compile(VR.DT, List.of("20200101120000-20200101130000"), false);
        assertThat(m.test(List.of("20200101123000.5"))).isTrue();
        assertThat(m.test(List.of("20200101130001"))).isFalse();
        assertThat(m.test(List.of("20200101125959+0100"))).isTrue();
        assertThat(KeyMatcher.compile(VR.DT, List.of("2020-"), false).test(List.of("20191231235959"))).isFalse();
    }

    @Test
    void negativeUtcOffsetsInDateTimesAreNotRangeSeparators() {
        KeyMatcher one = KeyMatcher.compile(VR.DT, List.of("20200101120000-0500"), false);
        assertThat(one.test(List.of("20200101120000-0500"))).isTrue();
        assertThat(one.test(List.of("20200101120000.25"))).isTrue();
        assertThat(one.test(List.of("20200101130000"))).isFalse();
        assertThat(KeyMatcher.compile(VR.DT, List.of("2020"), false).test(List.of("2020-0500"))).isTrue();

        KeyMatcher upperWithOffset = KeyMatcher.compile(VR.DT, List.of("20200101-20200102-0500"), false);
        assertThat(upperWithOffset.test(List.of("20200102120000"))).isTrue();
        assertThat(upperWithOffset.test(List.of("20200103000000-0800"))).isFalse();

        KeyMatcher until = KeyMatcher.compile(VR.DT, List.of("-20200101120000-0500"), false);
        assertThat(until.test(List.of("20191231"))).isTrue();
        assertThat(until.test(List.of("20200101120001"))).isFalse();
        KeyMatcher since = KeyMatcher.compile(VR.DT, List.of("20200101120000-0500-"), false);
        assertThat(since.test(List.of("20210101"))).isTrue();
        assertThat(since.test(List.of("20191231"))).isFalse();

        assertThat(KeyMatcher.compile(VR.DT, List.of("1000-1100"), false).test(List.of("1050"))).as("years").isTrue();
    }

    @Test
    void entityMatchesWhenAnyInstanceMatchesAndLowerLevelValuesStayEmpty() {
        DicomDataset q = query("STUDY").set(Tag.Modality, VR.CS, "SR").set(Tag.SOPInstanceUID, VR.UI);
        List<DicomDataset> r = QueryMatcher.DEFAULT.find(q, instances);
        assertThat(r).extracting(d -> d.getString(Tag.StudyInstanceUID, "")).containsExactly("1.1");
        assertThat(r.get(0).getString(Tag.SOPInstanceUID)).isEmpty();
        assertThat(r.get(0).contains(Tag.SOPInstanceUID)).isTrue();
    }

    @Test
    void derivedStudyAttributes() {
        DicomDataset q = query("STUDY").set(Tag.ModalitiesInStudy, VR.CS, "SR", "XA")
                .set(Tag.NumberOfStudyRelatedInstances, VR.IS).set(Tag.NumberOfStudyRelatedSeries, VR.IS);
        List<DicomDataset> r = QueryMatcher.DEFAULT.find(q, instances);
        assertThat(r).hasSize(1);
        assertThat(r.get(0).getStrings(Tag.ModalitiesInStudy)).containsExactly("CT", "SR");
        assertThat(r.get(0).getString(Tag.NumberOfStudyRelatedInstances, "")).isEqualTo("3");
        assertThat(r.get(0).getString(Tag.NumberOfStudyRelatedSeries, "")).isEqualTo("2");
    }

    @Test
    void unindexedKeysAreReturnKeysOnly() {
        DicomDataset q = query("STUDY").set(Tag.InstitutionName, VR.LO, "Nowhere");
        List<DicomDataset> r = QueryMatcher.DEFAULT.find(q, instances);
        assertThat(r).hasSize(3);
        assertThat(r.get(0).getString(Tag.InstitutionName)).isEmpty();
    }

    @Test
    void numericValuesCompareAsNumbers() {
        assertThat(KeyMatcher.compile(VR.IS, List.of("7"), false).test(List.of("007"))).isTrue();
        assertThat(KeyMatcher.compile(VR.IS, List.of("7"), false).test(List.of("8"))).isFalse();
    }

    @Test
    void missingValueNeverMatchesAKey() {
        assertThat(KeyMatcher.compile(VR.LO, List.of("*"), false).test(List.of())).isFalse();
        assertThat(KeyMatcher.compile(VR.LO, List.of(""), false).test(List.of())).isTrue();
    }

    @Test
    void unknownLevelIsInvalidInput() {
        assertThatThrownBy(() -> QueryMatcher.DEFAULT.find(query("FRAME"), instances))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.INVALID_INPUT));
    }
}
