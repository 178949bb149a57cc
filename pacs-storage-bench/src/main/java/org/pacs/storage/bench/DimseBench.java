package org.pacs.storage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dimse.DimseConfig;
import org.pacs.storage.dimse.DimseServer;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.testkit.FreePorts;

/**
 * C-STORE throughput (issue 16): DCMTK's {@code storescu} sends the same CT-sized instances (39 KB by default)
 * over one association and over 4 in parallel into, one after another in this run: our DIMSE server over the
 * embedded file archive (fsync on: a success means durable), Orthanc's C-STORE SCP when installed, and DCMTK's
 * {@code storescp --fork} writing plain files (the limit: no index, no fsync). Prints instances/s and the
 * ratios ours/Orthanc (target at least 3) and ours/storescp (target at least 0.5).
 * <p>Run: {@code java -cp ... org.pacs.storage.bench.DimseBench [count] [bytes] [protocol]}; needs dcmtk. With
 * {@code protocol} only our server is measured, over a backend that reads each instance's header and discards
 * the rest: the upper layer and DIMSE alone, without the archive's disk and catalog work.
 */
public final class DimseBench {

    private DimseBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 39_000;
        if (!Files.isExecutable(Path.of("/usr/bin/storescu"))) {
            System.out.println("storescu not installed (apt-get install dcmtk): nothing to measure");
            return;
        }
        boolean protocolOnly = args.length > 2 && args[2].equals("protocol");
        Path work = Files.createTempDirectory("dimse-bench");
        try {
            List<Path> files = generate(work.resolve("in"), count, bytes);
            if (protocolOnly) {
                System.out.printf(Locale.ROOT, "%d instances of %d bytes; storescu with TCP_NODELAY=1; protocol only"
                        + " (instances discarded after their header)%n", count, bytes);
                long cpu0 = cpuNanos();
                double one = ours(work.resolve("p1"), files, 1, true);
                long cpu1 = cpuNanos();
                double four = ours(work.resolve("p4"), files, 4, true);
                long cpu2 = cpuNanos();
                row("ours, protocol only", new double[] {one, four});
                // CPU this JVM spent per instance (association threads, JIT, GC): steadier than a rate on a busy box
                System.out.printf(Locale.ROOT, "%-34s %14.0f %14.0f%n", "server CPU us per instance",
                        (cpu1 - cpu0) / 1e3 / count, (cpu2 - cpu1) / 1e3 / count);
                return;
            }
            System.out.printf(Locale.ROOT, "%d instances of %d bytes; storescu with TCP_NODELAY=1%n", count, bytes);
            System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", "SCP", "1 assoc /s", "4 assocs /s");
            double[] ours = new double[2];
            double[] orthanc = {-1, -1};
            double[] storescp = new double[2];
            double[] floor = new double[2];
            // an unmeasured round into a scratch archive first, as JMH would: our server runs in this JVM, and
            // measured cold it shares the two cores with the JIT compiler threads (storescu and Orthanc are native)
            ours(work.resolve("warmup"), files.subList(0, Math.min(files.size(), 1000)), 1, false);
            for (int clients : new int[] {1, 4}) {
                int i = clients == 1 ? 0 : 1;
                // what durability alone costs here, same files and threads: the bound for any durable SCP
                // kept until the end: on this machine's journal-less ext4 a create within minutes of many unlinks
                // scans past them (recently_deleted), so whatever ran right after this cleanup would pay for it
                floor[i] = StorePathBench.floor(work.resolve("floor-" + clients), files, clients);
                ours[i] = ours(work.resolve("ours-" + clients), files, clients, false);
                Optional<Orthanc> o = Orthanc.start(work.resolve("orthanc-" + clients), false);
                if (o.isPresent()) {
                    try (Orthanc running = o.get()) {
                        orthanc[i] = send(files, Orthanc.AE_TITLE, running.dicomPort, clients);
                    }
                }
                storescp[i] = storescp(work.resolve("storescp-" + clients), files, clients);
            }
            row("ours (archive, fsync)", ours);
            row("Orthanc 1.10 C-STORE SCP", orthanc);
            row("storescp --fork (plain files)", storescp);
            row("durable-write floor (no protocol)", floor);
            System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", "ours / Orthanc (target >= 3)",
                    ratio(ours[0], orthanc[0]), ratio(ours[1], orthanc[1]));
            System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", "ours / storescp (target >= 0.5)",
                    ratio(ours[0], storescp[0]), ratio(ours[1], storescp[1]));
            System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", "ours / durable-write floor",
                    ratio(ours[0], floor[0]), ratio(ours[1], floor[1]));
            System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", "3 x Orthanc / floor (>1: beyond it)",
                    ratio(3 * orthanc[0], floor[0]), ratio(3 * orthanc[1], floor[1]));
        } finally {
            CloudBench.deleteTree(work);
        }
    }

    private static double ours(Path dir, List<Path> files, int clients, boolean discard) throws Exception {
        int port = FreePorts.find();
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        try (FileStorage archive = new FileStorage(FileStorageConfig.of(dir));
             DimseServer scp = new DimseServer(DimseConfig.defaults().withPort(port),
                     discard ? discarding(archive, received) : archive).start()) {
            double rate = send(files, "PACS", scp.port(), clients);
            if (discard) {
                if (received.get() != files.size()) {
                    throw new IllegalStateException(received.get() + " instances received, not " + files.size());
                }
                return rate;
            }
            var g = archive.ingestStatistics();
            System.out.printf(Locale.ROOT, "  ours, %d association(s): %.1f stores per catalog transaction (largest %d)%n",
                    clients, g.storesPerTransaction(), g.largestTransaction());
            if (archive.statistics().totalInstances() != files.size()) {
                throw new IllegalStateException("the archive holds " + archive.statistics().totalInstances()
                        + " instances, not " + files.size());
            }
            return rate;
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A backend that parses each instance's header and discards the rest: the protocol's cost alone. */
    private static org.pacs.storage.StorageBackend discarding(FileStorage archive,
                                                              java.util.concurrent.atomic.AtomicInteger received) {
        return new org.pacs.storage.ForwardingStorageBackend(archive) {
            @Override
            public org.pacs.storage.StoredInstance store(java.io.InputStream in) {
                try {
                    java.io.BufferedInputStream b = new java.io.BufferedInputStream(in, 64 * 1024);
                    DicomDataset h = org.pacs.storage.dicom.DicomReader.readHeader(b).dataset();
                    long n = b.transferTo(java.io.OutputStream.nullOutputStream());
                    received.incrementAndGet();
                    return new org.pacs.storage.StoredInstance(org.pacs.storage.SopInstanceUid.of(
                            h.getString(org.pacs.storage.dicom.Tag.SOPInstanceUID, "")),
                            h.getString(org.pacs.storage.dicom.Tag.StudyInstanceUID, ""),
                            h.getString(org.pacs.storage.dicom.Tag.SeriesInstanceUID, ""),
                            h.getString(org.pacs.storage.dicom.Tag.SOPClassUID, ""), "", n, "0".repeat(64),
                            java.time.Instant.now());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void close() {
                // the caller closes the archive
            }
        };
    }

    private static double storescp(Path dir, List<Path> files, int clients) throws Exception {
        Files.createDirectories(dir);
        int port = FreePorts.find();
        ProcessBuilder pb = new ProcessBuilder("storescp", "--fork", "+xa", "-aet", "STORESCP", "-od", dir.toString(),
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(dir.resolveSibling(
                        dir.getFileName() + ".log").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process scp = pb.start();
        try {
            waitForPort(port, scp);
            return send(files, "STORESCP", port, clients);
        } finally {
            scp.destroy();
            scp.waitFor(30, TimeUnit.SECONDS);
            scp.destroyForcibly();
        }
    }

    /** storescu processes over {@code clients} slices of the files; instances per second over the whole send. */
    private static double send(List<Path> files, String aet, int port, int clients) throws Exception {
        List<Process> senders = new ArrayList<>();
        long start = System.nanoTime();
        int per = (files.size() + clients - 1) / clients;
        for (int c = 0; c < clients; c++) {
            List<String> cmd = new ArrayList<>(List.of("storescu", "-aec", aet, "127.0.0.1", Integer.toString(port)));
            files.subList(c * per, Math.min(files.size(), (c + 1) * per)).forEach(f -> cmd.add(f.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("TCP_NODELAY", "1");
            senders.add(pb.start());
        }
        for (Process p : senders) {
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("storescu to " + aet + " failed (exit " + p.exitValue() + ")");
            }
        }
        return files.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static void waitForPort(int port, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("storescp did not listen on " + port);
    }

    /** CT-sized synthetic instances, one study, new UIDs each (shared with IngestBench). */
    static List<Path> generate(Path dir, int count, int bytes) throws Exception {
        return BenchInstances.ct(dir, count, bytes).files();
    }

    private static void row(String name, double[] rates) {
        System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", name, rate(rates[0]), rate(rates[1]));
    }

    private static String rate(double r) {
        return r < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", r);
    }

    private static String ratio(double a, double b) {
        return b <= 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b);
    }
}
