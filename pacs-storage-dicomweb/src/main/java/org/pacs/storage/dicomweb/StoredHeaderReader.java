package org.pacs.storage.dicomweb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.PixelLayout;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredHeader;
import org.pacs.storage.SupportsStoredHeaders;
import org.pacs.storage.dicom.VR;

/**
 * Metadata and frames from the headers the archive kept at ingest ({@link SupportsStoredHeaders}): /metadata asks
 * no tier at all (a study's headers are one catalog query), and a frame is one ranged read of its own bytes. The
 * kept bytes are parsed by {@link ArchiveReader}'s own code, so the answer is exactly what reading the stored
 * instance gives. An instance without a kept header (or frame layout) is read through {@link ArchiveReader}.
 */
final class StoredHeaderReader implements MetadataSource, FrameSource {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoredHeaderReader.class);

    private final SupportsStoredHeaders store;
    private final ArchiveReader fallback;

    StoredHeaderReader(SupportsStoredHeaders store, ArchiveReader fallback) {
        this.store = store;
        this.fallback = fallback;
    }

    @Override
    public InstanceHeader header(SopInstanceUid uid) {
        return store.storedHeader(uid).flatMap(h -> metadata(uid, h)).orElseGet(() -> fallback.header(uid));
    }

    @Override
    public Map<SopInstanceUid, InstanceHeader> headers(String study, String series, List<SopInstanceUid> instances) {
        Map<SopInstanceUid, InstanceHeader> out = new HashMap<>();
        if (instances.size() == 1) {
            SopInstanceUid uid = instances.get(0);
            store.storedHeader(uid).flatMap(h -> metadata(uid, h)).ifPresent(m -> out.put(uid, m));
            return out;
        }
        store.storedHeaders(study, series).forEach((uid, h) -> metadata(uid, h).ifPresent(m -> out.put(uid, m)));
        return out;
    }

    /** VRs whose values the JSON gives as InlineBinary or BulkDataURI (not as numbers). */
    private static final java.util.Set<VR> BULK = java.util.Set.of(VR.OB, VR.OD, VR.OF, VR.OL, VR.OV, VR.OW,
            VR.UN);

    /**
     * What /metadata shows of a kept header: the elided values (empty in the kept bytes) become BulkDataURIs, as
     * their full values would. Empty (the tier is read) when one would not have been a BulkDataURI.
     */
    private static Optional<InstanceHeader> metadata(SopInstanceUid uid, StoredHeader h) {
        for (StoredHeader.Elided e : h.elided()) {
            if (e.length() <= DicomJson.BULK_THRESHOLD || !BULK.contains(e.vr())) {
                return Optional.empty();
            }
        }
        return parse(uid, h).map(o -> {
            InstanceHeader plain = ArchiveReader.headerOf(o);
            if (h.elided().isEmpty()) {
                return plain;
            }
            Map<Integer, VR> bulk = new HashMap<>(plain.bulkData());
            for (StoredHeader.Elided e : h.elided()) {
                plain.attributes().remove(e.tag()); // the data set's own (empty) value would win over the link
                bulk.put(e.tag(), e.vr());
            }
            return new InstanceHeader(plain.attributes(), plain.transferSyntaxUid(), bulk);
        });
    }

    /** The kept bytes parsed; empty (so the tier is read) in the unexpected case that they do not parse. */
    private static Optional<ArchiveReader.Opened> parse(SopInstanceUid uid, StoredHeader h) {
        try {
            return Optional.of(ArchiveReader.open(new ByteArrayInputStream(h.part10())));
        } catch (IOException | RuntimeException e) {
            LOG.warn("The kept header of {} does not parse ({}); reading its tier", uid, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void frames(SopInstanceUid uid, List<Integer> numbers, FrameSink sink) throws IOException {
        StoredHeader kept = store.storedHeader(uid).orElse(null);
        PixelLayout p = kept == null ? null : kept.pixels();
        ByteArrayInputStream bytes = p == null ? null : new ByteArrayInputStream(kept.part10());
        ArchiveReader.Opened o = bytes == null ? null : parse(uid, kept).orElse(null);
        if (o == null) {
            fallback.frames(uid, numbers, sink);
            return;
        }
        int count = ArchiveReader.frameCount(uid, o, numbers);
        // where the header read ends must be where ingest found the value: else trust only the stored bytes
        long valueOffset = kept.part10().length - ((ByteArrayInputStream) o.in()).available() + kept.elidedBytes();
        boolean encapsulated = o.bulkLength() == ArchiveReader.UNDEFINED;
        if (valueOffset != p.valueOffset() || encapsulated != p.encapsulated()
                || !encapsulated && o.bulkLength() != p.valueLength()) {
            LOG.warn("The kept frame layout of {} disagrees with its header; reading its tier", uid);
            fallback.frames(uid, numbers, sink);
            return;
        }
        if (encapsulated) {
            encapsulatedFrames(uid, p, count, numbers, sink);
        } else {
            nativeFrames(uid, o, p, count, numbers, sink);
        }
    }

    /** One ranged read per run of consecutive frames asked in ascending order. */
    private void nativeFrames(SopInstanceUid uid, ArchiveReader.Opened o, PixelLayout p, int count,
                              List<Integer> numbers, FrameSink sink) throws IOException {
        long frameLength = ArchiveReader.nativeFrameLength(uid, o, count);
        int i = 0;
        while (i < numbers.size()) {
            int j = i + 1;
            while (j < numbers.size() && numbers.get(j) == numbers.get(j - 1) + 1) {
                j++;
            }
            long offset = p.valueOffset() + (numbers.get(i) - 1) * frameLength;
            try (InputStream in = store.open(uid, offset, (j - i) * frameLength)) {
                for (int k = i; k < j; k++) {
                    send(sink, numbers.get(k), frameLength, in);
                }
            }
            i = j;
        }
    }

    /**
     * Fragments are assigned to frames as {@link ArchiveReader} assigns them (one frame: all; else by the offset
     * table; else one fragment per frame), and each frame's fragments are read in one ranged read from its first
     * fragment's value to its last's end, the item headers between them dropped: the same bytes, streamed.
     */
    private void encapsulatedFrames(SopInstanceUid uid, PixelLayout p, int count, List<Integer> numbers,
                                    FrameSink sink) throws IOException {
        int fragments = p.fragments();
        long[] table = p.offsetTable();
        if (count > 1 && table.length == 0 && fragments != count) {
            throw ArchiveReader.unknownFrameBoundaries(uid, count, fragments);
        }
        Map<Integer, List<Integer>> byFrame = new HashMap<>();
        numbers.forEach(n -> byFrame.put(n, new ArrayList<>()));
        long[] valueAt = new long[fragments];
        long position = 0; // from the first fragment's item tag, as the offset table counts
        long at = p.valueOffset() + 8 + 4L * table.length + 8;
        for (int f = 0; f < fragments; f++) {
            valueAt[f] = at;
            int frame = count == 1 ? 1 : table.length > 0 ? ArchiveReader.frameAt(table, position) : f + 1;
            List<Integer> of = byFrame.get(frame);
            if (of != null) {
                of.add(f);
            }
            position += 8 + p.fragmentLength(f);
            at += 8 + p.fragmentLength(f);
        }
        for (int n : numbers) {
            List<Integer> frags = byFrame.get(n);
            long length = 0;
            for (int f : frags) {
                length += p.fragmentLength(f);
            }
            try (InputStream in = new FragmentStream(uid, p, valueAt, frags)) {
                send(sink, n, length, in);
            }
        }
    }

    /** Hands {@code length} bytes of {@code in} to the sink, then skips what it left unread. */
    private static void send(FrameSink sink, int number, long length, InputStream in) throws IOException {
        InputStream frame = org.pacs.storage.spi.BoundedInputStream.exactly(in, length);
        sink.frame(number, length, frame);
        frame.transferTo(OutputStream.nullOutputStream());
    }

    /**
     * The values of some fragments, in order: one ranged read per run of adjacent fragments (one for the usual
     * frame), opened when first read, skipping the 8-byte item header between two fragments of a run.
     */
    private final class FragmentStream extends InputStream {
        private final SopInstanceUid uid;
        private final PixelLayout p;
        private final long[] valueAt;
        private final List<Integer> frags;
        private int next; // index into frags of the fragment after the current one
        private InputStream run;
        private long left; // bytes left of the current fragment

        FragmentStream(SopInstanceUid uid, PixelLayout p, long[] valueAt, List<Integer> frags) {
            this.uid = uid;
            this.p = p;
            this.valueAt = valueAt;
            this.frags = frags;
        }

        /** Moves to the next fragment with bytes left; false at the end. */
        private boolean advance() throws IOException {
            while (left == 0) {
                if (next == frags.size()) {
                    return false;
                }
                int f = frags.get(next);
                boolean adjacent = next > 0 && frags.get(next - 1) == f - 1 && run != null;
                if (adjacent) {
                    run.skipNBytes(8); // the item header between two fragments of one run
                } else {
                    if (run != null) {
                        run.close();
                    }
                    int last = next;
                    while (last + 1 < frags.size() && frags.get(last + 1) == frags.get(last) + 1) {
                        last++;
                    }
                    int lf = frags.get(last);
                    long end = valueAt[lf] + p.fragmentLength(lf);
                    run = store.open(uid, valueAt[f], end - valueAt[f]);
                }
                left = p.fragmentLength(f);
                next++;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!advance()) {
                return -1;
            }
            int n = run.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new StorageException(StorageException.Reason.CORRUPT, "Instance " + uid + " ends inside a"
                        + " Pixel Data fragment that ingest found whole; run 'pacs-storage verify'.");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (run != null) {
                run.close();
            }
        }
    }
}
