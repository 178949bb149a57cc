package org.pacs.storage.dicomweb;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.blob.ForwardingBlobStore;


/**
 * A real blob store with every read it serves written down: it only observes (each call goes to the store
 * unchanged), so a test can tell a ranged read of one frame from a download of the whole instance.
 */
final class RecordingBlobStore extends ForwardingBlobStore {

    /** One open: {@code length} -1 for a whole-blob open. */
    record Read(String key, long offset, long length) {
        boolean whole() {
            return length < 0;
        }
    }

    final List<Read> reads = new CopyOnWriteArrayList<>();

    RecordingBlobStore(BlobStore store) {
        super(store);
    }

    @Override
    public InputStream open(String key) {
        reads.add(new Read(key, 0, -1));
        return store.open(key);
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        reads.add(new Read(key, offset, length));
        return store.open(key, offset, length);
    }
}
