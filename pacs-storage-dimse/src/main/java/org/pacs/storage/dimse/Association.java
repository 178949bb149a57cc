package org.pacs.storage.dimse;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;

import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.security.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acceptor side of one connection (PS3.8 §9.2 state machine, reduced to what an SCP that performs one
 * operation at a time needs): A-ASSOCIATE-RQ within the ARTIM time, AC or RJ, then commands until A-RELEASE-RQ
 * or A-ABORT. Any protocol violation aborts; a closed connection just ends. Works on plain streams so the fuzz test
 * can drive it without sockets; {@link Transport} sets the socket timeouts.
 */
final class Association {

    private static final Logger LOG = LoggerFactory.getLogger(Association.class);

    /** What the association needs from its connection beyond the streams. */
    interface Transport {
        InputStream in();

        OutputStream out();

        String remoteAddress();

        /** Socket read timeout in milliseconds (ARTIM before association, idle after). */
        void readTimeout(int millis) throws IOException;

        /** Signals end of our output, so a waiting peer sees the close at once. */
        void shutdownOutput() throws IOException;
    }

    private final Transport transport;
    private final DimseConfig config;
    private final StorageBackend archive;
    private final DimseAuditSink audit;
    private final boolean busy;
    private final UserIdentityCheck identity;

    Association(Transport transport, DimseConfig config, StorageBackend archive, DimseAuditSink audit, boolean busy) {
        this(transport, config, archive, audit, busy, new UserIdentityCheck(null, config.requireUserIdentity()));
    }

    Association(Transport transport, DimseConfig config, StorageBackend archive, DimseAuditSink audit, boolean busy,
                UserIdentityCheck identity) {
        this.transport = transport;
        this.config = config;
        this.archive = archive;
        this.audit = audit;
        this.busy = busy;
        this.identity = identity;
    }

