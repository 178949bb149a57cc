package org.pacs.storage.s3;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pacs.storage.ArchivalBackend.RestorePriority;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.RestoreStatus.State;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * Reads the x-amz-restore header S3 returns on HEAD of an archived object, in the two forms S3 documents:
 * {@code ongoing-request="true"} while a restore runs, and
 * {@code ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"} once a temporary copy exists.
 */
final class RestoreHeader {

    /** Classes whose objects must be restored before a GET; GLACIER_IR is read directly. */
    static final Set<String> ARCHIVE_CLASSES = Set.of("GLACIER", "DEEP_ARCHIVE");

    private static final Pattern ONGOING = Pattern.compile("ongoing-request\\s*=\\s*\"(true|false)\"");
    private static final Pattern EXPIRY = Pattern.compile("expiry-date\\s*=\\s*\"([^\"]+)\"");

    private RestoreHeader() {
    }

    static boolean isArchiveClass(String storageClass) {
        return storageClass != null && ARCHIVE_CLASSES.contains(storageClass.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * @param storageClass the object's class from HEAD (null means STANDARD)
     * @param header       x-amz-restore, or null
     */
    static RestoreStatus status(String storageClass, String header) {
        if (!isArchiveClass(storageClass)) {
            return RestoreStatus.of(State.NOT_ARCHIVED, header);
        }
        if (header == null || header.isBlank()) {
            return RestoreStatus.of(State.ARCHIVED, "storage class " + storageClass);
        }
        Matcher ongoing = ONGOING.matcher(header);
        if (ongoing.find() && ongoing.group(1).equals("true")) {
            return RestoreStatus.of(State.IN_PROGRESS, header);
        }
        Matcher expiry = EXPIRY.matcher(header);
        Optional<Instant> when = expiry.find() ? parseDate(expiry.group(1)) : Optional.empty();
        return new RestoreStatus(State.RESTORED, when.orElse(null), header);
    }

    static Optional<Instant> parseDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static Tier tier(RestorePriority priority) {
        return switch (priority) {
            case EXPEDITED -> Tier.EXPEDITED;
            case STANDARD -> Tier.STANDARD;
            case BULK -> Tier.BULK;
        };
    }
}
