package org.pacs.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an archived instance stands.
 *
 * @param state    NOT_ARCHIVED: readable now; ARCHIVED: no restore asked; IN_PROGRESS: asked, not done;
 *                 RESTORED: a readable copy exists until {@code expiry}
 * @param expiry   when a restored copy goes away, where the provider says
 * @param detail   the provider's own words, e.g. the x-amz-restore header or Azure's archive status
 */
public record RestoreStatus(State state, Optional<Instant> expiry, String detail) {

    public enum State { NOT_ARCHIVED, ARCHIVED, IN_PROGRESS, RESTORED }

    public RestoreStatus {
        Objects.requireNonNull(state, "state");
        expiry = expiry == null ? Optional.empty() : expiry;
        detail = detail == null ? "" : detail;
    }

    public boolean readable() {
        return state == State.NOT_ARCHIVED || state == State.RESTORED;
    }
}
