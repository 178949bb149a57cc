package org.pacs.storage.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.pacs.storage.PixelLayout;
import org.pacs.storage.StoredHeader;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.TransferSyntax;

/**
 * What the catalog keeps of an instance's bytes at ingest ({@link StoredHeader}): the stored bytes up to and
 * including the element header of the element that ended the header read (large values left out), so that parsing them gives
 * exactly what a header read of the stored instance gives, and where the frames lie. Top-level binary values over
 * {@link StoredHeader#ELIDE_OVER} bytes are left out ({@link HeaderElision}). Nothing is kept for a deflated data
 * set (its header offsets are not offsets in the stored bytes), a header over 4 MiB, or one still over
 * {@link StoredHeader#MAX_HEADER_BYTES} once elided: those are read from their tier.
 */
public final class HeaderCapture {

    /** The element header after the header: tag, VR, reserved bytes and a 4-byte length at most. */
    private static final int ELEMENT_HEADER = 12;
    /** Headers up to this size are read to be kept (their large values elided); larger ones are not kept. */
    static final int MAX_READ = 4 * 1024 * 1024;

    private HeaderCapture() {
    }

    static StoredHeader capture(PixelDataCheck.Source in, DicomFile header, long size, PixelLayout layout)
            throws IOException {
        if (TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.equals(header.transferSyntaxUid())
                || header.headerLength() > MAX_READ) {
            return null;
        }
        int n = (int) Math.min(size, header.headerLength() + ELEMENT_HEADER);
        ByteBuffer b = ByteBuffer.allocate(n);
        in.read(b, 0);
        if (b.hasRemaining()) {
            return null; // the bytes changed under us: keep nothing rather than something wrong
        }
        HeaderElision.Result kept = HeaderElision.elide(b.array(), header);
        if (kept.bytes().length > StoredHeader.MAX_HEADER_BYTES + ELEMENT_HEADER) {
            return null;
        }
        return new StoredHeader(kept.bytes(), kept.elided(), layout);
    }

    /**
     * The kept header of a blob read through ranged reads (rebuild-index of a file tier): {@code open(offset,
     * length)} opens that range; every fragment's item header is one read. Empty when the blob is not a readable
     * instance or nothing is kept for it.
     */
    public static Optional<StoredHeader> ofRanges(RangeOpener open, long size) {
        PixelDataCheck.Source src = (b, pos) -> {
            try (InputStream in = open.open(pos, b.remaining())) {
                b.put(in.readNBytes(b.remaining()));
            }
        };
        try {
            DicomFile header;
            try (InputStream in = new java.io.BufferedInputStream(open.open(0,
                    Math.min(size, MAX_READ + ELEMENT_HEADER)))) {
                header = DicomReader.readHeader(in);
            }
            return keep(src, header, size, true);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // catalogued without a kept header: reads go to the tier
        }
    }

    /**
     * The kept header of a blob of {@code size} bytes from its first bytes ({@code prefix}, at least its header
     * and 12 bytes more): what a rebuild of an object store has read anyway. Encapsulated frames get no layout
     * (walking their items would be a request each).
     */
    public static Optional<StoredHeader> ofPrefix(byte[] prefix, DicomFile header, long size) {
        PixelDataCheck.Source src = (b, pos) -> {
            if (pos < prefix.length) {
                b.put(prefix, (int) pos, (int) Math.min(b.remaining(), prefix.length - pos));
            }
        };
        try {
            return keep(src, header, size, false);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<StoredHeader> keep(PixelDataCheck.Source src, DicomFile header, long size,
                                               boolean walkFragments) throws IOException {
        if (header.headerLength() > MAX_READ) {
            return Optional.empty();
        }
        PixelLayout layout = PixelDataCheck.verify(src, header, size, walkFragments);
        return Optional.ofNullable(capture(src, header, size, layout));
    }

    /** A ranged read of a blob. */
    public interface RangeOpener {
        InputStream open(long offset, long length) throws IOException;
    }
}
