package org.pacs.storage.security;

/** What a permission allows doing to a {@link ResourceType}. */
public enum Action {
    READ, WRITE, DELETE, EXPORT, EXECUTE
}
