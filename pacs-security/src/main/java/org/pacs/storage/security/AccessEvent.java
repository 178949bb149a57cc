package org.pacs.storage.security;

import java.time.Instant;

/**
 * One access to patient data through a network service: who ({@code username}, from {@code address}) did
 * {@code action} to which study, with what outcome, at what time. Written for every store, read and delete,
 * refused ones included, so the trail also shows who tried.
 *
 * @param sequence  0 for a new event; the stored row's number when read back (orders events)
 * @param username  the authenticated user, or "anonymous" / the name that failed to log in
 * @param address   the client's IP address
 * @param action    what was asked, e.g. STORE, RETRIEVE, SEARCH, DELETE
 * @param studyUid  the study concerned, or "" when the request names none (a search across studies)
 * @param outcome   e.g. "200", "403 denied"; starts with the HTTP status
 */
public record AccessEvent(long sequence, Instant at, String username, String address, String action,
                          String studyUid, String outcome) {

    public AccessEvent {
        Identifiers.required(at, "at");
        username = limit(Identifiers.required(username, "username"), 128);
        address = limit(address == null ? "" : address, 64);
        action = limit(Identifiers.required(action, "action"), 32);
        studyUid = limit(studyUid == null ? "" : studyUid, 64);
        outcome = limit(Identifiers.required(outcome, "outcome"), 512);
    }

    public static AccessEvent of(Instant at, String username, String address, String action, String studyUid,
                                 String outcome) {
        return new AccessEvent(0, at, username, address, action, studyUid, outcome);
    }

    /** Values come from the network: bounded so a hostile client cannot bloat the trail. */
    private static String limit(String s, int max) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > max ? clean.substring(0, max) : clean;
    }
}