    void run() {
        String remote = transport.remoteAddress();
        // PduReader buffers the connection itself (no BufferedInputStream: that would copy every PDU once more)
        InputStream in = transport.in();
        PduWriter writer = new PduWriter(new BufferedOutputStream(transport.out(), 64 * 1024));
        PduReader reader = new PduReader(in, config.maxPduLength());
        Session session = null;
        try {
            transport.readTimeout((int) config.artimTimeout().toMillis());
            if (reader.next() != PduReader.ASSOCIATE_RQ) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "PDU type " + reader.type()
                        + " before A-ASSOCIATE-RQ");
            }
            AssociatePdu rq = AssociatePdu.parse(false, reader.bodyCopy());
            Negotiator.Decision d = busy
                    ? new Negotiator.Decision(Negotiator.busy(config.maxAssociations()), null, null, "")
                    : new Negotiator(config, identity).decide(rq, host(remote));
            if (d.rejection() != null) {
                Negotiator.Rejection r = d.rejection();
                LOG.info("DIMSE association from {}@{} to {} rejected: {}", rq.callingAe(), remote, rq.calledAe(), r.why());
                writer.writeFixed(PduReader.ASSOCIATE_RJ, r.result(), r.source(), r.reason());
                new Session(rq.callingAe(), rq.calledAe(), remote, archive, config, audit)
                        .record("REJECT", r.why(), r.reason(), 0, 0, 0);
                awaitClose(in);
                return;
            }
            writer.write(PduReader.ASSOCIATE_AC, d.accept().encode());
            DimseChannel channel = new DimseChannel(reader, writer, d.contexts(), rq.userInfo().maxPduLength());
            session = new Session(rq.callingAe(), rq.calledAe(), d.user(), d.account(), remote, channel, archive,
                    config, audit);
            LOG.info("DIMSE association from {} accepted: {} of {} presentation contexts, peer max PDU {}",
                    session.who(), d.contexts().size(), rq.contexts().size(), rq.userInfo().maxPduLength());
            session.record("ASSOCIATE", "", 0, 0, 0, 0);
            transport.readTimeout((int) config.idleTimeout().toMillis());
            serve(session);
            writer.writeFixed(PduReader.RELEASE_RP, 0, 0, 0);
            LOG.info("DIMSE association from {} released: {}", session.who(), session.summary());
            session.record("RELEASE", "", 0, 0, 0, 0);
            awaitClose(in);
        } catch (ProtocolException e) {
            abort(writer, session, remote, e.reason(), "protocol error: " + e.getMessage());
        } catch (DimseChannel.LinkException e) {
            if (e.protocol() != null) {
                abort(writer, session, remote, e.protocol().reason(), "protocol error: " + e.getMessage());
            } else {
                LOG.info("DIMSE association from {} ended: {}", who(session, remote), e.getMessage());
                record(session, "ABORT", e.getMessage());
            }
        } catch (SocketTimeoutException e) {
            abort(writer, session, remote, 0, session == null ? "no A-ASSOCIATE-RQ within the ARTIM timeout "
                    + config.artimTimeout() : "idle for " + config.idleTimeout());
        } catch (EOFException e) {
            LOG.info("DIMSE connection from {} closed by the peer{}", who(session, remote),
                    session == null ? " before associating" : " without release");
            record(session, "ABORT", "connection closed");
        } catch (IOException e) {
            LOG.info("DIMSE connection from {} failed: {}", who(session, remote), e.toString());
            record(session, "ABORT", e.toString());
        } catch (RuntimeException | Error e) {
            // A bug (or a linkage or heap failure) must cost one association, never the listener; the peer gets
            // an abort, the log the trace.
            LOG.error("DIMSE association from {} failed unexpectedly", who(session, remote), e);
            abort(writer, session, remote, 0, "internal error " + e);
        }
    }

    /** Commands until the peer asks to release. */
    private void serve(Session s) throws IOException, ProtocolException {
        DimseChannel ch = s.channel();
        StoreScp store = new StoreScp(s);
        FindScp find = new FindScp(s);
        RetrieveScp retrieve = new RetrieveScp(s);
        for (Command rq; (rq = ch.readCommand()) != null; ) {
            DimseChannel.Context ctx = ch.context(ch.commandContext());
            switch (rq.field()) {
                case Command.C_ECHO_RQ -> {
                    ch.writeCommand(ctx.id(), Command.response(rq, Status.SUCCESS, false)
                            .string(Command.AFFECTED_SOP_CLASS, SopClasses.VERIFICATION));
                    LOG.debug("C-ECHO from {}", s.who());
                    s.record("C-ECHO", "", 0, 0, 0, 0);
                }
                case Command.C_STORE_RQ -> {
                    if (permitted(s, rq, ctx, Action.WRITE, "C-STORE")) {
                        store.handle(rq, ctx);
                    }
                }
                case Command.C_FIND_RQ -> {
                    if (permitted(s, rq, ctx, Action.READ, "C-FIND")) {
                        find.handle(rq, ctx);
                    }
                }
                case Command.C_GET_RQ, Command.C_MOVE_RQ -> {
                    if (permitted(s, rq, ctx, Action.READ, rq.field() == Command.C_GET_RQ ? "C-GET" : "C-MOVE")) {
                        retrieve.handle(rq, ctx);
                    }
                }
                case Command.C_CANCEL_RQ -> LOG.debug("C-CANCEL from {} for a finished operation", s.who());
                default -> {
                    if (rq.hasDataset()) {
                        ch.drainData();
                    }
                    LOG.info("Unsupported DIMSE command 0x{} from {}", Integer.toHexString(rq.field()), s.who());
                    ch.writeCommand(ctx.id(), Command.response(rq, Status.UNRECOGNIZED_OPERATION, false));
                }
            }
        }
    }

    /**
     * True when the association's user may run {@code op}; otherwise its data set is drained, the request answered
     * 0124 (Refused: Not Authorized, PS3.7 Annex C) with the reason as Error Comment, and the refusal audited.
     */
    private static boolean permitted(Session s, Command rq, DimseChannel.Context ctx, Action action, String op)
            throws IOException, ProtocolException {
        java.util.Optional<String> why = s.denied(action);
        if (why.isEmpty()) {
            return true;
        }
        DimseChannel ch = s.channel();
        if (rq.hasDataset()) {
            ch.drainData();
        }
        ch.writeCommand(ctx.id(), Command.response(rq, Status.NOT_AUTHORIZED, false)
                .string(Command.ERROR_COMMENT, Status.comment(why.get())));
        LOG.info("{} from {} refused: {}", op, s.who(), why.get());
        s.record(op, why.get(), Status.NOT_AUTHORIZED, 0, 0, 0);
        return false;
    }

    private void abort(PduWriter writer, Session session, String remote, int reason, String why) {
        LOG.info("DIMSE association from {} aborted: {}{}", who(session, remote), why,
                session == null ? "" : "; " + session.summary());
        if (session != null) {
            record(session, "ABORT", why);
        } else {
            // Before the A-ASSOCIATE-RQ was understood nobody is known by AE title, only by address.
            new Session("", "", remote, archive, config, audit).record("ABORT", why, reason, 0, 0, 0);
        }
        try {
            writer.abort(2, reason);
            transport.shutdownOutput();
        } catch (IOException e) {
            // The peer is gone already; nothing more to tell it.
        }
    }

    /** After RJ or RELEASE-RP the requestor closes the connection; ARTIM bounds the wait (PS3.8 §9.1.3). */
    private void awaitClose(InputStream in) {
        try {
            transport.shutdownOutput();
            transport.readTimeout((int) config.artimTimeout().toMillis());
            byte[] b = new byte[256];
            while (in.read(b) >= 0) {
                // PDUs after our last one are ignored; the connection is closing
            }
        } catch (IOException e) {
            // timeout or reset: the connection is closed by the caller either way
        }
    }

    private static void record(Session s, String op, String why) {
        if (s != null) {
            s.record(op, why, 0, 0, 0, 0);
        }
    }

    /** "10.1.2.3:4567" without the port: a peer's connections come from many ports. */
    private static String host(String remote) {
        int colon = remote.lastIndexOf(':');
        return colon > 0 ? remote.substring(0, colon) : remote;
    }

    private static String who(Session s, String remote) {
        return s != null ? s.who() : remote;
    }

    /** Exposed for the services: StorageException messages are for people, statuses for machines. */
    static String describe(StorageException e) {
        return e.reason() + ": " + e.getMessage();
    }
}
