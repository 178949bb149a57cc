package org.pacs.storage.spool;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pacs.storage.StoredHeader;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;

/**
 * Leaves the large binary values of a header (an ICC profile, overlay data, a vendor's private blob) out of what
 * the catalog keeps: DICOM JSON gives them as a BulkDataURI anyway, fetched from the tier. Only top-level elements
 * are elided, each one's length set to 0 and its value dropped, so the bytes stay a header any reader parses. The
 * bytes are walked element by element; anything unexpected (big endian, an unknown VR, a length that disagrees
 * with the parsed value) leaves the header whole.
 */
final class HeaderElision {

    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** The VRs DICOM JSON writes as InlineBinary or BulkDataURI (the numeric ones are written as numbers). */
    private static final Set<VR> BULK = Set.of(VR.OB, VR.OD, VR.OF, VR.OL, VR.OV, VR.OW, VR.UN);

    record Result(byte[] bytes, List<StoredHeader.Elided> elided) {
    }

    private HeaderElision() {
    }

    /** {@code raw} (the header bytes and the element header after them) with large values left out. */
    static Result elide(byte[] raw, DicomFile header) {
        Map<Integer, DicomElement> wanted = new HashMap<>();
        for (DicomElement e : header.dataset().elements()) {
            if (BULK.contains(e.vr()) && !e.isEncapsulated() && e.bytes() != null
                    && e.bytes().length > StoredHeader.ELIDE_OVER && Tag.group(e.tag()) != 0x7FE0) {
                wanted.put(e.tag(), e);
            }
        }
        if (wanted.isEmpty() || TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.equals(header.transferSyntaxUid())) {
            return new Result(raw, List.of());
        }
        try {
            return walk(raw, header, wanted);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            return new Result(raw, List.of());
        }
    }

    private static Result walk(byte[] b, DicomFile header, Map<Integer, DicomElement> wanted) {
        int pos = metaEnd(b);
        int end = (int) header.headerLength();
        boolean implicit = header.implicitVr();
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        List<StoredHeader.Elided> elided = new ArrayList<>();
        int copied = 0;
        while (pos < end) {
            Head h = Head.at(b, pos, implicit);
            int tag = h.tag();
            long len = h.length();
            int head = h.size();
            VR vr = h.vr();
            int next = h.next(b, pos, implicit);
            DicomElement e = wanted.get(tag);
            if (e != null && len == e.bytes().length) {
                int lengthField = implicit || vr.hasLongLength() ? 4 : 2; // last in the element header
                out.write(b, copied, pos + head - lengthField - copied);
                out.write(new byte[lengthField], 0, lengthField); // the length becomes 0, the value is dropped
                copied = next;
                elided.add(new StoredHeader.Elided(tag, e.vr(), len));
            }
            pos = next;
        }
        if (pos != end) {
            throw new IllegalStateException("the walk did not end where the header does");
        }
        out.write(b, copied, b.length - copied);
        return new Result(out.toByteArray(), elided);
    }

    /** Where the data set starts: after the preamble and "DICM" (or a bare "DICM") and the group 0002 elements. */
    private static int metaEnd(byte[] b) {
        int pos = b.length >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M' ? 132
                : b.length >= 4 && b[0] == 'D' && b[1] == 'I' && b[2] == 'C' && b[3] == 'M' ? 4 : 0;
        while (pos + 8 <= b.length && u16(b, pos) == 0x0002) { // the meta group is explicit VR little endian
            VR vr = VR.fromCode(b[pos + 4] & 0xFF, b[pos + 5] & 0xFF);
            if (vr == null) {
                throw new IllegalStateException("no VR in the meta group");
            }
            pos += vr.hasLongLength() ? 12 + Math.toIntExact(u32(b, pos + 8)) : 8 + u16(b, pos + 6);
        }
        return pos;
    }

    /** Past the items of an undefined-length value and its sequence delimiter. */
    private static int skipUndefined(byte[] b, int pos, boolean implicit) {
        while (true) {
            int tag = tag(b, pos);
            long len = u32(b, pos + 4);
            if (tag == Tag.SequenceDelimitationItem) {
                return pos + 8;
            }
            if (tag != Tag.Item) {
                throw new IllegalStateException("not an item");
            }
            pos = len == UNDEFINED ? skipItem(b, pos + 8, implicit) : Math.addExact(pos + 8, Math.toIntExact(len));
        }
    }

    /** One element header, already parsed once by the reader: its tag, VR (null when implicit), size and length. */
    private record Head(int tag, VR vr, int size, long length) {

        static Head at(byte[] b, int pos, boolean implicit) {
            if (implicit) {
                return new Head(HeaderElision.tag(b, pos), null, 8, u32(b, pos + 4));
            }
            VR vr = VR.fromCode(b[pos + 4] & 0xFF, b[pos + 5] & 0xFF);
            if (vr == null) {
                throw new IllegalStateException("no VR");
            }
            return vr.hasLongLength() ? new Head(HeaderElision.tag(b, pos), vr, 12, u32(b, pos + 8))
                    : new Head(HeaderElision.tag(b, pos), vr, 8, u16(b, pos + 6));
        }

        /** Where the element after this one starts (past a sequence or item of undefined length too). */
        int next(byte[] b, int pos, boolean implicit) {
            return length == UNDEFINED ? skipUndefined(b, pos + size, implicit || vr == VR.UN)
                    : Math.addExact(pos + size, Math.toIntExact(length));
        }
    }

    /** Past the elements of an undefined-length item and its item delimiter. */
    private static int skipItem(byte[] b, int pos, boolean implicit) {
        while (true) {
            if (tag(b, pos) == Tag.ItemDelimitationItem) {
                return pos + 8;
            }
            pos = Head.at(b, pos, implicit).next(b, pos, implicit);
        }
    }

    private static int tag(byte[] b, int pos) {
        return u16(b, pos) << 16 | u16(b, pos + 2);
    }

    private static int u16(byte[] b, int pos) {
        return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int pos) {
        return (u16(b, pos) | (long) u16(b, pos + 2) << 16) & 0xFFFFFFFFL;
    }
}
