package org.pacs.storage.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pacs.storage.catalog.CatalogTestData.row;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.query.QueryMatcher;

/**
 * find with paging, date and time ranges in SQL, and forEach, against real SQLite and PostgreSQL. The reference
 * answer is always the shared {@link QueryMatcher} over every row, so SQL narrowing may never drop a match.
 */
abstract class AbstractCatalogFindTest {

    protected JdbcInstanceCatalog catalog;

    protected abstract JdbcInstanceCatalog open();

    /** Runs a statement on the catalog's database outside the catalog (ANALYZE for the planner). */
    protected abstract void sql(String statement) throws Exception;

    @BeforeEach
    void setUp() {
        catalog = open();
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    private static final String[] MODALITIES = {"CT", "MR", "US"};
    private static final String[] NAMES = {"DOE^JOHN", "MÜLLER^JÜRGEN", "smith^anne", "SMITH^ANNE"};

    /** 14 studies of 1-3 series of 1-3 instances; UIDs whose byte order differs from a punctuation-blind one. */
    private void fill() {
        List<CatalogEntry> rows = new ArrayList<>();
        for (int s = 0; s < 14; s++) {
            String study = s % 2 == 0 ? "1.2." + s : "1.2" + s + ".7";
            for (int k = 0; k <= s % 3; k++) {
                String series = study + "." + k;
                for (int i = 0; i <= (s + k) % 3; i++) {
                    Map<Integer, String> a = new HashMap<>();
                    a.put(Tag.PatientID, "P" + s % 4);
                    a.put(Tag.PatientName, NAMES[s % 4]);
                    a.put(Tag.StudyDate, s == 13 ? "2024.06.02" : s == 12 ? "202405" : String.format("2024%02d15", 1 + s % 12));
                    a.put(Tag.StudyTime, String.format("%02d3000", 8 + s % 6));
                    a.put(Tag.Modality, MODALITIES[(s + k) % 3]);
                    a.put(Tag.SeriesNumber, Integer.toString(k + 1));
                    rows.add(row(series + "." + i, study, series, a));
                }
            }
        }
        // being removed: never found and never counted
        CatalogEntry gone = row("1.2.0.0.9", "1.2.0", "1.2.0.0", Map.of(Tag.PatientID, "P0", Tag.Modality, "CT"));
        rows.add(new CatalogEntry(gone.instance(), gone.attributes(), StorageTier.HOT, "x", null,
                MigrationState.REMOVING, null, null, null, null));
        assertThat(catalog.insertBatch(rows)).isEqualTo(rows.size());
    }

    private List<DicomDataset> reference(DicomDataset query, QueryMatcher m) {
        return m.find(query, catalog.list().stream().map(CatalogEntry::attributesDataset).toList());
    }

    private static DicomDataset query(String level, Object... keys) {
        DicomDataset q = new DicomDataset().setString(Tag.QueryRetrieveLevel, level)
                .set(Tag.NumberOfStudyRelatedInstances, VR.IS).set(Tag.NumberOfStudyRelatedSeries, VR.IS)
                .set(Tag.ModalitiesInStudy, VR.CS).set(Tag.NumberOfSeriesRelatedInstances, VR.IS)
                .set(Tag.PatientName, VR.PN).set(Tag.StudyDate, VR.DA);
        for (int i = 0; i < keys.length; i += 2) {
            q.setString((Integer) keys[i], (String) keys[i + 1]);
        }
        return q;
    }

    @Test
    void pagesAreSlicesOfTheMatchersAnswerWithWholeStudyAggregates() {
        fill();
        QueryMatcher ci = new QueryMatcher(true);
        List<Object[]> keys = List.of(new Object[] {}, new Object[] {Tag.PatientID, "P1"},
                new Object[] {Tag.StudyDate, "20240301-20240831"}, new Object[] {Tag.Modality, "MR"},
                new Object[] {Tag.StudyDate, "202405"}, new Object[] {Tag.SeriesNumber, "02"},
                new Object[] {Tag.NumberOfStudyRelatedSeries, "2"}, new Object[] {Tag.PatientName, "SMITH*"},
                new Object[] {Tag.StudyTime, "0900-1100"}, new Object[] {Tag.PatientID, "P2\\P3"});
        for (String level : List.of("PATIENT", "STUDY", "SERIES", "IMAGE")) {
            for (Object[] k : keys) {
                for (QueryMatcher m : List.of(QueryMatcher.DEFAULT, ci)) {
                    DicomDataset q = query(level, k);
                    List<DicomDataset> expected = reference(q, m);
                    String what = level + " " + q + " ci=" + m.caseInsensitivePersonNames();
                    assertThat(catalog.find(q, m)).as(what).isEqualTo(expected);
                    for (int size : new int[] {1, 4}) {
                        List<DicomDataset> paged = new ArrayList<>();
                        for (int offset = 0; offset <= expected.size(); offset += size) {
                            List<DicomDataset> page = catalog.find(q, m, size, offset);
                            assertThat(page.size()).as(what).isLessThanOrEqualTo(size);
                            paged.addAll(page);
                        }
                        assertThat(paged).as(what + " in pages of " + size).isEqualTo(expected);
                    }
                }
            }
        }
        // the case-insensitive matcher finds non-ASCII names SQL cannot fold
        assertThat(catalog.find(query("STUDY", Tag.PatientName, "müller*"), ci)).hasSize(4);
        assertThat(catalog.find(query("STUDY", Tag.PatientName, "SMITH*"), ci)).hasSize(6);
        assertThat(catalog.find(query("STUDY"), QueryMatcher.DEFAULT, 0, 0)).isEmpty();
        assertThat(catalog.find(query("STUDY"), QueryMatcher.DEFAULT, 5, 1000)).isEmpty();
        assertThatThrownBy(() -> catalog.find(query("STUDY"), QueryMatcher.DEFAULT, -1, 0))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.INVALID_INPUT));
    }

    @Test
    void dateAndTimeRangesReturnExactlyTheInRangeRows() {
        String[] dates = {"20231231", "20240101", "20240615", "20241231", "20250101", "2024.03.05", "2024",
                "202406", "202412311200", "2023", "20240100"};
        String[] times = {"075959", "080000", "0830", "10:45", "12", "120000.5", "120001", "13"};
        List<CatalogEntry> rows = new ArrayList<>();
        for (int i = 0; i < dates.length; i++) {
            rows.add(row("3.1." + i, "3.1." + i, "3.1." + i + ".1", Map.of(Tag.StudyDate, dates[i])));
        }
        for (int i = 0; i < times.length; i++) {
            rows.add(row("3.2." + i, "3.2." + i, "3.2." + i + ".1", Map.of(Tag.StudyTime, times[i])));
        }
        rows.add(row("3.3.1", "3.3.1", "3.3.1.1", Map.of(Tag.PatientID, "no date")));
        catalog.insertBatch(rows);
        assertThat(dates(catalog.find(new DicomDataset().setString(Tag.StudyDate, "20240101-20241231"),
                QueryMatcher.DEFAULT))).containsExactlyInAnyOrder("20240101", "20240615", "20241231", "2024.03.05",
                "2024", "202406", "202412311200");
        for (String key : List.of("20240101-20241231", "-20231231", "20240601-", "20240615", "2024", "202406",
                "20240601-20240630", "20241231-20240101", "2024.06.01-2024.06.30", "20231231-20240101", "-",
                "2024*", "20240101\\20250101")) {
            DicomDataset q = new DicomDataset().setString(Tag.StudyDate, key);
            assertThat(catalog.find(q, QueryMatcher.DEFAULT)).as(key).isEqualTo(reference(q, QueryMatcher.DEFAULT));
            DicomDataset s = new DicomDataset().setString(Tag.QueryRetrieveLevel, "STUDY").setString(Tag.StudyDate, key);
            assertThat(catalog.find(s, QueryMatcher.DEFAULT, 2, 1)).as(key)
                    .isEqualTo(slice(reference(s, QueryMatcher.DEFAULT), 2, 1));
        }
        for (String key : List.of("0800-1200", "08-12", "1000-", "-0830", "12", "0830", "1200-1200")) {
            DicomDataset q = new DicomDataset().setString(Tag.StudyTime, key);
            assertThat(catalog.find(q, QueryMatcher.DEFAULT)).as(key).isEqualTo(reference(q, QueryMatcher.DEFAULT));
        }
    }

    private static List<DicomDataset> slice(List<DicomDataset> all, int limit, int offset) {
        return all.subList(Math.min(all.size(), offset), Math.min(all.size(), offset + limit));
    }

    private static List<String> dates(List<DicomDataset> results) {
        return results.stream().map(d -> d.getString(Tag.StudyDate, "")).toList();
    }

    @Test
    void theDateRangePatientIdAndNamePrefixUseTheirIndexes() throws Exception {
        List<CatalogEntry> rows = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            int day = i % 3650;
            rows.add(row("4.1." + i, "4.2." + i / 4, "4.3." + i / 2, Map.of(Tag.PatientID, "PID" + i / 8,
                    Tag.PatientName, "NAME" + i / 8 + "^X", Tag.StudyDate, String.format("%04d%02d%02d",
                            2015 + day / 365, 1 + day % 365 / 31, 1 + day % 28))));
        }
        catalog.insertBatch(rows);
        sql("ANALYZE");
        DicomDataset byDate = new DicomDataset().setString(Tag.QueryRetrieveLevel, "STUDY")
                .setString(Tag.StudyDate, "20200301-20200331");
        assertThat(catalog.explainFind(byDate, QueryMatcher.DEFAULT, 100, 0)).contains("ix_instances_study_date_key");
        assertThat(catalog.find(byDate, QueryMatcher.DEFAULT, 100, 0)).isNotEmpty()
                .isEqualTo(slice(reference(byDate, QueryMatcher.DEFAULT), 100, 0));
        DicomDataset byPatient = new DicomDataset().setString(Tag.PatientID, "PID42");
        assertThat(catalog.explainFind(byPatient, QueryMatcher.DEFAULT, 100, 0)).contains("ix_instances_patient_id");
        DicomDataset byName = new DicomDataset().setString(Tag.QueryRetrieveLevel, "STUDY")
                .setString(Tag.PatientName, "NAME42*");
        assertThat(catalog.explainFind(byName, QueryMatcher.DEFAULT, 100, 0)).contains(namePrefixIndex(false));
        assertThat(catalog.explainFind(byName, new QueryMatcher(true), 100, 0)).contains(namePrefixIndex(true));
        assertThat(catalog.find(byName, new QueryMatcher(true))).hasSize(22); // NAME42: 2 studies, NAME420..NAME429: 20
    }

    /** The index a PatientName prefix uses: case-sensitive or not. */
    protected abstract String namePrefixIndex(boolean caseInsensitive);

    @Test
    void forEachWalksEveryRowInPagesInUidOrder() {
        List<CatalogEntry> rows = new ArrayList<>();
        for (int i = 0; i < 2_345; i++) {
            rows.add(row("5.1." + i, "5.2", "5.3", Map.of(Tag.PatientID, "P")));
        }
        CatalogEntry gone = row("5.0", "5.2", "5.3", Map.of());
        rows.add(new CatalogEntry(gone.instance(), gone.attributes(), StorageTier.HOT, "x", null,
                MigrationState.REMOVING, null, null, null, null));
        catalog.insertBatch(rows);
        List<CatalogEntry> walked = new ArrayList<>();
        catalog.forEach(walked::add);
        assertThat(walked).hasSize(2_345).isEqualTo(catalog.list());
    }
}
