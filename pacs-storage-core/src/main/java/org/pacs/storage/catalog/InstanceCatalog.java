package org.pacs.storage.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.query.QueryMatcher;
import org.pacs.storage.hsm.StorageTier;

/**
 * The persistent index of every instance an {@link org.pacs.storage.hsm.HsmStorage} holds: query attributes,
 * tier, size, SHA-256, timestamps and migration state. It is the single source of truth for where an instance
 * lives; a copy in a tier the catalog does not name (and no migration in flight targets) is an orphan.
 *
 * <p>Migration claims: a row may be claimed by one owner (a node id) until a lease expiry. Every state
 * change in a migration is a conditional update on the owner, so a node whose lease was taken over can never
 * commit. Implementations are thread-safe and raise only {@link org.pacs.storage.StorageException}.
 */
public interface InstanceCatalog extends AutoCloseable {

    String MIGRATIONS_COMPLETED = "migrations.completed";
    String MIGRATIONS_FAILED = "migrations.failed";
    String MIGRATED_BYTES = "migrations.bytes";

    /** Adds a row; false (and nothing changed) when the UID is catalogued already. */
    boolean insert(CatalogEntry entry);

    /**
     * Adds rows in one transaction (one durable commit for all), skipping UIDs catalogued already; element i of
     * the answer says whether row i was added. Group commit of concurrent stores uses it.
     */
    default List<Boolean> insertEach(List<CatalogEntry> entries) {
        return atomically(() -> entries.stream().map(this::insert).toList());
    }

    /** Adds many rows in one transaction, skipping UIDs catalogued already; returns how many were added. */
    int insertBatch(List<CatalogEntry> entries);

    /**
     * Overwrites a row's instance data, attributes, tier and location with {@code entry}'s (a duplicate store
     * under REPLACE), resetting last_accessed; only while no migration is in flight. False otherwise.
     */
    boolean replace(CatalogEntry entry);

    Optional<CatalogEntry> get(SopInstanceUid uid);

    /** The rows of those {@code uids} that are catalogued (one query per few hundred, not one each). */
    default Map<SopInstanceUid, CatalogEntry> getAll(java.util.Collection<SopInstanceUid> uids) {
        Map<SopInstanceUid, CatalogEntry> out = new java.util.HashMap<>();
        uids.forEach(u -> get(u).ifPresent(e -> out.put(u, e)));
        return out;
    }

    /**
     * The header kept at ingest for a catalogued instance not being removed (see {@link CatalogEntry#header()});
     * empty when none was kept. The default keeps none.
     */
    default Optional<org.pacs.storage.StoredHeader> storedHeader(SopInstanceUid uid) {
        return Optional.empty();
    }

    /**
     * The kept headers of a study's instances (of one of its series when {@code seriesInstanceUid} is not null),
     * in one query; instances without one are absent.
     */
    default Map<SopInstanceUid, org.pacs.storage.StoredHeader> storedHeaders(String studyInstanceUid,
                                                                             String seriesInstanceUid) {
        return Map.of();
    }

    /** Every row not being removed. Loads all of them: meant for list() and integrity checks. */
    List<CatalogEntry> list();

    /** Rows whose committed tier is {@code tier} (any migration state). */
    List<CatalogEntry> listTier(StorageTier tier);

    /**
     * PS3.4 C.2.2.2 matching with {@code matcher}'s semantics, narrowed by indexed SQL first; one result per
     * entity at the query's level.
     */
    List<DicomDataset> find(DicomDataset query, QueryMatcher matcher);

    /**
     * One page of {@link #find(DicomDataset, QueryMatcher)}: at most {@code limit} results after skipping
     * {@code offset}, in the same order (by the level's unique key), as QIDO-RS asks. The default slices the whole
     * answer; the JDBC catalog pages in SQL.
     */
    default List<DicomDataset> find(DicomDataset query, QueryMatcher matcher, int limit, int offset) {
        CatalogFind.checkPage(limit, offset);
        List<DicomDataset> all = find(query, matcher);
        int from = (int) Math.min(all.size(), (long) offset);
        int to = (int) Math.min(all.size(), (long) from + limit);
        return List.copyOf(all.subList(from, to));
    }

    /**
     * Calls {@code action} for every row not being removed, in SOP Instance UID order (the database's collation),
     * without holding them all: what list and verify use on a catalog of any size. The default walks
     * {@link #list()}.
     */
    default void forEach(java.util.function.Consumer<CatalogEntry> action) {
        list().forEach(action);
    }

    /** Records access times in one transaction; a time never moves an existing last_accessed backwards. */
    void recordAccess(Map<SopInstanceUid, Instant> accesses);

    /**
     * Rows in {@code from} with no migration in flight, idle since at most {@code idleSince} (last access,
     * else store time), at least {@code minSize} bytes, unclaimed or with an expired lease; oldest first.
     */
    List<CatalogEntry> candidates(StorageTier from, Instant idleSince, long minSize, int limit, Instant now);

