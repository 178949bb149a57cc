package org.pacs.storage.hsm;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/**
 * An HSM on real parts for service tests: FileStorage hot and warm tiers (warm behind a {@link HookedBackend}),
 * a SQLite catalog, and a {@link MutableClock} that ages instances and drives the schedule.
 */
final class HsmTestBed implements AutoCloseable {

    /** Starts at the real now: a tier may stamp stored_at with the wall clock rather than the HSM's clock. */
    static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    static final Duration HOT_TO_WARM = Duration.ofDays(30);

    final MutableClock clock = new MutableClock(T0);
    final HookedBackend warm;
    final HsmStorage hsm;
    private final String study = UidGenerator.newUid();
    private final String series = UidGenerator.newUid();

    HsmTestBed(Path dir) {
        this(dir, TierPolicy.DEFAULT.withMaxInstancesPerCycle(100_000));
    }

    HsmTestBed(Path dir, TierPolicy policy) {
        this(dir, policy, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")), "node-test");
    }

    HsmTestBed(Path dir, TierPolicy policy, InstanceCatalog catalog, String nodeId) {
        this(dir, policy, catalog, nodeId, new FileStorage(FileStorageConfig.of(dir.resolve("warm")).withFsync(false)));
    }

    /** With {@code warmBackend} (blob-backed: its store is the warm tier) instead of a file root under dir. */
    HsmTestBed(Path dir, TierPolicy policy, InstanceCatalog catalog, String nodeId,
               org.pacs.storage.StorageBackend warmBackend) {
        FileStorage hot = new FileStorage(FileStorageConfig.of(dir.resolve("hot")).withFsync(false));
        warm = new HookedBackend(warmBackend);
        HsmStorageConfig config = HsmStorageConfig.defaults().withClock(clock).withNodeId(nodeId)
                .withPolicy(policy.withHotToWarm(HOT_TO_WARM));
        hsm = new HsmStorage(hot, warm, null, catalog, config);
    }

    /** Stores {@code n} small synthetic instances at the clock's current time; they land in hot. */
    List<SopInstanceUid> storeInstances(int n) {
        // In parallel for the big sets: HsmStorage is thread-safe, and setup time is not what is tested.
        return IntStream.range(0, n).parallel().mapToObj(i -> hsm.store(instance(study, series, i)).sopInstanceUid())
                .toList();
    }

    /** Moves the clock past hot_to_warm so everything stored so far is a migration candidate. */
    void ageAll() {
        clock.advance(HOT_TO_WARM.plusDays(1));
    }

    static DicomDataset instance(String study, String series, int i) {
        DicomDataset d = new DicomDataset();
        d.setString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        d.setString(Tag.SOPInstanceUID, UidGenerator.newUid());
        d.setString(Tag.StudyInstanceUID, study);
        d.setString(Tag.SeriesInstanceUID, series);
        d.setString(Tag.PatientID, "MIGRATION-TEST");
        d.setString(Tag.PatientName, "Test^Migration");
        d.setString(Tag.Modality, "OT");
        // Image Comments (0020,4000) LT: a few hundred bytes so byte counts are non-trivial.
        d.set(0x00204000, VR.LT, "instance " + i + " " + "x".repeat(500 + i % 100));
        return d;
    }

    StorageTier tierOf(SopInstanceUid uid) {
        return hsm.getTier(uid).orElseThrow();
    }

    @Override
    public void close() {
        hsm.close();
    }
}
