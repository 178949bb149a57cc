package org.pacs.storage.dimse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A DIMSE command set (PS3.7 §9.3, §E): group 0000 elements, always Implicit VR Little Endian. Values are kept
 * as the raw bytes; the few VRs a command uses (US, UL, UI, AE, LO) are typed by the accessor. Hand-coded rather
 * than going through DicomDataset because a command has no character set and must stay cheap per message.
 */
final class Command {

    static final int C_STORE_RQ = 0x0001;
    static final int C_GET_RQ = 0x0010;
    static final int C_FIND_RQ = 0x0020;
    static final int C_MOVE_RQ = 0x0021;
    static final int C_ECHO_RQ = 0x0030;
    static final int C_CANCEL_RQ = 0x0FFF;
    static final int RSP = 0x8000;

    static final int NO_DATASET = 0x0101;

    static final int AFFECTED_SOP_CLASS = 0x00000002;
    static final int COMMAND_FIELD = 0x00000100;
    static final int MESSAGE_ID = 0x00000110;
    static final int RESPONDED_ID = 0x00000120;
    static final int MOVE_DESTINATION = 0x00000600;
    static final int PRIORITY = 0x00000700;
    static final int DATASET_TYPE = 0x00000800;
    static final int STATUS = 0x00000900;
    static final int ERROR_COMMENT = 0x00000902;
    static final int AFFECTED_SOP_INSTANCE = 0x00001000;
    static final int REMAINING = 0x00001020;
    static final int COMPLETED = 0x00001021;
    static final int FAILED = 0x00001022;
    static final int WARNING = 0x00001023;
    static final int MOVE_ORIGINATOR_AE = 0x00001030;
    static final int MOVE_ORIGINATOR_ID = 0x00001031;

    /** A command holds a few UIDs and numbers; anything near this size is not a command. */
    static final int MAX_SIZE = 64 * 1024;

    private final TreeMap<Integer, byte[]> values = new TreeMap<>();

    /** Parses the command set in {@code b[from, from + length)}. */
    static Command parse(byte[] b, int from, int length) throws ProtocolException {
        Command c = new Command();
        int pos = from;
        int len = from + length;
        while (pos < len) {
            if (len - pos < 8) {
                throw bad("truncated element at byte " + (pos - from));
            }
            int group = u16(b, pos);
            int tag = (group << 16) | u16(b, pos + 2);
            long vl = u32(b, pos + 4);
            pos += 8;
            if (group != 0 || vl > len - pos) {
                throw bad("element " + Integer.toHexString(tag) + " of length " + vl + " in a command set");
            }
            byte[] v = new byte[(int) vl];
            System.arraycopy(b, pos, v, 0, v.length);
            c.values.put(tag, v);
            pos += v.length;
        }
        if (!c.values.containsKey(COMMAND_FIELD)) {
            throw bad("command set without Command Field (0000,0100)");
        }
        return c;
    }

    private static ProtocolException bad(String message) {
        return new ProtocolException(ProtocolException.INVALID_PARAMETER, message);
    }

    /** Encoded with Command Group Length first, as PS3.7 §E requires. */
    byte[] encode() {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        for (Map.Entry<Integer, byte[]> e : values.entrySet()) {
            if (e.getKey() != 0) {
                element(body, e.getKey(), e.getValue());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 12);
        element(out, 0, le(body.size(), 4));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void element(ByteArrayOutputStream out, int tag, byte[] v) {
        out.writeBytes(le(tag >>> 16, 2));
        out.writeBytes(le(tag & 0xFFFF, 2));
        out.writeBytes(le(v.length, 4));
        out.writeBytes(v);
    }

    int field() {
        return us(COMMAND_FIELD).orElse(-1);
    }

    int messageId() {
        return us(MESSAGE_ID).orElse(0);
    }

    boolean hasDataset() {
        return us(DATASET_TYPE).orElse(NO_DATASET) != NO_DATASET;
    }

    OptionalInt us(int tag) {
        byte[] v = values.get(tag);
        return v == null || v.length < 2 ? OptionalInt.empty() : OptionalInt.of(u16(v, 0));
    }

    /** UI, AE and LO values with their padding (NUL or space) removed; "" when absent. */
    String string(int tag) {
        byte[] v = values.get(tag);
        return v == null ? "" : new String(v, StandardCharsets.US_ASCII).replace("\0", "").trim();
    }

    Command us(int tag, int value) {
        values.put(tag, le(value, 2));
        return this;
    }

    Command string(int tag, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        if ((v.length & 1) != 0) {
            // UI pads with NUL, the text VRs with a space (PS3.5 §6.2).
            byte[] p = java.util.Arrays.copyOf(v, v.length + 1);
            p[v.length] = (byte) (tag == AFFECTED_SOP_CLASS || tag == AFFECTED_SOP_INSTANCE ? 0 : ' ');
            v = p;
        }
        values.put(tag, v);
        return this;
    }

    /** A response to {@code rq}: same SOP class (and instance, when given), Message ID Being Responded To. */
    static Command response(Command rq, int status, boolean dataset) {
        Command r = new Command().us(COMMAND_FIELD, rq.field() | RSP).us(RESPONDED_ID, rq.messageId())
                .us(DATASET_TYPE, dataset ? 0x0000 : NO_DATASET).us(STATUS, status);
        String cls = rq.string(AFFECTED_SOP_CLASS);
        if (!cls.isEmpty()) {
            r.string(AFFECTED_SOP_CLASS, cls);
        }
        String inst = rq.string(AFFECTED_SOP_INSTANCE);
        if (!inst.isEmpty()) {
            r.string(AFFECTED_SOP_INSTANCE, inst);
        }
        return r;
    }

    /** A request: C-STORE-RQ and friends built by our SCU side. */
    static Command request(int field, int messageId, String sopClass, boolean dataset) {
        return new Command().us(COMMAND_FIELD, field).us(MESSAGE_ID, messageId).us(PRIORITY, 0)
                .us(DATASET_TYPE, dataset ? 0x0000 : NO_DATASET).string(AFFECTED_SOP_CLASS, sopClass);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | ((b[at + 1] & 0xFFL) << 8) | ((b[at + 2] & 0xFFL) << 16) | ((b[at + 3] & 0xFFL) << 24);
    }

    private static byte[] le(int v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    @Override
    public String toString() {
        return String.format("cmd 0x%04X id %d status %s", field(), messageId(),
                us(STATUS).isPresent() ? Integer.toHexString(us(STATUS).getAsInt()) : "-");
    }
}
