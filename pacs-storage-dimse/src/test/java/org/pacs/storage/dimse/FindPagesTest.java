package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/**
 * {@link FindPages} over a real catalogued FileStorage (SQL paging), with pages of 7 so that a few dozen
 * instances span many pages: at every level the walk delivers the unpaged answer exactly, and while entities are
 * inserted and removed before its position it still delivers each surviving entity once.
 */
class FindPagesTest {

    @TempDir
    Path dir;
    StorageBackend archive;

    @BeforeEach
    void fill() {
        archive = new FileStorage(FileStorageConfig.of(dir.resolve("a")).withFsync(false));
        // 6 patients x 2 studies x 2 series x 2 instances, UIDs of mixed lengths so byte order is not numeric
        for (int p = 1; p <= 6; p++) {
            for (int st = 1; st <= 2; st++) {
                for (int se = 1; se <= 2; se++) {
                    for (int i = 1; i <= (p == 3 ? 1 : 2); i++) {
                        store("P" + (p * 7 % 10), "1.9." + p * 13 + "." + st, "1.9." + p * 13 + "." + st + "." + se,
                                "1.9." + p * 13 + "." + st + "." + se + "." + i * 11, p % 2 == 0 ? "CT" : "MR");
                    }
                }
            }
        }
    }

    @AfterEach
    void close() {
        archive.close();
    }

    private void store(String pid, String study, String series, String sop, String modality) {
        archive.store(new DicomDataset().set(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7")
                .set(Tag.SOPInstanceUID, VR.UI, sop).set(Tag.PatientID, VR.LO, pid)
                .set(Tag.PatientName, VR.PN, "N^" + pid).set(Tag.StudyInstanceUID, VR.UI, study)
                .set(Tag.SeriesInstanceUID, VR.UI, series).set(Tag.Modality, VR.CS, modality));
    }

    private static DicomDataset query(String level, int... returnKeys) {
        DicomDataset q = new DicomDataset().set(Tag.QueryRetrieveLevel, VR.CS, level);
        for (int t : returnKeys) {
            q.set(t, t == Tag.NumberOfStudyRelatedInstances || t == Tag.NumberOfSeriesRelatedInstances ? VR.IS
                    : t == Tag.ModalitiesInStudy || t == Tag.Modality ? VR.CS : VR.UI);
        }
        return q;
    }

    private static List<DicomDataset> all(FindPages pages) {
        List<DicomDataset> out = new ArrayList<>();
        pages.forEachRemaining(out::add);
        return out;
    }

    @Test
    void everyLevelPagesToTheUnpagedAnswer() {
        List<DicomDataset> queries = List.of(
                query("PATIENT").set(Tag.PatientID, VR.LO),
                query("STUDY", Tag.StudyInstanceUID, Tag.NumberOfStudyRelatedInstances, Tag.ModalitiesInStudy),
                query("SERIES", Tag.SeriesInstanceUID, Tag.NumberOfSeriesRelatedInstances),
                query("IMAGE", Tag.SOPInstanceUID),
                // a key the SQL cannot apply exactly (wildcard in the middle) takes the streamed plan
                query("SERIES", Tag.SeriesInstanceUID).set(Tag.Modality, VR.CS, "C*"),
                query("STUDY", Tag.StudyInstanceUID).set(Tag.ModalitiesInStudy, VR.CS, "MR"));
        for (DicomDataset q : queries) {
            List<DicomDataset> expected = archive.find(q);
            FindPages pages = new FindPages(archive, q, 7);
            List<DicomDataset> got = all(pages);
            assertThat(got).as(q.toString()).isEqualTo(expected);
            assertThat(expected.size()).as(q.toString()).isGreaterThan(2);
            assertThat(pages.pagesRead()).as(q.toString()).isEqualTo(expected.size() / 7 + 1);
        }
        assertThat(archive.find(queries.get(1))).hasSize(12);
        assertThat(archive.find(queries.get(3))).hasSize(44);
    }

    @Test
    void insertsAndRemovalsBeforeThePositionNeitherRepeatNorDropASurvivor() {
        DicomDataset q = query("IMAGE", Tag.SOPInstanceUID);
        List<String> before = archive.find(q).stream().map(d -> d.getString(Tag.SOPInstanceUID, "")).toList();
        List<String> removed = new ArrayList<>();
        int[] calls = {0};
        StorageBackend changing = new ForwardingStorageBackend(archive) {
            @Override
            public List<DicomDataset> find(DicomDataset query, int limit, int offset) {
                calls[0]++;
                if (calls[0] % 2 == 0) {
                    // two new entities sorting first, so the answer shifts right under the walk
                    FindPagesTest.this.store("P0", "1.1." + calls[0], "1.1." + calls[0] + ".1", "1.1." + calls[0] + ".1.1", "CT");
                    FindPagesTest.this.store("P0", "1.1." + calls[0], "1.1." + calls[0] + ".1", "1.1." + calls[0] + ".1.2", "CT");
                } else if (calls[0] > 1) {
                    // and three already delivered ones removed, so it shifts left by more than the overlap
                    for (int k = 0; k < 3 && removed.size() < before.size() / 2; k++) {
                        String uid = before.get(removed.size());
                        archive.remove(SopInstanceUid.of(uid));
                        removed.add(uid);
                    }
                }
                return archive.find(query, limit, offset);
            }
        };
        List<String> got = all(new FindPages(changing, q, 7)).stream()
                .map(d -> d.getString(Tag.SOPInstanceUID, "")).toList();
        Set<String> unique = new HashSet<>(got);
        assertThat(unique).as("no duplicates").hasSameSizeAs(got);
        List<String> survivors = new ArrayList<>(before);
        survivors.removeAll(removed);
        assertThat(got).containsAll(survivors);
        assertThat(removed).isNotEmpty();
        assertThat(got).isSortedAccordingTo(FindPages.KEY_ORDER);
    }
}
