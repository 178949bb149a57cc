package org.pacs.storage.hsm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.pacs.storage.IntegrityReport;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobBacked;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.spool.SpooledInstance;
import org.pacs.storage.query.QueryMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hierarchical storage (spec §5, DES-STOR-007) over hot, warm and cold backends, with a persistent
 * {@link InstanceCatalog} as the single source of truth for where each instance lives.
 *
 * <ul>
 *   <li>{@code store} → hot tier, then catalogued (query attributes, size, SHA-256, stored_at).</li>
 *   <li>{@code retrieve}/{@code open} → the tier the catalog names; last_accessed recorded in batches
 *       ({@link #flushAccessTimes()}); an archived instance gets one restore request and
 *       {@link StorageException.Reason#ARCHIVED}.</li>
 *   <li>{@code find}, {@code list}, {@code exists}, {@code describe}, {@code statistics} → catalog only.</li>
 *   <li>{@link #getTier}, {@link #getTierMetadata}, {@link #migrate(SopInstanceUid, StorageTier)} (any
 *       direction, crash-safe, see {@link TierMigrator}), {@link #getMigrationCandidates},
 *       {@link #runMigrationCycle()}, {@link #getHsmStatistics()}.</li>
 *   <li>Several nodes on one catalog: {@link #claimMigrationBatch} claims candidates for this node with a
 *       lease; {@link #migrate} refuses (UNAVAILABLE) an instance another node holds a live claim on;
 *       {@link #recoverExpired()} takes over what dead nodes left.</li>
 * </ul>
 * At construction, migrations this node left unfinished (and any with an expired lease) are finished or rolled
 * back. The storage owns its backends and catalog and closes them.
 */
public final class HsmStorage implements StorageBackend, org.pacs.storage.SupportsStoredHeaders {

    private static final Logger LOG = LoggerFactory.getLogger(HsmStorage.class);
    /** Upper bound of {@link #getMigrationCandidates(StorageTier, StorageTier)}. */
    public static final int DEFAULT_CANDIDATE_LIMIT = 10_000;

    private final HsmTiers tiers;
    private final InstanceCatalog catalog;
    private final HsmStorageConfig config;
    private final UidLocks locks = new UidLocks();
    private final LeaseKeeper leases;
    private final TierMigrator migrator;
    private final BatchMigrator batchMigrator;
    private final GroupCommit group;
    private final HsmIngest ingest;
    private final IngestIntents intents;
    private final AccessTracker access;
    private final ArchiveRestores restores;
    private final HsmCycles cycles;
    private final TierSpace space;
    private final HotRelease release;
    private final HotRecalls recalls;
    private final List<AutoCloseable> owned;
    private volatile boolean closed;

    /**
     * Spec constructor: warm and cold may be null. Each backend must be blob-backed (FileStorage, S3Storage,
     * AzureBlobStorage): the HSM uses its blob store and this catalog, never the backend's own catalog.
     */
    public HsmStorage(StorageBackend hot, StorageBackend warm, StorageBackend cold, InstanceCatalog catalog,
                      HsmStorageConfig config) {
        this(blobStores(hot, warm, cold), catalog, config, backendsOf(hot, warm, cold));
    }

    /** Over one blob store per tier (two tiers may share an archive-class store); owns stores and catalog. */
    public HsmStorage(Map<StorageTier, ? extends BlobStore> stores, InstanceCatalog catalog, HsmStorageConfig config) {
        this(stores, catalog, config, List.of());
    }

    private HsmStorage(Map<StorageTier, ? extends BlobStore> stores, InstanceCatalog catalog, HsmStorageConfig config,
                       List<AutoCloseable> owned) {
        this.config = config;
        this.catalog = catalog;
        this.owned = owned;
        this.tiers = new HsmTiers(new EnumMap<>(stores), config.inPlaceClasses(), config.clock());
        // first: the one step that can fail on the file system, before any thread is started
        this.intents = IngestIntents.open(tiers.blobs(StorageTier.HOT).spoolDir(), journalTag());
        this.leases = new LeaseKeeper(catalog, config);
        this.migrator = new TierMigrator(catalog, tiers, config, locks, leases);
        this.restores = new ArchiveRestores(config);
        this.batchMigrator = new BatchMigrator(catalog, tiers, config, locks, migrator, restores);
        this.group = new GroupCommit(catalog, tiers.blobs(StorageTier.HOT), config.faultHook());
        this.ingest = new HsmIngest(catalog, tiers, config, locks, migrator, group, intents);
        this.access = new AccessTracker(catalog, config.clock(), config.accessFlushThreshold(),
                config.accessFlushInterval());
        this.cycles = new HsmCycles(catalog, tiers, config, access::flush);
        this.space = new TierSpace(catalog, tiers, config.space());
        this.release = new HotRelease(catalog, tiers, config, space, locks, migrator::lease);
        this.recalls = new HotRecalls(catalog, tiers, config, space, locks, migrator::lease, migrator.recovery(),
                release::trigger);
        // another process's unfinished rows are taken over only once their lease expires (node ids are per process)
        try {
            migrator.recovery().recoverUnfinished(config.nodeId(), locks);
            // stores a dead process had put but not committed: catalogued from the blobs, not lost as orphans
            IngestIntents.recover(tiers.blobs(StorageTier.HOT).spoolDir(),
                    keys -> new CatalogRebuilder(catalog, tiers, config).adopt(StorageTier.HOT, keys));
        } catch (RuntimeException e) {
            intents.close();
            group.close();
            access.close();
            recalls.close();
            release.close();
            leases.close();
            throw e;
        }
    }

    /** Unique per archive opened: several may share one hot tier, in one process or in several. */
    private static String journalTag() {
        return Long.toHexString(ProcessHandle.current().pid()) + "-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static Map<StorageTier, BlobStore> blobStores(StorageBackend hot, StorageBackend warm,
                                                          StorageBackend cold) {
        Map<StorageTier, BlobStore> m = new EnumMap<>(StorageTier.class);
        StorageBackend[] b = {hot, warm, cold};
        Map<StorageBackend, BlobStore> seen = new java.util.IdentityHashMap<>();
        for (StorageTier t : StorageTier.values()) {
            StorageBackend backend = b[t.ordinal()];
            if (backend == null) {
                continue;
            }
            if (!(backend instanceof BlobBacked bb)) {
                throw StorageException.invalidInput("The " + t.name().toLowerCase() + " tier backend "
                        + backend.getClass().getSimpleName() + " keeps no blob store; give a FileStorage,"
                        + " S3Storage or AzureBlobStorage, or a BlobStore.");
            }
            m.put(t, seen.computeIfAbsent(backend, x -> bb.blobStore()));
        }
        return m;
    }

    private static List<AutoCloseable> backendsOf(StorageBackend... backends) {
        List<AutoCloseable> out = new ArrayList<>();
        for (StorageBackend b : backends) {
            if (b != null && !out.contains(b)) {
                out.add(b);
            }
        }
        return out;
    }

    public HsmStorageConfig config() {
        return config;
    }

    public InstanceCatalog catalog() {
        return catalog;
    }

    /** The blob store behind a tier (INVALID_INPUT when the tier is not configured). */
    public BlobStore tierStore(StorageTier tier) {
        return tiers.blobs(tier);
    }

    /** True when {@code tier}'s store holds a blob for {@code instance} under its key, whatever the catalog says. */
    public boolean tierHolds(StorageTier tier, StoredInstance instance) {
        return tiers.tier(tier).holds(instance);
    }

    // ---- store ----------------------------------------------------------------------------------------------

    @Override
    public StoredInstance store(DicomDataset dataset) {
        ensureOpen();
        return stored(() -> tiers.tier(StorageTier.HOT).spooler().spool(dataset));
    }

    @Override
    public StoredInstance store(Path file) {
        ensureOpen();
        return stored(() -> tiers.tier(StorageTier.HOT).spool(file));
    }

    @Override
    public StoredInstance store(InputStream in) {
        ensureOpen();
        return stored(() -> tiers.tier(StorageTier.HOT).spooler().spool(in));
    }

    /**
     * Spools, checks hot's room, stores. A full hot tier (its capacity by the catalog, or the file system's
     * ENOSPC while spooling or putting) is OUT_OF_SPACE naming the tier, with the spool file removed (closing the
     * spooled instance deletes it). A store that finds hot above the high watermark starts a release pass in the
     * background and does not wait for it.
     */
    private StoredInstance stored(java.util.function.Supplier<SpooledInstance> spool) {
        SpooledInstance spooled;
        try {
            spooled = spool.get();
        } catch (StorageException e) {
            throw outOfSpace(e);
        }
        try (SpooledInstance s = spooled) {
            try {
                space.checkRoom(StorageTier.HOT, s.instance().sizeBytes());
            } catch (StorageException full) {
                // what is needed, and only then: a pass on this thread (one at a time) may free cache copies
                if (release.pass().released() == 0) {
                    throw full;
                }
                space.checkRoom(StorageTier.HOT, s.instance().sizeBytes());
            }
            StoredInstance stored;
            try {
                stored = ingest.store(s);
            } catch (StorageException e) {
                throw outOfSpace(e);
            }
            space.added(StorageTier.HOT, stored.sizeBytes());
            if (space.estimate(StorageTier.HOT) < 0 || space.hotAboveHigh()) {
                release.trigger(); // the first store also has hot's figure computed, off this thread
            }
            return stored;
        }
    }

    /** The file system's ENOSPC (spooling or putting) as OUT_OF_SPACE naming the hot tier; other errors as they are. */
    private StorageException outOfSpace(StorageException e) {
        if (!TierSpace.outOfSpace(e)) {
            return e;
        }
        release.trigger();
        return space.full(StorageTier.HOT, "its file system has no space left (" + e.getMessage() + ")", e);
    }

    // ---- read -------------------------------------------------------------------------------------------------

    @Override
    public DicomDataset retrieve(SopInstanceUid uid) {
        try (InputStream in = open(uid)) {
            DicomFile f = DicomReader.read(in);
            // The meta group travels with the dataset so storing it again keeps its transfer syntax.
            DicomDataset d = f.dataset().copy();
            for (var e : f.fileMeta().elements()) {
                d.put(e);
            }
            return d;
        } catch (IOException e) {
            throw StorageException.unavailable("Reading instance " + uid + " failed (" + e.getMessage()
                    + "); retry, and run verify if it persists.", e);
        }
    }

    @Override
    public InputStream open(SopInstanceUid uid) {
        return read(uid, (t, i) -> t.open(i));
    }

    /** {@code length} bytes of the stored instance from {@code offset}: one ranged read of its tier. */
    @Override
    public InputStream open(SopInstanceUid uid, long offset, long length) {
        return read(uid, (t, i) -> t.blobs().open(t.key(i), offset, length));
    }

    /**
     * Reads from hot when it holds a recorded cache copy (not being released), else from the catalog's tier. A
     * migration or release may commit and delete a copy between the catalog lookup and the read; NOT_FOUND then
     * falls back to the home tier, or triggers a fresh lookup, which names the new tier. With recall on read, a
     * read answered from warm or cold asks for a copy back to hot once its stream is closed.
     */
    private InputStream read(SopInstanceUid uid, java.util.function.BiFunction<TierStore, StoredInstance,
            InputStream> op) {
        ensureOpen();
        StorageException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            CatalogEntry e = live(uid).orElseThrow(() -> StorageException.notFound(uid));
            TierStore t = tiers.tier(e.tier());
            InputStream result = null;
            if (e.hotCopy() && e.migrationState() != MigrationState.RELEASING) {
                try {
                    result = op.apply(tiers.tier(StorageTier.HOT), e.instance());
                } catch (StorageException ex) {
                    if (ex.reason() != StorageException.Reason.NOT_FOUND) {
                        throw ex;
                    }
                    // released meanwhile: the home copy answers
                }
            }
            try {
                if (result == null) {
                    result = recalls.afterRead(op.apply(t, e.instance()), e);
                }
            } catch (StorageException ex) {
                if (ex.reason() == StorageException.Reason.ARCHIVED) {
                    throw config.restoreOnRead() ? restores.archived(t, e.instance(), ex) : ex;
                }
                if (ex.reason() != StorageException.Reason.NOT_FOUND) {
                    throw ex;
                }
                last = ex;
                continue;
            }
            if (config.trackAccessTime()) {
                access.touched(uid); // never throws, never waits on the catalog: the stream cannot leak here
            }
            return result;
        }
        throw new StorageException(StorageException.Reason.NOT_FOUND, "Instance " + uid + " is catalogued but its"
                + " tier has no copy; run verify and restore it from a backup.", last);
    }

    private Optional<CatalogEntry> live(SopInstanceUid uid) {
        return catalog.get(uid).filter(e -> e.migrationState() != MigrationState.REMOVING);
    }

    /** The header kept at ingest, from the catalog alone: no tier is asked, whatever class it is in. */
    @Override
    public Optional<org.pacs.storage.StoredHeader> storedHeader(SopInstanceUid uid) {
        ensureOpen();
        return catalog.storedHeader(uid);
    }

    @Override
    public Map<SopInstanceUid, org.pacs.storage.StoredHeader> storedHeaders(String studyInstanceUid,
                                                                             String seriesInstanceUid) {
        ensureOpen();
        return catalog.storedHeaders(studyInstanceUid, seriesInstanceUid);
    }

    @Override
    public Optional<StoredInstance> describe(SopInstanceUid uid) {
        return live(uid).map(CatalogEntry::instance);
    }

    @Override
    public boolean exists(SopInstanceUid uid) {
        return live(uid).isPresent();
    }

    @Override
    public List<DicomDataset> find(DicomDataset query) {
        ensureOpen();
        return catalog.find(query, QueryMatcher.DEFAULT);
    }

    /** A page of the answer, paged in the catalog's SQL: memory holds the page, not the archive. */
    @Override
    public List<DicomDataset> find(DicomDataset query, int limit, int offset) {
        ensureOpen();
        return catalog.find(query, QueryMatcher.DEFAULT, limit, offset);
    }

    @Override
    public List<StoredInstance> list() {
        List<StoredInstance> out = new ArrayList<>();
        for (CatalogEntry e : catalog.list()) {
            out.add(e.instance());
        }
        return out;
    }

    @Override
    public StorageStatistics statistics() {
        return catalog.statistics();
    }

    /** Group commit's counts since this archive opened (stores, sync rounds, catalog transactions). */
    public IngestStatistics ingestStatistics() {
        return group.stats();
    }

    @Override
    public IntegrityReport verifyIntegrity() {
        ensureOpen();
        return new HsmIntegrity(catalog, tiers).verify();
    }

    /** Rebuilds the catalog from what the tiers hold (see {@link CatalogRebuilder}). */
    public CatalogRebuilder.Result rebuildCatalog() {
        ensureOpen();
        return new CatalogRebuilder(catalog, tiers, config).rebuild();
    }

    // ---- remove -----------------------------------------------------------------------------------------------

    @Override
    public void remove(SopInstanceUid uid) {
        ensureOpen();
        ReentrantLock lock = locks.lockFor(uid);
        lock.lock();
        try {
            if (!catalog.claim(uid, config.nodeId(), config.clock().instant(), migrator.lease())) {
                throw catalog.get(uid).isPresent() ? new StorageException(StorageException.Reason.UNAVAILABLE,
                        "Instance " + uid + " is being moved by another node; retry the removal later.")
                        : StorageException.notFound(uid);
            }
            CatalogEntry e = catalog.get(uid).orElseThrow(() -> StorageException.notFound(uid));
            if (e.migrationState() != MigrationState.NONE && e.migrationState() != MigrationState.REMOVING) {
                migrator.recovery().recover(e); // a dead move of ours: settle it first
                e = catalog.get(uid).orElseThrow(() -> StorageException.notFound(uid));
            }
            if (e.migrationState() == MigrationState.NONE && !catalog.advance(uid, config.nodeId(),
                    MigrationState.NONE, MigrationState.REMOVING, migrator.lease())) {
                throw new StorageException(StorageException.Reason.UNAVAILABLE, "Instance " + uid
                        + " changed during removal; retry.");
            }
            migrator.recovery().recover(catalog.get(uid).orElseThrow(() -> StorageException.notFound(uid)));
        } finally {
            lock.unlock();
        }
    }

    // ---- HSM operations ----------------------------------------------------------------------------------------

    public Optional<StorageTier> getTier(SopInstanceUid uid) {
        return live(uid).map(CatalogEntry::tier);
    }

    public Optional<TierMetadata> getTierMetadata(SopInstanceUid uid) {
        return live(uid).map(CatalogEntry::toTierMetadata);
    }

    /**
     * Moves one instance to {@code target} in any direction (recall included), crash-safe. Returns false when
     * it lives there already. UNAVAILABLE when another node holds a live claim on it; ARCHIVED (after asking
     * for a restore) when the source copy must be restored first.
     */
    public boolean migrate(SopInstanceUid uid, StorageTier target) {
        ensureOpen();
        try {
            return migrator.migrate(uid, target);
        } catch (StorageException e) {
            throw restores.ifArchived(e, uid, catalog, tiers);
        }
    }

    /**
     * Moves many instances as {@link #migrate(SopInstanceUid, StorageTier)} does, each step for the whole batch
     * at once (one catalog commit, one flush per backend), so small instances move fast. Each one's fate,
     * failures included (a catalog that dies mid-way too), is in the result.
     */
    public MigrationBatchResult migrate(java.util.Collection<SopInstanceUid> uids, StorageTier target) {
        return migrate(uids, target, () -> true);
    }

    /** As above; once {@code proceed} is false no further copy starts, and the rest come back unchanged. */
    public MigrationBatchResult migrate(java.util.Collection<SopInstanceUid> uids, StorageTier target,
                                        java.util.function.BooleanSupplier proceed) {
        ensureOpen();
        return batchMigrator.migrate(List.copyOf(new java.util.LinkedHashSet<>(uids)), target, proceed);
    }

    /** Candidates by policy, oldest first, at most {@link #DEFAULT_CANDIDATE_LIMIT}. */
    public List<TierMetadata> getMigrationCandidates(StorageTier from, StorageTier to) {
        return getMigrationCandidates(from, to, DEFAULT_CANDIDATE_LIMIT);
    }

    /** Candidates by policy: idle (last access, else age) past the threshold, at least min size, oldest first. */
    public List<TierMetadata> getMigrationCandidates(StorageTier from, StorageTier to, int limit) {
        ensureOpen();
        return cycles.candidates(from, to, limit);
    }

    /**
     * Claims up to the policy's per-cycle instance and byte budgets of candidates for this node, with a lease,
     * atomically against other nodes. The caller migrates each task with {@link #migrate} (which releases it)
     * or gives it back with {@link #releaseClaim}.
     */
    public ClaimedBatch claimMigrationBatch(int maxInstances, long maxBytes) {
        ensureOpen();
        return cycles.claim(maxInstances, maxBytes);
    }

    public void releaseClaim(SopInstanceUid uid) {
        catalog.release(uid, config.nodeId());
    }

    /**
     * One policy cycle on this thread, through the same {@link org.pacs.storage.hsm.service.MigrationCycle} the
     * migration service runs (one at a time here); a no-op result when auto_migrate is off.
     */
    public MigrationResult runMigrationCycle() {
        ensureOpen();
        if (!config.policy().autoMigrate()) {
            return MigrationResult.EMPTY;
        }
        recoverExpired();
        return new org.pacs.storage.hsm.service.MigrationCycle(this, Runnable::run, 1,
                new org.pacs.storage.hsm.service.RetryBackoff(config.clock(), java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(1)),
                new org.pacs.storage.hsm.service.Callbacks(r -> { }, (u, m) -> { }),
                new org.pacs.storage.hsm.service.ConcurrencyGauge()).run();
    }

    /** Finishes or undoes migrations whose node's lease expired (a node that died). */
    public int recoverExpired() {
        return migrator.recovery().recoverUnfinished(null, locks);
    }

    /** Asks the instance's tier for a restore; a tier that never archives answers NOT_ARCHIVED. */
    public org.pacs.storage.RestoreStatus requestRestore(SopInstanceUid uid, int days,
                                                         org.pacs.storage.ArchivalBackend.RestorePriority priority) {
        CatalogEntry e = live(uid).orElseThrow(() -> StorageException.notFound(uid));
        TierStore t = tiers.tier(e.tier());
        return t.archive().map(a -> a.requestRestore(t.key(e.instance()), days, priority))
                .orElseGet(() -> ArchiveRestores.status(t, e.instance()));
    }

    public org.pacs.storage.RestoreStatus restoreStatus(SopInstanceUid uid) {
        CatalogEntry e = live(uid).orElseThrow(() -> StorageException.notFound(uid));
        return ArchiveRestores.status(tiers.tier(e.tier()), e.instance());
    }

    /**
     * One release pass on this thread (after any pass already running): when hot holds more than the high
     * watermark of its capacity, hot cache copies are deleted oldest access first down to the low watermark
     * (see {@link HotRelease}). Nothing happens below the high watermark or without a hot capacity.
     */
    public ReleaseResult releaseHotCopies() {
        ensureOpen();
        return release.pass();
    }

    /** Recalls one instance to hot as a cache copy now (what recall on read does in the background). */
    public boolean recallToHot(SopInstanceUid uid) {
        ensureOpen();
        return recalls.recall(uid);
    }

    /** Each tier's capacity in bytes (configured, else a file tier's file system size), -1 when it has none. */
    public Map<StorageTier, Long> tierCapacities() {
        Map<StorageTier, Long> out = new EnumMap<>(StorageTier.class);
        for (StorageTier t : tiers.tiers()) {
            out.put(t, space.capacity(t).orElse(-1));
        }
        return out;
    }

    /** The tiers holding a copy of the instance: its home tier first, then hot when it keeps a cache copy. */
    public List<StorageTier> copies(SopInstanceUid uid) {
        CatalogEntry e = live(uid).orElseThrow(() -> StorageException.notFound(uid));
        return e.hotCopy() && e.migrationState() != MigrationState.RELEASING ? List.of(e.tier(), StorageTier.HOT)
                : List.of(e.tier());
    }

    public HsmStatistics getHsmStatistics() {
        Map<StorageTier, Long> counts = new EnumMap<>(StorageTier.class);
        Map<StorageTier, Long> bytes = new EnumMap<>(StorageTier.class);
        catalog.tierUsage().forEach((t, u) -> {
            counts.put(t, u.instances());
            bytes.put(t, u.bytes());
        });
        InstanceCatalog.TierUsage cached = catalog.hotCopyUsage();
        SpaceConfig sc = config.space();
        return new HsmStatistics(counts, bytes, catalog.counter(InstanceCatalog.MIGRATIONS_COMPLETED),
                catalog.counter(InstanceCatalog.MIGRATIONS_FAILED), cached.instances(), cached.bytes(),
                tierCapacities(), sc.highWatermark(), sc.lowWatermark());
    }

    /** Writes pending last-access times now (otherwise: at the threshold, on the timer, and at close). */
    public void flushAccessTimes() {
        access.flush();
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "This HSM storage is closed; open a"
                    + " new one.");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        group.close(); // stores already handed over are committed first
        intents.close();
        recalls.close();
        release.close();
        access.close();
        leases.close();
        for (BlobStore b : tiers.distinct()) {
            try {
                b.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing a tier store failed: {}", e.getMessage());
            }
        }
        for (AutoCloseable b : owned) {
            try {
                b.close();
            } catch (Exception e) {
                LOG.warn("Closing a tier backend failed: {}", e.getMessage());
            }
        }
        catalog.close();
    }
}
