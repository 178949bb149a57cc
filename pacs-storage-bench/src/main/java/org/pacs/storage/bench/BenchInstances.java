package org.pacs.storage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * The CT-sized instances the ingest benchmarks (DimseBench, IngestBench) send: one study, one series, new UIDs
 * each, {@code bytes} of pixel data, so every bench measures the same files.
 */
final class BenchInstances {

    /** The files and the study and series they all belong to. */
    record Series(Path dir, List<Path> files, String studyUid, String seriesUid, long totalBytes) {
    }

    private BenchInstances() {
    }

    static Series ct(Path dir, int count, int bytes) throws Exception {
        Files.createDirectories(dir);
        String study = UidGenerator.newUid();
        String series = UidGenerator.newUid();
        List<Path> out = new ArrayList<>(count);
        long total = 0;
        for (int i = 0; i < count; i++) {
            DicomDataset h = SyntheticInstances.header("BENCH", "Bench^Ingest", study, series, UidGenerator.newUid(),
                    "CT", "20240101");
            Path f = dir.resolve("ct" + i + ".dcm");
            total += SyntheticInstances.write(f, h, bytes, i);
            out.add(f);
        }
        return new Series(dir, out, study, series, total);
    }
}
