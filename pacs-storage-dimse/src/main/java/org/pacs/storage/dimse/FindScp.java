package org.pacs.storage.dimse;

import java.io.IOException;

import org.pacs.storage.QueryLevel;
import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C-FIND SCP (PS3.4 C.4.1) for the Patient Root and Study Root models: the identifier goes to the archive's
 * paged {@code find} ({@link FindPages}), each match is sent as a pending response as its page arrives, and a
 * C-CANCEL-RQ seen between them ends the operation with status Cancel.
 */
final class FindScp {

    private static final Logger LOG = LoggerFactory.getLogger(FindScp.class);
    static final int RETRIEVE_AE_TITLE = 0x00080054;

    private final Session s;

    FindScp(Session s) {
        this.s = s;
    }

    void handle(Command rq, DimseChannel.Context ctx) throws IOException, ProtocolException {
        DimseChannel ch = s.channel();
        Query q = Query.read(s, rq, ctx, SopClasses.isFind(ctx.abstractSyntax()));
        if (q.failure() != 0) {
            fail(rq, ctx, q.failure(), q.comment(), 0);
            return;
        }
        // Pages of the answer as the catalog cuts them in SQL: memory holds one page whatever the match count.
        FindPages matches = new FindPages(s.archive(), q.identifier(), FindPages.PAGE);
        int sent = 0;
        while (true) {
            DicomDataset match;
            try {
                if (!matches.hasNext()) {
                    break;
                }
                match = matches.next();
            } catch (StorageException e) {
                int status = e.reason() == StorageException.Reason.INVALID_INPUT ? Status.DATASET_DOES_NOT_MATCH
                        : e.reason() == StorageException.Reason.UNAVAILABLE ? Status.OUT_OF_RESOURCES
                        : Status.UNABLE_TO_PROCESS;
                LOG.info("C-FIND from {} failed after {} matches ({}): {}", s.who(), sent, e.reason(), e.getMessage());
                fail(rq, ctx, status, e.getMessage(), sent);
                return;
            }
            if (Query.cancelled(ch, rq)) {
                ch.writeCommand(ctx.id(), Command.response(rq, Status.CANCEL, false));
                LOG.info("C-FIND {} from {} cancelled after {} matches", q.summary(), s.who(), sent);
                s.record("C-FIND", q.summary(), Status.CANCEL, sent, 0, 0);
                return;
            }
            DicomDataset r = response(q.identifier(), match);
            ch.writeCommand(ctx.id(), Command.response(rq, Status.PENDING, true));
            ch.writeData(ctx.id(), Part10.encodeDataset(r, ctx.transferSyntax()));
            sent++;
        }
        ch.writeCommand(ctx.id(), Command.response(rq, Status.SUCCESS, false));
        LOG.info("C-FIND {} from {}: {} matches", q.summary(), s.who(), sent);
        s.record("C-FIND", q.summary(), Status.SUCCESS, sent, 0, 0);
    }

    private void fail(Command rq, DimseChannel.Context ctx, int status, String comment, int sent) throws IOException {
        Command rsp = Command.response(rq, status, false).string(Command.ERROR_COMMENT, Status.comment(comment));
        s.channel().writeCommand(ctx.id(), rsp);
        s.record("C-FIND", comment, status, sent, 0, 0);
    }

    /**
     * The archive answers in Java strings; they go back in the query's character set when they are plain ASCII
     * and in UTF-8 (ISO_IR 192) otherwise, which can hold any of them.
     */
    private DicomDataset response(DicomDataset query, DicomDataset match) {
        DicomDataset r = match.copy();
        if (query.contains(RETRIEVE_AE_TITLE)) {
            r.set(RETRIEVE_AE_TITLE, VR.AE, s.config().aeTitle());
        }
        boolean ascii = r.elements().stream().allMatch(FindScp::isAscii);
        if (!ascii) {
            r.set(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        } else {
            query.get(Tag.SpecificCharacterSet).ifPresent(r::put);
        }
        return r;
    }

    private static boolean isAscii(DicomElement e) {
        return !e.vr().isString() || e.strings().stream().allMatch(v -> v.chars().allMatch(c -> c < 0x80));
    }

    /** A parsed C-FIND / C-GET / C-MOVE identifier, or why it could not be used. */
    record Query(DicomDataset identifier, QueryLevel level, int failure, String comment) {

        String summary() {
            StringBuilder sb = new StringBuilder(level == null ? "?" : level.name());
            for (DicomElement e : identifier.elements()) {
                if (e.vr().isString() && !e.isEmpty() && e.tag() != Tag.QueryRetrieveLevel
                        && e.tag() != Tag.SpecificCharacterSet) {
                    sb.append(' ').append(Tag.toString(e.tag())).append('=').append(String.join("\\", e.strings()));
                }
            }
            return sb.toString();
        }

        static Query read(Session s, Command rq, DimseChannel.Context ctx, boolean rightModel)
                throws IOException, ProtocolException {
            if (!rq.hasDataset()) {
                return new Query(new DicomDataset(), null, Status.DATASET_DOES_NOT_MATCH, "request without identifier");
            }
            byte[] bytes = s.channel().readData(Part10.MAX_IDENTIFIER);
            if (!rightModel) {
                return new Query(new DicomDataset(), null, Status.SOP_CLASS_NOT_SUPPORTED,
                        "operation not offered on " + ctx.abstractSyntax());
            }
            DicomDataset id;
            QueryLevel level;
            try {
                id = Part10.parseDataset(bytes, ctx.transferSyntax());
                String lv = id.getString(Tag.QueryRetrieveLevel).orElse(null);
                if (lv == null) {
                    return new Query(id, null, Status.DATASET_DOES_NOT_MATCH, "Query/Retrieve Level (0008,0052) missing");
                }
                level = QueryLevel.parse(lv);
            } catch (StorageException e) {
                return new Query(new DicomDataset(), null, Status.DATASET_DOES_NOT_MATCH, e.getMessage());
            }
            if (level == QueryLevel.PATIENT && !SopClasses.isPatientRoot(ctx.abstractSyntax())) {
                return new Query(id, level, Status.DATASET_DOES_NOT_MATCH, "no PATIENT level in the Study Root model");
            }
            return new Query(id, level, 0, "");
        }

        /**
         * Whether the peer sent C-CANCEL-RQ for {@code rq}; called between responses. The async window is 1, so
         * another request arriving now is a protocol error; an A-ABORT ends the association at once; an early
         * A-RELEASE-RQ waits until the operation is done.
         */
        static boolean cancelled(DimseChannel ch, Command rq) throws IOException, ProtocolException {
            int waiting = ch.waitingPdu();
            if (waiting != PduReader.P_DATA && waiting != PduReader.ABORT) {
                return false;
            }
            Command c = ch.readCommand();
            if (c == null || c.field() != Command.C_CANCEL_RQ) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU,
                        "a request other than C-CANCEL during an operation (window is 1)");
            }
            return c.us(Command.RESPONDED_ID).orElse(-1) == rq.messageId();
        }
    }
}
