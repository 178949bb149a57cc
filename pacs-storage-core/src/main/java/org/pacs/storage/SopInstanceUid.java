package org.pacs.storage;

/**
 * A DICOM UID used as a storage key. Validation is strict on purpose: the value becomes part of file paths,
 * object keys and SQL parameters, so only digits and single dots (PS3.5 §9.1) up to 64 characters pass,
 * which rules out path traversal and injection by construction.
 */
public record SopInstanceUid(String value) implements Comparable<SopInstanceUid> {

    public static final int MAX_LENGTH = 64;

    public SopInstanceUid {
        value = requireValidUid(value, "SOP Instance UID");
    }

    public static SopInstanceUid of(String value) {
        return new SopInstanceUid(value);
    }

    /**
     * Checks any DICOM UID (study, series, instance) and returns it trimmed of the padding NUL or space that
     * DICOM allows; throws INVALID_INPUT with a message naming {@code what}.
     */
    public static String requireValidUid(String value, String what) {
        if (value == null) {
            throw StorageException.invalidInput(what + " is missing; every stored instance needs one.");
        }
        String v = stripPadding(value);
        if (v.isEmpty()) {
            throw StorageException.invalidInput(what + " is empty; every stored instance needs one.");
        }
        if (v.length() > MAX_LENGTH) {
            throw StorageException.invalidInput(what + " is " + v.length() + " characters long; DICOM allows at most "
                    + MAX_LENGTH + ".");
        }
        boolean lastWasDot = true;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '.') {
                if (lastWasDot) {
                    throw badUid(what, v);
                }
                lastWasDot = true;
            } else if (c >= '0' && c <= '9') {
                lastWasDot = false;
            } else {
                throw badUid(what, v);
            }
        }
        if (lastWasDot) {
            throw badUid(what, v);
        }
        return v;
    }

    /** True when {@code value} would pass {@link #requireValidUid}. */
    public static boolean isValid(String value) {
        try {
            requireValidUid(value, "UID");
            return true;
        } catch (StorageException e) {
            return false;
        }
    }

    private static StorageException badUid(String what, String v) {
        String shown = v.length() > 80 ? v.substring(0, 80) + "..." : v;
        return StorageException.invalidInput(what + " '" + shown.replaceAll("\\p{Cntrl}", "?")
                + "' is not a valid DICOM UID: use digits separated by single dots, e.g. 1.2.840.10008.1.2.");
    }

    private static String stripPadding(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\0' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        int start = 0;
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        return s.substring(start, end);
    }

    @Override
    public int compareTo(SopInstanceUid o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