    /**
     * Like {@link #candidates} but atomically claims the rows for {@code owner} until {@code leaseUntil}, so
     * nodes sharing the catalog never get the same row (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one
     * immediate transaction).
     */
    List<CatalogEntry> claimCandidates(StorageTier from, Instant idleSince, long minSize, int limit, String owner,
                                       Instant now, Instant leaseUntil);

    /** Claims one row when unclaimed, already ours, or its lease expired before {@code now}. */
    boolean claim(SopInstanceUid uid, String owner, Instant now, Instant leaseUntil);

    /** Drops every claim {@code owner} holds on rows with no migration in flight (a restarted node's). */
    int releaseAll(String owner);

    /** Drops {@code owner}'s claim; no-op when someone else holds it. */
    void release(SopInstanceUid uid, String owner);

    /**
     * NONE → {@code state} (COPYING or CHANGING_CLASS) with source and target, claiming the row for
     * {@code owner} in the same update when it is free, already {@code owner}'s, or its lease expired before
     * {@code now}; false (nothing changed) otherwise.
     */
    boolean beginMigration(SopInstanceUid uid, String owner, StorageTier source, StorageTier target,
                           MigrationState state, Instant now, Instant leaseUntil);

    /** {@code from} → {@code to} if {@code owner} holds the claim; renews the lease. */
    boolean advance(SopInstanceUid uid, String owner, MigrationState from, MigrationState to, Instant leaseUntil);

    /** Switches the committed tier to the migration target and moves to {@code next} (COMMITTED or NONE). */
    boolean commitTier(SopInstanceUid uid, String owner, MigrationState from, String location,
                       MigrationState next, Instant leaseUntil);

    /**
     * {@link #commitTier} that, with {@code keepHotCopy}, records the hot source as a cache copy in the same update
     * (watermark release: a migration out of hot keeps it). A commit into hot always clears the record (the copy is
     * then the home one); otherwise an existing hot cache copy stays recorded.
     */
    boolean commitTier(SopInstanceUid uid, String owner, MigrationState from, String location,
                       MigrationState next, Instant leaseUntil, boolean keepHotCopy);

    /**
     * NONE → {@code state}, claiming the row: {@link MigrationState#RECALLING} (a cache copy to hot) only when the
     * row lives in warm or cold with no hot copy recorded; {@link MigrationState#RELEASING} only when a hot copy is
     * recorded. False (nothing changed) otherwise, or when another node holds a live claim.
     */
    boolean beginHotCopyChange(SopInstanceUid uid, String owner, MigrationState state, Instant now,
                               Instant leaseUntil);

    /** {@code from} (RECALLING or RELEASING) → NONE with hot_copy set to {@code hotCopy}, claim released. */
    boolean finishHotCopyChange(SopInstanceUid uid, String owner, MigrationState from, boolean hotCopy);

    /**
     * Rows with a recorded hot cache copy, no migration in flight and no live claim, least recently used first
     * (last access, else store time): what a release pass deletes first.
     */
    List<CatalogEntry> hotCopies(int limit, Instant now);

    /** Count and bytes of the hot tier's cache copies (besides the rows whose tier is hot). */
    TierUsage hotCopyUsage();

    /** Back to NONE with source and target cleared and the claim released. */
    boolean finish(SopInstanceUid uid, String owner, MigrationState from);

    /**
     * {@link #finish} plus the migration counters ({@link #MIGRATIONS_COMPLETED} + 1, {@link #MIGRATED_BYTES}
     * + {@code bytes}) in one transaction: one durable write instead of three.
     */
    boolean finishMigrated(SopInstanceUid uid, String owner, MigrationState from, long bytes);

    /** Deletes the row and its kept header (after its bytes are gone). */
    boolean delete(SopInstanceUid uid);

    /**
     * Rows with a migration or removal in flight whose claim is free: owned by {@code ownerToReclaim} (a
     * restarted node reclaiming its own, or null), unclaimed, or with a lease expired before {@code now}.
     */
    List<CatalogEntry> unfinished(String ownerToReclaim, Instant now);

    /** Instance count and bytes per committed tier. */
    Map<StorageTier, TierUsage> tierUsage();

    StorageStatistics statistics();

    /** Adds to a persistent named counter (e.g. migrations done), creating it at 0. */
    void addToCounter(String name, long delta);

    long counter(String name);

    /**
     * Runs {@code work} so that the catalog changes it makes on this thread commit together, or not at all when it
     * throws: a batch of migrations pays one durable commit per step instead of one per instance.
     */
    default <T> T atomically(java.util.function.Supplier<T> work) {
        return work.get();
    }

    @Override
    void close();

    /** Count and bytes in one tier. */
    record TierUsage(long instances, long bytes) {
    }
}
