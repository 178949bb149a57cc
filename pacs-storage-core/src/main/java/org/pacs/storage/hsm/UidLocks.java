package org.pacs.storage.hsm;

import java.util.concurrent.locks.ReentrantLock;
import org.pacs.storage.SopInstanceUid;

/**
 * Serialises store, migrate and remove of one UID inside this JVM (the catalog claim does it across nodes).
 * Striped: a fixed set of locks, so memory does not grow with the number of instances; each operation holds
 * one stripe only, so no lock ordering issue arises.
 */
final class UidLocks {

    private final ReentrantLock[] stripes = new ReentrantLock[1024];

    UidLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock lockFor(SopInstanceUid uid) {
        return stripes[(uid.value().hashCode() & 0x7fffffff) % stripes.length];
    }
}
