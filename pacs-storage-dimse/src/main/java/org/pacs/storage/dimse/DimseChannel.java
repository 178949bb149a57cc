package org.pacs.storage.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * DIMSE messages over an established association, for both sides: reassembles commands and data sets from P-DATA
 * fragments (PS3.8 §9.3.5, PS3.7 §8) and fragments outgoing messages to the peer's maximum PDU length. A data set
 * is exposed as a stream that pulls fragments off the connection as it is read, so a C-STORE goes from the socket
 * into the archive with one PDU in memory at a time.
 */
final class DimseChannel {

    /** Peers announcing 0 (unlimited) or more still get fragments of this size: one send buffer per association. */
    static final int MAX_SEND_FRAGMENT = 1024 * 1024;

    /** An accepted presentation context. */
    record Context(int id, String abstractSyntax, String transferSyntax) {
    }

    /** The peer closed, aborted or broke the protocol mid-message; the association is over. */
    static final class LinkException extends IOException {
        private final transient ProtocolException protocol;

        LinkException(String message, ProtocolException protocol) {
            super(message, protocol);
            this.protocol = protocol;
        }

        ProtocolException protocol() {
            return protocol;
        }
    }

    private final PduReader reader;
    private final PduWriter writer;
    private final Map<Integer, Context> contexts;
    private final int maxFragment;
    private int pos;
    private int end;
    private boolean inData;
    private boolean dataLast;
    private int dataContext;
    private int dataOff;
    private int dataLen;

    DimseChannel(PduReader reader, PduWriter writer, Map<Integer, Context> contexts, long peerMaxPdu) {
        this.reader = reader;
        this.writer = writer;
        this.contexts = Map.copyOf(contexts);
        long max = peerMaxPdu == 0 ? MAX_SEND_FRAGMENT : Math.min(peerMaxPdu - 6, MAX_SEND_FRAGMENT);
        this.maxFragment = (int) Math.max(max & ~1L, 2);
    }

    Map<Integer, Context> contexts() {
        return contexts;
    }

    PduWriter writer() {
        return writer;
    }

    /**
     * The type of the PDU already waiting (a C-CANCEL between our responses, or an A-ABORT), without consuming it;
     * -1 when nothing waits.
     */
    int waitingPdu() throws IOException {
        if (pos < end) {
            return PduReader.P_DATA;
        }
        return reader.waiting();
    }

