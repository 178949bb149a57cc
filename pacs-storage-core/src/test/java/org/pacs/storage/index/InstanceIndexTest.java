package org.pacs.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.query.QueryMatcher;

class InstanceIndexTest {

    static IndexEntry entry(String patient, String study, String series, String sop, long size) {
        StoredInstance i = new StoredInstance(SopInstanceUid.of(sop), study, series, "1.2.840.10008.5.1.4.1.1.7",
                "1.2.840.10008.1.2.1", size, "0".repeat(64), Instant.EPOCH);
        DicomDataset a = new DicomDataset().set(Tag.PatientID, VR.LO, patient).set(Tag.StudyInstanceUID, VR.UI, study)
                .set(Tag.SeriesInstanceUID, VR.UI, series).set(Tag.SOPInstanceUID, VR.UI, sop);
        return new IndexEntry(i, a);
    }

    @Test
    void statisticsFollowPutsReplacementsAndRemovals() {
        InstanceIndex index = new InstanceIndex();
        index.put(entry("P1", "1.1", "1.1.1", "1.1.1.1", 100));
        index.put(entry("P1", "1.1", "1.1.2", "1.1.2.1", 50));
        index.put(entry("P2", "2.1", "2.1.1", "2.1.1.1", 10));
        assertThat(index.statistics()).isEqualTo(new StorageStatistics(3, 160, 2, 3, 2));

        // Replacing moves the instance to another series of a new patient: counts follow.
        assertThat(index.put(entry("P3", "3.1", "3.1.1", "1.1.2.1", 70))).isPresent();
        assertThat(index.statistics()).isEqualTo(new StorageStatistics(3, 180, 3, 3, 3));

        index.remove(SopInstanceUid.of("1.1.1.1"));
        index.remove(SopInstanceUid.of("9.9"));
        assertThat(index.statistics()).isEqualTo(new StorageStatistics(2, 80, 2, 2, 2));
        assertThat(index.contains(SopInstanceUid.of("1.1.1.1"))).isFalse();
    }

    @Test
    void entriesDoNotShareMutableAttributes() {
        InstanceIndex index = new InstanceIndex();
        IndexEntry e = entry("P1", "1.1", "1.1.1", "1.1.1.1", 1);
        index.put(e);
        e.attributes().set(Tag.PatientID, VR.LO, "changed");
        index.entry(SopInstanceUid.of("1.1.1.1")).orElseThrow().attributes().set(Tag.PatientID, VR.LO, "x");
        DicomDataset q = new DicomDataset().set(Tag.PatientID, VR.LO, "P1");
        assertThat(index.find(q, QueryMatcher.DEFAULT)).hasSize(1);
    }

    @Test
    void concurrentWritersAndReadersKeepCountsExact() throws Exception {
        InstanceIndex index = new InstanceIndex();
        int threads = 8;
        int perThread = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    index.put(entry("P" + (i % 7), "1." + id, "1." + id + "." + (i % 3), "1." + id + ".9." + i, 2));
                    if (i % 25 == 0) {
                        index.find(new DicomDataset().set(Tag.QueryRetrieveLevel, VR.CS, "STUDY"), QueryMatcher.DEFAULT);
                    }
                    if (i % 2 == 0) {
                        index.remove(SopInstanceUid.of("1." + id + ".9." + i));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(index.statistics()).isEqualTo(new StorageStatistics(threads * perThread / 2,
                threads * perThread, threads, threads * 3, 7));
    }
}
