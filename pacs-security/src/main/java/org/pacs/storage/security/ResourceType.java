package org.pacs.storage.security;

/** What a permission protects. */
public enum ResourceType {
    STUDY, METADATA, SYSTEM, AUDIT, USER, ROLE, SERIES, IMAGE
}
