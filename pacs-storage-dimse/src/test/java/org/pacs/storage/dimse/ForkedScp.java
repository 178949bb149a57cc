package org.pacs.storage.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;

import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/**
 * Our SCP over a FileStorage in a JVM of its own (run with a small -Xmx by BigInstanceTest): writes its port to
 * args[1], serves until stdin closes, then prints the peak heap used. args[2] "fsync" makes every store durable
 * (the archive's default); without it the store is not forced to disk, like DCMTK's storescp (for measuring);
 * "discard" measures the protocol side alone. args[3], when given, is the port of a C-MOVE destination STORESCP.
 */
public final class ForkedScp {

    private ForkedScp() {
    }

    /**
     * "discard": reads each instance to its end and keeps nothing, to measure the protocol side alone (a stand-in
     * for measuring only; never in a test).
     */
    private static StorageBackend discarding(StorageBackend archive) {
        return new ForwardingStorageBackend(archive) {
            @Override
            public StoredInstance store(InputStream in) {
                try {
                    long n = in.transferTo(OutputStream.nullOutputStream());
                    return new StoredInstance(SopInstanceUid.of("1.2.3"), "1.2", "1.2.1", "", "", n,
                            "0".repeat(64), Instant.now());
                } catch (IOException e) {
                    throw StorageException.unavailable(e.getMessage(), e);
                }
            }
        };
    }

    /** args[3], if given, is the port of a C-MOVE destination named STORESCP on 127.0.0.1. */
    private static java.util.Map<String, DimseConfig.Destination> destinations(String[] args) {
        return args.length > 3 ? java.util.Map.of("STORESCP", new DimseConfig.Destination("127.0.0.1",
                Integer.parseInt(args[3]))) : java.util.Map.of();
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 2 ? args[2] : "";
        try (FileStorage archive = new FileStorage(FileStorageConfig.of(Path.of(args[0])).withFsync(mode.equals("fsync")));
             DimseServer server = new DimseServer(DimseConfig.defaults().withPort(0).withDestinations(destinations(args)),
                     mode.equals("discard") ? discarding(archive) : archive).start()) {
            Path tmp = Path.of(args[1] + ".tmp");
            Files.writeString(tmp, Integer.toString(server.port()));
            Files.move(tmp, Path.of(args[1]));
            while (System.in.read() >= 0) {
                // serve until the test closes our stdin
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("peak-heap " + peak);
    }
}
