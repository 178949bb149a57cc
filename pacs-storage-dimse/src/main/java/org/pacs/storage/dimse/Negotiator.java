package org.pacs.storage.dimse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides an A-ASSOCIATE-RQ (PS3.8 §7.1.1.7-9, §9.3.4): the checks run in the standard's order and the first
 * failing one gives the A-ASSOCIATE-RJ's result, source and reason; otherwise the AC accepts, per context, the
 * first proposed transfer syntax we support (the requestor lists them in its order of preference), except that on
 * a storage context the requestor receives on (SCP role, for C-GET) Big Endian and deflated are passed over for a
 * Little Endian proposal, which every uncompressed instance can be sent in.
 */
final class Negotiator {

    /** A-ASSOCIATE-RJ fields (PS3.8 table 9-21). */
    record Rejection(int result, int source, int reason, String why) {
        static final int PERMANENT = 1;
        static final int TRANSIENT = 2;
    }

    /**
     * Either a rejection, or the AC to send, the contexts it accepted and the user ("" when anonymous) with its
     * verified account (null when anonymous).
     */
    record Decision(Rejection rejection, AssociatePdu accept, Map<Integer, DimseChannel.Context> contexts, String user,
                    org.pacs.storage.security.User account) {
        Decision(Rejection rejection, AssociatePdu accept, Map<Integer, DimseChannel.Context> contexts, String user) {
            this(rejection, accept, contexts, user, null);
        }
    }

    static final String IMPLEMENTATION_VERSION = "PACS_STORAGE_01";

    /** Uncompressed syntaxes the transcoder reads but does not write. */
    private static final java.util.Set<String> NOT_PRODUCIBLE = java.util.Set.of(
            org.pacs.storage.dicom.TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
            org.pacs.storage.dicom.TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);

    private final DimseConfig config;
    private final UserIdentityCheck identity;

    /** Without a security database: user identities are ignored (and none can be required). */
    Negotiator(DimseConfig config) {
        this(config, new UserIdentityCheck(null, config.requireUserIdentity()));
    }

    Negotiator(DimseConfig config, UserIdentityCheck identity) {
        this.config = config;
        this.identity = identity;
    }

    Decision decide(AssociatePdu rq) {
        return decide(rq, "");
    }

    /** @param address the peer's host address (throttles guessed user identities) */
    Decision decide(AssociatePdu rq, String address) {
        if (!rq.applicationContext().equals(AssociatePdu.DICOM_APPLICATION_CONTEXT)) {
            return reject(1, 2, "application context " + rq.applicationContext() + " is not DICOM's");
        }
        if (!rq.calledAe().equals(config.aeTitle())) {
            return reject(1, 7, "called AE title '" + rq.calledAe() + "' is not ours (" + config.aeTitle() + ")");
        }
        if (!config.allowedCallingAeTitles().isEmpty() && !config.allowedCallingAeTitles().contains(rq.callingAe())) {
            return reject(1, 3, "calling AE title '" + rq.callingAe() + "' is not in dimse.allowed-calling-ae-titles");
        }
        List<AssociatePdu.Context> results = new ArrayList<>();
        Map<Integer, DimseChannel.Context> accepted = new LinkedHashMap<>();
        for (AssociatePdu.Context pc : rq.contexts()) {
            String as = pc.abstractSyntax();
            boolean storage = SopClasses.isStorage(as);
            if (!storage && !SopClasses.isService(as)) {
                results.add(new AssociatePdu.Context(pc.id(), 3, "", List.of(pc.transferSyntaxes().get(0))));
                continue;
            }
            String chosen = null;
            boolean receiving = storage && receives(rq, as);
            for (String ts : pc.transferSyntaxes()) {
                boolean ok = storage ? SopClasses.isStorableSyntax(ts) : SopClasses.SERVICE_SYNTAXES.contains(ts);
                if (ok && receiving && NOT_PRODUCIBLE.contains(ts)
                        && pc.transferSyntaxes().stream().anyMatch(SopClasses.SERVICE_SYNTAXES::contains)) {
                    // A C-GET SCU receives on this context: Big Endian or deflated would carry only instances
                    // stored so, while every uncompressed one can be sent in its Little Endian proposal.
                    continue;
                }
                if (ok) {
                    chosen = ts;
                    break;
                }
            }
            if (chosen == null || accepted.containsKey(pc.id())) {
                results.add(new AssociatePdu.Context(pc.id(), 4, "", List.of(pc.transferSyntaxes().get(0))));
                continue;
            }
            results.add(new AssociatePdu.Context(pc.id(), 0, "", List.of(chosen)));
            accepted.put(pc.id(), new DimseChannel.Context(pc.id(), as, chosen));
        }
        if (accepted.isEmpty()) {
            return reject(1, 1, "none of the " + rq.contexts().size() + " proposed presentation contexts is supported");
        }
        // Last, so a password is only checked (PBKDF2, ~100 ms) for an association that would otherwise be accepted.
        AssociatePdu.Identity id = rq.userInfo().identity();
        UserIdentityCheck.Outcome who = identity.check(id, rq.callingAe(), address);
        if (!who.accepted()) {
            // PS3.8 table 9-21: rejected-permanent, service-user, no-reason-given (PS3.7 D.3.3.7)
            return reject(1, 1, who.why());
        }
        boolean confirm = id != null && id.responseRequested() && !who.user().isEmpty();
        // Roles are answered as proposed for the classes we accepted: a C-GET SCU asks to be the storage SCP.
        List<AssociatePdu.Role> roles = new ArrayList<>();
        for (AssociatePdu.Role r : rq.userInfo().roles()) {
            if (accepted.values().stream().anyMatch(c -> c.abstractSyntax().equals(r.sopClass()))) {
                roles.add(r);
            }
        }
        // The asynchronous operations window is answered as 1/1: operations are performed one at a time.
        AssociatePdu.UserInfo user = new AssociatePdu.UserInfo(config.maxPduLength(),
                org.pacs.storage.dicom.DicomWriter.IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION, roles,
                rq.userInfo().asyncWindow(), null, confirm);
        AssociatePdu ac = new AssociatePdu(true, rq.calledAe(), rq.callingAe(), AssociatePdu.DICOM_APPLICATION_CONTEXT,
                results, user);
        return new Decision(null, ac, accepted, who.user(), who.account());
    }

    /** Whether the requestor asked for the SCP role of this storage class (it receives C-STOREs: C-GET). */
    private static boolean receives(AssociatePdu rq, String sopClass) {
        return rq.userInfo().roles().stream().anyMatch(r -> r.sopClass().equals(sopClass) && r.scp());
    }

    private static Decision reject(int source, int reason, String why) {
        return new Decision(new Rejection(Rejection.PERMANENT, source, reason, why), null, Map.of(), "");
    }

    /** Too many associations at once: transient, service provider (presentation), local limit exceeded. */
    static Rejection busy(int limit) {
        return new Rejection(Rejection.TRANSIENT, 3, 2, "more than " + limit + " associations at once");
    }
}
