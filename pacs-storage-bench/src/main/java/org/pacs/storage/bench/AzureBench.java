package org.pacs.storage.bench;

import static org.pacs.storage.bench.CloudBench.deleteTree;
import static org.pacs.storage.bench.CloudBench.generate;
import static org.pacs.storage.bench.CloudBench.row;
import static org.pacs.storage.bench.CloudBench.timed;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.azure.AzureBlobStorage;
import org.pacs.storage.azure.AzureStorageConfig;
import org.pacs.storage.bench.CloudBench.Figure;
import org.pacs.storage.bench.CloudBench.InstanceSet;
import org.pacs.storage.spool.InstanceSpooler;
import org.pacs.storage.testkit.azure.AzuriteServer;

/**
 * AzureBlobStorage against a plain SDK loop (uploadFromFile / openInputStream with the same block size,
 * single-put threshold and per-upload concurrency), same Azurite, same files, same number of threads:
 * 1,000 small instances and 10 of 200 MB, store then retrieve, as MB/s and as the ratio
 * AzureBlobStorage / plain SDK (goal: at least 0.8). The storage side does everything a store must (SHA-256,
 * header parse, metadata, Content-MD5 per block, conditional commit); the plain side only moves bytes.
 * <pre>
 * mvn -q -ntp -pl pacs-storage-bench -am package -DskipTests
 * mvn -q -ntp -pl pacs-storage-bench exec:java -Dexec.mainClass=org.pacs.storage.bench.AzureBench \
 *     [-Dexec.args="smallCount largeCount largeMiB threads"]      (defaults 1000 10 200 8)
 * </pre>
 */
public final class AzureBench {

    private static final String PLAIN = "plain";

    private AzureBench() {
    }



    public static void main(String[] args) throws Exception {
        int smallCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int largeCount = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long largeMiB = args.length > 2 ? Long.parseLong(args[2]) : 200;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        Path work = Files.createTempDirectory("azurebench-");
        try (AzuriteServer azurite = AzuriteServer.start()) {
            System.out.printf(Locale.ROOT, "AzureBench: Azurite at %s, %d threads, %d cores%n", azurite.blobEndpoint(),
                    threads, Runtime.getRuntime().availableProcessors());
            progress("generating instances");
            InstanceSet small = generate(work.resolve("small"), smallCount, 64 * 1024, 1);
            InstanceSet large = generate(work.resolve("large"), largeCount, largeMiB << 20, 2);
            AzureStorageConfig base = AzureStorageConfig.builder(PLAIN, azurite.connectionString())
                    .createContainer(true).maxConcurrency(threads).build();
            // Warm both paths (JIT, connection pools, Azurite) on a slice of the small set, unmeasured.
            runPlain(base.toBuilder().containerName("warm-plain").build(), small.slice(100), threads);
            runStorage(base.toBuilder().containerName("warm-storage").build(), work, small.slice(100), threads);

            Figure plainSmall = runPlain(base.toBuilder().containerName("small-plain").build(), small, threads);
            Figure storageSmall = runStorage(base.toBuilder().containerName("small-storage").build(), work, small, threads);
            Figure plainLarge = runPlain(base.toBuilder().containerName("large-plain").build(), large, threads);
            Figure storageLarge = runStorage(base.toBuilder().containerName("large-storage").build(), work, large, threads);

            System.out.println();
            System.out.printf(Locale.ROOT, "%-32s %16s %12s %8s%n", "case", "AzureBlobStorage", "plain SDK", "ratio");
            row(String.format(Locale.ROOT, "store %d x 64 KiB", smallCount), storageSmall.storeMBs(), plainSmall.storeMBs());
            row(String.format(Locale.ROOT, "retrieve %d x 64 KiB", smallCount), storageSmall.retrieveMBs(), plainSmall.retrieveMBs());
            row(String.format(Locale.ROOT, "store %d x %d MiB", largeCount, largeMiB), storageLarge.storeMBs(), plainLarge.storeMBs());
            row(String.format(Locale.ROOT, "retrieve %d x %d MiB", largeCount, largeMiB), storageLarge.retrieveMBs(), plainLarge.retrieveMBs());
            System.out.println("(MB/s = 10^6 instance bytes per second; ratio = AzureBlobStorage / plain SDK, goal >= 0.8)");
        } finally {
            deleteTree(work);
        }
    }

    private static Figure runStorage(AzureStorageConfig config, Path work, InstanceSet set, int threads) throws Exception {
        progress(config.containerName());
        try (AzureBlobStorage s = new AzureBlobStorage(config, work.resolve("spool"))) {
            double store = timed(set, threads, i -> s.store(set.files().get(i)));
            double retrieve = timed(set, threads, i -> {
                try (InputStream in = s.open(SopInstanceUid.of(set.uids().get(i)[2]))) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            });
            return new Figure(store, retrieve);
        }
    }

    /** The baseline: the SDK's own file upload and blob stream, tuned like the backend, nothing else. */
    private static Figure runPlain(AzureStorageConfig config, InstanceSet set, int threads) throws Exception {
        progress(config.containerName());
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(config.connectionString())
                .buildClient().getBlobContainerClient(config.containerName());
        container.createIfNotExists();
        ParallelTransferOptions transfer = new ParallelTransferOptions().setBlockSizeLong(config.blockSize())
                .setMaxSingleUploadSizeLong(config.blockUploadThreshold()).setMaxConcurrency(config.maxConcurrency());
        double store = timed(set, threads, i -> container.getBlobClient(name(set.uids().get(i)))
                .uploadFromFileWithResponse(new BlobUploadFromFileOptions(set.files().get(i).toString())
                        .setParallelTransferOptions(transfer), null, null));
        double retrieve = timed(set, threads, i -> {
            try (InputStream in = container.getBlobClient(name(set.uids().get(i))).openInputStream()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        });
        return new Figure(store, retrieve);
    }

    /** Long runs on a busy machine: say which phase is running. */
    private static void progress(String phase) {
        System.out.printf(Locale.ROOT, "%s %s%n", java.time.LocalTime.now().withNano(0), phase);
    }

    private static String name(String[] u) {
        return u[0] + "/" + u[1] + "/" + u[2] + ".dcm";
    }





}
