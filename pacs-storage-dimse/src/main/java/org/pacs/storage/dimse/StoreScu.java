package org.pacs.storage.dimse;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requestor side, for C-MOVE sub-operations: one association to a destination with a presentation context per
 * (SOP class, stored transfer syntax) pair of the instances to send, proposing the stored syntax first and, for
 * the uncompressed ones, the Little Endian syntaxes {@link Transcoder} can re-encode into; the destination's
 * choice decides whether an instance goes as stored or re-encoded. Also holds the C-STORE sub-operation exchange
 * that C-GET runs on the SCU's own association.
 */
final class StoreScu implements AutoCloseable {

    /** A C-STORE sub-operation's outcome; {@code cancelled} when a C-CANCEL-RQ came in while waiting. */
    record Result(int status, boolean cancelled) {
    }

    /** Sends a C-STORE-RQ's data set on a context (as stored, or re-encoded). */
    @FunctionalInterface
    interface Payload {
        void send(DimseChannel ch, int contextId) throws IOException;
    }

    /** The syntaxes proposed for instances stored in {@code stored}: it first, then what it can be re-encoded to. */
    static List<String> proposals(String stored) {
        List<String> out = new ArrayList<>(List.of(stored));
        for (String ts : List.of(org.pacs.storage.dicom.TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                org.pacs.storage.dicom.TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)) {
            if (Transcoder.canTranscode(stored, ts)) {
                out.add(ts);
            }
        }
        return out;
    }

    private final Socket socket;
    private final DimseChannel channel;
    private final Map<String, DimseChannel.Context> contextByPair = new LinkedHashMap<>();

    private StoreScu(Socket socket, DimseChannel channel, Map<String, DimseChannel.Context> contextByPair) {
        this.socket = socket;
        this.channel = channel;
        this.contextByPair.putAll(contextByPair);
    }

    /** Presentation contexts {@link #open} proposes for instances stored in {@code stored}. */
    static int contextsFor(String stored) {
        return proposals(stored).size() > 1 ? 2 : 1;
    }

