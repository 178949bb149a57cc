package org.pacs.storage.s3;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.spi.SettingValues;
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
        SettingValues.requireKnownKeys(type(), settings, KEYS);
        CloudStorageConfig c = CloudStorageConfig.forBucket(SettingValues.required(settings, BUCKET_NAME,
                "the name of the bucket to store in"));
        if (present(settings, REGION)) {
            c = c.withRegion(settings.get(REGION));
        }
        c = c.withCredentials(settings.getOrDefault(ACCESS_KEY_ID, ""), settings.getOrDefault(SECRET_ACCESS_KEY, ""));
        c = c.withEndpointUrl(settings.getOrDefault(ENDPOINT_URL, ""));
        c = c.withMultipart(present(settings, MULTIPART_THRESHOLD)
                        ? SettingValues.size(MULTIPART_THRESHOLD, settings.get(MULTIPART_THRESHOLD)) : c.multipartThreshold(),
                present(settings, PART_SIZE) ? SettingValues.size(PART_SIZE, settings.get(PART_SIZE)) : c.partSize());
        if (present(settings, MAX_CONNECTIONS)) {
            c = c.withMaxConnections(SettingValues.integer(MAX_CONNECTIONS, settings.get(MAX_CONNECTIONS), 1, 1000));
        }
        c = c.withTimeouts(millis(settings, CONNECT_TIMEOUT_MS, c.connectTimeoutMs()),
                millis(settings, REQUEST_TIMEOUT_MS, c.requestTimeoutMs()));
        if (present(settings, ENABLE_ENCRYPTION)) {
            c = c.withEncryption(SettingValues.bool(ENABLE_ENCRYPTION, settings.get(ENABLE_ENCRYPTION)));
        }
        if (present(settings, STORAGE_CLASS)) {
            c = c.withStorageClass(settings.get(STORAGE_CLASS));
        }
        c = c.withKeyPrefix(settings.getOrDefault(KEY_PREFIX, ""));
        if (present(settings, LAYOUT)) {
            c = c.withLayout(KeyLayout.Kind.parse(settings.get(LAYOUT)));
        }
        if (present(settings, DUPLICATE_POLICY)) {
            c = c.withDuplicatePolicy(SettingValues.duplicatePolicy(DUPLICATE_POLICY, settings.get(DUPLICATE_POLICY)));
        }
        return c;
    }

    private static boolean present(Map<String, String> settings, String key) {
        String v = settings.get(key);
        return v != null && !v.isBlank();
    }

    private static int millis(Map<String, String> settings, String key, int dflt) {
        if (!present(settings, key)) {
            return dflt;
        }
        long ms = SettingValues.duration(key, settings.get(key)).toMillis();
        if (ms > Integer.MAX_VALUE) {
            throw StorageException.invalidInput("s3 setting " + key + "='" + settings.get(key)
                    + "' is too long; keep it under 24 days.");
        }
        return (int) ms;
    }

    static Path spoolDir(Map<String, String> settings) {
        String dir = settings.get(SPOOL_DIR);
        return dir == null || dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "pacs-storage-s3-spool")
                : Path.of(dir);
    }
}
