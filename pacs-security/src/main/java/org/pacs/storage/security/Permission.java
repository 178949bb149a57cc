package org.pacs.storage.security;

import java.util.Objects;

/** One grant: {@code action} on {@code resource}. */
public record Permission(ResourceType resource, Action action) {

    public Permission {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(action, "action");
    }

    public static Permission of(ResourceType resource, Action action) {
        return new Permission(resource, action);
    }

    @Override
    public String toString() {
        return action + " " + resource;
    }
}
