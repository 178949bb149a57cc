package org.pacs.storage.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import org.pacs.storage.QueryLevel;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C-GET and C-MOVE SCP (PS3.4 C.4.2, C.4.3): the identifier's keys select instances through the archive's
 * {@code find} at IMAGE level, and each is sent by a C-STORE sub-operation, on this association for C-GET, on an
 * association we open to the configured destination for C-MOVE: as stored when the peer accepted the stored
 * transfer syntax, else re-encoded by {@link Transcoder} between the uncompressed syntaxes (never decompressed).
 * A pending response after each sub-operation carries the counts; the final one lists the failed instances
 * (0008,0058).
 */
final class RetrieveScp {

    private static final Logger LOG = LoggerFactory.getLogger(RetrieveScp.class);
    static final int FAILED_SOP_INSTANCE_UID_LIST = 0x00080058;
    /** PS3.7 D.3.3.1: contexts have odd IDs 1-255, so one association carries at most 128 pairs. */
    private static final int MAX_CONTEXTS = 128;

    private final Session s;

    RetrieveScp(Session s) {
        this.s = s;
    }

    /** Counts of the sub-operations, and the instances that failed. */
    private static final class Tally {
        int remaining;
        int completed;
        int failed;
        int warning;
        boolean cancelled;
        final List<String> failedUids = new ArrayList<>();
        final LinkedHashSet<String> reasons = new LinkedHashSet<>();

        void fail(String uid, String reason) {
            failed++;
            remaining--;
            failedUids.add(uid);
            reasons.add(reason);
        }
    }

    void handle(Command rq, DimseChannel.Context ctx) throws IOException, ProtocolException {
        boolean get = rq.field() == Command.C_GET_RQ;
        String op = get ? "C-GET" : "C-MOVE";
        boolean rightModel = get ? SopClasses.isGet(ctx.abstractSyntax()) : SopClasses.isMove(ctx.abstractSyntax());
        FindScp.Query q = FindScp.Query.read(s, rq, ctx, rightModel);
        if (q.failure() != 0) {
            finish(rq, ctx, op, q.summary(), q.failure(), new Tally(), q.comment());
            return;
        }
        String destAe = rq.string(Command.MOVE_DESTINATION);
        DimseConfig.Destination dest = get ? null : s.config().destinations().get(destAe);
        if (!get && dest == null) {
            finish(rq, ctx, op, q.summary(), Status.MOVE_DESTINATION_UNKNOWN, new Tally(),
                    "move destination '" + destAe + "' is not in dimse.destinations");
            return;
        }
        List<StoredInstance> instances;
        try {
            instances = select(q.identifier());
        } catch (StorageException e) {
            int status = e.reason() == StorageException.Reason.INVALID_INPUT ? Status.DATASET_DOES_NOT_MATCH
                    : Status.UNABLE_TO_PROCESS;
            finish(rq, ctx, op, q.summary(), status, new Tally(), e.getMessage());
            return;
        }
        Tally t = new Tally();
        t.remaining = instances.size();
        done.clear();
        if (get) {
            send(rq, ctx, instances, t, s.channel(), null);
        } else {
            // One association per 128 presentation contexts (one or two per class and stored syntax); usually one.
            List<List<StoredInstance>> batches = batches(instances);
            for (List<StoredInstance> batch : batches) {
                if (t.cancelled) {
                    break;
                }
                List<String[]> pairs = batch.stream().map(i -> new String[] {i.sopClassUid(), i.transferSyntaxUid()})
                        .map(p -> p[0] + "|" + p[1]).distinct().map(p -> p.split("\\|", 2)).toList();
                StoreScu scu = null;
                try {
                    scu = StoreScu.open(s.config(), destAe, dest, pairs);
                    send(rq, ctx, batch, t, scu.channel(), scu);
                    scu.close();
                } catch (IOException e) {
                    if (scu != null) {
                        scu.abort();
                    }
                    LOG.info("C-MOVE from {} to {}: {}", s.who(), destAe, e.getMessage());
                    for (StoredInstance i : batch) {
                        if (!done.contains(i.sopInstanceUid().value())) {
                            t.fail(i.sopInstanceUid().value(), "destination " + destAe + ": " + e.getMessage());
                        }
                    }
                }
            }
        }
        int status = t.cancelled ? Status.CANCEL
                : t.failed + t.warning == 0 ? Status.SUCCESS
                : t.completed + t.warning == 0 ? Status.RETRIEVE_OUT_OF_RESOURCES : Status.SUB_OPERATIONS_FAILED;
        finish(rq, ctx, op, q.summary() + (get ? "" : " to " + destAe), status, t, String.join("; ", t.reasons));
    }

