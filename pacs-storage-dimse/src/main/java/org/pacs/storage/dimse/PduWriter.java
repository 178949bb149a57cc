package org.pacs.storage.dimse;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes PDUs. P-DATA-TF PDUs are assembled in one buffer sized to the peer's maximum, so a message of any size
 * goes out in fragments that each fit what the peer announced (PS3.8 §9.3.5, D.1).
 */
final class PduWriter {

    private final OutputStream out;
    private final byte[] fixed = new byte[10];
    private byte[] pdata;

    PduWriter(OutputStream out) {
        this.out = out;
    }

    synchronized void write(int type, byte[] body) throws IOException {
        byte[] h = new byte[6];
        h[0] = (byte) type;
        putInt(h, 2, body.length);
        out.write(h);
        out.write(body);
        out.flush();
    }

    /** A-ASSOCIATE-RJ, A-RELEASE-RQ/RP and A-ABORT: 4-byte bodies. */
    synchronized void writeFixed(int type, int b7, int b8, int b9) throws IOException {
        fixed[0] = (byte) type;
        fixed[1] = 0;
        putInt(fixed, 2, 4);
        fixed[6] = 0;
        fixed[7] = (byte) b7;
        fixed[8] = (byte) b8;
        fixed[9] = (byte) b9;
        out.write(fixed);
        out.flush();
    }

    void abort(int source, int reason) throws IOException {
        writeFixed(PduReader.ABORT, 0, source, reason);
    }

    /**
     * One PDV per PDU: {@code control} bit 0 marks a command, bit 1 the last fragment. The caller keeps
     * {@code len} within {@link #maxFragment}.
     */
    synchronized void pdv(int contextId, int control, byte[] b, int off, int len, boolean flush) throws IOException {
        int pduLen = len + 6;
        if (pdata == null || pdata.length < pduLen + 6) {
            pdata = new byte[pduLen + 6];
        }
        pdata[0] = PduReader.P_DATA;
        pdata[1] = 0;
        putInt(pdata, 2, pduLen);
        putInt(pdata, 6, len + 2);
        pdata[10] = (byte) contextId;
        pdata[11] = (byte) control;
        System.arraycopy(b, off, pdata, 12, len);
        out.write(pdata, 0, pduLen + 6);
        if (flush) {
            out.flush();
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
