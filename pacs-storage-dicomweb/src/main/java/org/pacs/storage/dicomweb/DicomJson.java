package org.pacs.storage.dicomweb;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * Writes data sets in the DICOM JSON model (PS3.18 Annex F): attributes keyed by 8 hex digits, "vr", and
 * "Value", person names as component-group objects, numbers as JSON numbers, large binary values as a
 * BulkDataURI (when the caller can serve them) or InlineBinary. File meta and group lengths are left out.
 */
final class DicomJson {

    /** Binary values up to this size are inlined; larger ones get a BulkDataURI where one can be given. */
    static final int BULK_THRESHOLD = 1024;

    /** Where a top-level bulk value can be fetched, or null if it cannot (then it is inlined). */
    interface BulkDataLinks {
        String uri(int tag);

        BulkDataLinks NONE = tag -> null;
    }

    private DicomJson() {
    }

    /**
     * One data set as a JSON object.
     *
     * @param bulkOnly top-level attributes whose values were left out of {@code ds} (e.g. Pixel Data of a header
     *                 read) but can be fetched: written as BulkDataURI only
     */
    static void write(JsonGenerator g, DicomDataset ds, BulkDataLinks links, Map<Integer, VR> bulkOnly)
            throws IOException {
        g.writeStartObject();
        List<Integer> extra = new ArrayList<>(bulkOnly.keySet());
        extra.sort(Integer::compareUnsigned);
        int next = 0;
        for (DicomElement e : ds.elements()) {
            while (next < extra.size() && Integer.compareUnsigned(extra.get(next), e.tag()) < 0) {
                writeBulkOnly(g, extra.get(next), bulkOnly.get(extra.get(next)), links);
                next++;
            }
            if (next < extra.size() && extra.get(next) == e.tag()) {
                next++; // the data set's own value wins over the placeholder
            }
            writeElement(g, e, links, true);
        }
        while (next < extra.size()) {
            writeBulkOnly(g, extra.get(next), bulkOnly.get(extra.get(next)), links);
            next++;
        }
        g.writeEndObject();
    }

    static void write(JsonGenerator g, DicomDataset ds) throws IOException {
        write(g, ds, BulkDataLinks.NONE, Map.of());
    }

    private static void writeBulkOnly(JsonGenerator g, int tag, VR vr, BulkDataLinks links) throws IOException {
        String uri = links.uri(tag);
        if (uri == null) {
            return;
        }
        g.writeObjectFieldStart(key(tag));
        g.writeStringField("vr", vr.name());
        g.writeStringField("BulkDataURI", uri);
        g.writeEndObject();
    }

