package org.pacs.storage.dimse;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/**
 * Our SCP over a FileStorage in a JVM of its own (run with a small -Xmx by BigInstanceTest): writes its port to
 * args[1], serves until stdin closes, then prints the peak heap used. args[2] "fsync" makes every store durable
 * (the archive's default); without it the store is not forced to disk, like DCMTK's storescp (for measuring).
 */
public final class ForkedScp {

    private ForkedScp() {
    }

    public static void main(String[] args) throws Exception {
        try (FileStorage archive = new FileStorage(FileStorageConfig.of(Path.of(args[0]))
                .withFsync(args.length > 2 && args[2].equals("fsync")));
             DimseServer server = new DimseServer(DimseConfig.defaults().withPort(0), archive).start()) {
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
