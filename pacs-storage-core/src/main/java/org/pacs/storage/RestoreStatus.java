package org.pacs.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an archived instance stands.
 *
 * @param state     NOT_ARCHIVED: readable now; ARCHIVED: no restore asked; IN_PROGRESS: asked, not done;
 *                  RESTORED: a readable copy exists until {@link #expiry()}
 * @param expiresAt when a restored copy goes away, or null where the provider does not say
 * @param detail    the provider's own words, e.g. the x-amz-restore header or Azure's archive status
 */
public record RestoreStatus(State state, Instant expiresAt, String detail) {

    public enum State { NOT_ARCHIVED, ARCHIVED, IN_PROGRESS, RESTORED }

    public RestoreStatus {
        Objects.requireNonNull(state, "state");
        detail = detail == null ? "" : detail;
    }

    /** A status the provider gave no expiry for. */
    public static RestoreStatus of(State state, String detail) {
        return new RestoreStatus(state, null, detail);
    }

    public Optional<Instant> expiry() {
        return Optional.ofNullable(expiresAt);
    }

    public boolean readable() {
        return state == State.NOT_ARCHIVED || state == State.RESTORED;
    }
}
