package org.pacs.storage.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomParseException;
import org.pacs.storage.dicom.DicomReader;

/**
 * Header-parse throughput over a DICOM corpus (default: Debian's python3-pydicom samples): what indexing costs per
 * file. Prints files/s and MB/s for header mode and, for comparison, full reads.
 * <pre>
 * mvn -q -pl pacs-storage-bench -am package -DskipTests
 * java -cp pacs-storage-core/target/classes:pacs-storage-bench/target/classes \
 *     org.pacs.storage.bench.HeaderParseBench [corpusDir] [secondsPerMode]
 * </pre>
 */
public final class HeaderParseBench {

    private HeaderParseBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/lib/python3/dist-packages/pydicom/data");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5.0;
        if (!Files.isDirectory(dir)) {
            System.out.println("No corpus at " + dir + " (apt-get install python3-pydicom, or pass a directory).");
            return;
        }
        List<Path> files = new ArrayList<>();
        long bytes = 0;
        int broken = 0;
        for (Path p : candidates(dir)) {
            try {
                DicomReader.read(p);
                files.add(p);
                bytes += Files.size(p);
            } catch (DicomParseException e) {
                broken++; // broken by design (truncated samples): not part of the measured corpus
            }
        }
        System.out.printf(Locale.ROOT, "corpus: %s, %d readable files, %.2f MB (%d unreadable skipped)%n", dir,
                files.size(), bytes / 1e6, broken);
        // Warm both paths first: they share the parser, and the JIT should see both before either is timed.
        run(files, DicomReader::read, seconds);
        run(files, DicomReader::readHeader, seconds);
        Result header = measure("readHeader(Path)", files, DicomReader::readHeader, seconds);
        Result full = measure("read(Path)", files, DicomReader::read, seconds);
        // The pydicom samples are small, so their headers are most of each file: expect a ratio near 1 here and a
        // large one on real multi-megabyte instances, whose Pixel Data header mode never reads.
        System.out.printf(Locale.ROOT, "header mode / full read, files per CPU-second: %.2fx%n",
                header.filesPerCpuSecond() / full.filesPerCpuSecond());
    }

    private record Result(double filesPerCpuSecond) {
    }

    private static Result measure(String name, List<Path> files, Function<Path, DicomFile> reader, double seconds)
            throws IOException {
        long fileBytes = 0;
        for (Path p : files) {
            fileBytes += Files.size(p);
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long parsedFiles = 0;
        long parsedBytes = 0;
        long passes = 0;
        long sink = 0;
        while (System.nanoTime() < deadline) {
            for (Path p : files) {
                DicomFile f = reader.apply(p);
                parsedBytes += f.headerLength();
                sink += f.dataset().size();
            }
            parsedFiles += files.size();
            passes++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double filesPerSecond = parsedFiles / elapsed;
        System.out.printf(Locale.ROOT, "%-17s %d passes in %.2f s wall: %.0f files/s, %.1f MB/s of files, "
                + "%.1f MB/s parsed (elements seen: %d)%n", name, passes, elapsed, filesPerSecond,
                passes * fileBytes / elapsed / 1e6, parsedBytes / elapsed / 1e6, sink);
        // On a shared machine wall time includes waiting for a core; per CPU-second is the parser's own cost.
        System.out.printf(Locale.ROOT, "%-17s per CPU-second (%.2f s CPU, %.0f%% of wall): %.0f files/s, "
                + "%.1f MB/s of files%n", "", cpu, 100 * cpu / elapsed, parsedFiles / cpu,
                passes * fileBytes / cpu / 1e6);
        return new Result(parsedFiles / cpu);
    }

    private static void run(List<Path> files, Function<Path, DicomFile> reader, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            files.forEach(reader::apply);
        }
    }

    private static List<Path> candidates(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".dcm") || !n.contains(".") && !n.equals("README")
                        && p.toString().contains("dicomdirtests");
            }).sorted().toList();
        }
    }
}
