package org.pacs.storage.security;

/** What an audit entry records. Stored by {@link #name()}. */
public enum AuditAction {
    CREATE_USER, UPDATE_USER, DELETE_USER, SET_PASSWORD, CLEAR_PASSWORD, SET_ACTIVE
}
