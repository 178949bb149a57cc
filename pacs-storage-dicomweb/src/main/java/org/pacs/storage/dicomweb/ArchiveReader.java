package org.pacs.storage.dicomweb;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;

/**
 * Metadata, frames and bulk data read from the stored bytes through {@link StorageBackend#open}: the header is
 * parsed up to Pixel Data, and frames are reached by skipping through the stream, so memory stays bounded by
 * one frame however large the instance is. Every call opens the instance afresh.
 */
final class ArchiveReader implements MetadataSource, FrameSource {

    /** A compressed frame is held in memory while its fragments are gathered; larger ones are refused. */
    static final int MAX_ENCAPSULATED_FRAME = 256 * 1024 * 1024;
    static final long UNDEFINED = 0xFFFFFFFFL;

    private final StorageBackend archive;

    ArchiveReader(StorageBackend archive) {
        this.archive = archive;
    }

    /** The header of an opened instance and the element that stopped it (Pixel Data), if any. */
    record Opened(DicomFile file, InputStream in, int bulkTag, VR bulkVr, long bulkLength) {
        boolean hasPixelData() {
            return bulkTag == Tag.PixelData;
        }
    }

    @Override
    public InstanceHeader header(SopInstanceUid uid) {
        try (InputStream raw = archive.open(uid)) {
            return headerOf(open(raw));
        } catch (IOException e) {
            throw StorageException.unavailable("Could not read instance " + uid + ": " + e.getMessage(), e);
        }
    }

    /** What /metadata shows of an opened header. */
    static InstanceHeader headerOf(Opened o) {
        Map<Integer, VR> bulk = new HashMap<>();
        if (o.bulkTag() != 0) {
            bulk.put(o.bulkTag(), o.bulkVr());
        }
        return new InstanceHeader(o.file().dataset(), o.file().transferSyntaxUid(), bulk);
    }

    /** The instance's frame count, once the frames asked are known to exist (else the HttpError to answer). */
    static int frameCount(SopInstanceUid uid, Opened o, List<Integer> numbers) {
        if (!o.hasPixelData() && !positionKnown(o.file().transferSyntaxUid())) {
            throw new HttpError(501, "Frames of instances in transfer syntax " + o.file().transferSyntaxUid()
                    + " (big endian or deflated) are not offered; retrieve the whole instance instead.");
        }
        if (!o.hasPixelData()) {
            throw new HttpError(404, "Instance " + uid + " has no Pixel Data, so it has no frames.");
        }
        int count = Math.max(1, o.file().dataset().getInt(Tag.NumberOfFrames).orElse(1));
        for (int n : numbers) {
            if (n < 1 || n > count) {
                throw new HttpError(404, "Frame " + n + " does not exist: instance " + uid + " has " + count
                        + " frame(s), numbered from 1.");
            }
        }
        return count;
    }

    /** Bytes per native frame, checked against the Pixel Data length (CORRUPT when they do not fit). */
    static long nativeFrameLength(SopInstanceUid uid, Opened o, int count) {
        var ds = o.file().dataset();
        long rows = ds.getInt(Tag.Rows).orElse(0);
        long columns = ds.getInt(Tag.Columns).orElse(0);
        long samples = ds.getInt(Tag.SamplesPerPixel).orElse(1);
        long bits = ds.getInt(Tag.BitsAllocated).orElse(0);
        long frameLength = (rows * columns * samples * bits + 7) / 8;
        if (frameLength <= 0 || frameLength * count > o.bulkLength()) {
            throw new StorageException(StorageException.Reason.CORRUPT, "Instance " + uid + " declares " + count
                    + " frame(s) of " + rows + "x" + columns + "x" + samples + " at " + bits + " bits, which does not fit"
                    + " its " + o.bulkLength() + " bytes of Pixel Data; its frames cannot be cut out.");
        }
        return frameLength;
    }

