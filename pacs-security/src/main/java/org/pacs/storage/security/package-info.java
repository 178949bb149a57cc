/**
 * Users, roles and permissions for pacs-storage, kept in one SQLite file.
 *
 * <p>Typical use by a command (for example the CLI's {@code user} commands):
 * <pre>{@code
 * try (SecurityStorage users = new SqliteSecurityStorage(Path.of("security.db"))) {
 *     User actor = users.getUserByUsername(callerName);
 *     AccessControl.check(actor, ResourceType.USER, Action.WRITE);      // PERMISSION_DENIED if not allowed
 *     users.createUser(actor.id(), User.of("u-42", "alice", Role.parse("radiologist"))
 *             .withPassword(passwordChars));                              // user, roles, password: one transaction
 *     users.auditLog("u-42");                                              // who changed alice, and when
 * }
 * }</pre>
 *
 * <p>Every failure is an {@link org.pacs.storage.StorageException}: {@code INVALID_INPUT} for a bad id,
 * username, role name or password (the message says the rule), {@code NOT_FOUND}, {@code ALREADY_EXISTS},
 * {@code PERMISSION_DENIED}, and {@code CORRUPT} or {@code INVALID_INPUT} for a damaged or foreign file, naming
 * the path and what to do. The first administrator is created with actor {@link
 * org.pacs.storage.security.SecurityStorage#SYSTEM_ACTOR}.
 */
package org.pacs.storage.security;
