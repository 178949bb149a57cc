package org.pacs.storage.hsm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.pacs.storage.SopInstanceUid;

/**
 * Serialises store, migrate and remove of one UID inside this JVM (the catalog claim does it across nodes).
 * Striped: a fixed set of locks, so memory does not grow with the number of instances. A single operation holds
 * one stripe and a batch only ever tries its stripes (see {@link #tryLockEach}), so no lock ordering issue arises.
 */
final class UidLocks {

    private final ReentrantLock[] stripes = new ReentrantLock[4096];

    UidLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock lockFor(SopInstanceUid uid) {
        return stripes[stripe(uid)];
    }

    /**
     * Locks the stripe of each of {@code uids} that is free now (or already this thread's) and returns those
     * UIDs; {@code held} receives one lock per UID returned, for the caller to unlock. Never waits, so a batch
     * holding many stripes cannot deadlock with anyone, and a batch never queues behind another one: the few
     * UIDs whose stripe is busy are left for the caller to move one by one afterwards.
     */
    List<SopInstanceUid> tryLockEach(List<SopInstanceUid> uids, List<ReentrantLock> held) {
        List<SopInstanceUid> locked = new ArrayList<>(uids.size());
        for (SopInstanceUid uid : uids) {
            ReentrantLock l = lockFor(uid);
            if (l.tryLock()) {
                held.add(l);
                locked.add(uid);
            }
        }
        return locked;
    }

    private int stripe(SopInstanceUid uid) {
        return (uid.value().hashCode() & 0x7fffffff) % stripes.length;
    }
}