    /** Instances of the current operation already attempted, so a dropped destination fails only the rest. */
    private final java.util.Set<String> done = new java.util.HashSet<>();

    /** The instances the identifier's unique keys select, with class and syntax from the catalog. */
    private List<StoredInstance> select(DicomDataset identifier) {
        DicomDataset q = identifier.copy();
        q.set(Tag.QueryRetrieveLevel, VR.CS, QueryLevel.IMAGE.name());
        if (!q.contains(Tag.SOPInstanceUID)) {
            q.set(Tag.SOPInstanceUID, VR.UI);
        }
        List<StoredInstance> out = new ArrayList<>();
        // the matches a page at a time: what is held is one StoredInstance per instance, not its find result
        for (FindPages pages = new FindPages(s.archive(), q, FindPages.PAGE); pages.hasNext(); ) {
            DicomDataset m = pages.next();
            Optional<String> uid = m.getUid(Tag.SOPInstanceUID);
            if (uid.isPresent() && SopInstanceUid.isValid(uid.get())) {
                s.archive().describe(SopInstanceUid.of(uid.get())).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Instances in groups whose presentation contexts fit one association (PS3.7 D.3.3.1: 128). */
    private static List<List<StoredInstance>> batches(List<StoredInstance> all) {
        List<List<StoredInstance>> out = new ArrayList<>();
        List<StoredInstance> cur = new ArrayList<>();
        LinkedHashSet<String> pairs = new LinkedHashSet<>();
        int contexts = 0;
        for (StoredInstance i : all) {
            String p = i.sopClassUid() + "|" + i.transferSyntaxUid();
            int more = pairs.contains(p) ? 0 : StoreScu.contextsFor(i.transferSyntaxUid());
            if (contexts + more > MAX_CONTEXTS) {
                out.add(cur);
                cur = new ArrayList<>();
                pairs.clear();
                contexts = 0;
                more = StoreScu.contextsFor(i.transferSyntaxUid());
            }
            if (pairs.add(p)) {
                contexts += more;
            }
            cur.add(i);
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** Runs the sub-operations over {@code target}: this association (C-GET) or the destination's (C-MOVE). */
    private void send(Command rq, DimseChannel.Context ctx, List<StoredInstance> instances, Tally t,
                      DimseChannel target, StoreScu scu) throws IOException, ProtocolException {
        boolean get = scu == null;
        int messageId = 1;
        for (StoredInstance inst : instances) {
            if (t.cancelled || FindScp.Query.cancelled(s.channel(), rq)) {
                t.cancelled = true;
                return;
            }
            String uid = inst.sopInstanceUid().value();
            DimseChannel.Context context = get ? getContext(inst) : scu.context(inst.sopClassUid(),
                    inst.transferSyntaxUid());
            if (context == null) {
                t.fail(uid, noContext(inst, get));
            } else {
                subOperation(rq, context, messageId++, inst, t, target, get);
            }
            done.add(uid);
            Command pending = Command.response(rq, Status.PENDING, false);
            counts(pending, t, true);
            s.channel().writeCommand(ctx.id(), pending);
        }
    }

    private void subOperation(Command rq, DimseChannel.Context context, int messageId, StoredInstance inst, Tally t,
                              DimseChannel target, boolean get) throws IOException, ProtocolException {
        String uid = inst.sopInstanceUid().value();
        InputStream stored;
        try {
            stored = s.archive().open(inst.sopInstanceUid());
        } catch (StorageException e) {
            t.fail(uid, e.reason() == StorageException.Reason.ARCHIVED
                    ? "archived, restore requested; retry later" : e.reason() + ": " + e.getMessage());
            LOG.info("Retrieve of {} for {}: {}", uid, s.who(), e.getMessage());
            return;
        }
        try (stored) {
            Part10.StoredDataset ds = Part10.openDataset(stored, inst.transferSyntaxUid());
            String from = ds.transferSyntax();
            String to = context.transferSyntax();
            StoreScu.Payload payload;
            if (from.equals(to)) {
                boolean deflated = from.equals(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
                if (((inst.sizeBytes() - ds.headerLength()) & 1) != 0 && !deflated) {
                    // Elements have even lengths (PS3.5 7.1.1), so do P-DATA fragments: this one cannot travel as is.
                    t.fail(uid, "stored data set has an odd length; check it with 'verify'");
                    return;
                }
                payload = (ch, id) -> ch.writeData(id, ds.dataset(), deflated);
            } else if (Transcoder.canTranscode(from, to)) {
                // Only header bytes change. A stored instance that turns out malformed midway has been partly
                // sent already: the data set is then left unfinished (no last fragment, so no receiver can take
                // the part for the whole) and the failure ends the link like any other read failure
                // (TranscodeException is an IOException).
                payload = (ch, id) -> {
                    java.io.OutputStream out = ch.dataOutput(id);
                    Transcoder.transcode(ds.dataset(), from, out, to);
                    out.close();
                };
                LOG.debug("Sending {} re-encoded from {} to {}", uid, from, to);
            } else {
                t.fail(uid, "stored in " + from + ", receiver accepted " + to + " only; not decompressed");
                return;
            }
            StoreScu.Result r;
            try {
                r = StoreScu.store(target, context.id(), messageId, inst.sopClassUid(), uid, payload,
                        get ? null : s.config().aeTitle(), rq.messageId(), get ? rq.messageId() : -1);
            } catch (ProtocolException e) {
                if (get) {
                    throw e;
                }
                // The destination broke the protocol: that ends its association, not the C-MOVE SCU's.
                throw new IOException("destination protocol error: " + e.getMessage());
            }
            t.cancelled |= r.cancelled();
            if (r.status() == Status.SUCCESS) {
                t.completed++;
                t.remaining--;
            } else if ((r.status() & 0xF000) == 0xB000) {
                t.warning++;
                t.remaining--;
            } else {
                t.fail(uid, "the receiver answered status " + Integer.toHexString(r.status()));
            }
        } catch (StorageException e) {
            // Reading the stored bytes failed mid-stream: the peer already has part of it, so the link is unusable.
            throw new IOException("stored instance " + uid + " became unreadable while sent: " + e.getMessage(), e);
        }
    }

    /**
     * C-GET: a context the SCU offered for this class, in the stored syntax if there is one, else in a syntax the
     * data set can be re-encoded into (Explicit VR LE preferred: it keeps the VRs).
     */
    private DimseChannel.Context getContext(StoredInstance inst) {
        DimseChannel.Context reencoded = null;
        for (DimseChannel.Context c : s.channel().contexts().values()) {
            if (!c.abstractSyntax().equals(inst.sopClassUid())) {
                continue;
            }
            if (c.transferSyntax().equals(inst.transferSyntaxUid())) {
                return c;
            }
            if (Transcoder.canTranscode(inst.transferSyntaxUid(), c.transferSyntax()) && (reencoded == null
                    || c.transferSyntax().equals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))) {
                reencoded = c;
            }
        }
        return reencoded;
    }

    /** Why an instance found no context: the comment lists what would have worked. */
    private String noContext(StoredInstance inst, boolean get) {
        boolean classOffered = !get || s.channel().contexts().values().stream()
                .anyMatch(c -> c.abstractSyntax().equals(inst.sopClassUid()));
        if (!classOffered) {
            return "SCU offered no storage context for " + inst.sopClassUid();
        }
        return TransferSyntax.isEncapsulated(inst.transferSyntaxUid())
                ? "stored compressed in " + inst.transferSyntaxUid() + ", not offered; not decompressed"
                : "no accepted context for " + inst.sopClassUid() + " in " + inst.transferSyntaxUid()
                        + " or a syntax it can be re-encoded to";
    }

    private static void counts(Command c, Tally t, boolean pending) {
        if (pending) {
            c.us(Command.REMAINING, Math.max(t.remaining, 0));
        }
        c.us(Command.COMPLETED, t.completed).us(Command.FAILED, t.failed).us(Command.WARNING, t.warning);
    }

    private void finish(Command rq, DimseChannel.Context ctx, String op, String subject, int status, Tally t,
                        String comment) throws IOException {
        boolean list = !t.failedUids.isEmpty();
        Command rsp = Command.response(rq, status, list);
        counts(rsp, t, status == Status.CANCEL);
        if (!comment.isEmpty()) {
            rsp.string(Command.ERROR_COMMENT, Status.comment(comment));
        }
        s.channel().writeCommand(ctx.id(), rsp);
        if (list) {
            DicomDataset failed = new DicomDataset().set(FAILED_SOP_INSTANCE_UID_LIST, VR.UI,
                    t.failedUids.toArray(String[]::new));
            s.channel().writeData(ctx.id(), Part10.encodeDataset(failed, ctx.transferSyntax()));
        }
        LOG.info("{} {} from {}: status {}, {} completed, {} failed, {} warning{}", op, subject, s.who(),
                Integer.toHexString(status), t.completed, t.failed, t.warning, comment.isEmpty() ? "" : " (" + comment + ")");
        s.record(op, subject, status, t.completed, t.failed, t.warning);
    }
}
