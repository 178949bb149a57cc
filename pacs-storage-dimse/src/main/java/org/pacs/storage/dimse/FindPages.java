package org.pacs.storage.dimse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.pacs.storage.QueryLevel;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.query.IndexedAttributes;

/**
 * A find answer read a page at a time ({@link StorageBackend#find(DicomDataset, int, int)}, paged in SQL by the
 * catalog), so a C-FIND or C-GET holds one page, not every match. The catalog orders entities by their unique key
 * (Patient ID, Study, Series or SOP Instance UID) in byte order; that order makes the walk exact while the catalog
 * changes under it: each page after the first starts one entity early, at the last one already delivered, so
 * <ul>
 * <li>an entity inserted before the current position (the answer shifts right) shows up as a key at or below
 * the last one delivered and is skipped, never delivered twice;</li>
 * <li>an entity removed before it (the answer shifts left) shows up as a page starting above the last key, and
 * the walk steps back a page until it overlaps again, so nothing that existed throughout is missed.</li>
 * </ul>
 * Not thread-safe: one operation's iterator.
 */
final class FindPages implements Iterator<DicomDataset> {

    /** Matches per SQL page: a C-FIND identifier is small, so 500 of them are well under a megabyte. */
    static final int PAGE = 500;

    /** Byte order of the UTF-8 form, which is code point order: how the catalog's binary collation sorts. */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private final StorageBackend archive;
    private final DicomDataset query;
    private final int pageSize;
    private final int keyTag;
    private final ArrayDeque<DicomDataset> buffer = new ArrayDeque<>();
    /** Position in the answer just after the last page read. */
    private long nextOffset;
    /** Largest unique key read so far; null before the first page. */
    private String lastKey;
    private boolean exhausted;
    private int pagesRead;

    FindPages(StorageBackend archive, DicomDataset query, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
        this.archive = archive;
        this.query = query;
        this.pageSize = pageSize;
        this.keyTag = IndexedAttributes.uniqueKey(QueryLevel.parse(query.getString(Tag.QueryRetrieveLevel).orElse(null)));
    }

    @Override
    public boolean hasNext() {
        while (buffer.isEmpty() && !exhausted) {
            readPage();
        }
        return !buffer.isEmpty();
    }

    @Override
    public DicomDataset next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffer.poll();
    }

    /** How many pages were asked of the archive (tests). */
    int pagesRead() {
        return pagesRead;
    }

    private void readPage() {
        boolean overlap = lastKey != null && nextOffset > 0;
        long from = overlap ? nextOffset - 1 : 0;
        int limit = pageSize + (overlap ? 1 : 0);
        if (from > Integer.MAX_VALUE - limit) {
            exhausted = true; // 2^31 matches: the archive's paging ends there
            return;
        }
        List<DicomDataset> page = new ArrayList<>(archive.find(query, limit, (int) from));
        pagesRead++;
        page.sort(Comparator.comparing(this::key, KEY_ORDER));
        if (overlap && (page.isEmpty() || KEY_ORDER.compare(key(page.get(0)), lastKey) > 0)) {
            // Entities before the last delivered one were removed meanwhile: step back until the pages overlap.
            nextOffset = Math.max(0, nextOffset - pageSize);
            return;
        }
        for (DicomDataset d : page) {
            if (lastKey == null || KEY_ORDER.compare(key(d), lastKey) > 0) {
                buffer.add(d);
            }
        }
        if (!page.isEmpty()) {
            String top = key(page.get(page.size() - 1));
            lastKey = lastKey == null || KEY_ORDER.compare(top, lastKey) > 0 ? top : lastKey;
        }
        nextOffset = from + page.size();
        exhausted = page.size() < limit;
    }

    private String key(DicomDataset d) {
        return d.getString(keyTag, "");
    }
}
