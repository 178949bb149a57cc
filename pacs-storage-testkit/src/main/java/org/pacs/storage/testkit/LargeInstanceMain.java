package org.pacs.storage.testkit;

import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.spi.StorageBackendProvider;

/**
 * Run in a forked JVM with a small heap: stores a synthetic instance of the given size from a generated
 * stream, reads it back, compares SHA-256 computed on both sides while streaming, then removes it so the
 * disk is freed. Prints "OK ..." and exits 0 on success, prints the failure and exits 1 otherwise.
 * <p>Arguments: {@code pixelBytes type key=value...}
 */
public final class LargeInstanceMain {

    private LargeInstanceMain() {
    }

    public static void main(String[] args) {
        try {
            long pixelBytes = Long.parseLong(args[0]);
            String type = args[1];
            Map<String, String> settings = new LinkedHashMap<>();
            for (int i = 2; i < args.length; i++) {
                int eq = args[i].indexOf('=');
                settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
            }
            System.out.println(run(StorageBackendProvider.forType(type), settings, pixelBytes));
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }

    static String run(StorageBackendProvider provider, Map<String, String> settings, long pixelBytes) throws Exception {
        DicomDataset header = SyntheticInstances.header();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (StorageBackend backend = provider.create(settings)) {
            StoredInstance stored;
            long sentBytes;
            try (DigestInputStream in = new DigestInputStream(SyntheticInstances.stream(header, pixelBytes, 42), sent);
                 CountingStream counted = new CountingStream(in)) {
                stored = backend.store(counted);
                sentBytes = counted.count;
            }
            String sentSha = HexFormat.of().formatHex(sent.digest());
            check(stored.sha256().equals(sentSha), "stored SHA-256 " + stored.sha256() + " != sent " + sentSha);
            check(stored.sizeBytes() == sentBytes, "stored size " + stored.sizeBytes() + " != sent " + sentBytes);
            String readSha;
            try (InputStream in = backend.open(stored.sopInstanceUid())) {
                readSha = Digests.sha256(in);
            }
            check(readSha.equals(sentSha), "read-back SHA-256 " + readSha + " != sent " + sentSha);
            backend.remove(stored.sopInstanceUid());
            return "OK bytes=" + sentBytes + " sha256=" + sentSha + " maxHeap=" + Runtime.getRuntime().maxMemory();
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
