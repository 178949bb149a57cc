package org.pacs.storage.hsm;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.BlobStore;

/** A store's listing handed on a page at a time, so the catalog is asked about many blobs in one query. */
final class BlobPages {

    static final int SIZE = 500;

    private BlobPages() {
    }

    static void forEach(BlobStore store, Consumer<List<BlobInfo>> page) {
        try (Stream<BlobInfo> listing = store.list()) {
            Iterator<BlobInfo> it = listing.iterator();
            List<BlobInfo> current = new ArrayList<>(SIZE);
            while (it.hasNext()) {
                current.add(it.next());
                if (current.size() == SIZE || !it.hasNext()) {
                    page.accept(current);
                    current = new ArrayList<>(SIZE);
                }
            }
        }
    }
}
