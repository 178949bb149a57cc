package org.pacs.storage.security;

import java.time.Instant;

/**
 * Which access events to list; every filter is optional (null).
 *
 * @param username only this user's events (exact, ignoring case)
 * @param studyUid only events about this study
 * @param since    only events at or after this instant
 * @param limit    at most this many, newest kept; 0 for no limit
 */
public record AccessEventQuery(String username, String studyUid, Instant since, int limit) {

    public AccessEventQuery {
        if (limit < 0) {
            throw org.pacs.storage.StorageException.invalidInput("limit must be 0 (none) or positive, not " + limit);
        }
    }

    public static AccessEventQuery all() {
        return new AccessEventQuery(null, null, null, 0);
    }
}
