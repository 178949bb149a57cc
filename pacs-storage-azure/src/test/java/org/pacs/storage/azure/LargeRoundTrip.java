package org.pacs.storage.azure;

import java.nio.file.Path;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.spool.InstanceSpooler;

/**
 * Run in a forked JVM with a small -Xmx by {@link LargeInstanceTest}: stores a generated instance of the given
 * size through the default (staged-block) path, reads it back, and exits 0 only if both hashes match.
 * Args: connection string, container, spool directory, pixel bytes.
 */
public final class LargeRoundTrip {

    private LargeRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        AzureStorageConfig config = AzureStorageConfig.builder(args[1], args[0]).createContainer(true).build();
        long pixels = Long.parseLong(args[3]);
        try (AzureBlobStorage s = new AzureBlobStorage(config, new InstanceSpooler(Path.of(args[2])))) {
            var gen = TestInstances.large(TestInstances.dataset("LARGE^ONE"), pixels, 42);
            StoredInstance st = s.store(gen);
            String sent = gen.sha256Hex();
            String back = TestInstances.sha256(s.open(st.sopInstanceUid()));
            Runtime rt = Runtime.getRuntime();
            System.out.println("sent=" + sent + " stored=" + st.sha256() + " back=" + back + " size=" + st.sizeBytes()
                    + " maxHeap=" + rt.maxMemory() + " blob=" + st.studyInstanceUid() + "/" + st.seriesInstanceUid()
                    + "/" + st.sopInstanceUid() + ".dcm");
            System.exit(sent.equals(back) && sent.equals(st.sha256()) ? 0 : 1);
        }
    }
}
