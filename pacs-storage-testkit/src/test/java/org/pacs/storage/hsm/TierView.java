package org.pacs.storage.hsm;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.spool.SpooledInstance;

/**
 * What one tier's blob store holds, by SOP Instance UID and whatever the catalog says: how the HSM tests check
 * that a copy is where it should be and nowhere else. Looks through the store's listing (test stores are small).
 */
final class TierView {

    private final HsmStorage hsm;
    private final StorageTier tier;
    private final BlobStore store;

    private TierView(HsmStorage hsm, StorageTier tier) {
        this.hsm = hsm;
        this.tier = tier;
        this.store = hsm.tierStore(tier);
    }

    static TierView of(HsmStorage hsm, StorageTier tier) {
        return new TierView(hsm, tier);
    }

    private Optional<BlobInfo> blob(SopInstanceUid uid) {
        try (Stream<BlobInfo> s = store.list()) {
            return s.filter(b -> store.uidOf(b).filter(uid::equals).isPresent()).findFirst();
        }
    }

    boolean exists(SopInstanceUid uid) {
        return blob(uid).isPresent();
    }

    /** The UIDs of every blob the tier holds. */
    List<StoredInstanceRef> list() {
        try (Stream<BlobInfo> s = store.list()) {
            return s.map(b -> new StoredInstanceRef(store.uidOf(b).orElseThrow())).toList();
        }
    }

    InputStream open(SopInstanceUid uid) {
        return store.open(blob(uid).orElseThrow(() -> StorageException.notFound(uid)).key());
    }

    /** Puts a Part 10 stream straight into the tier's store, behind the catalog's back. */
    StoredInstance store(InputStream in) {
        TierStore t = new TierStore(tier, store, java.time.Clock.systemUTC());
        try (SpooledInstance s = t.spooler().spool(in)) {
            t.put(s, null);
            return s.instance();
        }
    }

    /** A listed blob's UID, shaped like what the old tier backends' list() returned. */
    record StoredInstanceRef(SopInstanceUid sopInstanceUid) {
    }
}
