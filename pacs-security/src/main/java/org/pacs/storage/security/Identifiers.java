package org.pacs.storage.security;

import org.pacs.storage.StorageException;

/**
 * Validation of user ids, usernames and actor ids, and safe quoting of untrusted text in messages.
 *
 * <p>Ids are opaque keys chosen by other systems (an LDAP GUID, an e-mail, anything), so they may hold any
 * printable text up to {@link #MAX_ID_LENGTH}; only control characters and broken UTF-16 are refused because
 * they cannot be shown in a terminal or audit report without being mangled. Usernames are typed by people
 * and appear on command lines, so they follow stricter rules.
 */
public final class Identifiers {

    public static final int MAX_ID_LENGTH = 256;
    public static final int MIN_USERNAME_LENGTH = 3;
    public static final int MAX_USERNAME_LENGTH = 64;

    private static final String USERNAME_RULE = "use " + MIN_USERNAME_LENGTH + " to " + MAX_USERNAME_LENGTH
            + " characters from A-Z a-z 0-9 . _ @ -, starting with a letter or digit";

    private Identifiers() {
    }

    /** Null checks for public entry points: a missing value is bad input like any other, not a crash. */
    public static <T> T required(T value, String what) {
        if (value == null) {
            throw StorageException.invalidInput("The " + what + " is missing; pass a value.");
        }
        return value;
    }

    /** Checks a user id (also used for actor ids) and returns it unchanged. */
    public static String requireValidId(String what, String id) {
        if (id == null || id.isBlank()) {
            throw StorageException.invalidInput("The " + what + " is empty; give a non-blank id of at most "
                    + MAX_ID_LENGTH + " characters.");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw StorageException.invalidInput("The " + what + " " + quote(id) + " has " + id.length()
                    + " characters; use at most " + MAX_ID_LENGTH + ".");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < id.length()
                    && Character.isLowSurrogate(id.charAt(i + 1));
            if (pairedHigh) {
                i++;
                continue;
            }
            // A lone surrogate cannot be encoded as UTF-8, so it would not read back verbatim.
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                throw StorageException.invalidInput("The " + what + " " + quote(id)
                        + " contains a control character or broken Unicode at position " + (i + 1)
                        + "; use printable text only.");
            }
        }
        return id;
    }

    /** Checks a username against the rules and returns it unchanged. */
    public static String requireValidUsername(String username) {
        if (username == null) {
            throw StorageException.invalidInput("The username is missing; " + USERNAME_RULE + ".");
        }
        int length = username.length();
        if (length < MIN_USERNAME_LENGTH || length > MAX_USERNAME_LENGTH) {
            throw StorageException.invalidInput("Username " + quote(username) + " has " + length
                    + " characters; " + USERNAME_RULE + ".");
        }
        for (int i = 0; i < length; i++) {
            char c = username.charAt(i);
            boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            // A leading '-' would be read as an option by the CLI; a leading '.' or '@' looks like a path or handle.
            boolean allowed = letterOrDigit || i > 0 && (c == '.' || c == '_' || c == '@' || c == '-');
            if (!allowed) {
                throw StorageException.invalidInput("Username " + quote(username) + " has the character "
                        + quote(String.valueOf(c)) + " at position " + (i + 1) + "; " + USERNAME_RULE + ".");
            }
        }
        return username;
    }

    /**
     * Quotes untrusted text for an error message: control characters are escaped so a crafted value cannot
     * forge lines in a log, and long values are cut so a message stays readable.
     */
    static String quote(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(text.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > limit) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
