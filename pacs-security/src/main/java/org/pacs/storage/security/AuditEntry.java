package org.pacs.storage.security;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of the audit log: {@code actorId} did {@code action} to user {@code userId} at {@code at}.
 *
 * @param sequence increases with every entry, so it orders entries even when clocks disagree
 * @param detail   what changed, e.g. {@code username alice -> alice.b}; never a password or hash
 */
public record AuditEntry(long sequence, Instant at, String actorId, AuditAction action, String userId,
                         String detail) {

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(detail, "detail");
    }
}
