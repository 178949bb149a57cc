package org.pacs.storage.security;


/** One grant: {@code action} on {@code resource}. */
public record Permission(ResourceType resource, Action action) {

    public Permission {
        Identifiers.required(resource, "resource");
        Identifiers.required(action, "action");
    }

    public static Permission of(ResourceType resource, Action action) {
        return new Permission(resource, action);
    }

    @Override
    public String toString() {
        return action + " " + resource;
    }
}
