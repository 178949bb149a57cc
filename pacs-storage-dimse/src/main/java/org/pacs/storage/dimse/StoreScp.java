package org.pacs.storage.dimse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C-STORE SCP (PS3.4 Annex B): the instance goes into the archive as it arrives, as a Part 10 stream of a meta
 * group built from the association followed by the data set bytes exactly as received. The response is sent
 * after {@code store} returns, that is once the archive made the instance durable.
 */
final class StoreScp {

    private static final Logger LOG = LoggerFactory.getLogger(StoreScp.class);

    private final Session s;

    StoreScp(Session s) {
        this.s = s;
    }

    void handle(Command rq, DimseChannel.Context ctx) throws IOException {
        DimseChannel ch = s.channel();
        String sopClass = rq.string(Command.AFFECTED_SOP_CLASS);
        String sopInstance = rq.string(Command.AFFECTED_SOP_INSTANCE);
        int status;
        String comment = null;
        if (!rq.hasDataset()) {
            status = Status.CANNOT_UNDERSTAND;
            comment = "C-STORE-RQ without a data set";
        } else if (!SopClasses.isStorage(ctx.abstractSyntax()) || !sopClass.equals(ctx.abstractSyntax())) {
            ch.drainData();
            status = Status.SOP_CLASS_NOT_SUPPORTED;
            comment = "SOP class " + sopClass + " on a context for " + ctx.abstractSyntax();
        } else if (!SopInstanceUid.isValid(sopInstance)) {
            ch.drainData();
            status = Status.CANNOT_UNDERSTAND;
            comment = "invalid Affected SOP Instance UID";
        } else {
            byte[] meta = Part10.metaHeader(sopClass, sopInstance, ctx.transferSyntax(), s.callingAe());
            Tracking data = new Tracking(ch.dataStream());
            try {
                StoredInstance stored = s.archive().store(new SequenceInputStream(new ByteArrayInputStream(meta), data));
                data.rethrow();
                ch.drainData();
                status = Status.SUCCESS;
                if (!stored.sopInstanceUid().value().equals(sopInstance)) {
                    LOG.warn("C-STORE from {}: command names {} but the data set holds {}; stored as the data set says",
                            s.who(), sopInstance, stored.sopInstanceUid());
                }
            } catch (StorageException e) {
                // A broken link surfaces wrapped in the archive's exception: then there is no one to answer.
                data.rethrow();
                ch.drainData();
                status = Status.forStore(e);
                comment = e.getMessage();
                LOG.info("C-STORE of {} from {} refused ({}): {}", sopInstance, s.who(), e.reason(), e.getMessage());
            }
        }
        Command rsp = Command.response(rq, status, false);
        if (comment != null) {
            rsp.string(Command.ERROR_COMMENT, Status.comment(comment));
        }
        ch.writeCommand(ctx.id(), rsp);
        if (LOG.isDebugEnabled()) {
            LOG.debug("C-STORE {} {} from {}: status {}", sopClass, sopInstance, s.who(), Integer.toHexString(status));
        }
        s.record("C-STORE", sopInstance, status, status == 0 ? 1 : 0, status == 0 ? 0 : 1, 0);
    }

    /** Remembers a failure of the connection itself, whatever the archive makes of it. */
    private static final class Tracking extends InputStream {
        private final InputStream in;
        private IOException failure;

        Tracking(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        void rethrow() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