    /** The message when encapsulated frames cannot be told apart (several frames, no table, fragments != frames). */
    static HttpError unknownFrameBoundaries(SopInstanceUid uid, int count, int fragments) {
        return new HttpError(501, "Instance " + uid + " has " + count + " frames in " + fragments + " fragments and"
                + " no offset table, so its frame boundaries are unknown; retrieve the whole instance instead.");
    }

    @Override
    public void frames(SopInstanceUid uid, List<Integer> numbers, FrameSink sink) throws IOException {
        try (InputStream raw = archive.open(uid)) {
            Opened o = open(raw);
            int count = frameCount(uid, o, numbers);
            if (o.bulkLength() == UNDEFINED) {
                encapsulatedFrames(uid, o, count, numbers, sink);
            } else {
                nativeFrames(uid, o, count, numbers, sink);
            }
        }
    }

    /** Streams the value of top-level bulk attribute {@code tag} (native Pixel Data or a header value). */
    void bulkData(SopInstanceUid uid, int tag, FrameSink sink) throws IOException {
        try (InputStream raw = archive.open(uid)) {
            Opened o = open(raw);
            if (tag == o.bulkTag()) {
                if (o.bulkLength() == UNDEFINED) {
                    throw new HttpError(406, "The Pixel Data of instance " + uid + " is compressed ("
                            + o.file().transferSyntaxUid() + "); retrieve it as frames (/frames/1,...).");
                }
                sink.frame(1, o.bulkLength(), org.pacs.storage.spi.BoundedInputStream.exactly(o.in(), o.bulkLength()));
                return;
            }
            var e = o.file().dataset().get(tag).filter(el -> el.vr().kind() == VR.Kind.BINARY
                    && !el.isEncapsulated());
            if (e.isEmpty()) {
                throw new HttpError(404, "Instance " + uid + " has no bulk data attribute " + DicomJson.key(tag) + ".");
            }
            byte[] b = e.get().bytes();
            sink.frame(1, b.length, new ByteArrayInputStream(b));
        }
    }

    private void nativeFrames(SopInstanceUid uid, Opened first, int count, List<Integer> numbers, FrameSink sink)
            throws IOException {
        long frameLength = nativeFrameLength(uid, first, count);
        Opened o = first;
        InputStream extra = null;
        long at = 0; // bytes of Pixel Data consumed in the current stream
        try {
            for (int n : numbers) {
                long offset = (n - 1) * frameLength;
                if (offset < at) { // asked out of order: start again from the top
                    if (extra != null) {
                        extra.close();
                    }
                    extra = archive.open(uid);
                    o = open(extra);
                    at = 0;
                }
                o.in().skipNBytes(offset - at);
                sink.frame(n, frameLength, org.pacs.storage.spi.BoundedInputStream.exactly(o.in(), frameLength));
                at = offset + frameLength;
            }
        } finally {
            if (extra != null) {
                extra.close();
            }
        }
    }

    /** Gathers the fragments of the frames asked, using the Basic Offset Table or one fragment per frame. */
    private void encapsulatedFrames(SopInstanceUid uid, Opened o, int count, List<Integer> numbers,
                                    FrameSink sink) throws IOException {
        InputStream in = o.in();
        long[] offsets = readOffsetTable(in);
        Map<Integer, ByteArrayOutputStream> wanted = new TreeMap<>();
        numbers.forEach(n -> wanted.put(n, null));
        long position = 0; // from the first fragment's item tag, as the offset table counts
        int fragment = 0;
        while (true) {
            int tag = readTag(in);
            long len = u32(in);
            if (tag == Tag.SequenceDelimitationItem) {
                break;
            }
            if (tag != Tag.Item || len == UNDEFINED) {
                throw corrupt(uid, "a fragment item is malformed");
            }
            fragment++;
            int frame = count == 1 ? 1 : offsets.length > 0 ? frameAt(offsets, position) : fragment;
            if (wanted.containsKey(frame)) {
                ByteArrayOutputStream buf = wanted.get(frame);
                if (buf == null) {
                    buf = new ByteArrayOutputStream();
                    wanted.put(frame, buf);
                }
                if (buf.size() + len > MAX_ENCAPSULATED_FRAME) {
                    throw new HttpError(501, "Frame " + frame + " of instance " + uid + " is larger than "
                            + MAX_ENCAPSULATED_FRAME + " bytes; retrieve the whole instance instead.");
                }
                org.pacs.storage.spi.BoundedInputStream.exactly(in, len).transferTo(buf);
            } else {
                in.skipNBytes(len);
            }
            position += 8 + len;
        }
        if (count > 1 && offsets.length == 0 && fragment != count) {
            throw unknownFrameBoundaries(uid, count, fragment);
        }
        for (int n : numbers) {
            ByteArrayOutputStream b = wanted.get(n);
            byte[] bytes = b == null ? new byte[0] : b.toByteArray();
            sink.frame(n, bytes.length, new ByteArrayInputStream(bytes));
        }
    }

