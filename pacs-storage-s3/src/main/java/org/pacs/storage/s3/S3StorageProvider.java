package org.pacs.storage.s3;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.spi.StorageBackendProvider;

/** {@code type: s3}: builds an {@link S3Storage} from kebab-case settings (spec §3.1.1 field names). */
public final class S3StorageProvider implements StorageBackendProvider {

    public static final String BUCKET_NAME = "bucket-name";
    public static final String REGION = "region";
    public static final String ACCESS_KEY_ID = "access-key-id";
    public static final String SECRET_ACCESS_KEY = "secret-access-key";
    public static final String ENDPOINT_URL = "endpoint-url";
    public static final String MULTIPART_THRESHOLD = "multipart-threshold";
    public static final String PART_SIZE = "part-size";
    public static final String MAX_CONNECTIONS = "max-connections";
    public static final String CONNECT_TIMEOUT_MS = "connect-timeout-ms";
    public static final String REQUEST_TIMEOUT_MS = "request-timeout-ms";
    public static final String ENABLE_ENCRYPTION = "enable-encryption";
    public static final String STORAGE_CLASS = "storage-class";
    public static final String KEY_PREFIX = "key-prefix";
    public static final String LAYOUT = "layout";
    public static final String DUPLICATE_POLICY = "duplicate-policy";
    public static final String SPOOL_DIR = "spool-dir";

    private static final Set<String> KEYS = new LinkedHashSet<>(java.util.List.of(BUCKET_NAME, REGION,
            ACCESS_KEY_ID, SECRET_ACCESS_KEY, ENDPOINT_URL, MULTIPART_THRESHOLD, PART_SIZE, MAX_CONNECTIONS,
            CONNECT_TIMEOUT_MS, REQUEST_TIMEOUT_MS, ENABLE_ENCRYPTION, STORAGE_CLASS, KEY_PREFIX, LAYOUT,
            DUPLICATE_POLICY, SPOOL_DIR));

    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\\s*");
    private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d+)\\s*(ms|s|m|min)?\\s*");

    @Override
    public String type() {
        return "s3";
    }

    @Override
    public Set<String> settingKeys() {
        return java.util.Collections.unmodifiableSet(KEYS);
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(SECRET_ACCESS_KEY);
    }

    @Override
    public StorageBackend create(Map<String, String> settings) {
        return S3Storage.connect(config(settings), spoolDir(settings));
    }

    /** The configuration the settings describe; INVALID_INPUT naming the key for anything unusable. */
    public CloudStorageConfig config(Map<String, String> settings) {
        for (String k : settings.keySet()) {
            if (!KEYS.contains(k)) {
                throw StorageException.invalidInput("Unknown s3 setting '" + k + "'; accepted: "
                        + new TreeSet<>(KEYS) + ".");
            }
        }
        String bucket = settings.get(BUCKET_NAME);
        if (bucket == null || bucket.isBlank()) {
            throw StorageException.invalidInput("s3 setting bucket-name is missing; name the bucket to store in.");
        }
        CloudStorageConfig c = CloudStorageConfig.forBucket(bucket);
        if (settings.containsKey(REGION)) {
            c = c.withRegion(settings.get(REGION));
        }
        c = c.withCredentials(settings.getOrDefault(ACCESS_KEY_ID, ""), settings.getOrDefault(SECRET_ACCESS_KEY, ""));
        c = c.withEndpointUrl(settings.getOrDefault(ENDPOINT_URL, ""));
        c = c.withMultipart(size(settings, MULTIPART_THRESHOLD, c.multipartThreshold()),
                size(settings, PART_SIZE, c.partSize()));
        c = c.withMaxConnections((int) number(settings, MAX_CONNECTIONS, c.maxConnections()));
        c = c.withTimeouts((int) millis(settings, CONNECT_TIMEOUT_MS, c.connectTimeoutMs()),
                (int) millis(settings, REQUEST_TIMEOUT_MS, c.requestTimeoutMs()));
        c = c.withEncryption(bool(settings, ENABLE_ENCRYPTION, c.enableEncryption()));
        if (settings.containsKey(STORAGE_CLASS)) {
            c = c.withStorageClass(settings.get(STORAGE_CLASS));
        }
        c = c.withKeyPrefix(settings.getOrDefault(KEY_PREFIX, ""));
        if (settings.containsKey(LAYOUT)) {
            c = c.withLayout(KeyLayout.Kind.parse(settings.get(LAYOUT)));
        }
        if (settings.containsKey(DUPLICATE_POLICY)) {
            c = c.withDuplicatePolicy(policy(settings.get(DUPLICATE_POLICY)));
        }
        return c;
    }

    static Path spoolDir(Map<String, String> settings) {
        String dir = settings.get(SPOOL_DIR);
        return dir == null || dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "pacs-storage-s3-spool")
                : Path.of(dir);
    }

    static long size(Map<String, String> s, String key, long dflt) {
        String v = s.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            throw StorageException.invalidInput("s3 setting " + key + "='" + v + "' is not a size; write e.g."
                    + " 10485760, 10MiB or 100MB.");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "k", "kib" -> 1024L;
            case "kb" -> 1000L;
            case "m", "mib" -> 1024L * 1024;
            case "mb" -> 1000L * 1000;
            case "g", "gib" -> 1024L * 1024 * 1024;
            case "gb" -> 1000L * 1000 * 1000;
            default -> 1L;
        };
        return Math.multiplyExact(n, factor);
    }

    static long millis(Map<String, String> s, String key, long dflt) {
        String v = s.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw StorageException.invalidInput("s3 setting " + key + "='" + v + "' is not a duration; write e.g."
                    + " 3000 (milliseconds), 3s or 1m.");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
        long ms = switch (unit) {
            case "s" -> n * 1000;
            case "m", "min" -> n * 60_000;
            default -> n;
        };
        if (ms > Integer.MAX_VALUE) {
            throw StorageException.invalidInput("s3 setting " + key + "='" + v + "' is too long; keep it under 24 days.");
        }
        return ms;
    }

    static long number(Map<String, String> s, String key, long dflt) {
        String v = s.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw StorageException.invalidInput("s3 setting " + key + "='" + v + "' is not a whole number.");
        }
    }

    static boolean bool(Map<String, String> s, String key, boolean dflt) {
        String v = s.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw StorageException.invalidInput("s3 setting " + key + "='" + v + "' must be true or false.");
        };
    }

    static DuplicatePolicy policy(String v) {
        try {
            return DuplicatePolicy.valueOf(v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidInput("s3 setting duplicate-policy='" + v + "' is unknown; use one of "
                    + java.util.Arrays.toString(DuplicatePolicy.values()) + ".");
        }
    }
}