    private static void writeElement(JsonGenerator g, DicomElement e, BulkDataLinks links, boolean topLevel)
            throws IOException {
        int tag = e.tag();
        if (Tag.group(tag) == 0x0002 || Tag.element(tag) == 0 || Tag.group(tag) == 0xFFFE) {
            return;
        }
        VR vr = vrOf(e);
        g.writeObjectFieldStart(key(tag));
        g.writeStringField("vr", vr.name());
        if (!e.isEmpty()) {
            switch (vr.kind()) {
                case STRING, TEXT -> writeStrings(g, vr, e.strings());
                case SEQUENCE -> {
                    g.writeArrayFieldStart("Value");
                    for (DicomDataset item : e.items()) {
                        g.writeStartObject();
                        for (DicomElement inner : item.elements()) {
                            writeElement(g, inner, links, false);
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                case BINARY -> writeBinary(g, e, vr, topLevel ? links : BulkDataLinks.NONE);
            }
        }
        g.writeEndObject();
    }

    /**
     * The VR the JSON names. Elements carry the VR they were read with; once the core reads implicit-VR files
     * with the full PS3.6 dictionary this gives the real VR for every tag instead of UN, with no change here.
     */
    static VR vrOf(DicomElement e) {
        return e.vr();
    }

    /**
     * A PN value's component groups (alphabetic, ideographic, phonetic), trailing empty groups dropped as
     * pydicom does. The one place to switch to the core's PN parsing when it offers one.
     */
    static List<String> personNameGroups(String value) {
        List<String> groups = new ArrayList<>(List.of(value.split("=", -1)));
        while (!groups.isEmpty() && groups.get(groups.size() - 1).isEmpty()) {
            groups.remove(groups.size() - 1);
        }
        return groups.size() > 3 ? groups.subList(0, 3) : groups;
    }

    private static final String[] PN_GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};

    private static void writeStrings(JsonGenerator g, VR vr, List<String> values) throws IOException {
        g.writeArrayFieldStart("Value");
        for (String raw : values) {
            String v = vr == VR.UI ? raw.replace("\0", "").trim() : trimPadding(raw);
            if (v.isEmpty()) {
                g.writeNull();
                continue;
            }
            switch (vr) {
                case PN -> {
                    g.writeStartObject();
                    List<String> groups = personNameGroups(v);
                    for (int i = 0; i < groups.size(); i++) {
                        if (!groups.get(i).isEmpty()) {
                            g.writeStringField(PN_GROUPS[i], groups.get(i));
                        }
                    }
                    g.writeEndObject();
                }
                case IS -> writeNumber(g, v, true);
                case DS -> writeNumber(g, v, false);
                default -> g.writeString(v);
            }
        }
        g.writeEndArray();
    }

    /** IS and DS are JSON numbers; a malformed value (real files have them) stays a string rather than failing. */
    private static void writeNumber(JsonGenerator g, String v, boolean integer) throws IOException {
        try {
            if (integer) {
                g.writeNumber(Long.parseLong(v.startsWith("+") ? v.substring(1) : v));
            } else {
                g.writeNumber(new BigDecimal(v));
            }
        } catch (NumberFormatException e) {
            g.writeString(v);
        }
    }

    private static void writeBinary(JsonGenerator g, DicomElement e, VR vr, BulkDataLinks links) throws IOException {
        if (e.isEncapsulated()) {
            String uri = links.uri(e.tag());
            if (uri != null) {
                g.writeStringField("BulkDataURI", uri);
            }
            return;
        }
        byte[] b = e.bytes();
        switch (vr) {
            case US, SS, UL, SL, FL, FD, SV, UV, AT -> writeNumbers(g, vr, b);
            default -> {
                String uri = b.length > BULK_THRESHOLD ? links.uri(e.tag()) : null;
                if (uri != null) {
                    g.writeStringField("BulkDataURI", uri);
                } else {
                    g.writeStringField("InlineBinary", Base64.getEncoder().encodeToString(b));
                }
            }
        }
    }

    private static void writeNumbers(JsonGenerator g, VR vr, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int width = switch (vr) {
            case US, SS -> 2;
            case UL, SL, FL, AT -> 4;
            default -> 8;
        };
        g.writeArrayFieldStart("Value");
        while (b.remaining() >= width) {
            switch (vr) {
                case US -> g.writeNumber(Short.toUnsignedInt(b.getShort()));
                case SS -> g.writeNumber(b.getShort());
                case UL -> g.writeNumber(Integer.toUnsignedLong(b.getInt()));
                case SL -> g.writeNumber(b.getInt());
                case FL -> writeFloating(g, b.getFloat());
                case FD -> writeFloating(g, b.getDouble());
                case SV -> g.writeNumber(b.getLong());
                case UV -> g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(b.getLong())));
                default -> g.writeString(String.format("%04X%04X", Short.toUnsignedInt(b.getShort()),
                        Short.toUnsignedInt(b.getShort())));
            }
        }
        g.writeEndArray();
    }

    /** JSON has no NaN or infinity; PS3.18 F.2.3 leaves them out, so they become null. */
    private static void writeFloating(JsonGenerator g, float v) throws IOException {
        if (Float.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }

    private static void writeFloating(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }

    static String key(int tag) {
        return String.format("%08X", tag);
    }

    private static String trimPadding(String v) {
        int end = v.length();
        while (end > 0 && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == '\0')) {
            end--;
        }
        return v.substring(0, end);
    }
}
