package org.pacs.storage.security;

import java.time.Instant;

/**
 * One row of the audit log: {@code actorId} did {@code action} to user {@code userId} at {@code at}.
 *
 * @param sequence increases with every entry, so it orders entries even when clocks disagree
 * @param detail   what changed, e.g. {@code username alice -> alice.b}; never a password or hash
 */
public record AuditEntry(long sequence, Instant at, String actorId, AuditAction action, String userId,
                         String detail) {

    public AuditEntry {
        Identifiers.required(at, "at");
        Identifiers.required(actorId, "actorId");
        Identifiers.required(action, "action");
        Identifiers.required(userId, "userId");
        Identifiers.required(detail, "detail");
    }
}
