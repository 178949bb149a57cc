package org.pacs.storage.bench;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.azure.AzureAccessTier;
import org.pacs.storage.azure.AzureBlobStore;
import org.pacs.storage.azure.AzureStorageConfig;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.blob.LocalBlob;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.dicomweb.DicomWebConfig;
import org.pacs.storage.dicomweb.DicomWebServer;
import org.pacs.storage.file.FileBlobStore;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.hsm.HsmStorage;
import org.pacs.storage.hsm.HsmStorageConfig;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.security.Role;
import org.pacs.storage.security.SqliteSecurityStorage;
import org.pacs.storage.security.User;
import org.pacs.storage.testkit.SyntheticInstances;
import org.pacs.storage.testkit.azure.AzuriteServer;

/**
 * Headers kept at ingest, over DICOMweb on an HSM whose cold tier is Azure Blob Storage (a real Azurite):
 * <ol>
 *   <li>study /metadata of {@code studySize} instances moved to the cold tier, set to Archive, and the Azurite
 *       process then stopped: answered from the catalog alone (median and spread of 3 runs);</li>
 *   <li>one frame of a large native multi-frame instance in the cold tier (readable): bytes read from the tier
 *       (counted by an observing wrapper around the real store) and time, beside the same request served the old
 *       way (the whole instance streamed and skipped through).</li>
 * </ol>
 * Arguments (optional): {@code studySize frames}; defaults 1000 and 200 (512x512x16-bit frames, 100 MiB).
 * <pre>
 * mvn -B -q -o -ntp -pl pacs-storage-bench,pacs-storage-cli -am package -DskipTests -Dazurite.install.skip=true \
 *     dependency:build-classpath -Dmdep.outputFile=/tmp/meta-bench.cp
 * java -cp pacs-storage-bench/target/classes:$(cat /tmp/meta-bench.cp) org.pacs.storage.bench.KeptHeadersBench
 * </pre>
 */
public final class KeptHeadersBench {

    private static final String PASSWORD = "bench password 42";
    private static final int ROWS = 512;
    private static final int COLUMNS = 512;
    private static final int FRAME_BYTES = ROWS * COLUMNS * 2;

    private KeptHeadersBench() {
    }