    static int frameAt(long[] offsets, long position) {
        int frame = 1;
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] <= position) {
                frame = i + 1;
            }
        }
        return frame;
    }

    private static long[] readOffsetTable(InputStream in) throws IOException {
        int tag = readTag(in);
        long len = u32(in);
        if (tag != Tag.Item || len == UNDEFINED || len % 4 != 0 || len > 64L * 1024 * 1024) {
            throw new StorageException(StorageException.Reason.CORRUPT, "The encapsulated Pixel Data does not start"
                    + " with a Basic Offset Table item; the stored instance is damaged.");
        }
        long[] offsets = new long[(int) (len / 4)];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = u32(in);
        }
        return offsets;
    }

    /**
     * Parses the header and the element header that stopped it, leaving {@code in} at that element's value. A
     * kept header (its bytes in memory) is parsed by the same code, so it gives exactly what the stored bytes give.
     */
    static Opened open(InputStream raw) throws IOException {
        InputStream in = raw instanceof ByteArrayInputStream ? raw : new BufferedInputStream(raw, 64 * 1024);
        DicomFile f = DicomReader.readHeader(in);
        String ts = f.transferSyntaxUid();
        if (!positionKnown(ts)) {
            return new Opened(f, in, 0, null, 0); // the stream position after a deflated header is not exact
        }
        byte[] head = in.readNBytes(8);
        if (head.length < 8) {
            return new Opened(f, in, 0, null, 0);
        }
        int tag = (le16(head, 0) << 16) | le16(head, 2);
        if (Tag.group(tag) != 0x7FE0) {
            return new Opened(f, in, 0, null, 0);
        }
        VR vr;
        long len;
        VR explicit = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.equals(ts) ? null : VR.fromCode(head[4], head[5]);
        if (explicit == null) {
            vr = tag == Tag.PixelData ? VR.OW : VR.OF;
            len = le32(head, 4);
        } else {
            vr = explicit;
            len = explicit.hasLongLength() ? u32(in) : le16(head, 6);
        }
        if (tag == Tag.PixelData && len == UNDEFINED) {
            vr = VR.OB;
        }
        return new Opened(f, in, tag, vr, len);
    }

    /** After a deflated header the stream position is wherever the inflater stopped; big endian is not cut. */
    static boolean positionKnown(String ts) {
        return !TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.equals(ts)
                && !TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.equals(ts);
    }

    private static int readTag(InputStream in) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new EOFException("the stored instance ends inside its Pixel Data");
        }
        return (le16(b, 0) << 16) | le16(b, 2);
    }

    private static long u32(InputStream in) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new EOFException("the stored instance ends inside its Pixel Data");
        }
        return le32(b, 0);
    }

    private static int le16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static long le32(byte[] b, int off) {
        return (le16(b, off) | (long) le16(b, off + 2) << 16) & 0xFFFFFFFFL;
    }

    private static StorageException corrupt(SopInstanceUid uid, String what) {
        return new StorageException(StorageException.Reason.CORRUPT, "Instance " + uid + " cannot be cut into frames:"
                + " " + what + "; the stored bytes are damaged (run 'pacs-storage verify').");
    }
}