    /** Associates; IOException saying why when the destination refuses, aborts or cannot be reached. */
    static StoreScu open(DimseConfig config, String calledAe, DimseConfig.Destination dest, List<String[]> pairs)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(dest.host(), dest.port()), (int) config.artimTimeout().toMillis());
            socket.setSoTimeout((int) config.artimTimeout().toMillis());
            // Per pair a context with the stored syntax alone, so that a destination accepting it gets the stored
            // bytes whatever it prefers, and (uncompressed only) one with what the data set can be re-encoded to.
            List<AssociatePdu.Context> proposed = new ArrayList<>();
            List<Integer> pairOf = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                List<String> all = proposals(pairs.get(i)[1]);
                proposed.add(new AssociatePdu.Context(2 * proposed.size() + 1, 0, pairs.get(i)[0], all.subList(0, 1)));
                pairOf.add(i);
                if (all.size() > 1) {
                    proposed.add(new AssociatePdu.Context(2 * proposed.size() + 1, 0, pairs.get(i)[0],
                            all.subList(1, all.size())));
                    pairOf.add(i);
                }
            }
            AssociatePdu rq = new AssociatePdu(false, calledAe, config.aeTitle(), AssociatePdu.DICOM_APPLICATION_CONTEXT,
                    proposed, new AssociatePdu.UserInfo(config.maxPduLength(),
                    org.pacs.storage.dicom.DicomWriter.IMPLEMENTATION_CLASS_UID, Negotiator.IMPLEMENTATION_VERSION,
                    List.of(), false));
            PduWriter writer = new PduWriter(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
            PduReader reader = new PduReader(socket.getInputStream(), config.maxPduLength());
            writer.write(PduReader.ASSOCIATE_RQ, rq.encode());
            int type = reader.next();
            if (type == PduReader.ASSOCIATE_RJ) {
                byte[] b = reader.bodyCopy();
                throw new IOException(calledAe + " rejected the association (result " + b[1] + ", source " + b[2]
                        + ", reason " + b[3] + ")");
            }
            if (type != PduReader.ASSOCIATE_AC) {
                throw new IOException(calledAe + " answered the A-ASSOCIATE-RQ with PDU type " + type);
            }
            AssociatePdu ac = AssociatePdu.parse(true, reader.bodyCopy());
            Map<Integer, DimseChannel.Context> accepted = new LinkedHashMap<>();
            Map<String, DimseChannel.Context> byPair = new LinkedHashMap<>();
            for (AssociatePdu.Context c : ac.contexts()) {
                int k = (c.id() - 1) / 2;
                if (c.result() == 0 && (c.id() & 1) == 1 && k < proposed.size() && !c.transferSyntaxes().isEmpty()
                        && proposed.get(k).transferSyntaxes().contains(c.transferSyntaxes().get(0))) {
                    String[] pair = pairs.get(pairOf.get(k));
                    DimseChannel.Context ctx = new DimseChannel.Context(c.id(), pair[0], c.transferSyntaxes().get(0));
                    accepted.put(c.id(), ctx);
                    // the stored-syntax context comes first and wins when both were accepted
                    byPair.putIfAbsent(pair[0] + "|" + pair[1], ctx);
                }
            }
            socket.setSoTimeout((int) config.idleTimeout().toMillis());
            return new StoreScu(socket, new DimseChannel(reader, writer, accepted, ac.userInfo().maxPduLength()),
                    byPair);
        } catch (ProtocolException e) {
            socket.close();
            throw new IOException(calledAe + " sent a malformed A-ASSOCIATE-AC: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The accepted context for instances of this class stored in this syntax; null when the destination refused it. */
    DimseChannel.Context context(String sopClass, String storedSyntax) {
        return contextByPair.get(sopClass + "|" + storedSyntax);
    }

    DimseChannel channel() {
        return channel;
    }

    /**
     * Sends one C-STORE-RQ and its data set on {@code ch}, then waits for the C-STORE-RSP. On a C-GET association
     * the SCU may send C-CANCEL-RQ meanwhile ({@code cancelId} is the C-GET's message ID; -1 for none).
     */
    static Result store(DimseChannel ch, int contextId, int messageId, String sopClass, String sopInstance,
                        Payload dataset, String originatorAe, int originatorId, int cancelId)
            throws IOException, ProtocolException {
        Command rq = Command.request(Command.C_STORE_RQ, messageId, sopClass, true)
                .string(Command.AFFECTED_SOP_INSTANCE, sopInstance);
        if (originatorAe != null) {
            rq.string(Command.MOVE_ORIGINATOR_AE, originatorAe).us(Command.MOVE_ORIGINATOR_ID, originatorId);
        }
        ch.writeCommand(contextId, rq);
        dataset.send(ch, contextId);
        boolean cancelled = false;
        while (true) {
            Command rsp = ch.readCommand();
            if (rsp == null) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "A-RELEASE-RQ while a C-STORE was pending");
            }
            if (rsp.hasDataset()) {
                ch.drainData();
            }
            if (rsp.field() == Command.C_CANCEL_RQ && rsp.us(Command.RESPONDED_ID).orElse(-2) == cancelId) {
                cancelled = true;
            } else if (rsp.field() == (Command.C_STORE_RQ | Command.RSP)
                    && rsp.us(Command.RESPONDED_ID).orElse(-1) == messageId) {
                return new Result(rsp.us(Command.STATUS).orElse(Status.PROCESSING_FAILURE), cancelled);
            } else {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "expected C-STORE-RSP, got " + rsp);
            }
        }
    }

    /** Drops the connection without A-RELEASE: after the destination failed, a release would only wait. */
    void abort() {
        try {
            channel.writer().abort(0, 0);
        } catch (IOException e) {
            // gone already
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** A-RELEASE; a destination that does not answer within the idle time is simply disconnected. */
    @Override
    public void close() throws IOException {
        if (socket.isClosed()) {
            return;
        }
        try {
            channel.writer().writeFixed(PduReader.RELEASE_RQ, 0, 0, 0);
            while (channel.readCommand() != null) {
                // a conforming peer sends nothing more; anything else is dropped with the connection
            }
        } catch (ProtocolException e) {
            // RELEASE-RP arrives as an "unexpected PDU" to the command reader: that is the normal end.
        } finally {
            socket.close();
        }
    }
}