    public static void main(String[] args) throws Exception {
        int studySize = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path work = Files.createTempDirectory("kept-headers-bench");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString(("bench:" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        System.out.printf(Locale.ROOT, "KeptHeadersBench: load average %s%n", loadAverage());
        try (AzuriteServer azurite = AzuriteServer.start();
             SqliteSecurityStorage security = new SqliteSecurityStorage(work.resolve("security.db"))) {
            security.createUser(User.of("bench", "bench", Role.ADMINISTRATOR).withPassword(PASSWORD.toCharArray()));
            AzureBlobStore azure = new AzureBlobStore(AzureStorageConfig.builder("kept-headers", azurite
                    .connectionString()).createContainer(true).maxRetries(0).build(), work.resolve("spool-cold"));
            CountingStore cold = new CountingStore(azure);
            Map<StorageTier, BlobStore> tiers = new EnumMap<>(StorageTier.class);
            tiers.put(StorageTier.HOT, new FileBlobStore(FileStorageConfig.of(work.resolve("hot"))));
            tiers.put(StorageTier.COLD, cold);
            try (HsmStorage hsm = new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(work.resolve("catalog.db")),
                    HsmStorageConfig.defaults().withNodeId("kept-headers-bench").withRestoreOnRead(false));
                 DicomWebServer web = new DicomWebServer(DicomWebConfig.defaults().withPort(0), hsm, security).start();
                 DicomWebServer old = new DicomWebServer(DicomWebConfig.defaults().withPort(0),
                         new ForwardingStorageBackend(hsm) { }, security, null, null, Clock.systemUTC()).start()) {
                frame(http, auth, web, old, hsm, cold, work, frames);
                metadata(http, auth, web, hsm, azure, azurite, studySize);
            }
        } finally {
            CloudBench.deleteTree(work);
        }
    }

    private static void metadata(HttpClient http, String auth, DicomWebServer web, HsmStorage hsm, AzureBlobStore azure,
                                 AzuriteServer azurite, int studySize) throws Exception {
        String study = UidGenerator.newUid();
        String series = UidGenerator.newUid();
        List<SopInstanceUid> uids = new ArrayList<>();
        for (int i = 0; i < studySize; i++) {
            DicomDataset h = SyntheticInstances.header("PMETA", "Meta^Study", study, series, UidGenerator.newUid(),
                    "CT", "20240101");
            uids.add(hsm.store(SyntheticInstances.stream(h, 4096, i)).sopInstanceUid());
        }
        String url = web.baseUrl() + "/studies/" + study + "/metadata";
        double[] hot = timedGets(http, auth, url, 3, null);
        var moved = hsm.migrate(uids, StorageTier.COLD);
        if (!moved.failed().isEmpty()) {
            throw new IllegalStateException("migration failed: " + moved.failed().values().iterator().next());
        }
        for (SopInstanceUid uid : uids) {
            azure.setAccessTier(azure.keyFor(hsm.describe(uid).orElseThrow()), AzureAccessTier.ARCHIVE);
        }
        azurite.close(); // no request can reach the cold tier now
        double[] cold = timedGets(http, auth, url, 3, null);
        System.out.printf(Locale.ROOT, "%-58s median %6.1f ms, runs %s%n", "study /metadata, " + studySize
                + " instances, hot tier", hot[1], Arrays.toString(round(hot)));
        System.out.printf(Locale.ROOT, "%-58s median %6.1f ms, runs %s (target < 300 ms)%n", "study /metadata, "
                + studySize + " instances, cold Archive tier, Azurite stopped", cold[1], Arrays.toString(round(cold)));
    }

    private static void frame(HttpClient http, String auth, DicomWebServer web, DicomWebServer old, HsmStorage hsm,
                              CountingStore cold, Path work, int frames) throws Exception {
        DicomDataset h = SyntheticInstances.header();
        h.setInt(Tag.Rows, VR.US, ROWS);
        h.setInt(Tag.Columns, VR.US, COLUMNS);
        h.setInt(Tag.BitsAllocated, VR.US, 16);
        h.setInt(Tag.BitsStored, VR.US, 16);
        h.setInt(Tag.HighBit, VR.US, 15);
        h.set(Tag.NumberOfFrames, VR.IS, Integer.toString(frames));
        Path file = work.resolve("multiframe.dcm");
        long pixels = (long) frames * FRAME_BYTES;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(DicomWriter.toBytes(h, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            out.write(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x7FE0)
                    .putShort((short) 0x0010).put((byte) 'O').put((byte) 'W').putShort((short) 0)
                    .putInt((int) pixels).array());
            byte[] frame = new byte[FRAME_BYTES];
            for (int f = 0; f < frames; f++) {
                Arrays.fill(frame, (byte) f);
                out.write(frame);
            }
        }
        StoredInstance s = hsm.store(file);
        hsm.migrate(s.sopInstanceUid(), StorageTier.COLD);
        int wanted = frames * 3 / 4;
        String path = "/studies/" + s.studyInstanceUid() + "/series/" + s.seriesInstanceUid() + "/instances/"
                + s.sopInstanceUid() + "/frames/" + wanted;
        double[] ranged = timedGets(http, auth, web.baseUrl() + path, 3, cold);
        long rangedBytes = cold.bytes.get() / 3;
        double[] whole = timedGets(http, auth, old.baseUrl() + path, 3, cold);
        long wholeBytes = cold.bytes.get() / 3;
        System.out.printf(Locale.ROOT, "frame %d of %d (%d bytes) of a %.1f MiB instance in the cold tier (Azurite):%n",
                wanted, frames, FRAME_BYTES, s.sizeBytes() / 1048576.0);
        System.out.printf(Locale.ROOT, "  %-56s median %6.1f ms, runs %s, %d bytes read from the tier (%.2f%% of"
                + " the instance)%n", "ranged read (offset map kept at ingest)", ranged[1],
                Arrays.toString(round(ranged)), rangedBytes, 100.0 * rangedBytes / s.sizeBytes());
        System.out.printf(Locale.ROOT, "  %-56s median %6.1f ms, runs %s, %d bytes read from the tier (%.2f%% of"
                + " the instance)%n", "streamed from the start (no kept header)", whole[1],
                Arrays.toString(round(whole)), wholeBytes, 100.0 * wholeBytes / s.sizeBytes());
    }

    /** {@code n} GETs after three warm-up ones (whose tier reads are not counted); sorted milliseconds. */
    private static double[] timedGets(HttpClient http, String auth, String url, int n, CountingStore counter)
            throws Exception {
        for (int i = 0; i < 3; i++) {
            get(http, auth, url);
        }
        if (counter != null) {
            counter.bytes.set(0);
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            get(http, auth, url);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void get(HttpClient http, String auth, String url) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + r.statusCode());
        }
    }

    private static double[] round(double[] ms) {
        return Arrays.stream(ms).map(v -> Math.round(v * 10) / 10.0).toArray();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The real store, with the bytes read through every stream it opens counted (it only observes). */
    private static final class CountingStore extends org.pacs.storage.blob.ForwardingBlobStore {
        final AtomicLong bytes = new AtomicLong();

        CountingStore(BlobStore store) {
            super(store);
        }

        private InputStream counted(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        bytes.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        bytes.addAndGet(n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    // a skip of a remote stream still downloads what it skips: counted as read
                    long s = super.skip(n);
                    bytes.addAndGet(s);
                    return s;
                }
            };
        }

        @Override
        public InputStream open(String key) {
            return counted(store.open(key));
        }

        @Override
        public InputStream open(String key, long offset, long length) {
            return counted(store.open(key, offset, length));
        }
    }
}