    /** The next command and its context id ({@link #commandContext()}); null when the peer asked to release. */
    Command readCommand() throws IOException, ProtocolException {
        if (inData) {
            throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "command read inside a data set");
        }
        ByteArrayOutputStream cmd = null;
        while (true) {
            boolean first = cmd == null;
            if (pos >= end && !nextPData(first)) {
                return null;
            }
            int[] pdv = nextPdv();
            if ((pdv[1] & 1) == 0) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PARAMETER, "data fragment where a command was due");
            }
            if (!first && pdv[0] != dataContext) {
                throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "command fragments on two contexts");
            }
            dataContext = pdv[0];
            int size = (first ? 0 : cmd.size()) + pdv[3];
            if (size > Command.MAX_SIZE) {
                throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "command set over " + Command.MAX_SIZE + " bytes");
            }
            boolean last = (pdv[1] & 2) != 0;
            Command c;
            if (first && last) {
                // the usual case, one fragment: parsed where it lies in the PDU
                c = Command.parse(reader.body(), pdv[2], pdv[3]);
            } else {
                if (first) {
                    cmd = new ByteArrayOutputStream(256);
                }
                cmd.write(reader.body(), pdv[2], pdv[3]);
                if (!last) {
                    continue;
                }
                byte[] b = cmd.toByteArray();
                c = Command.parse(b, 0, b.length);
            }
            if (c.hasDataset()) {
                inData = true;
                dataLast = false;
                dataLen = 0;
            }
            return c;
        }
    }

    int commandContext() {
        return dataContext;
    }

    Context context(int id) {
        return contexts.get(id);
    }

    /** The data set following the last command, as a stream ending with its last fragment. */
    InputStream dataStream() {
        return data;
    }

    /** One stream for every data set of the association: it reads whatever data set is current. */
    private final InputStream data = new InputStream() {
        @Override
        public int read() throws IOException {
            if (!more()) {
                return -1;
            }
            dataLen--;
            return reader.body()[dataOff++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!more()) {
                return -1;
            }
            int n = Math.min(len, dataLen);
            System.arraycopy(reader.body(), dataOff, b, off, n);
            dataOff += n;
            dataLen -= n;
            return n;
        }

        @Override
        public int available() {
            return dataLen;
        }
    };

    /** Whether the current data set has bytes left, reading its next fragment when needed. */
    private boolean more() throws IOException {
        while (dataLen == 0) {
            if (!inData || dataLast) {
                inData = false;
                return false;
            }
            nextDataFragment();
        }
        return true;
    }

    /** Reads a small data set (a C-FIND identifier) into memory; larger than {@code limit} is a protocol error. */
    byte[] readData(int limit) throws IOException, ProtocolException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = dataStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            if (out.size() + n > limit) {
                throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "identifier over " + limit + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Discards the rest of the current data set (after the archive refused it early). */
    void drainData() throws IOException {
        InputStream in = dataStream();
        byte[] buf = new byte[8192];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    private void nextDataFragment() throws IOException {
        try {
            if (pos >= end && !nextPData(false)) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "A-RELEASE-RQ inside a data set");
            }
            int[] pdv = nextPdv();
            if ((pdv[1] & 1) != 0 || pdv[0] != dataContext) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PARAMETER,
                        "command fragment or other context inside a data set");
            }
            dataOff = pdv[2];
            dataLen = pdv[3];
            dataLast = (pdv[1] & 2) != 0;
        } catch (ProtocolException e) {
            throw new LinkException(e.getMessage(), e);
        }
    }

    /** Reads PDUs until a P-DATA-TF; false for an A-RELEASE-RQ when {@code releaseAllowed}. */
    private boolean nextPData(boolean releaseAllowed) throws IOException, ProtocolException {
        int type = reader.next();
        switch (type) {
            case PduReader.P_DATA -> {
                pos = reader.offset();
                end = reader.offset() + reader.length();
                return true;
            }
            case PduReader.RELEASE_RQ -> {
                if (releaseAllowed) {
                    return false;
                }
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "A-RELEASE-RQ inside a message");
            }
            case PduReader.ABORT -> throw new LinkException("the peer aborted (A-ABORT)", null);
            default -> throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "PDU type " + type
                    + " on an established association");
        }
    }

    /** {context id, control header, value offset, value length} of the next PDV in the current PDU. */
    private int[] nextPdv() throws ProtocolException {
        byte[] b = reader.body();
        if (end - pos < 6) {
            throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "truncated PDV item");
        }
        long len = ((b[pos] & 0xFFL) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
        if (len < 2 || len > end - pos - 4) {
            throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "PDV length " + len + " where "
                    + (end - pos - 4) + " bytes remain");
        }
        int id = b[pos + 4] & 0xFF;
        int control = b[pos + 5] & 0xFF;
        if (!contexts.containsKey(id)) {
            throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "PDV on presentation context " + id
                    + " which was not accepted");
        }
        int[] out = {id, control, pos + 6, (int) len - 2};
        pos += 4 + (int) len;
        return out;
    }

    /**
     * A command goes out at once when it is all there is; one followed by a data set waits in the send buffer
     * for the data set's last fragment, so the two travel in one write (and, for a short data set, one segment).
     */
    void writeCommand(int contextId, Command c) throws IOException {
        byte[] b = c.encode();
        write(contextId, b, b.length, true, !c.hasDataset());
    }

    /** A data set already in memory (C-FIND identifiers). */
    void writeData(int contextId, byte[] b) throws IOException {
        write(contextId, b, b.length, false, true);
    }

    private void write(int contextId, byte[] b, int len, boolean command, boolean flush) throws IOException {
        int off = 0;
        do {
            int n = Math.min(maxFragment, len - off);
            boolean last = off + n == len;
            writer.pdv(contextId, (command ? 1 : 0) | (last ? 2 : 0), b, off, n, last && flush);
            off += n;
        } while (off < len);
    }

    /**
     * A data set streamed from the archive: each fragment is sent once the next is known (to mark the last).
     * {@code padOdd}: a deflated stream of odd length gets the one trailing NUL PS3.5 A.5 prescribes, since
     * fragments must have even lengths.
     */
    void writeData(int contextId, InputStream in, boolean padOdd) throws IOException {
        byte[] cur = new byte[maxFragment + 1];
        byte[] next = new byte[maxFragment + 1];
        int n = readUpTo(in, cur, maxFragment);
        while (true) {
            int m = n < maxFragment ? 0 : readUpTo(in, next, maxFragment);
            boolean last = m == 0;
            if (last && padOdd && (n & 1) != 0) {
                cur[n++] = 0;
            }
            writer.pdv(contextId, last ? 2 : 0, cur, 0, n, last);
            if (last) {
                return;
            }
            byte[] t = cur;
            cur = next;
            next = t;
            n = m;
        }
    }

    /**
     * A data set written as it is produced (a transcoded instance): fragments of the peer's maximum size, each
     * sent once the next byte shows it is not the last; {@code close()} sends the last one. Not closing it (after a
     * failure midway) leaves the message unfinished, deliberately: only an A-ABORT or a dropped connection can end
     * it, so the receiver never mistakes the part for the whole.
     */
    OutputStream dataOutput(int contextId) {
        return new OutputStream() {
            private final byte[] b = new byte[maxFragment];
            private int n;

            @Override
            public void write(int x) throws IOException {
                write(new byte[] {(byte) x}, 0, 1);
            }

            @Override
            public void write(byte[] src, int off, int len) throws IOException {
                while (len > 0) {
                    if (n == b.length) {
                        writer.pdv(contextId, 0, b, 0, n, false);
                        n = 0;
                    }
                    int k = Math.min(len, b.length - n);
                    System.arraycopy(src, off, b, n, k);
                    n += k;
                    off += k;
                    len -= k;
                }
            }

            @Override
            public void close() throws IOException {
                writer.pdv(contextId, 2, b, 0, n, true);
            }
        };
    }

    private static int readUpTo(InputStream in, byte[] b, int max) throws IOException {
        int off = 0;
        while (off < max) {
            int r = in.read(b, off, max - off);
            if (r < 0) {
                break;
            }
            off += r;
        }
        return off;
    }
}
